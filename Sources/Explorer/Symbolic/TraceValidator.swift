package import HMMModel

/// Checks a counterexample against the model with Z3, independently of the engine that
/// found it.
///
/// The check is symbolic, not a replay: Z3 computes every successor from the transition
/// relation of `SymbolicEncoder`, and each of the trace's states must equal what Z3 computed.
/// A disagreement between an engine's interpreter and the SMT semantics therefore shows up as
/// an invalid trace.
package struct TraceValidator: Sendable {
  package let model: IRModel
  /// Width of the bit-vectors that encode integers.
  package var bitWidth: Int
  /// A limit for each Z3 check, nil for none; reaching it throws `SymbolicError`.
  package var timeoutMilliseconds: Int?

  package init(model: IRModel, bitWidth: Int = 32, timeoutMilliseconds: Int? = nil) {
    self.model = model
    self.bitWidth = bitWidth
    self.timeoutMilliseconds = timeoutMilliseconds
  }

  /// Checks with Z3 that `trace` is a run of `model` (initial state, every action enabled at
  /// its step and free of model errors, every next state equal to what the action computes)
  /// and that `failure` holds at its end.
  ///
  /// - `.property(p)`: property `p` is false in the last state (and evaluating it there hits
  ///   no model error).
  /// - `.deadlock`: no action is enabled in the last state, some thread is unfinished, and no
  ///   guard of an action at its pc hits a model error there.
  /// - `.modelError`: a model error is hit at the end, in the forms the explicit engine
  ///   reports: the last action fails (in its guard or its effects) from the second-to-last
  ///   state, and the trace repeats that state after it (a trace with no state after it is
  ///   accepted too); or every action fires normally and evaluating a property faults in the
  ///   last state; or the trace is the initial state alone and an initial value is outside its
  ///   domain. The message is not compared.
  ///
  /// - Returns: `.valid`, or `.invalid` naming the first step that does not fit (see
  ///   `TraceValidation` for the numbering).
  /// - Complexity: for a valid trace, one pass of Z3's simplifier over the whole run with
  ///   every state replaced by its numerals (linear in steps × variables to build), and no
  ///   solver check unless the simplifier leaves a term open; for an invalid one, a check over
  ///   the whole run and a few more per step up to the first mismatch.
  /// - Parameter context: a fresh context to use (default: a new one).
  /// - Throws: `SymbolicError` when the model cannot be encoded or Z3 gives up; `Z3Error`.
  package func validate(
    _ trace: Trace, failure: Failure, in context: Z3Context = Z3Context()
  ) throws -> TraceValidation {
    let encoder = try SymbolicEncoder(model: model, context: context, bitWidth: bitWidth)
    let run = TraceRunCheck(
      trace: trace, encoder: encoder, timeoutMilliseconds: timeoutMilliseconds)
    do {
      try run.check(failure)
      return .valid
    } catch let mismatch as TraceMismatch {
      return .invalid(step: mismatch.step, reason: mismatch.reason)
    }
  }
}
