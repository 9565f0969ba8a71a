internal import HMMModel

extension SymbolicEncoder {
  /// `action` is enabled at step `k`: its thread's pc is `fromPC` and its guard holds.
  package func enabled(_ action: Int, at k: Int) throws -> Z3Term {
    var ignored: [ModelErrorCondition] = []
    return try enabling(model.actions[action], in: stepFrame(k).values, errors: &ignored)
  }

  /// Fires `action` symbolically from step `k`.
  ///
  /// The effects run in order over an environment of terms: an assignment replaces the
  /// target's term, an element assignment updates every element with an `ite` on the index,
  /// `ifElse` runs both branches and merges them with `ite`.
  package func actionFires(_ action: Int, from k: Int) throws -> ActionEncoding {
    let (enabled, next, errors) = try fire(action, in: stepFrame(k).values)
    return ActionEncoding(
      action: action, step: k, enabled: enabled, next: next, errors: errors,
      hitsModelError: try context.or(errors.map(\.condition)))
  }

  /// Firing `action` from the concrete state `state` is enabled, hits no model error and
  /// reaches the concrete state `next`: `transition` with both frames replaced by numerals,
  /// a term without constants (see `concreteValues`).
  package func concreteStep(_ action: Int, from state: [Int], to next: [Int]) throws -> Z3Term {
    precondition(next.count == model.variables.count, "state has the wrong length")
    let (enabled, computed, errors) = try fire(action, in: concreteValues(state))
    var conjuncts = [enabled, try context.not(context.or(errors.map(\.condition)))]
    for index in next.indices {
      let expected = try constant(next[index], for: index)
      // The same term is the same value (terms are hash-consed): most variables an action
      // leaves alone need no equation.
      if computed[index].isIdentical(to: expected) { continue }
      conjuncts.append(try context.eq(computed[index], expected))
    }
    return try context.and(conjuncts)
  }

  /// `action` fired from the environment `env`: its enabling condition, the value of every
  /// variable after its effects and its model errors.
  private func fire(_ action: Int, in env: [SymbolicValue]) throws -> (
    enabled: Z3Term, next: [Z3Term], errors: [ModelErrorCondition]
  ) {
    let irAction = model.actions[action]
    var errors: [ModelErrorCondition] = []
    let enabled = try enabling(irAction, in: env, errors: &errors)
    var env = env
    try execute(irAction.effects, env: &env, path: enabled, errors: &errors)
    return (enabled, env.map(\.term), errors)
  }

  /// `encoding` fires without a model error and the step-`k+1` variables hold its result.
  package func transition(_ encoding: ActionEncoding) throws -> Z3Term {
    try context.and([
      encoding.enabled, context.not(encoding.hitsModelError),
      successor(encoding),
    ])
  }

  /// The step-`k+1` variables equal `encoding.next` (nothing about enabledness).
  package func successor(_ encoding: ActionEncoding) throws -> Z3Term {
    let frame = try stepFrame(encoding.step + 1)
    return try context.and(
      encoding.next.indices.map { try context.eq(frame.variables[$0], encoding.next[$0]) })
  }

  /// `pc == fromPC ∧ guard`, recording the guard's model errors under `pc == fromPC`.
  fileprivate func enabling(
    _ action: IRAction, in values: [SymbolicValue], errors: inout [ModelErrorCondition]
  ) throws -> Z3Term {
    guard model.threads.indices.contains(action.thread) else {
      throw SymbolicError.malformed("action \(action.name) names no thread \(action.thread)")
    }
    let pc = try asInt(values[model.threads[action.thread].pc.index])
    let atPC = try context.eq(pc, number(action.fromPC))
    let guardValue = try asBool(encode(action.guardExpr, in: values, path: atPC, errors: &errors))
    return try context.and([atPC, guardValue])
  }

  private func execute(
    _ statements: [IRStmt], env: inout [SymbolicValue], path: Z3Term,
    errors: inout [ModelErrorCondition]
  ) throws {
    for statement in statements {
      switch statement {
      case .assign(.variable(let target), let expr):
        let value = try encode(expr, in: env, path: path, errors: &errors)
        try checkTarget(target, in: env)
        env[target.index] = try store(value, into: target, path: path, errors: &errors)
      case .assign(.element(let elements, let indexExpr), let expr):
        let value = try encode(expr, in: env, path: path, errors: &errors)
        let index = try asInt(encode(indexExpr, in: env, path: path, errors: &errors))
        try checkIndex(index, count: elements.count, path: path, errors: &errors)
        for (position, target) in elements.enumerated() {
          try checkTarget(target, in: env)
          let hit = try context.eq(index, number(position))
          let stored = try store(value, into: target, path: conjoin(path, hit), errors: &errors)
          env[target.index] = try merge(hit, stored, env[target.index])
        }
      case .ifElse(let condExpr, let thenBranch, let elseBranch):
        let cond = try asBool(encode(condExpr, in: env, path: path, errors: &errors))
        var thenEnv = env
        try execute(thenBranch, env: &thenEnv, path: conjoin(path, cond), errors: &errors)
        var elseEnv = env
        try execute(
          elseBranch, env: &elseEnv, path: conjoin(path, context.not(cond)), errors: &errors)
        for index in env.indices {
          env[index] =
            thenEnv[index].term.isIdentical(to: elseEnv[index].term)
            ? thenEnv[index] : try merge(cond, thenEnv[index], elseEnv[index])
        }
      case .assert(let condExpr, let message):
        let cond = try asBool(encode(condExpr, in: env, path: path, errors: &errors))
        errors.append(
          ModelErrorCondition(
            kind: .assertion(message: message), condition: try conjoin(path, context.not(cond))))
      }
    }
  }

  private func checkTarget(_ target: VarID, in env: [SymbolicValue]) throws {
    guard env.indices.contains(target.index) else {
      throw SymbolicError.malformed("assignment to a missing variable \(target)")
    }
  }

  /// `value` converted to the sort of `target`, recording the out-of-domain condition.
  private func store(
    _ value: SymbolicValue, into target: VarID, path: Z3Term,
    errors: inout [ModelErrorCondition]
  ) throws -> SymbolicValue {
    let type = model.variables[target.index].type
    if type == .bool, case .bool = value { return value }
    let integer = try asInt(value)
    errors.append(
      ModelErrorCondition(
        kind: .outOfDomain(variable: target),
        condition: try conjoin(path, context.not(inDomain(integer, of: target.index)))))
    return type == .bool ? .bool(try asBool(value)) : .int(integer)
  }
}

extension SymbolicEncoder {
  /// The model errors that evaluating the guards of the actions whose thread is at their
  /// `fromPC` can hit at step `k`.
  package func guardErrors(at k: Int) throws -> [ModelErrorCondition] {
    var errors: [ModelErrorCondition] = []
    let values = try stepFrame(k).values
    for action in model.actions {
      _ = try enabling(action, in: values, errors: &errors)
    }
    return errors
  }

  /// The model errors that evaluating the properties at step `k` can hit.
  package func propertyErrors(at k: Int) throws -> [ModelErrorCondition] {
    try model.properties.flatMap { try evaluate($0.expr, at: k).errors }
  }
}
