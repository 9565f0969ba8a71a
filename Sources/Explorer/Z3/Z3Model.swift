internal import CZ3

/// A satisfying assignment found by a `Z3Solver` (`Z3_model`).
package final class Z3Model: CustomStringConvertible {
  package let context: Z3Context
  let raw: Z3_model

  /// Takes a reference with `Z3_model_inc_ref`.
  init(context: Z3Context, raw: Z3_model) {
    self.context = context
    self.raw = raw
    Z3_model_inc_ref(context.raw, raw)
  }

  /// Releases the model with `Z3_model_dec_ref`.
  deinit { Z3_model_dec_ref(context.raw, raw) }

  /// The value of `term` in the model, completing the model for constants it leaves open.
  ///
  /// Wraps `Z3_model_eval` (with model completion).
  package func eval(_ term: Z3Term) throws(Z3Error) -> Z3Term {
    var result: Z3_ast?
    let ok = withExtendedLifetime(term) { Z3_model_eval(context.raw, raw, term.ast, true, &result) }
    try context.checkError()
    guard ok, let result else {
      throw Z3Error(code: .invalidArgument, message: "cannot evaluate \(term) in the model")
    }
    return Z3Term(context: context, ast: result)
  }

  /// The value of a Boolean term, or nil when the model does not fix it.
  ///
  /// Wraps `Z3_model_eval` and `Z3_get_bool_value`.
  package func evalBool(_ term: Z3Term) throws(Z3Error) -> Bool? {
    let value = try eval(term)
    let answer = Z3_get_bool_value(context.raw, value.ast)
    try context.checkError()
    if answer == Z3_L_TRUE { return true }
    if answer == Z3_L_FALSE { return false }
    return nil
  }

  /// The value of an integer or bit-vector term (bit-vectors read as signed two's
  /// complement), or nil when it is not a numeral or does not fit in `Int`.
  ///
  /// Wraps `Z3_model_eval`, `Z3_get_numeral_int64` and `Z3_get_numeral_uint64`.
  package func evalInt(_ term: Z3Term) throws(Z3Error) -> Int? {
    let value = try eval(term)
    guard Z3_is_numeral_ast(context.raw, value.ast) else { return nil }
    if case .bitVector(let width) = value.sort.kind {
      var bits: UInt64 = 0
      guard Z3_get_numeral_uint64(context.raw, value.ast, &bits), width <= 64 else { return nil }
      if width < 64 && bits >> (width - 1) & 1 == 1 { bits |= ~0 << width }
      return Int(truncatingIfNeeded: bits)
    }
    var number: Int64 = 0
    guard Z3_get_numeral_int64(context.raw, value.ast, &number) else { return nil }
    return Int(number)
  }

  /// The model in Z3's text form.
  ///
  /// Wraps `Z3_model_to_string`.
  package var description: String {
    Z3_model_to_string(context.raw, raw).map { String(cString: $0) } ?? "<model>"
  }
}
