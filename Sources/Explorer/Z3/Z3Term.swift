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
