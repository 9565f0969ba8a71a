import HMMModel
import Testing

@testable import Explorer

/// Validates a hand-built trace of `model`.
func validateTrace(
  _ model: IRModel, _ actions: [Int], _ states: [[Int]], _ failure: Failure
) throws -> TraceValidation {
  try TraceValidator(model: model).validate(
    Trace(actions: actions, states: states), failure: failure)
}

/// Expects `.invalid` at `step` with a reason containing `text`.
func expectInvalid(
  _ validation: TraceValidation, step: Int, containing text: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard case .invalid(let actualStep, let reason) = validation else {
    Issue.record(
      "expected invalid at step \(step), got \(validation)", sourceLocation: sourceLocation)
    return
  }
  #expect(actualStep == step, "\(reason)", sourceLocation: sourceLocation)
  #expect(reason.contains(text), "\(reason)", sourceLocation: sourceLocation)
}

@Suite("Trace validation: counter")
struct SymbolicTraceValidatorTests {
  let model = SymbolicTestModels.counter()
  let inc = 0, done = 1
  let run = [[0, 0], [1, 0], [2, 0], [3, 0]]

  @Test func correctTraceIsValid() throws {
    #expect(try validateTrace(model, [inc, inc, inc], run, .property(index: 0)) == .valid)
  }

  @Test func tamperedValueIsCaughtAtItsStep() throws {
    var states = run
    states[2][0] = 0
    expectInvalid(
      try validateTrace(model, [inc, inc, inc], states, .property(index: 0)), step: 2,
      containing: "x is 0 in the trace, but 'inc' of counter makes it 2")
  }

  @Test func tamperedInitialState() throws {
    var states = run
    states[0][0] = 1
    expectInvalid(
      try validateTrace(model, [inc, inc, inc], states, .property(index: 0)), step: 0,
      containing: "its initial value is 0")
  }

  @Test func disabledActionIsCaught() throws {
    let states = [[0, 0], [1, 0], [1, 1], [2, 1]]
    expectInvalid(
      try validateTrace(model, [inc, done, inc], states, .property(index: 0)), step: 2,
      containing: "'done' of counter is not enabled in state 1: its guard is false")
  }

  @Test func actionFromTheWrongPC() throws {
    let states = [[0, 0], [1, 0], [2, 0], [3, 0], [3, 1], [3, 1]]
    expectInvalid(
      try validateTrace(model, [inc, inc, inc, done, inc], states, .property(index: 0)), step: 5,
      containing: "'inc' of counter is not enabled in state 4: counter is at end, the action "
        + "starts at loop")
  }

  @Test func lastStateMustViolateTheProperty() throws {
    expectInvalid(
      try validateTrace(model, [inc, inc], Array(run[0...2]), .property(index: 0)), step: 2,
      containing: "property P1 (x stays below 3) holds in the last state")
  }

  @Test func shapeErrors() throws {
    expectInvalid(
      try validateTrace(model, [inc, inc, inc], Array(run[0...2]), .property(index: 0)), step: 3,
      containing: "the trace has no state 3")
    expectInvalid(
      try validateTrace(model, [inc, inc], run, .property(index: 0)), step: 3,
      containing: "follows no action")
    expectInvalid(
      try validateTrace(model, [inc, 7, inc], run, .property(index: 0)), step: 2,
      containing: "action #7 does not exist")
    expectInvalid(
      try validateTrace(model, [inc], [[0, 0], [1]], .property(index: 0)), step: 1,
      containing: "state 1 has 1 values")
    expectInvalid(
      try validateTrace(model, [inc], [[0, 0], [9, 0]], .property(index: 0)), step: 1,
      containing: "x = 9 is outside its domain 0...3")
    expectInvalid(
      try validateTrace(model, [inc, inc, inc], run, .property(index: 4)), step: 3,
      containing: "no property #4")
  }

  @Test func validatorIsDeterministic() throws {
    var states = run
    states[3][0] = 2
    let first = try validateTrace(model, [inc, inc, inc], states, .property(index: 0))
    let second = try validateTrace(model, [inc, inc, inc], states, .property(index: 0))
    #expect(first == second)
    expectInvalid(first, step: 3, containing: "x is 2 in the trace")
  }
}
