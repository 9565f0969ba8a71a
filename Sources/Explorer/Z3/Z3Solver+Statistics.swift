internal import CZ3

extension Z3Solver {
  /// One statistic of the solver, such as `conflicts` or `time`.
  package struct Statistic: Equatable, Sendable {
    package var key: String
    package var value: Double
  }

  /// The statistics of the last `check`, in Z3's order.
  ///
  /// Wraps `Z3_solver_get_statistics` and the `Z3_stats_*` accessors.
  package func statistics() throws(Z3Error) -> [Statistic] {
    let stats = Z3_solver_get_statistics(context.raw, raw)
    try context.checkError()
    Z3_stats_inc_ref(context.raw, stats)
    defer { Z3_stats_dec_ref(context.raw, stats) }
    let count = Z3_stats_size(context.raw, stats)
    return (0..<count).map { index in
      let key = Z3_stats_get_key(context.raw, stats, index).map { String(cString: $0) } ?? ""
      let value =
        Z3_stats_is_uint(context.raw, stats, index)
        ? Double(Z3_stats_get_uint_value(context.raw, stats, index))
        : Z3_stats_get_double_value(context.raw, stats, index)
      return Statistic(key: key, value: value)
    }
  }
}
