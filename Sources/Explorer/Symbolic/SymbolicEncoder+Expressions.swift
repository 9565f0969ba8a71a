package import HMMModel

extension SymbolicEncoder {
  /// The value of `expr` in the environment `env` (one value per variable).
  ///
  /// - Parameters:
  ///   - path: the condition under which the expression is evaluated; every model-error
  ///     condition found is conjoined with it.
  ///   - errors: receives the model errors the evaluation can hit.
  package func encode(
    _ expr: IRExpr, in env: [SymbolicValue], path: Z3Term, errors: inout [ModelErrorCondition]
  ) throws -> SymbolicValue {
    switch expr {
    case .int(let value):
      return .int(try number(value))
    case .bool(let value):
      return .bool(try context.bool(value))
    case .variable(let variable):
      return try read(variable, in: env)
    case .element(let elements, let indexExpr):
      let index = try asInt(encode(indexExpr, in: env, path: path, errors: &errors))
      try checkIndex(index, count: elements.count, path: path, errors: &errors)
      return try select(elements.map { try read($0, in: env) }, at: index)
    case .unary(let op, let operand):
      let value = try encode(operand, in: env, path: path, errors: &errors)
      switch op {
      case .not: return .bool(try context.not(asBool(value)))
      case .negate: return .int(try negate(asInt(value)))
      case .complement: return .int(try complement(asInt(value)))
      }
    case .binary(let op, let lhs, let rhs):
      return try encodeBinary(op, lhs, rhs, in: env, path: path, errors: &errors)
    case .ite(let condExpr, let thenExpr, let elseExpr):
      let cond = try asBool(encode(condExpr, in: env, path: path, errors: &errors))
      let then = try encode(thenExpr, in: env, path: conjoin(path, cond), errors: &errors)
      let otherwise = try encode(
        elseExpr, in: env, path: conjoin(path, context.not(cond)), errors: &errors)
      return try merge(cond, then, otherwise)
    }
  }

  /// `cond ? then : otherwise`, Boolean when both are, an integer otherwise.
  func merge(_ cond: Z3Term, _ then: SymbolicValue, _ otherwise: SymbolicValue) throws
    -> SymbolicValue
  {
    if then.isBool && otherwise.isBool {
      return .bool(try context.ite(cond, then.term, otherwise.term))
    }
    return .int(try context.ite(cond, asInt(then), asInt(otherwise)))
  }

  private func read(_ variable: VarID, in env: [SymbolicValue]) throws -> SymbolicValue {
    guard env.indices.contains(variable.index) else {
      throw SymbolicError.malformed("no variable \(variable)")
    }
    return env[variable.index]
  }

  /// `values[index]` as nested `ite`s; an index out of range reads the last element (the
  /// caller records the model error).
  private func select(_ values: [SymbolicValue], at index: Z3Term) throws -> SymbolicValue {
    guard var result = values.last else { return .int(try number(0)) }
    for position in values.indices.dropLast().reversed() {
      result = try merge(context.eq(index, number(position)), values[position], result)
    }
    return result
  }

  private func encodeBinary(
    _ op: IRBinaryOp, _ lhs: IRExpr, _ rhs: IRExpr, in env: [SymbolicValue], path: Z3Term,
    errors: inout [ModelErrorCondition]
  ) throws -> SymbolicValue {
    let left = try encode(lhs, in: env, path: path, errors: &errors)
    switch op {
    case .and, .or, .implies:
      // Lazy: the right operand is evaluated only when the left one does not decide.
      let a = try asBool(left)
      let rightPath = try conjoin(path, op == .or ? context.not(a) : a)
      let b = try asBool(encode(rhs, in: env, path: rightPath, errors: &errors))
      switch op {
      case .and: return .bool(try context.and([a, b]))
      case .or: return .bool(try context.or([a, b]))
      default: return .bool(try context.implies(a, b))
      }
    case .eq, .ne:
      let right = try encode(rhs, in: env, path: path, errors: &errors)
      let equal =
        left.isBool && right.isBool
        ? try context.eq(left.term, right.term)
        : try context.eq(asInt(left), asInt(right))
      return .bool(op == .eq ? equal : try context.not(equal))
    default:
      let a = try asInt(left)
      let b = try asInt(encode(rhs, in: env, path: path, errors: &errors))
      return try arithmetic(op, a, b, path: path, errors: &errors)
    }
  }

  private func arithmetic(
    _ op: IRBinaryOp, _ a: Z3Term, _ b: Z3Term, path: Z3Term,
    errors: inout [ModelErrorCondition]
  ) throws -> SymbolicValue {
    if isMathematical {
      return try mathematicalArithmetic(op, a, b, path: path, errors: &errors)
    }
    switch op {
    case .add: return .int(try context.bvAdd(a, b))
    case .sub: return .int(try context.bvSub(a, b))
    case .mul: return .int(try context.bvMul(a, b))
    case .div, .mod:
      let zero = try conjoin(path, context.eq(b, number(0)))
      errors.append(ModelErrorCondition(kind: .divisionByZero, condition: zero))
      return .int(op == .div ? try context.bvSignedDiv(a, b) : try context.bvSignedRem(a, b))
    case .bitAnd: return .int(try context.bvAnd(a, b))
    case .bitOr: return .int(try context.bvOr(a, b))
    case .bitXor: return .int(try context.bvXor(a, b))
    case .lt: return .bool(try context.bvSignedLess(a, b))
    case .le: return .bool(try context.bvSignedLessOrEqual(a, b))
    case .gt: return .bool(try context.bvSignedGreater(a, b))
    case .ge: return .bool(try context.bvSignedGreaterOrEqual(a, b))
    case .eq, .ne, .and, .or, .implies:
      preconditionFailure("\(op) is handled by encodeBinary")
    }
  }
}
