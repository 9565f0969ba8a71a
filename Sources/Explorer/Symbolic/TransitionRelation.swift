internal import HMMModel

/// The transition relation of a model, unrolled step by step for bounded model checking and
/// k-induction, built on `SymbolicEncoder`.
///
/// Step `k → k+1` picks one action with a fresh selector constant `action@k`:
/// `T(k) = (⋁ₐ action@k = a ∧ enabledₐ(k) ∧ ¬errorₐ(k)) ∧ ⋀ᵥ v@k+1 = ite(action@k = a₁, nextₐ₁(v), …, v@k)`,
/// where the `ite` chain for `v` lists only the actions whose effects can change `v` (the
/// frame condition keeps every other variable). A firing that hits a model error is not a
/// transition; it is a failure, found by `fault(from:)` with its own selector `fault@k`.
final class TransitionRelation {
  let encoder: SymbolicEncoder
  var model: IRModel { encoder.model }
  var context: Z3Context { encoder.context }
  private var firings: [Int: [ActionEncoding]] = [:]
  private var selectors: [Int: Z3Term] = [:]
  private var faultSelectors: [Int: Z3Term] = [:]

  /// Width of the selector constants (enough for every action index).
  let selectorWidth: Int

  init(encoder: SymbolicEncoder) {
    self.encoder = encoder
    // One more bit than the largest index needs: `Z3Model.evalInt` reads bit-vectors as signed.
    selectorWidth = 65 - UInt64(max(encoder.model.actions.count - 1, 1)).leadingZeroBitCount
  }

  /// The selector value naming `action`.
  func selectorValue(_ action: Int) throws -> Z3Term {
    try context.bitVector(action, width: selectorWidth)
  }

  /// Every action fired from step `k`, encoded once.
  func firings(from k: Int) throws -> [ActionEncoding] {
    if let cached = firings[k] { return cached }
    let encoded = try model.actions.indices.map { try encoder.actionFires($0, from: k) }
    firings[k] = encoded
    return encoded
  }

  /// The constant naming the action fired from step `k`.
  func selector(_ k: Int) throws -> Z3Term {
    if let term = selectors[k] { return term }
    let term = try context.bitVectorConstant("action@\(k)", width: selectorWidth)
    selectors[k] = term
    return term
  }

  /// The constant naming the action that hits a model error from step `k`.
  func faultSelector(_ k: Int) throws -> Z3Term {
    if let term = faultSelectors[k] { return term }
    let term = try context.bitVectorConstant("fault@\(k)", width: selectorWidth)
    faultSelectors[k] = term
    return term
  }

  /// `T(k)`: one action fires from step `k` without a model error and step `k+1` is its
  /// result.
  ///
  /// - Complexity: O(actions · effect size + Σ writes) terms.
  func step(from k: Int) throws -> Z3Term {
    let fired = try firings(from: k)
    let choice = try selector(k)
    let current = try encoder.stepFrame(k).variables
    let next = try encoder.stepFrame(k + 1).variables
    var choices: [Z3Term] = []
    var isAction: [Z3Term] = []
    for encoding in fired {
      let picked = try context.eq(choice, selectorValue(encoding.action))
      isAction.append(picked)
      choices.append(
        try context.and([picked, encoding.enabled, context.not(encoding.hitsModelError)]))
    }
    var conjuncts = [try context.or(choices)]
    for index in model.variables.indices {
      var value = current[index]
      for (a, encoding) in fired.enumerated().reversed()
      where !encoding.next[index].isIdentical(to: current[index]) {
        value = try context.ite(isAction[a], encoding.next[index], value)
      }
      conjuncts.append(try context.eq(next[index], value))
    }
    return try context.and(conjuncts)
  }

  /// Some action hits a model error from step `k` (its guard once its thread is at its
  /// `fromPC`, or its effects once it is enabled); `fault@k` names it.
  func fault(from k: Int) throws -> Z3Term {
    let choice = try faultSelector(k)
    return try context.or(
      firings(from: k).map {
        try context.and([context.eq(choice, selectorValue($0.action)), $0.hitsModelError])
      })
  }

