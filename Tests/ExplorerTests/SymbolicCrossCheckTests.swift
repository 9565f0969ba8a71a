import HMMModel
import Testing

@testable import Explorer

/// The two engines must agree: every counterexample the explicit engine prints is a run of
/// the model under the SMT semantics, and a tampered copy is not.
@Suite("Symbolic validation of explicit-engine counterexamples")
struct SymbolicCrossCheckTests {
  static let handBuilt: [(IRModel, String)] = [
    (SymbolicTestModels.counter(), "property"),
    (SymbolicTestModels.brokenLock(), "property"),
    (SymbolicTestModels.opposingLocks(), "deadlock"),
    (SymbolicTestModels.overflowingCounter(), "modelError"),
    (SymbolicTraceValidatorModelErrorTests.guardFaultModel(), "modelError"),
  ]

  static func kind(_ failure: Failure) -> String {
    switch failure {
    case .property: "property"
    case .deadlock: "deadlock"
    case .modelError: "modelError"
    }
  }

  /// A copy of `trace` with one value of its last state changed within its domain.
  static func tampered(_ trace: Trace, _ model: IRModel, variable: Int) -> Trace {
    var copy = trace
    let last = copy.states.count - 1
    let type = model.variables[variable].type
    let value = copy.states[last][variable]
    copy.states[last][variable] = value == type.upperBound ? type.lowerBound : value + 1
    return copy
  }

  @Test(arguments: handBuilt)
  func handBuiltCounterexamplesValidate(_ model: IRModel, _ expectedKind: String) throws {
    let outcome = ExplicitExplorer(model: model).run()
    guard case .failed(let failure) = outcome.verdict else {
      Issue.record("\(model.name): expected a failure, got \(outcome.verdict)")
      return
    }
    let trace = try #require(outcome.trace)
    #expect(Self.kind(failure) == expectedKind)
    let validator = TraceValidator(model: model)
    #expect(try validator.validate(trace, failure: failure) == .valid)
    for variable in model.variables.indices {
      let tampered = Self.tampered(trace, model, variable: variable)
      #expect(try validator.validate(tampered, failure: failure) != .valid, "\(variable)")
    }
  }

  @Test func randomModelCounterexamplesValidate() throws {
    var generator = ExplicitRandomModels(seed: 7)
    var validated: [String: Int] = [:]
    for index in 0..<150 {
      let model = generator.model(index)
      let outcome = ExplicitExplorer(model: model).run()
      guard case .failed(let failure) = outcome.verdict, let trace = outcome.trace else {
        continue
      }
      let validator = TraceValidator(model: model)
      let validation = try validator.validate(trace, failure: failure)
      #expect(validation == .valid, "model \(index): \(failure), \(trace)")
      let tampered = Self.tampered(trace, model, variable: index % model.variables.count)
      #expect(try validator.validate(tampered, failure: failure) != .valid, "model \(index)")
      validated[Self.kind(failure), default: 0] += 1
    }
    // Non-vacuity: every kind of counterexample was validated.
    for kind in ["property", "deadlock", "modelError"] {
      #expect(validated[kind, default: 0] >= 10, "\(kind): \(validated)")
    }
  }
}
