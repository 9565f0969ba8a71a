internal import HMMModel

/// A reason the IR cannot be compiled (a malformed model, i.e. a bug in the lowering).
struct CompileError: Error, Equatable {
  var message: String
}

/// Compiles IR expressions and statements to `Instruction`s, appending to one code array.
///
/// Each compiled piece starts at an entry index and ends with `returnValue` (expressions) or
/// `halt` (effects). The compiler tracks the value-stack depth to size the machine's stack.
struct BytecodeCompiler {
  let variables: [IRVariable]
  let layout: StateLayout
  private(set) var code: [Instruction] = []
  private(set) var arrays: [ArrayInfo] = []
  /// Variable indices of every array's elements, concatenated.
  private(set) var elementVariables: [Int32] = []
  /// The first element's variable of every array (for messages).
  private(set) var arrayVariables: [[VarID]] = []
  private(set) var messages: [String] = []
  /// Pairs `(mask, bits)` of the `storeMasked` instructions.
  private(set) var maskedWrites: [UInt64] = []
  /// The deepest value stack any compiled piece needs.
  private(set) var maxStack = 1
  private var arrayIndex: [[VarID]: Int] = [:]
  private var depth = 0

  init(variables: [IRVariable], layout: StateLayout) {
    self.variables = variables
    self.layout = layout
  }

  /// Compiles an expression whose value is returned.
  ///
  /// - Returns: the entry index.
  /// - Complexity: O(size of `expr`).
  mutating func compileExpression(_ expr: IRExpr) throws(CompileError) -> Int32 {
    let entry = Int32(code.count)
    depth = 0
    try emit(expr)
    if expr.isConnective && !(code.count == Int(entry) &+ 1 && code[Int(entry)].isFusedComparison) {
      // A condition made of `&&`, `||`, `==>` and `!` (other than one comparison) compiles
      // to jumps (see `emitJump`): `return 1` where it is true, `return 0` where it is false.
      code.removeSubrange(Int(entry)...)
      depth = 0
      let toFalse = try emitJump(if: expr, is: false)
      push(Instruction(opcode: .push, immediate: 1))
      append(Instruction(opcode: .returnValue))
      depth -= 1
      patch(toFalse)
      push(Instruction(opcode: .push, immediate: 0))
    }
    append(Instruction(opcode: .returnValue))
    optimize(from: Int(entry))
    return entry
  }

  /// Compiles a list of statements run in order.
  ///
  /// - Returns: the entry index.
  /// - Complexity: O(size of `statements`).
  mutating func compileEffects(_ statements: [IRStmt]) throws(CompileError) -> Int32 {
    let entry = Int32(code.count)
    depth = 0
    try emitBlock(statements)
    append(Instruction(opcode: .halt))
    optimize(from: Int(entry))
    return entry
  }

  /// Peephole rewrites of the piece from `entry` to the end of the code, once its jumps are
  /// patched. None moves or removes an instruction, so every jump target stays valid (an
  /// instruction made unreachable is left in place):
  /// - a jump to a `jump` goes to that jump's target instead, and a `jump` to `halt` is
  ///   `halt` (the ends of `if` branches);
  /// - `push` followed by `returnValue` is `returnConstant` (the ends of conditions);
  /// - a `jumpIfCompare`/`jumpUnlessCompare` takes its comparison in (`jumpIfEqual` ...), so
  ///   the condition costs one dispatch and no second switch, when its constant fits in 32
  ///   bits.
  ///
  /// - Complexity: O(piece size · jump-chain length).
  private mutating func optimize(from entry: Int) {
    let end = code.count
    func final(_ target: Int32) -> Int32 {
      var t = target
      while Int(t) < end && code[Int(t)].opcode == .jump { t = code[Int(t)].a }
      return t
    }
    for i in entry..<end {
      switch code[i].opcode {
      case .jump:
        code[i].a = final(code[i].a)
        if Int(code[i].a) < end && code[Int(code[i].a)].opcode == .halt {
          code[i] = Instruction(opcode: .halt)
        }
      case .jumpIfFalse, .jumpIfTrue, .jumpIfCompare, .jumpUnlessCompare, .jumpIfFalseOrPop,
        .jumpIfTrueOrPop, .jumpIfEqualValues, .jumpIfNotEqualValues, .jumpIfLessValues,
        .jumpIfLessEqualValues, .jumpIfGreaterValues, .jumpIfGreaterEqualValues:
        code[i].a = final(code[i].a)
      case .push where i &+ 1 < end && code[i &+ 1].opcode == .returnValue:
        code[i].opcode = .returnConstant
      default:
        break
      }
    }
    for i in entry..<end {
      let jump = code[i]
      guard jump.opcode == .jumpIfCompare || jump.opcode == .jumpUnlessCompare else { continue }
      let comparison = code[i &+ 1]
      guard (0...0xFFFF_FFFF).contains(comparison.immediate) else { continue }
      // `jumpUnlessCompare` jumps on the negated comparison (raw bits are totally ordered).
      let holds = jump.opcode == .jumpIfCompare
      let opcode: Opcode
      switch comparison.opcode {
      case .loadEqual: opcode = holds ? .jumpIfEqual : .jumpIfNotEqual
      case .loadNotEqual: opcode = holds ? .jumpIfNotEqual : .jumpIfEqual
      case .loadLess: opcode = holds ? .jumpIfLess : .jumpIfGreaterEqual
      case .loadLessEqual: opcode = holds ? .jumpIfLessEqual : .jumpIfGreater
      case .loadGreater: opcode = holds ? .jumpIfGreater : .jumpIfLessEqual
      default: opcode = holds ? .jumpIfGreaterEqual : .jumpIfLess
      }
      code[i] = Instruction(
        opcode: opcode, shift: comparison.shift, width: comparison.width, a: comparison.a,
        immediate: Int(jump.a) &<< 32 | comparison.immediate)
    }
  }

