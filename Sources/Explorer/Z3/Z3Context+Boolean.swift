internal import CZ3

extension Z3Context {
  /// `¬a`.
  ///
  /// Wraps `Z3_mk_not`.
  package func not(_ a: Z3Term) throws(Z3Error) -> Z3Term {
    try term([a]) { context, _, args in Z3_mk_not(context, args?[0]) }
  }

  /// The conjunction of `operands` (`true` when empty).
  ///
  /// Wraps `Z3_mk_and`.
  package func and(_ operands: [Z3Term]) throws(Z3Error) -> Z3Term {
    try term(operands) { Z3_mk_and($0, $1, $2) }
  }

  /// The disjunction of `operands` (`false` when empty).
  ///
  /// Wraps `Z3_mk_or`.
  package func or(_ operands: [Z3Term]) throws(Z3Error) -> Z3Term {
    try term(operands) { Z3_mk_or($0, $1, $2) }
  }

  /// `a ⇒ b`.
  ///
  /// Wraps `Z3_mk_implies`.
  package func implies(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try term([a, b]) { context, _, args in Z3_mk_implies(context, args?[0], args?[1]) }
  }

  /// `condition ? then : otherwise`; both branches must have the same sort.
  ///
  /// Wraps `Z3_mk_ite`.
  package func ite(_ condition: Z3Term, _ then: Z3Term, _ otherwise: Z3Term) throws(Z3Error)
    -> Z3Term
  {
    try term([condition, then, otherwise]) { context, _, args in
      Z3_mk_ite(context, args?[0], args?[1], args?[2])
    }
  }

  /// `a = b`; both must have the same sort.
  ///
  /// Wraps `Z3_mk_eq`.
  package func eq(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term {
    try term([a, b]) { context, _, args in Z3_mk_eq(context, args?[0], args?[1]) }
  }

  /// Whether all `operands` are pairwise different.
  ///
  /// Wraps `Z3_mk_distinct`.
  package func distinct(_ operands: [Z3Term]) throws(Z3Error) -> Z3Term {
    try term(operands) { Z3_mk_distinct($0, $1, $2) }
  }
}

extension Z3Context {
  /// `a` rewritten by Z3's simplifier into an equivalent term; a term without constants (a
  /// ground term) becomes its value, `true`, `false` or a numeral.
  ///
  /// Wraps `Z3_simplify`.
  package func simplify(_ a: Z3Term) throws(Z3Error) -> Z3Term {
    try term([a]) { context, _, args in Z3_simplify(context, args?[0]) }
  }

  /// Whether Z3's simplifier rewrites the Boolean term `a` to `true`, which makes `a` valid.
  /// False when it leaves anything else, which does not mean `a` is not valid.
  ///
  /// Wraps `Z3_simplify` and `Z3_get_bool_value`.
  package func simplifiesToTrue(_ a: Z3Term) throws(Z3Error) -> Bool {
    let simplified = try simplify(a)
    return Z3_get_bool_value(raw, simplified.ast) == Z3_L_TRUE
  }
}
