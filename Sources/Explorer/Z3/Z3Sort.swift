internal import CZ3

/// A Z3 sort (`Z3_sort`), reference counted like a term.
package final class Z3Sort: CustomStringConvertible {
  package let context: Z3Context
  let sort: Z3_sort

  /// Takes a reference with `Z3_inc_ref` on `Z3_sort_to_ast`.
  init(context: Z3Context, sort: Z3_sort) {
    self.context = context
    self.sort = sort
    Z3_inc_ref(context.raw, Z3_sort_to_ast(context.raw, sort))
  }

  /// Releases the reference with `Z3_dec_ref`.
  deinit { Z3_dec_ref(context.raw, Z3_sort_to_ast(context.raw, sort)) }

  /// What kind of sort this is.
  package enum Kind: Hashable, Sendable {
    case bool
    case int
    case bitVector(width: Int)
    case other
  }

  /// The kind of the sort.
  ///
  /// Wraps `Z3_get_sort_kind` and `Z3_get_bv_sort_size`.
  package var kind: Kind {
    let kind = Z3_get_sort_kind(context.raw, sort)
    if kind == Z3_BOOL_SORT { return .bool }
    if kind == Z3_INT_SORT { return .int }
    if kind == Z3_BV_SORT { return .bitVector(width: Int(Z3_get_bv_sort_size(context.raw, sort))) }
    return .other
  }

  /// The sort in SMT-LIB syntax.
  ///
  /// Wraps `Z3_sort_to_string`.
  package var description: String {
    Z3_sort_to_string(context.raw, sort).map { String(cString: $0) } ?? "<sort>"
  }
}
