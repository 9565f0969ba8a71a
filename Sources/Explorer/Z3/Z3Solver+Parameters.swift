internal import CZ3

extension Z3Solver {
  /// Sets the solver's `timeout` (milliseconds, when given) and `random_seed` together.
  ///
  /// Z3 keeps one parameter set per solver, so both are set in one call.
  ///
  /// Wraps `Z3_mk_params`, `Z3_params_set_uint` and `Z3_solver_set_params`.
  package func configure(timeoutMilliseconds: Int?, randomSeed: UInt32) throws(Z3Error) {
    let params = Z3_mk_params(context.raw)
    try context.checkError()
    Z3_params_inc_ref(context.raw, params)
    defer { Z3_params_dec_ref(context.raw, params) }
    if let timeoutMilliseconds {
      let key = Z3_mk_string_symbol(context.raw, "timeout")
      Z3_params_set_uint(context.raw, params, key, UInt32(clamping: max(timeoutMilliseconds, 0)))
    }
    let seed = Z3_mk_string_symbol(context.raw, "random_seed")
    Z3_params_set_uint(context.raw, params, seed, randomSeed)
    try context.checkError()
    Z3_solver_set_params(context.raw, raw, params)
    try context.checkError()
  }

  /// The solver's peak memory in MiB as Z3 reports it (`max memory`, else `memory`), or 0.
  package func peakMemoryMiB() -> Double {
    guard let stats = try? statistics() else { return 0 }
    return stats.first { $0.key == "max memory" }?.value
      ?? stats.first { $0.key == "memory" }?.value ?? 0
  }
}
