/// The answer of `Z3Solver.check`.
package enum Z3Result: Equatable, Sendable {
  case sat
  case unsat
  /// Z3 gave up; `reason` is `Z3_solver_get_reason_unknown` (`timeout`, `canceled`, ...).
  case unknown(reason: String)
}
