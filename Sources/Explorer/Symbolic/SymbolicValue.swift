/// The value of an IR expression as a Z3 term.
///
/// The IR treats booleans as the integers 0 and 1; the encoding keeps them as Z3 Booleans and
/// converts only where an expression mixes the two kinds.
package enum SymbolicValue {
  /// A Boolean-sorted term.
  case bool(Z3Term)
  /// A bit-vector term, read as a signed two's complement integer.
  case int(Z3Term)

  /// The underlying term, whatever its kind.
  package var term: Z3Term {
    switch self {
    case .bool(let term), .int(let term): term
    }
  }

  package var isBool: Bool {
    if case .bool = self { true } else { false }
  }
}
