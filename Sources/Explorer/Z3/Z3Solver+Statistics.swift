internal import CZ3

extension Z3Solver {
  /// One statistic of a solver or fixedpoint engine, such as `conflicts` or `time`.
  package struct Statistic: Equatable, Sendable {
    package var key: String
    package var value: Double
  }

  /// The statistics of the last `check`, in Z3's order.
  ///
  /// Wraps `Z3_solver_get_statistics`.
  package func statistics() throws(Z3Error) -> [Statistic] {
    let stats = Z3_solver_get_statistics(context.raw, raw)
    try context.checkError()
    return context.read(stats)
  }
}

extension Z3Context {
  /// The entries of a statistics object, in Z3's order.
  ///
  /// Wraps `Z3_stats_inc_ref`, `Z3_stats_size`, the `Z3_stats_get_*` accessors and
  /// `Z3_stats_dec_ref`.
  func read(_ stats: Z3_stats?) -> [Z3Solver.Statistic] {
    guard let stats else { return [] }
    Z3_stats_inc_ref(raw, stats)
    defer { Z3_stats_dec_ref(raw, stats) }
    let count = Z3_stats_size(raw, stats)
    return (0..<count).map { index in
      let key = Z3_stats_get_key(raw, stats, index).map { String(cString: $0) } ?? ""
      let value =
        Z3_stats_is_uint(raw, stats, index)
        ? Double(Z3_stats_get_uint_value(raw, stats, index))
        : Z3_stats_get_double_value(raw, stats, index)
      return Z3Solver.Statistic(key: key, value: value)
    }
  }
}
