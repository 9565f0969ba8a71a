/// Why the symbolic engine could not encode a model or answer a question about it.
package struct SymbolicError: Error, Equatable, Sendable, CustomStringConvertible {
  enum Kind: Equatable, Sendable {
    case unrepresentable(value: Int, bitWidth: Int)
    case malformed(String)
    case inconsistent(String)
    case solverUnknown(reason: String)
  }

  let kind: Kind

  /// A constant or a domain bound does not fit in the encoding's signed bit-vectors.
  static func unrepresentable(_ value: Int, bitWidth: Int) -> SymbolicError {
    SymbolicError(kind: .unrepresentable(value: value, bitWidth: bitWidth))
  }

  /// The model or the trace refers to something that does not exist.
  static func malformed(_ message: String) -> SymbolicError {
    SymbolicError(kind: .malformed(message))
  }

  /// Two checks of the same claims disagreed: a bug in the symbolic engine.
  static func inconsistent(_ message: String) -> SymbolicError {
    SymbolicError(kind: .inconsistent(message))
  }

  /// Z3 answered `unknown` (a timeout, or a resource limit).
  static func solverUnknown(_ reason: String) -> SymbolicError {
    SymbolicError(kind: .solverUnknown(reason: reason))
  }

  package var description: String {
    switch kind {
    case .unrepresentable(let value, let bitWidth):
      "the value \(value) does not fit in a \(bitWidth)-bit signed bit-vector"
    case .malformed(let message): "malformed model: \(message)"
    case .inconsistent(let message): "internal inconsistency: \(message)"
    case .solverUnknown(let reason): "Z3 could not decide (\(reason))"
    }
  }
}
