internal import CZ3

extension Z3Context {
  private typealias Binary = (Z3_context?, Z3_ast?, Z3_ast?) -> Z3_ast?

  private func binary(_ a: Z3Term, _ b: Z3Term, _ make: Binary) throws(Z3Error) -> Z3Term {
    try term([a, b]) { context, _, args in make(context, args?[0], args?[1]) }
  }

  /// `a + b` modulo 2^width.
  ///
  /// Wraps `Z3_mk_bvadd`.
  package func bvAdd(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_bvadd)
  }

  /// `a - b` modulo 2^width.
  ///
  /// Wraps `Z3_mk_bvsub`.
  package func bvSub(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_bvsub)
  }

  /// `a * b` modulo 2^width.
  ///
  /// Wraps `Z3_mk_bvmul`.
  package func bvMul(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_bvmul)
  }

  /// Signed division truncated toward zero (unspecified when `b` is zero).
  ///
  /// Wraps `Z3_mk_bvsdiv`.
  package func bvSignedDiv(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_bvsdiv)
  }

  /// Signed remainder with the sign of `a`, as Swift's `%` (unspecified when `b` is zero).
  ///
  /// Wraps `Z3_mk_bvsrem`.
  package func bvSignedRem(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_bvsrem)
  }

  /// Bitwise `a & b`.
  ///
  /// Wraps `Z3_mk_bvand`.
  package func bvAnd(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_bvand)
  }

  /// Bitwise `a | b`.
  ///
  /// Wraps `Z3_mk_bvor`.
  package func bvOr(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_bvor)
  }

  /// Bitwise `a ^ b`.
  ///
  /// Wraps `Z3_mk_bvxor`.
  package func bvXor(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_bvxor)
  }

  /// Two's complement negation `-a`.
  ///
  /// Wraps `Z3_mk_bvneg`.
  package func bvNeg(_ a: Z3Term) throws(Z3Error) -> Z3Term {
    try term([a]) { context, _, args in Z3_mk_bvneg(context, args?[0]) }
  }

  /// Bitwise complement `~a`.
  ///
  /// Wraps `Z3_mk_bvnot`.
  package func bvNot(_ a: Z3Term) throws(Z3Error) -> Z3Term {
    try term([a]) { context, _, args in Z3_mk_bvnot(context, args?[0]) }
  }

  /// Signed `a < b`.
  ///
  /// Wraps `Z3_mk_bvslt`.
  package func bvSignedLess(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_bvslt)
  }

  /// Signed `a ≤ b`.
  ///
  /// Wraps `Z3_mk_bvsle`.
  package func bvSignedLessOrEqual(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_bvsle)
  }

  /// Signed `a > b`.
  ///
  /// Wraps `Z3_mk_bvsgt`.
  package func bvSignedGreater(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_bvsgt)
  }

  /// Signed `a ≥ b`.
  ///
  /// Wraps `Z3_mk_bvsge`.
  package func bvSignedGreaterOrEqual(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try binary(a, b, Z3_mk_bvsge)
  }
}
