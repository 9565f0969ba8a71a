/// The Z3 constants that stand for every IR variable at one step of a run.
package struct SymbolicFrame {
  /// The step `k` (0 is the initial state).
  package let step: Int
  /// One constant per variable, indexed by `VarID.index`: Bool-sorted for `IRType.bool`, a
  /// signed bit-vector for `IRType.int`. Named `name@k`.
  package let variables: [Z3Term]
  /// The same constants as values, the environment an expression at step `k` reads.
  package let values: [SymbolicValue]
}
