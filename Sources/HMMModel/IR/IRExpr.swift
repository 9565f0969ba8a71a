/// An expression over the current state. Booleans are the integers 0 and 1.
///
/// Expressions are well typed by construction (the lowering type-checks the spec): the
/// operands of `and`, `or`, `implies`, `not` and the condition of `ite` are boolean-valued;
/// arithmetic and comparison operands are integer-valued; `eq`/`ne` compare two values of the
/// same kind.
package indirect enum IRExpr: Hashable, Sendable {
  case int(Int)
  case bool(Bool)
  case variable(VarID)
  /// `elements[index]`: a read of an array element with a computed, 0-based index. An index
  /// outside `elements.indices` is a model error.
  case element([VarID], IRExpr)
  case unary(IRUnaryOp, IRExpr)
  case binary(IRBinaryOp, IRExpr, IRExpr)
  /// `cond ? then : else`.
  case ite(IRExpr, IRExpr, IRExpr)

  package static var `true`: IRExpr { .bool(true) }
  package static var `false`: IRExpr { .bool(false) }

  /// Whether the expression is boolean-valued.
  ///
  /// - Parameter variables: the model's variables, for the type of a variable read.
  package func isBoolean(_ variables: [IRVariable]) -> Bool {
    switch self {
    case .int: false
    case .bool: true
    case .variable(let v): variables[v.index].type == .bool
    case .element(let vs, _): vs.first.map { variables[$0.index].type == .bool } ?? false
    case .unary(let op, _): op == .not
    case .binary(let op, _, _): op.isBoolean
    case .ite(_, let a, _): a.isBoolean(variables)
    }
  }

  /// Adds every variable the expression may read to `set`.
  package func collectReads(into set: inout Set<VarID>) {
    switch self {
    case .int, .bool: break
    case .variable(let v): set.insert(v)
    case .element(let vs, let index):
      set.formUnion(vs)
      index.collectReads(into: &set)
    case .unary(_, let a): a.collectReads(into: &set)
    case .binary(_, let a, let b):
      a.collectReads(into: &set)
      b.collectReads(into: &set)
    case .ite(let c, let a, let b):
      c.collectReads(into: &set)
      a.collectReads(into: &set)
      b.collectReads(into: &set)
    }
  }

  /// The constant value if the expression has no variables and cannot fail.
  package var constantValue: Int? {
    switch self {
    case .int(let v): v
    case .bool(let b): b ? 1 : 0
    default: nil
    }
  }
}

package enum IRUnaryOp: Hashable, Sendable {
  /// Boolean negation.
  case not
  /// Arithmetic negation.
  case negate
  /// Bitwise complement (two's complement).
  case complement
}

package enum IRBinaryOp: Hashable, Sendable {
  case add, sub, mul
  /// Truncating division and remainder (as in C and Swift); a zero divisor is a model error.
  case div, mod
  case bitAnd, bitOr, bitXor
  case eq, ne, lt, le, gt, ge
  case and, or, implies

  package var isBoolean: Bool {
    switch self {
    case .eq, .ne, .lt, .le, .gt, .ge, .and, .or, .implies: true
    default: false
    }
  }
}

/// A statement of an action's effect.
package indirect enum IRStmt: Hashable, Sendable {
  case assign(IRLValue, IRExpr)
  case ifElse(IRExpr, [IRStmt], [IRStmt])
  /// A failed assertion is a model error reported with `message`.
  case assert(IRExpr, message: String)

  /// Adds the variables the statement may read and write.
  package func collectFootprint(reads: inout Set<VarID>, writes: inout Set<VarID>) {
    switch self {
    case .assign(let target, let value):
      value.collectReads(into: &reads)
      switch target {
      case .variable(let v): writes.insert(v)
      case .element(let vs, let index):
        writes.formUnion(vs)
        index.collectReads(into: &reads)
      }
    case .ifElse(let c, let a, let b):
      c.collectReads(into: &reads)
      for s in a { s.collectFootprint(reads: &reads, writes: &writes) }
      for s in b { s.collectFootprint(reads: &reads, writes: &writes) }
    case .assert(let c, _):
      c.collectReads(into: &reads)
    }
  }
}

/// The target of an assignment.
package enum IRLValue: Hashable, Sendable {
  case variable(VarID)
  /// `elements[index] := value`; an index outside `elements.indices` is a model error.
  case element([VarID], IRExpr)
}
