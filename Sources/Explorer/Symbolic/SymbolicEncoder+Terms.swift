internal import HMMModel

extension SymbolicEncoder {
  /// The bit-vector numeral `value`, made once per value and encoder (Z3 hash-conses terms,
  /// so a numeral made again would be the same term, at the cost of a sort and a numeral).
  ///
  /// - Throws: `SymbolicError` when `value` does not fit in `bitWidth` signed bits.
  package func number(_ value: Int) throws -> Z3Term {
    if let numeral = numerals[value] { return numeral }
    let numeral: Z3Term
    if isMathematical {
      numeral = try context.int(value)
    } else {
      try checkRepresentable(value)
      numeral = try context.bitVector(value, width: bitWidth)
    }
    numerals[value] = numeral
    return numeral
  }

  /// The value as a Boolean term (an integer is true when it is not 0).
  package func asBool(_ value: SymbolicValue) throws -> Z3Term {
    switch value {
    case .bool(let term): term
    case .int(let term): try context.not(context.eq(term, number(0)))
    }
  }

  /// The value as a bit-vector term (a Boolean is 0 or 1).
  package func asInt(_ value: SymbolicValue) throws -> Z3Term {
    switch value {
    case .bool(let term): try context.ite(term, number(1), number(0))
    case .int(let term): term
    }
  }

  /// `lo ≤ term ≤ hi` (signed) for the domain of variable `index`; 0 or 1 for a Boolean;
  /// only `lo ≤ term` for a variable unbounded above.
  func inDomain(_ term: Z3Term, of index: Int) throws -> Z3Term {
    let type = model.variables[index].type
    let atLeast = try lessOrEqual(number(type.lowerBound), term)
    if isUnboundedAbove(index) { return atLeast }
    return try context.and([atLeast, lessOrEqual(term, number(type.upperBound))])
  }

  /// `path ∧ condition`, without a conjunct when `path` is `true`.
  func conjoin(_ path: Z3Term, _ condition: Z3Term) throws -> Z3Term {
    path.isIdentical(to: trueTerm) ? condition : try context.and([path, condition])
  }

  /// Records that an array of `count` elements is indexed with `index` under `path`.
  func checkIndex(
    _ index: Z3Term, count: Int, path: Z3Term, errors: inout [ModelErrorCondition]
  ) throws {
    let inRange = try context.and([
      lessOrEqual(number(0), index),
      less(index, number(count)),
    ])
    errors.append(
      ModelErrorCondition(
        kind: .indexOutOfRange, condition: try conjoin(path, context.not(inRange))))
  }
}