  // MARK: - Expressions

  private mutating func emit(_ expr: IRExpr) throws(CompileError) {
    switch expr {
    case .int(let value):
      push(Instruction(opcode: .push, immediate: value))
    case .bool(let value):
      push(Instruction(opcode: .push, immediate: value ? 1 : 0))
    case .variable(let v):
      let slot = try slot(v)
      push(
        Instruction(
          opcode: .load, shift: slot.shift, width: slot.width, a: slot.word,
          immediate: slot.lowerBound))
    case .element(let elements, .variable(let i)):
      _ = try slot(i)
      push(Instruction(opcode: .loadElementAt, a: try array(elements), immediate: i.index))
    case .element(let elements, let index):
      try emit(index)
      append(Instruction(opcode: .loadElement, a: try array(elements)))
    case .unary(.not, let a):
      try emitNegation(a)
    case .unary(let op, let a):
      try emit(a)
      append(Instruction(opcode: op == .negate ? .negate : .complement))
    case .binary(let op, let a, let b):
      try emitBinary(op, a, b)
    case .ite(let condition, let then, let otherwise):
      let toElse = try emitJump(if: condition, is: false)
      try emit(then)
      let toEnd = appendJump(.jump)
      depth -= 1
      patch(toElse)
      try emit(otherwise)
      patch(toEnd)
    }
  }

  private mutating func emitBinary(
    _ op: IRBinaryOp, _ a: IRExpr, _ b: IRExpr
  ) throws(CompileError) {
    switch op {
    case .and, .or, .implies:
      // `a ==> b` is `!a || b`.
      if op == .implies { try emitNegation(a) } else { try emit(a) }
      let toEnd = appendJump(op == .and ? .jumpIfFalseOrPop : .jumpIfTrueOrPop)
      depth -= 1
      try emit(b)
      patch(toEnd)
    case .eq, .ne:
      if case .variable(let v) = a, let constant = b.constantValue {
        try emitCompare(v, constant, equal: op == .eq)
      } else if case .variable(let v) = b, let constant = a.constantValue {
        try emitCompare(v, constant, equal: op == .eq)
      } else {
        try emitPlain(op, a, b)
      }
    case .lt, .le, .gt, .ge:
      if case .variable(let v) = a, let constant = b.constantValue {
        try emitOrdered(v, op, constant)
      } else if case .variable(let v) = b, let constant = a.constantValue {
        let flipped: IRBinaryOp =
          switch op {
          case .lt: .gt
          case .le: .ge
          case .gt: .lt
          default: .le
          }
        try emitOrdered(v, flipped, constant)
      } else {
        try emitPlain(op, a, b)
      }
    case .add, .sub:
      if let constant = b.constantValue {
        try emit(a)
        append(
          Instruction(opcode: .addImmediate, immediate: op == .add ? constant : 0 &- constant))
      } else if op == .add, let constant = a.constantValue {
        try emit(b)
        append(Instruction(opcode: .addImmediate, immediate: constant))
      } else {
        try emitPlain(op, a, b)
      }
    default:
      try emitPlain(op, a, b)
    }
  }

