internal import CZ3

/// Linear (and, for `mul`, non-linear) integer arithmetic over Z3's mathematical integers.
extension Z3Context {
  private typealias Binary = (Z3_context?, Z3_ast?, Z3_ast?) -> Z3_ast?

  private func binary(_ a: Z3Term, _ b: Z3Term, _ make: Binary) throws(Z3Error) -> Z3Term {
    try term([a, b]) { context, _, args in make(context, args?[0], args?[1]) }
  }

  /// `a + b`.
  ///
  /// Wraps `Z3_mk_add`.
  package func intAdd(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try term([a, b]) { Z3_mk_add($0, $1, $2) }
  }

  /// `a - b`.
  ///
  /// Wraps `Z3_mk_sub`.
  package func intSub(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try term([a, b]) { Z3_mk_sub($0, $1, $2) }
  }

  /// `a · b`.
  ///
  /// Wraps `Z3_mk_mul`.
  package func intMul(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try term([a, b]) { Z3_mk_mul($0, $1, $2) }
  }

  /// `-a`.
  ///
  /// Wraps `Z3_mk_unary_minus`.
  package func intNeg(_ a: Z3Term) throws(Z3Error) -> Z3Term {
    try term([a]) { context, _, args in Z3_mk_unary_minus(context, args?[0]) }
  }

  /// Euclidean division: the `q` with `a = b·q + r`, `0 ≤ r < |b|` (unspecified for `b = 0`).
  ///
  /// Wraps `Z3_mk_div`.
  package func intEuclideanDiv(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_div)
  }

  /// Euclidean remainder: `0 ≤ a mod b < |b|` (unspecified for `b = 0`).
  ///
  /// Wraps `Z3_mk_mod`.
  package func intEuclideanMod(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_mod)
  }

  /// `a < b`.
  ///
  /// Wraps `Z3_mk_lt`.
  package func intLess(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_lt)
  }

  /// `a ≤ b`.
  ///
  /// Wraps `Z3_mk_le`.
  package func intLessOrEqual(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_le)
  }

  /// `a > b`.
  ///
  /// Wraps `Z3_mk_gt`.
  package func intGreater(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_gt)
  }

  /// `a ≥ b`.
  ///
  /// Wraps `Z3_mk_ge`.
  package func intGreaterOrEqual(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_ge)
  }
}
