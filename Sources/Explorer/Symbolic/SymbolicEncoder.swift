package import HMMModel

/// Encodes an `IRModel` as Z3 formulas over numbered copies of its variables: the transition
/// relation used to validate traces, and by bounded model checking and k-induction.
///
/// Every IR variable at step `k` is a Z3 constant (`stepFrame(k)`): booleans are Z3 Booleans,
/// integers are `bitWidth`-bit two's complement bit-vectors whose domain `lo...hi` is the
/// signed range constraint `domain(at:)`. Arithmetic wraps modulo 2^`bitWidth`; `div`/`mod`
/// truncate toward zero. `and`, `or`, `implies` and `ite` evaluate their operands lazily, so a
/// model error inside an operand that is not evaluated (`false && x / 0 == 1`) is not one.
///
/// With `integers: .mathematical(unboundedAbove:)` integers are Z3's mathematical integers
/// instead (`SymbolicEncoder+Integers.swift`): nothing wraps, and the variables named in
/// `unboundedAbove` keep only the lower bound of their domain.
///
/// The encoder is bound to one `Z3Context` and, like it, stays on one thread.
package final class SymbolicEncoder {
  package let model: IRModel
  package let context: Z3Context
  /// Width of the bit-vectors that encode integers (unused with mathematical integers).
  package let bitWidth: Int
  /// How integers are encoded.
  package let integers: IntegerEncoding
  private var frames: [SymbolicFrame] = []
  /// The numerals made so far, by value (see `number(_:)`).
  var numerals: [Int: Z3Term] = [:]
  let trueTerm: Z3Term
  let falseTerm: Z3Term

  /// Prepares an encoding of `model`.
  ///
  /// - Throws: `SymbolicError` when a domain bound or an initial value does not fit in
  ///   `bitWidth` signed bits or a thread names a missing variable; `Z3Error`.
  package init(
    model: IRModel, context: Z3Context, bitWidth: Int = 32,
    integers: IntegerEncoding? = nil
  ) throws {
    precondition(bitWidth >= 2 && bitWidth <= 64, "bit width \(bitWidth) is not in 2...64")
    self.model = model
    self.context = context
    self.bitWidth = bitWidth
    self.integers = integers ?? .bitVector(width: bitWidth)
    self.trueTerm = try context.bool(true)
    self.falseTerm = try context.bool(false)
    for variable in model.variables {
      try checkRepresentable(variable.type.lowerBound)
      try checkRepresentable(variable.type.upperBound)
      try checkRepresentable(variable.initial)
    }
    for thread in model.threads where !model.variables.indices.contains(thread.pc.index) {
      throw SymbolicError.malformed("thread \(thread.name) has no program counter \(thread.pc)")
    }
  }

  /// The constants of every variable at step `k`, made on first use.
  ///
  /// - Complexity: O(number of variables) on first use of `k`, O(1) afterwards.
  package func stepFrame(_ k: Int) throws -> SymbolicFrame {
    precondition(k >= 0, "negative step \(k)")
    while frames.count <= k {
      let step = frames.count
      var variables: [Z3Term] = []
      var values: [SymbolicValue] = []
      for variable in model.variables {
        let name = "\(variable.name)@\(step)"
        if variable.type == .bool {
          let term = try context.boolConstant(name)
          variables.append(term)
          values.append(.bool(term))
        } else {
          let term =
            isMathematical
            ? try context.intConstant(name)
            : try context.bitVectorConstant(name, width: bitWidth)
          variables.append(term)
          values.append(.int(term))
        }
      }
      frames.append(SymbolicFrame(step: step, variables: variables, values: values))
    }
    return frames[k]
  }

  /// Every variable at step `k` has its initial value.
  package func initial(at k: Int) throws -> Z3Term {
    try state(model.initialValues, at: k)
  }

  /// Every variable at step `k` equals the concrete `values` (indexed by `VarID.index`).
  package func state(_ values: [Int], at k: Int) throws -> Z3Term {
    try state(values, equals: stepFrame(k).variables)
  }

  /// Every term of `terms` (one per variable, in its sort) equals the concrete `values`.
  package func state(_ values: [Int], equals terms: [Z3Term]) throws -> Z3Term {
    precondition(values.count == model.variables.count, "state has the wrong length")
    precondition(terms.count == model.variables.count, "terms have the wrong length")
    return try context.and(
      values.indices.map { try context.eq(terms[$0], constant(values[$0], for: $0)) })
  }

  /// The concrete state `values` as numerals in each variable's sort: an environment in
  /// place of a frame's constants. An action fired or an expression evaluated in it gives
  /// terms without constants, which Z3's simplifier reduces to their values.
  package func concreteValues(_ values: [Int]) throws -> [SymbolicValue] {
    precondition(values.count == model.variables.count, "state has the wrong length")
    return try values.indices.map { index in
      let term = try constant(values[index], for: index)
      return model.variables[index].type == .bool ? .bool(term) : .int(term)
    }
  }

  /// Every integer variable at step `k` lies in its domain (booleans need no constraint).
  package func domain(at k: Int) throws -> Z3Term {
    let frame = try stepFrame(k)
    var constraints: [Z3Term] = []
    for (index, variable) in model.variables.enumerated() where variable.type != .bool {
      constraints.append(try inDomain(frame.variables[index], of: index))
    }
    return try context.and(constraints)
  }

  /// `model.properties[index]` holds at step `k`. A property whose evaluation hits a model
  /// error (an index out of range, a division by zero) has an unspecified value there; use
  /// `evaluate(_:at:)` to see those conditions.
  package func property(_ index: Int, at k: Int) throws -> Z3Term {
    try asBool(evaluate(model.properties[index].expr, at: k).value)
  }

  /// The value of `expr` over the step-`k` variables and the conditions under which
  /// evaluating it hits a model error.
  package func evaluate(_ expr: IRExpr, at k: Int) throws -> (
    value: SymbolicValue, errors: [ModelErrorCondition]
  ) {
    try evaluate(expr, in: stepFrame(k).values)
  }

  /// The value of `expr` in the environment `env` (a frame's values or `concreteValues`)
  /// and the conditions under which evaluating it hits a model error.
  package func evaluate(_ expr: IRExpr, in env: [SymbolicValue]) throws -> (
    value: SymbolicValue, errors: [ModelErrorCondition]
  ) {
    var errors: [ModelErrorCondition] = []
    let value = try encode(expr, in: env, path: trueTerm, errors: &errors)
    return (value, errors)
  }

  /// No action is enabled at step `k` and some thread is not at its `finalPC`.
  package func deadlock(at k: Int) throws -> Z3Term {
    let values = try stepFrame(k).values
    var unfinished: [Z3Term] = []
    for thread in model.threads {
      let pc = try asInt(values[thread.pc.index])
      unfinished.append(try context.not(context.eq(pc, number(thread.finalPC))))
    }
    var conjuncts = [try context.or(unfinished)]
    for action in model.actions.indices {
      conjuncts.append(try context.not(enabled(action, at: k)))
    }
    return try context.and(conjuncts)
  }

  /// The constant for `value` in the sort of variable `index` (a boolean variable reads
  /// `value != 0`, so check domains first).
  package func constant(_ value: Int, for index: Int) throws -> Z3Term {
    if model.variables[index].type == .bool { return value != 0 ? trueTerm : falseTerm }
    return try number(value)
  }

  /// Reads the concrete values of every variable at step `k` from a Z3 model.
  ///
  /// - Returns: the values indexed by `VarID.index`, or nil if the model leaves one open.
  package func concreteState(at k: Int, in z3Model: Z3Model) throws -> [Int]? {
    var state: [Int] = []
    for value in try stepFrame(k).values {
      guard let concrete = try concreteValue(value, in: z3Model) else { return nil }
      state.append(concrete)
    }
    return state
  }

  /// The integer a symbolic value takes in a Z3 model (booleans as 0 and 1).
  package func concreteValue(_ value: SymbolicValue, in z3Model: Z3Model) throws -> Int? {
    switch value {
    case .bool(let term): try z3Model.evalBool(term).map { $0 ? 1 : 0 }
    case .int(let term): try z3Model.evalInt(term)
    }
  }

  func checkRepresentable(_ value: Int) throws {
    if isMathematical { return }
    let limit = bitWidth == 64 ? Int.max : (1 << (bitWidth - 1)) - 1
    guard value >= -limit - 1 && value <= limit else {
      throw SymbolicError.unrepresentable(value, bitWidth: bitWidth)
    }
  }
}