  /// `v < constant` (or `<=`, `>`, `>=`) as one instruction. Stored bits are
  /// `value - lowerBound`, so for a constant in the domain comparing bits with
  /// `constant - lowerBound` orders like the values; a constant outside the domain makes the
  /// comparison constant.
  private mutating func emitOrdered(
    _ v: VarID, _ op: IRBinaryOp, _ constant: Int
  ) throws(CompileError) {
    let slot = try slot(v)
    let lo = slot.lowerBound
    let hi = lo &+ Int(bitPattern: UInt(slot.span))
    let fixed: Bool? =
      switch op {
      case .lt: constant <= lo ? false : constant > hi ? true : nil
      case .le: constant < lo ? false : constant >= hi ? true : nil
      case .gt: constant >= hi ? false : constant < lo ? true : nil
      default: constant > hi ? false : constant <= lo ? true : nil
      }
    if let fixed {
      push(Instruction(opcode: .push, immediate: fixed ? 1 : 0))
      return
    }
    let opcode: Opcode =
      switch op {
      case .lt: .loadLess
      case .le: .loadLessEqual
      case .gt: .loadGreater
      default: .loadGreaterEqual
      }
    push(
      Instruction(
        opcode: opcode, shift: slot.shift, width: slot.width, a: slot.word,
        immediate: constant &- lo))
  }

  private mutating func emitPlain(
    _ op: IRBinaryOp, _ a: IRExpr, _ b: IRExpr
  ) throws(CompileError) {
    try emit(a)
    try emit(b)
    let opcode: Opcode =
      switch op {
      case .add: .add
      case .sub: .sub
      case .mul: .mul
      case .div: .div
      case .mod: .mod
      case .bitAnd: .bitAnd
      case .bitOr: .bitOr
      case .bitXor: .bitXor
      case .eq: .equal
      case .ne: .notEqual
      case .lt: .less
      case .le: .lessEqual
      case .gt: .greater
      case .ge: .greaterEqual
      case .and, .or, .implies: preconditionFailure("short-circuit operators compile to jumps")
      }
    append(Instruction(opcode: opcode))
    depth -= 1
  }

  /// Emits `!a`, folding the negation into a comparison (integers are totally ordered) or a
  /// double negation; same evaluation order, so the same faults.
  private mutating func emitNegation(_ a: IRExpr) throws(CompileError) {
    switch a {
    case .unary(.not, let inner):
      try emit(inner)
    case .binary(let op, let x, let y):
      let negated: IRBinaryOp? =
        switch op {
        case .eq: .ne
        case .ne: .eq
        case .lt: .ge
        case .ge: .lt
        case .le: .gt
        case .gt: .le
        default: nil
        }
      if let negated {
        try emitBinary(negated, x, y)
      } else {
        try emit(a)
        append(Instruction(opcode: .not))
      }
    default:
      try emit(a)
      append(Instruction(opcode: .not))
    }
  }

  /// `v == constant` or `v != constant` as one instruction comparing raw bits.
  private mutating func emitCompare(
    _ v: VarID, _ constant: Int, equal: Bool
  ) throws(CompileError) {
    let slot = try slot(v)
    guard slot.contains(constant) else {
      // A value outside the domain is never equal to the variable.
      push(Instruction(opcode: .push, immediate: equal ? 0 : 1))
      return
    }
    push(
      Instruction(
        opcode: equal ? .loadEqual : .loadNotEqual, shift: slot.shift, width: slot.width,
        a: slot.word, immediate: constant &- slot.lowerBound))
  }

