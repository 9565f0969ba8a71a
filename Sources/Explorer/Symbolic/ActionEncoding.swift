/// One action fired symbolically from step `k`: when it may fire, what it computes and how
/// it can fail. Every term is over the step-`k` constants only.
package struct ActionEncoding {
  /// Index in `IRModel.actions`.
  package var action: Int
  /// The step the action fires from.
  package var step: Int
  /// The thread's pc equals `fromPC` and the guard holds.
  package var enabled: Z3Term
  /// The value of every variable after the effects, indexed by `VarID.index`, in the
  /// variable's sort (meaningful when the action is enabled and hits no model error).
  package var next: [Z3Term]
  /// Every way the action can hit a model error: in the guard once the pc matches, and in the
  /// effects once the action is enabled.
  package var errors: [ModelErrorCondition]
  /// The disjunction of `errors`' conditions.
  package var hitsModelError: Z3Term
}
