/// The verdict of `TraceValidator` on a counterexample.
///
/// Steps are numbered like the states: step 0 is the initial state `trace.states[0]`; step
/// `i ≥ 1` is firing `trace.actions[i-1]` from `trace.states[i-1]` and the state
/// `trace.states[i]` it reaches. The failure is checked at the last step,
/// `trace.actions.count`.
package enum TraceValidation: Equatable, Sendable {
  /// The trace is a run of the model and ends in the claimed failure.
  case valid
  /// `step` is the first step that does not fit; `reason` says why, for people.
  case invalid(step: Int, reason: String)
}

extension TraceValidation: CustomStringConvertible {
  /// One line for people (and for the CLI's internal-error report).
  package var description: String {
    switch self {
    case .valid: "the counterexample is a run of the model"
    case .invalid(let step, let reason):
      "the counterexample does not fit the model at step \(step): \(reason)"
    }
  }
}
