package import HMMModel

/// A model whose threads run again and again, with the sequence-like variables unbounded: the
/// system the unbounded proof (`UnboundedProof`) is about.
///
/// Two changes to a lowered `IRModel`, neither of which removes a behaviour:
/// - **Repetition.** Each thread gets one more action, `repeat`, from its `finalPC` back to its
///   `initialPC` that resets the thread's own variables (its locals) to their initial values.
///   A thread that finished and repeats is therefore in exactly the state a fresh copy of the
///   thread would start in, with the globals as the earlier runs left them: the repeating model
///   is "this thread runs its operation once more, any number of times". Every run of the
///   lowered model is a run of the repeating one (the `repeat` actions are appended, so every
///   original action keeps its index).
/// - **Unbounded integers.** The variables named in `seeds`, and every variable that an
///   assignment copies or computes from one of them (closed under data flow), lose the upper
///   bound of their domain. Encoded with mathematical integers, a value above the lowered
///   bound is then a value, not a model error.
///
/// A third step only makes the proof cheaper: **slicing**. A variable is *relevant* when a
/// property, a guard, an assertion, a branch condition or an array index reads it, or when a
/// relevant variable is assigned from it; program counters are relevant. Assignments to the
/// other variables (lockdep's ghost graph when P10 is not checked, for example) are removed, so
/// those variables keep their initial values. No relevant variable, guard, property or
/// assertion depends on them, so every run of the sliced model is a run of the full one with
/// the same relevant values and vice versa; what is lost is only the model errors the removed
/// assignments themselves could raise (a value out of its domain), which the explicit engine
/// checks on the bounded instance.
package struct RepeatingModel: Sendable {
  /// The model with the `repeat` actions appended.
  package let model: IRModel
  /// The variables that keep only their lower bound.
  package let unboundedAbove: Set<VarID>
  /// The index of each thread's `repeat` action.
  package let repeatActions: [Int]
  /// The variables that can influence a property, a guard or an assertion; the others are
  /// never written in `model`.
  package let relevant: Set<VarID>

  /// Builds the repeating model of `base`.
  ///
  /// - Parameters:
  ///   - seeds: names of the variables to unbound (names not in the model are ignored).
  ///   - repeats: which threads get a `repeat` action (all by default).
  /// - Complexity: O(rounds · size of the effects), at most one round per variable.
  package init(_ base: IRModel, seeds: [String], repeats: (IRThread) -> Bool = { _ in true }) {
    var model = base
    var repeatActions: [Int] = []
    for (index, thread) in base.threads.enumerated() where repeats(thread) {
      var effects: [IRStmt] = []
      for (v, variable) in base.variables.enumerated() where variable.owner == index {
        if VarID(v) == thread.pc { continue }
        effects.append(.assign(.variable(VarID(v)), .int(variable.initial)))
      }
      effects.append(.assign(.variable(thread.pc), .int(thread.initialPC)))
      let anchor = SourceAnchor(file: "<repeat>", line: 0, column: 0)
      repeatActions.append(model.actions.count)
      model.actions.append(
        IRAction(
          thread: index, fromPC: thread.finalPC, name: "repeat: run \(thread.name) again",
          guardExpr: .true, effects: effects, origin: ActionOrigin(site: anchor)))
    }
    if !repeatActions.isEmpty { model.name = base.name + " (repeating)" }
    let relevant = Self.relevantVariables(model)
    for index in model.actions.indices {
      let action = model.actions[index]
      model.actions[index] = IRAction(
        thread: action.thread, fromPC: action.fromPC, name: action.name,
        guardExpr: action.guardExpr, effects: Self.slice(action.effects, keeping: relevant),
        origin: action.origin)
    }
    self.model = model
    self.repeatActions = repeatActions
    self.relevant = relevant
    self.unboundedAbove = Self.dataFlowClosure(
      of: Set(
        base.variables.indices.filter { seeds.contains(base.variables[$0].name) }.map(VarID.init)),
      in: base)
  }

  /// The cone of influence of the properties, guards, assertions, branch conditions, array
  /// indices and program counters.
  ///
  /// - Complexity: O(rounds · size of the effects), at most one round per variable.
  static func relevantVariables(_ model: IRModel) -> Set<VarID> {
    var relevant = Set(model.threads.map(\.pc))
    for property in model.properties { property.expr.collectReads(into: &relevant) }
    func conditions(_ statements: [IRStmt]) {
      for statement in statements {
        switch statement {
        case .assign(.variable, _): break
        case .assign(.element(_, let index), _): index.collectReads(into: &relevant)
        case .ifElse(let condition, let a, let b):
          condition.collectReads(into: &relevant)
          conditions(a)
          conditions(b)
        case .assert(let condition, _): condition.collectReads(into: &relevant)
        }
      }
    }
    for action in model.actions {
      action.guardExpr.collectReads(into: &relevant)
      conditions(action.effects)
    }
    growToFixpoint(model) { target, value in
      guard target.written.contains(where: { relevant.contains($0) }) else { return false }
      let before = relevant.count
      value.collectReads(into: &relevant)
      return relevant.count != before
    }
    return relevant
  }

  /// `statements` without the assignments to variables outside `relevant`.
  static func slice(_ statements: [IRStmt], keeping relevant: Set<VarID>) -> [IRStmt] {
    statements.compactMap { statement in
      switch statement {
      case .assign(let target, _):
        return target.written.contains(where: { relevant.contains($0) }) ? statement : nil
      case .ifElse(let condition, let a, let b):
        return .ifElse(condition, slice(a, keeping: relevant), slice(b, keeping: relevant))
      case .assert: return statement
      }
    }
  }

  /// `seeds` and every variable assigned a value computed from one of them.
  static func dataFlowClosure(of seeds: Set<VarID>, in model: IRModel) -> Set<VarID> {
    var unbounded = seeds
    growToFixpoint(model) { target, value in
      guard carries(value, unbounded) else { return false }
      var grew = false
      for v in target.written where model.variables[v.index].type != .bool {
        grew = unbounded.insert(v).inserted || grew
      }
      return grew
    }
    return unbounded
  }

  /// Calls `visit` on every assignment of every action (inside branches too) until a whole
  /// pass returns false for all of them.
  private static func growToFixpoint(
    _ model: IRModel, _ visit: (IRLValue, IRExpr) -> Bool
  ) {
    func walk(_ statements: [IRStmt]) -> Bool {
      var grew = false
      for statement in statements {
        switch statement {
        case .assign(let target, let value): grew = visit(target, value) || grew
        case .ifElse(_, let a, let b):
          grew = walk(a) || grew
          grew = walk(b) || grew
        case .assert: break
        }
      }
      return grew
    }
    while model.actions.reduce(false, { walk($1.effects) || $0 }) {}
  }

  /// Whether the integer value of `expr` can be one of `unbounded`'s values or computed from
  /// one (comparisons and Boolean operators give 0 or 1, so they do not carry).
  static func carries(_ expr: IRExpr, _ unbounded: Set<VarID>) -> Bool {
    switch expr {
    case .int, .bool: false
    case .variable(let v): unbounded.contains(v)
    case .element(let vs, _): vs.contains { unbounded.contains($0) }
    case .unary(let op, let a): op != .not && carries(a, unbounded)
    case .binary(let op, let a, let b):
      !op.isBoolean && (carries(a, unbounded) || carries(b, unbounded))
    case .ite(_, let a, let b): carries(a, unbounded) || carries(b, unbounded)
    }
  }
}

extension IRLValue {
  /// The variables an assignment to this target may write.
  fileprivate var written: [VarID] {
    switch self {
    case .variable(let v): [v]
    case .element(let vs, _): vs
    }
  }
}
