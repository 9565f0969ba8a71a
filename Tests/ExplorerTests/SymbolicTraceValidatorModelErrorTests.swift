import HMMModel
import Testing

@testable import Explorer

@Suite("Trace validation: model errors")
struct SymbolicTraceValidatorModelErrorTests {
  // overflowingCounter: bump (0) adds 1 to x in 0...2, stop (1); P1 divides by 2 - x.
  // State: x, pc.
  let model = SymbolicTestModels.overflowingCounter()
  let bump = 0
  let failure = Failure.modelError(message: "value 3 out of range 0...2 of x in action 'bump'")

  @Test func outOfRangeAssignmentWithoutAPostState() throws {
    let states = [[0, 0], [1, 0], [2, 0]]
    #expect(try validateTrace(model, [bump, bump, bump], states, failure) == .valid)
  }

  @Test func outOfRangeAssignmentRepeatingThePreState() throws {
    let states = [[0, 0], [1, 0], [2, 0], [2, 0]]
    #expect(try validateTrace(model, [bump, bump, bump], states, failure) == .valid)
  }

  @Test func lastActionThatDoesNotFailIsInvalid() throws {
    expectInvalid(
      try validateTrace(model, [bump, bump], [[0, 0], [1, 0]], failure), step: 2,
      containing: "'bump' of bumper hits no model error in state 1")
  }

  @Test func propertyFaultInTheLastState() throws {
    // P1 divides by zero once x == 2.
    let states = [[0, 0], [1, 0], [2, 0]]
    #expect(try validateTrace(model, [bump, bump], states, failure) == .valid)
    expectInvalid(
      try validateTrace(model, [bump], [[0, 0], [1, 0]], failure), step: 1,
      containing: "no property hits a model error in the last state")
  }

  @Test func earlierFailingStepIsCaught() throws {
    // The third bump fails, so no fourth state exists; a trace that goes on is invalid there.
    let states = [[0, 0], [1, 0], [2, 0], [2, 0], [2, 1]]
    expectInvalid(
      try validateTrace(model, [bump, bump, bump, 1], states, .deadlock), step: 3,
      containing: "'bump' of bumper hits a value outside the domain of x in state 2")
  }

  @Test func initialValueOutsideItsDomain() throws {
    var broken = model
    broken.variables[0].initial = 5
    let failure = Failure.modelError(message: "initial value 5 out of range 0...2 of x")
    #expect(try validateTrace(broken, [], [[5, 0]], failure) == .valid)
    expectInvalid(
      try validateTrace(broken, [], [[5, 0]], .property(index: 0)), step: 0,
      containing: "x = 5 is outside its domain 0...2")
    expectInvalid(
      try validateTrace(model, [], [[0, 0]], failure), step: 0,
      containing: "no property hits a model error")
  }

  @Test func guardFaultRepeatingThePreState() throws {
    let guarded = Self.guardFaultModel()
    let failure = Failure.modelError(
      message: "division by zero (1 / 0) in the guard of action 'divide'")
    #expect(try validateTrace(guarded, [0], [[0, 0], [0, 0]], failure) == .valid)
    expectInvalid(
      try validateTrace(guarded, [0], [[0, 0], [0, 1]], failure), step: 1,
      containing: "'divide' of main")
  }

  @Test func faultingPropertyIsNotAViolation() throws {
    expectInvalid(
      try validateTrace(model, [bump, bump], [[0, 0], [1, 0], [2, 0]], .property(index: 0)),
      step: 2, containing: "evaluating property P1 hits a model error")
  }

  @Test func faultingGuardIsNotADeadlock() throws {
    let guarded = Self.guardFaultModel()
    expectInvalid(
      try validateTrace(guarded, [], [[0, 0]], .deadlock), step: 0,
      containing: "a guard hits a model error")
  }

  @Test func modelErrorNeedsAnAction() throws {
    let assertion = IRModel(
      name: "assert", variables: [IRVariable(name: "pc", type: .int(lo: 0, hi: 1), initial: 0)],
      threads: [IRThread(name: "main", pc: VarID(0), pcCount: 2, initialPC: 0, finalPC: 1)],
      actions: [
        SymbolicTestModels.action(
          "check", thread: 0, from: 0,
          [.assert(.false, message: "never"), SymbolicTestModels.setPC(0, 1)])
      ],
      properties: [], checkDeadlock: true)
    let failure = Failure.modelError(message: "assertion failed: never in action 'check'")
    #expect(try validateTrace(assertion, [0], [[0]], failure) == .valid)
    expectInvalid(
      try validateTrace(assertion, [], [[0]], failure), step: 0, containing: "no property")
  }

  /// `divide` (pc 0 → 1) is guarded by `1 / d == 1` with `d == 0`. State: d, pc.
  static func guardFaultModel() -> IRModel {
    IRModel(
      name: "guard fault",
      variables: [
        IRVariable(name: "d", type: .int(lo: 0, hi: 1), initial: 0),
        IRVariable(name: "pc", type: .int(lo: 0, hi: 1), initial: 0),
      ],
      threads: [IRThread(name: "main", pc: VarID(1), pcCount: 2, initialPC: 0, finalPC: 1)],
      actions: [
        SymbolicTestModels.action(
          "divide", thread: 0, from: 0,
          guard: .binary(.eq, .binary(.div, .int(1), SymbolicTestModels.variable(0)), .int(1)),
          [SymbolicTestModels.setPC(1, 1)])
      ],
      properties: [], checkDeadlock: true)
  }
}
