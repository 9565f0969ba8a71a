package import HMMModel

/// How `SymbolicEncoder` encodes integer variables.
package enum IntegerEncoding: Sendable, Equatable {
  /// Two's complement bit-vectors of `width` bits (the default).
  case bitVector(width: Int)
  /// Z3's mathematical integers. The variables in `unboundedAbove` keep only the lower bound
  /// of their domain: a value above the declared upper bound is not a model error.
  case mathematical(unboundedAbove: Set<VarID>)
}

extension SymbolicEncoder {
  var isMathematical: Bool {
    if case .mathematical = integers { true } else { false }
  }

  func isUnboundedAbove(_ index: Int) -> Bool {
    if case .mathematical(let unbounded) = integers {
      unbounded.contains(VarID(index))
    } else {
      false
    }
  }

  /// `a ≤ b` in the encoding's integers.
  func lessOrEqual(_ a: Z3Term, _ b: Z3Term) throws -> Z3Term {
    isMathematical ? try context.intLessOrEqual(a, b) : try context.bvSignedLessOrEqual(a, b)
  }

  /// `a < b` in the encoding's integers.
  func less(_ a: Z3Term, _ b: Z3Term) throws -> Z3Term {
    isMathematical ? try context.intLess(a, b) : try context.bvSignedLess(a, b)
  }

  /// `-a`.
  func negate(_ a: Z3Term) throws -> Z3Term {
    isMathematical ? try context.intNeg(a) : try context.bvNeg(a)
  }

  /// `~a`, which is `-a - 1` in two's complement.
  func complement(_ a: Z3Term) throws -> Z3Term {
    isMathematical ? try context.intSub(context.intNeg(a), number(1)) : try context.bvNot(a)
  }

  /// A binary operator over mathematical integers, with C's truncating `/` and `%`.
  ///
  /// Bitwise `&` and `|` are encoded when one operand is a non-negative numeral `c`, bit by
  /// bit: bit `i` of `a` is `⌊a / 2^i⌋ mod 2` (Euclidean, so two's complement for negative `a`
  /// too), `a & c = Σ_{i ∈ c} bitᵢ(a)·2^i` and `a | c = a + Σ_{i ∈ c} (1 - bitᵢ(a))·2^i`. Any
  /// other bitwise operation throws.
  func mathematicalArithmetic(
    _ op: IRBinaryOp, _ a: Z3Term, _ b: Z3Term, path: Z3Term,
    errors: inout [ModelErrorCondition]
  ) throws -> SymbolicValue {
    switch op {
    case .add: return .int(try context.intAdd(a, b))
    case .sub: return .int(try context.intSub(a, b))
    case .mul: return .int(try context.intMul(a, b))
    case .div, .mod:
      let zero = try conjoin(path, context.eq(b, number(0)))
      errors.append(ModelErrorCondition(kind: .divisionByZero, condition: zero))
      let quotient = try truncatingQuotient(a, b)
      if op == .div { return .int(quotient) }
      return .int(try context.intSub(a, context.intMul(b, quotient)))
    case .bitAnd, .bitOr:
      guard let (value, constant) = numeralOperand(a, b) else {
        throw SymbolicError.malformed(
          "\(op.symbol) with mathematical integers needs a non-negative constant operand")
      }
      var result = op == .bitAnd ? try number(0) : value
      for i in 0..<(Int.bitWidth - 1) where constant >> i & 1 == 1 {
        let power = try number(1 << i)
        let bit = try context.intEuclideanMod(context.intEuclideanDiv(value, power), number(2))
        let term = op == .bitAnd ? bit : try context.intSub(number(1), bit)
        result = try context.intAdd(result, context.intMul(term, power))
      }
      return .int(result)
    case .bitXor:
      throw SymbolicError.malformed("^ is not encoded with mathematical integers")
    case .lt: return .bool(try context.intLess(a, b))
    case .le: return .bool(try context.intLessOrEqual(a, b))
    case .gt: return .bool(try context.intGreater(a, b))
    case .ge: return .bool(try context.intGreaterOrEqual(a, b))
    case .eq, .ne, .and, .or, .implies:
      preconditionFailure("\(op) is handled by encodeBinary")
    }
  }

  /// `a / b` truncated toward zero, from Euclidean division on the magnitudes.
  private func truncatingQuotient(_ a: Z3Term, _ b: Z3Term) throws -> Z3Term {
    let zero = try number(0)
    let aNonNegative = try context.intGreaterOrEqual(a, zero)
    let bNonNegative = try context.intGreaterOrEqual(b, zero)
    let magnitudeA = try context.ite(aNonNegative, a, context.intNeg(a))
    let magnitudeB = try context.ite(bNonNegative, b, context.intNeg(b))
    let magnitude = try context.intEuclideanDiv(magnitudeA, magnitudeB)
    let sameSign = try context.eq(aNonNegative, bNonNegative)
    return try context.ite(sameSign, magnitude, context.intNeg(magnitude))
  }

  /// The other operand and the constant when one operand is a non-negative numeral.
  private func numeralOperand(_ a: Z3Term, _ b: Z3Term) -> (Z3Term, Int)? {
    if let value = b.integerNumeral, value >= 0 { return (a, value) }
    if let value = a.integerNumeral, value >= 0 { return (b, value) }
    return nil
  }
}
