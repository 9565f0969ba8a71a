import Explorer
package import HMMModel

/// Short, stable words for verdicts and statuses, shared by the machine-readable reports.
extension ScenarioResult {
  /// `holds`, `violates`, `deadlock`, `model-error`, `inconclusive` (or another engine's
  /// verdict word).
  package var verdictWord: String {
    if case .failed(let failure) = outcome.verdict {
      switch failure {
      case .deadlock: return "deadlock"
      case .property: return "violates"
      case .modelError: return failureName == "assert" ? "model-error" : "violates"
      }
    }
    if case .holds = outcome.verdict { return "holds" }
    if case .inconclusive = outcome.verdict { return "inconclusive" }
    return "holds-up-to-bound"
  }

  /// `met`, `unexpected-violation`, ...
  package var statusWord: String {
    switch status {
    case .met: "met"
    case .unexpectedViolation: "unexpected-violation"
    case .unexpectedDeadlock: "unexpected-deadlock"
    case .expectedFailureNotFound: "expected-failure-not-found"
    case .inconclusive: "inconclusive"
    case .internalError: "internal-error"
    }
  }

  /// The expectation as written in the spec: `holds`, `deadlock`, `violates P1`.
  package var expectationText: String {
    switch scenario.expectation {
    case .holds: "holds"
    case .deadlock: "deadlock"
    case .violates(let p): "violates \(p)"
    }
  }

  /// The failure with its one-line summary: `P1 (no device PTE maps a freed frame)`.
  package var failureSummary: String? {
    guard case .failed(let failure) = outcome.verdict, let name = failureName else { return nil }
    switch failure {
    case .property(let i): return "\(name) (\(scenario.model.properties[i].summary))"
    case .deadlock: return "deadlock (no thread can move and some thread has not finished)"
    case .modelError(let message): return "\(name) (\(message))"
    }
  }

  /// The spec line of the step a failure is attributed to: the stale commit when the
  /// diagnosis finds one, else the last step with a spec line, else the scenario.
  package func failureAnchor(_ steps: TraceSteps?) -> SourceAnchor {
    if let steps {
      if case .failed(.property(let i)) = outcome.verdict,
        let k = TraceDiagnosis(steps, property: scenario.model.properties[i].name).staleStep,
        let anchor = steps.steps[k].specAnchor
      {
        return anchor
      }
      if let anchor = steps.steps.last(where: { $0.specAnchor != nil })?.specAnchor {
        return anchor
      }
    }
    return scenario.anchor
  }
}
