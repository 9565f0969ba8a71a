package import Explorer
package import HMMModel

/// How one scenario's outcome compares with its expectation.
package enum ScenarioStatus: Sendable, Equatable {
  /// The verdict is what the scenario expects.
  case met
  /// A property (or `assert`) was violated although the scenario expects something else.
  case unexpectedViolation
  /// A deadlock was found although the scenario expects something else.
  case unexpectedDeadlock
  /// The scenario expects a violation or a deadlock, and the search proved there is none.
  case expectedFailureNotFound
  /// A limit was reached first.
  case inconclusive
  /// hmm-check itself failed (a counterexample that Z3 rejects, a Z3 error).
  case internalError(String)
}

/// The result of checking one scenario.
package struct ScenarioResult: Sendable {
  package var specPath: String
  package var scenario: LoweredScenario
  package var outcome: Outcome
  package var status: ScenarioStatus
  /// Set when the counterexample was validated with Z3.
  package var z3Validated: Bool
  /// Maximum resident set size of the process after the run, in bytes.
  package var maxRSSBytes: Int

  /// The name of the violated property (`assert` for a model error), or `deadlock`.
  package var failureName: String? {
    guard case .failed(let failure) = outcome.verdict else { return nil }
    switch failure {
    case .property(let index): return scenario.model.properties[index].name
    case .deadlock: return "deadlock"
    case .modelError(let message): return assertionProperty(message)
    }
  }
}

/// hmm-check's exit codes (TLC-compatible).
package enum CheckExit: Int32, Sendable, Comparable {
  case success = 0
  case unexpectedDeadlock = 11
  case unexpectedViolation = 12
  case expectedViolationNotFound = 14
  case specError = 150
  case limitReached = 153
  case internalError = 255
  /// Stopped by Ctrl-C (SIGINT), like a shell's 128 + 2.
  case interrupted = 130

  /// The more severe status wins when several scenarios are checked.
  private var severity: Int {
    switch self {
    case .success: 0
    case .limitReached: 1
    case .expectedViolationNotFound: 2
    case .unexpectedDeadlock: 3
    case .unexpectedViolation: 4
    case .specError: 5
    case .internalError: 6
    case .interrupted: 7
    }
  }
  package static func < (a: CheckExit, b: CheckExit) -> Bool { a.severity < b.severity }

  package init(_ status: ScenarioStatus) {
    switch status {
    case .met: self = .success
    case .unexpectedViolation: self = .unexpectedViolation
    case .unexpectedDeadlock: self = .unexpectedDeadlock
    case .expectedFailureNotFound: self = .expectedViolationNotFound
    case .inconclusive: self = .limitReached
    case .internalError: self = .internalError
    }
  }
}