  /// Emits code that jumps when `condition` is `value` and falls through otherwise, with
  /// the evaluation order (so the faults) of `emit(condition)`: `&&`, `||` and `==>` become
  /// jumps around their right operand, `!` flips `value`, and a comparison of a variable with
  /// a constant (or a variable's truth) becomes one `jumpIfCompare`/`jumpUnlessCompare` with
  /// the comparison as the next instruction. Nothing is left on the stack.
  ///
  /// - Returns: the jumps to patch to the target.
  private mutating func emitJump(if condition: IRExpr, is value: Bool) throws(CompileError)
    -> [Int]
  {
    switch condition {
    case .unary(.not, let inner):
      return try emitJump(if: inner, is: !value)
    case .binary(.and, let a, let b), .binary(.or, let a, let b), .binary(.implies, let a, let b):
      guard case .binary(let op, _, _) = condition else { return [] }
      // The value of `a` that decides the whole condition: false for `&&`, true for `||`,
      // false for `==>` (then the condition is true).
      let aDecides = op == .or
      let conditionThen = op == .and ? false : true
      if conditionThen == value {
        // `a` deciding means jumping; otherwise `b` decides.
        return try emitJump(if: a, is: aDecides) + emitJump(if: b, is: value)
      }
      let skip = try emitJump(if: a, is: aDecides)
      let jumps = try emitJump(if: b, is: value)
      patch(skip)
      return jumps
    default:
      let start = code.count
      try emit(condition)
      var comparison: Instruction? = nil
      if code.count == start &+ 1 {
        let only = code[start]
        if only.isFusedComparison {
          comparison = only
        } else if only.opcode == .load, case .variable(let v) = condition {
          // Truth is `v != 0`, as raw bits when 0 is in the domain.
          let slot = try slot(v)
          if slot.contains(0) {
            comparison = Instruction(
              opcode: .loadNotEqual, shift: slot.shift, width: slot.width, a: slot.word,
              immediate: 0 &- slot.lowerBound)
          }
        }
      }
      if let comparison {
        code.removeLast()
        depth -= 1
        let jump = appendJump(value ? .jumpIfCompare : .jumpUnlessCompare)
        append(comparison)
        return [jump]
      }
      if case .binary(let op, _, _) = condition, code.count > start,
        let opcode = Self.comparisonJump(op, code[code.count - 1].opcode, jumpsIf: value)
      {
        // `a op b` then a jump on it, as one instruction (integers are totally ordered, so a
        // jump on the negation is a jump on the negated comparison).
        code[code.count - 1] = Instruction(opcode: opcode)
        depth -= 1
        return [code.count - 1]
      }
      let jump = appendJump(value ? .jumpIfTrue : .jumpIfFalse)
      depth -= 1
      return [jump]
    }
  }

  /// The jump that pops two values and continues at its target when `op` applied to them is
  /// `value`, if `last` is the comparison instruction `op` compiles to.
  private static func comparisonJump(
    _ op: IRBinaryOp, _ last: Opcode, jumpsIf value: Bool
  ) -> Opcode? {
    let holds: Opcode
    let fails: Opcode
    switch (op, last) {
    case (.eq, .equal): (holds, fails) = (.jumpIfEqualValues, .jumpIfNotEqualValues)
    case (.ne, .notEqual): (holds, fails) = (.jumpIfNotEqualValues, .jumpIfEqualValues)
    case (.lt, .less): (holds, fails) = (.jumpIfLessValues, .jumpIfGreaterEqualValues)
    case (.le, .lessEqual): (holds, fails) = (.jumpIfLessEqualValues, .jumpIfGreaterValues)
    case (.gt, .greater): (holds, fails) = (.jumpIfGreaterValues, .jumpIfLessEqualValues)
    case (.ge, .greaterEqual): (holds, fails) = (.jumpIfGreaterEqualValues, .jumpIfLessValues)
    default: return nil
    }
    return value ? holds : fails
  }

  // MARK: - Statements

  /// Emits statements in order, merging each run of two or more consecutive constant
  /// assignments (in their domains) into one masked write per word they touch. A run reads
  /// nothing, so writing it word by word is the same as writing it in order (a later write
  /// to the same variable wins).
  private mutating func emitBlock(_ statements: [IRStmt]) throws(CompileError) {
    var run: [(slot: VariableSlot, variable: Int, value: Int)] = []
    for statement in statements {
      if case .assign(.variable(let v), let value) = statement, let constant = value.constantValue {
        let slot = try slot(v)
        if slot.contains(constant) {
          run.append((slot, v.index, constant))
          continue
        }
      }
      flush(&run)
      try emit(statement)
    }
    flush(&run)
  }

  private mutating func flush(_ run: inout [(slot: VariableSlot, variable: Int, value: Int)]) {
    defer { run.removeAll() }
    if run.isEmpty { return }
    if run.count == 1 {
      append(storeConstant(run[0].slot, run[0].value))
      return
    }
    var words: [Int32] = []
    var masks: [Int32: UInt64] = [:]
    var bits: [Int32: UInt64] = [:]
    for (slot, _, value) in run {
      let mask = slot.mask &<< UInt64(slot.shift)
      let pattern = UInt64(UInt(bitPattern: value &- slot.lowerBound)) &<< UInt64(slot.shift)
      if masks[slot.word] == nil { words.append(slot.word) }
      masks[slot.word, default: 0] |= mask
      bits[slot.word] = (bits[slot.word, default: 0] & ~mask) | pattern
    }
    for word in words {
      maskedWrites.append(masks[word] ?? 0)
      maskedWrites.append(bits[word] ?? 0)
      append(
        Instruction(opcode: .storeMasked, a: word, immediate: maskedWrites.count / 2 - 1))
    }
  }

