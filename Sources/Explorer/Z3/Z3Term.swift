internal import CZ3

/// A Z3 term (`Z3_ast`), kept alive by Z3's reference count for as long as this object lives.
package final class Z3Term: CustomStringConvertible {
  /// The context the term belongs to; held strongly so it outlives the term.
  package let context: Z3Context
  let ast: Z3_ast

  /// Takes a reference to `ast` with `Z3_inc_ref`.
  init(context: Z3Context, ast: Z3_ast) {
    self.context = context
    self.ast = ast
    Z3_inc_ref(context.raw, ast)
  }

  /// Releases the reference with `Z3_dec_ref`.
  deinit { Z3_dec_ref(context.raw, ast) }

  /// Whether both terms are the same Z3 term (terms are hash-consed, so structurally equal
  /// terms built in one context are identical).
  ///
  /// Wraps `Z3_is_eq_ast`.
  package func isIdentical(to other: Z3Term) -> Bool {
    context === other.context && Z3_is_eq_ast(context.raw, ast, other.ast)
  }

  /// The term in SMT-LIB syntax.
  ///
  /// Wraps `Z3_ast_to_string`.
  package var description: String {
    Z3_ast_to_string(context.raw, ast).map { String(cString: $0) } ?? "<term>"
  }

  /// The sort of the term.
  ///
  /// Wraps `Z3_get_sort`.
  package var sort: Z3Sort {
    // A term always has a sort; `Z3_get_sort` fails only on a null term.
    Z3Sort(context: context, sort: Z3_get_sort(context.raw, ast))
  }
}

extension Z3Term {
  /// The value of an integer numeral (not a bit-vector), or nil for any other term.
  ///
  /// Wraps `Z3_is_numeral_ast`, `Z3_get_sort_kind` and `Z3_get_numeral_int64`.
  package var integerNumeral: Int? {
    let c = context.raw
    guard Z3_is_numeral_ast(c, ast), Z3_get_sort_kind(c, Z3_get_sort(c, ast)) == Z3_INT_SORT
    else { return nil }
    var value: Int64 = 0
    guard Z3_get_numeral_int64(c, ast, &value) else { return nil }
    return Int(value)
  }
}

extension Z3Term {
  /// The top-level conjuncts of a Boolean term (the term itself when it is no `and`; none for
  /// `true`).
  ///
  /// Wraps `Z3_is_app`, `Z3_to_app`, `Z3_get_app_decl`, `Z3_get_decl_kind`,
  /// `Z3_get_app_num_args` and `Z3_get_app_arg`.
  package var conjuncts: [Z3Term] {
    let c = context.raw
    guard Z3_is_app(c, ast), let app = Z3_to_app(c, ast) else { return [self] }
    let kind = Z3_get_decl_kind(c, Z3_get_app_decl(c, app))
    if kind == Z3_OP_TRUE { return [] }
    guard kind == Z3_OP_AND else { return [self] }
    return (0..<Z3_get_app_num_args(c, app)).compactMap { index in
      Z3_get_app_arg(c, app, index).map { Z3Term(context: context, ast: $0) }
    }
  }
}
