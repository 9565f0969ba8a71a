package import HMMModel

/// A way an action can hit a model error, and the condition (over the step-`k` variables)
/// under which it does.
package struct ModelErrorCondition {
  package enum Kind: Equatable, Sendable, CustomStringConvertible {
    /// An `assert` statement whose condition is false.
    case assertion(message: String)
    /// An assignment of a value outside the domain of `variable`.
    case outOfDomain(variable: VarID)
    /// An array read or write with an index outside the array.
    case indexOutOfRange
    /// A `div` or `mod` by zero.
    case divisionByZero

    package var description: String {
      switch self {
      case .assertion(let message): "assertion failed: \(message)"
      case .outOfDomain(let variable): "value out of the domain of \(variable)"
      case .indexOutOfRange: "array index out of range"
      case .divisionByZero: "division by zero"
      }
    }
  }

  package var kind: Kind
  /// True exactly when the statement or expression is reached and fails, assuming no earlier
  /// statement of the action failed.
  package var condition: Z3Term
}