  /// `storeConstant` of `value`, in the domain of `slot`.
  private func storeConstant(_ slot: VariableSlot, _ value: Int) -> Instruction {
    Instruction(
      opcode: .storeConstant, shift: slot.shift, width: slot.width, a: slot.word,
      immediate: value &- slot.lowerBound)
  }

  private mutating func emit(_ statement: IRStmt) throws(CompileError) {
    switch statement {
    case .assign(.variable(let v), let value):
      let slot = try slot(v)
      if let constant = value.constantValue, slot.contains(constant) {
        append(storeConstant(slot, constant))
      } else if let step = value.increment(of: v) {
        // `load`, `addImmediate` and `store` in one.
        append(Instruction(opcode: .increment, a: Int32(v.index), immediate: step))
      } else if case .variable(let s) = value {
        // A copy: no range check when the source's domain lies within the target's.
        let source = try self.slot(s)
        let fits =
          source.lowerBound >= slot.lowerBound
          && source.lowerBound &+ Int(bitPattern: UInt(source.span))
            <= slot.lowerBound &+ Int(bitPattern: UInt(slot.span))
        append(
          Instruction(opcode: fits ? .copy : .copyChecked, a: Int32(v.index), immediate: s.index))
      } else {
        try emit(value)
        append(Instruction(opcode: .store, a: Int32(v.index)))
        depth -= 1
      }
    case .assign(.element(let elements, let index), let value):
      try emit(index)
      try emit(value)
      append(Instruction(opcode: .storeElement, a: try array(elements)))
      depth -= 2
    case .ifElse(let condition, let then, let otherwise):
      let toElse = try emitJump(if: condition, is: false)
      try emitBlock(then)
      if otherwise.isEmpty {
        patch(toElse)
      } else {
        let toEnd = appendJump(.jump)
        patch(toElse)
        try emitBlock(otherwise)
        patch(toEnd)
      }
    case .assert(let condition, let message):
      try emit(condition)
      messages.append(message)
      append(Instruction(opcode: .assert, a: Int32(messages.count - 1)))
      depth -= 1
    }
  }

  // MARK: - Helpers

  private func slot(_ v: VarID) throws(CompileError) -> VariableSlot {
    guard layout.slots.indices.contains(v.index) else {
      throw CompileError(message: "variable \(v) does not exist")
    }
    return layout.slots[v.index]
  }

  /// The index of the array with these elements, added on first use.
  private mutating func array(_ elements: [VarID]) throws(CompileError) -> Int32 {
    if let known = arrayIndex[elements] { return Int32(known) }
    for v in elements { _ = try slot(v) }
    arrays.append(ArrayInfo(start: Int32(elementVariables.count), count: Int32(elements.count)))
    elementVariables.append(contentsOf: elements.map { Int32($0.index) })
    arrayVariables.append(elements)
    arrayIndex[elements] = arrays.count - 1
    return Int32(arrays.count - 1)
  }

  private mutating func append(_ instruction: Instruction) {
    code.append(instruction)
  }

  private mutating func push(_ instruction: Instruction) {
    code.append(instruction)
    depth += 1
    maxStack = max(maxStack, depth)
  }

  /// Appends a jump whose target is patched later; returns its position.
  private mutating func appendJump(_ opcode: Opcode) -> Int {
    code.append(Instruction(opcode: opcode))
    return code.count - 1
  }

  /// Points the jump at `position` to the next instruction.
  private mutating func patch(_ position: Int) {
    code[position].a = Int32(code.count)
  }

  private mutating func patch(_ positions: [Int]) {
    for position in positions { patch(position) }
  }
}

extension IRExpr {
  /// `k` when the expression is `v + k`, `k + v` or `v - k` (`-k`) for a constant `k`, so
  /// that `v := self` compiles to one `increment` (with the evaluation, so the faults, of
  /// `load`, `addImmediate`, `store`).
  fileprivate func increment(of v: VarID) -> Int? {
    switch self {
    case .binary(.add, .variable(let x), let k) where x == v:
      return k.constantValue
    case .binary(.sub, .variable(let x), let k) where x == v:
      return k.constantValue.map { 0 &- $0 }
    case .binary(.add, let k, .variable(let x)) where x == v:
      return k.constantValue
    default:
      return nil
    }
  }

  /// Whether the expression is `&&`, `||`, `==>` or `!`.
  fileprivate var isConnective: Bool {
    switch self {
    case .unary(.not, _), .binary(.and, _, _), .binary(.or, _, _), .binary(.implies, _, _):
      true
    default:
      false
    }
  }
}