  /// Some action hits a model error from step `k` (without naming it).
  func anyFault(from k: Int) throws -> Z3Term {
    try context.or(firings(from: k).map(\.hitsModelError))
  }

  /// Step `k` is safe: every property holds there without a model error, no action hits a
  /// model error from it, and (when the model checks deadlock) it is not a deadlock.
  func safe(at k: Int) throws -> Z3Term {
    var conjuncts = [try goodState(at: k), try context.not(anyFault(from: k))]
    if model.checkDeadlock { conjuncts.append(try context.not(deadlock(at: k))) }
    return try context.and(conjuncts)
  }

  /// Steps `i` and `j` are different states.
  func distinct(_ i: Int, _ j: Int) throws -> Z3Term {
    let a = try encoder.stepFrame(i).variables
    let b = try encoder.stepFrame(j).variables
    return try context.or(a.indices.map { try context.not(context.eq(a[$0], b[$0])) })
  }

  /// Some property is false at step `k`, or evaluating one hits a model error.
  func badState(at k: Int) throws -> Z3Term {
    var disjuncts: [Z3Term] = []
    for index in model.properties.indices {
      let evaluation = try encoder.evaluate(model.properties[index].expr, at: k)
      disjuncts.append(try context.not(encoder.asBool(evaluation.value)))
      disjuncts.append(contentsOf: evaluation.errors.map(\.condition))
    }
    return try context.or(disjuncts)
  }

  /// Every property holds at step `k` and none faults.
  func goodState(at k: Int) throws -> Z3Term { try context.not(badState(at: k)) }

  /// No action is enabled at step `k`, some thread is unfinished, and no guard faults there
  /// (a faulting guard is a model error of that action instead).
  func deadlock(at k: Int) throws -> Z3Term {
    try context.and([
      encoder.deadlock(at: k),
      context.not(context.or(encoder.guardErrors(at: k).map(\.condition))),
    ])
  }

  /// The first failing property at step `k` of `z3Model`, in the explicit engine's order (a
  /// property that faults is a model error), or nil if all hold.
  func failingProperty(at k: Int, in z3Model: Z3Model) throws -> Failure? {
    for index in model.properties.indices {
      let evaluation = try encoder.evaluate(model.properties[index].expr, at: k)
      for error in evaluation.errors where try z3Model.evalBool(error.condition) == true {
        return .modelError(message: error.kind.description)
      }
      if try z3Model.evalBool(encoder.asBool(evaluation.value)) == false {
        return .property(index: index)
      }
    }
    return nil
  }

  /// The action named by `fault@k` in `z3Model` and the model error it hits.
  func faultingAction(from k: Int, in z3Model: Z3Model) throws -> (action: Int, message: String)? {
    guard let action = try z3Model.evalInt(faultSelector(k)),
      let encoding = try firings(from: k).first(where: { $0.action == action })
    else { return nil }
    for error in encoding.errors where try z3Model.evalBool(error.condition) == true {
      return (action, error.kind.description)
    }
    return nil
  }

  /// The run of `steps` steps in `z3Model`: the actions named by `action@0..<steps` and the
  /// states `0...steps`.
  func trace(steps: Int, in z3Model: Z3Model) throws -> Trace {
    var actions: [Int] = []
    var states: [[Int]] = []
    for k in 0...steps {
      guard let state = try encoder.concreteState(at: k, in: z3Model) else {
        throw SymbolicError.inconsistent("the Z3 model leaves step \(k) open")
      }
      states.append(state)
      if k < steps {
        guard let action = try z3Model.evalInt(selector(k)) else {
          throw SymbolicError.inconsistent("the Z3 model names no action at step \(k)")
        }
        actions.append(action)
      }
    }
    return Trace(actions: actions, states: states)
  }
}
