import Testing

@testable import Explorer

@Suite("Z3 solver and models")
struct Z3SolverTests {
  @Test func satisfiableFormulaHasAModel() throws {
    let context = Z3Context()
    let x = try context.bitVectorConstant("x", width: 32)
    let solver = try Z3Solver(context: context)
    try solver.assert(context.bvSignedGreater(x, context.bitVector(3, width: 32)))
    try solver.assert(context.bvSignedLess(x, context.bitVector(5, width: 32)))
    #expect(try solver.check() == .sat)
    #expect(try solver.model().evalInt(x) == 4)
  }

  @Test func contradictionIsUnsat() throws {
    let context = Z3Context()
    let x = try context.bitVectorConstant("x", width: 32)
    let solver = try Z3Solver(context: context)
    try solver.assert(context.bvSignedLess(x, context.bitVector(3, width: 32)))
    try solver.assert(context.bvSignedGreater(x, context.bitVector(5, width: 32)))
    #expect(try solver.check() == .unsat)
    #expect(throws: Z3Error.self) { try solver.model() }
  }

  @Test func booleanModel() throws {
    let context = Z3Context()
    let p = try context.boolConstant("p")
    let q = try context.boolConstant("q")
    let solver = try Z3Solver(context: context)
    try solver.assert(context.and([p, context.not(q)]))
    try solver.assert(context.implies(p, context.or([q, p])))
    #expect(try solver.check() == .sat)
    let model = try solver.model()
    #expect(try model.evalBool(p) == true)
    #expect(try model.evalBool(q) == false)
    #expect(try model.evalBool(context.ite(q, context.bool(false), p)) == true)
  }

  @Test func intSortNumerals() throws {
    let context = Z3Context()
    let i = try context.intConstant("i")
    let solver = try Z3Solver(context: context)
    try solver.assert(context.eq(i, context.int(-123_456_789_012)))
    #expect(try solver.check() == .sat)
    #expect(try solver.model().evalInt(i) == -123_456_789_012)
  }

  @Test func distinctOverTooFewValuesIsUnsat() throws {
    let context = Z3Context()
    let bits = try (0..<3).map { try context.bitVectorConstant("b\($0)", width: 1) }
    let solver = try Z3Solver(context: context)
    try solver.assert(context.distinct(bits))
    #expect(try solver.check() == .unsat)
  }

  @Test func pushAndPop() throws {
    let context = Z3Context()
    let x = try context.bitVectorConstant("x", width: 8)
    let solver = try Z3Solver(context: context)
    try solver.assert(context.eq(x, context.bitVector(1, width: 8)))
    try solver.push()
    #expect(solver.scopeCount == 1)
    try solver.assert(context.eq(x, context.bitVector(2, width: 8)))
    #expect(try solver.check() == .unsat)
    try solver.pop()
    #expect(solver.scopeCount == 0)
    #expect(try solver.check() == .sat)
    #expect(try solver.model().evalInt(x) == 1)
    let error = try #require(throws: Z3Error.self) { try solver.pop() }
    #expect(error.code == .invalidUsage)
  }

  @Test func assumptionsAndUnsatCore() throws {
    let context = Z3Context()
    let x = try context.bitVectorConstant("x", width: 8)
    let a = try context.boolConstant("a")
    let b = try context.boolConstant("b")
    let c = try context.boolConstant("c")
    let solver = try Z3Solver(context: context)
    try solver.assert(context.implies(a, context.eq(x, context.bitVector(1, width: 8))))
    try solver.assert(context.implies(b, context.eq(x, context.bitVector(2, width: 8))))
    try solver.assert(context.implies(c, context.bvSignedLess(x, context.bitVector(9, width: 8))))
    #expect(try solver.check(assuming: [a, c]) == .sat)
    #expect(try solver.check(assuming: [a, b, c]) == .unsat)
    let core = try solver.unsatCore()
    #expect(core.contains { $0.isIdentical(to: a) })
    #expect(core.contains { $0.isIdentical(to: b) })
    #expect(!core.contains { $0.isIdentical(to: c) })
    // Assumptions do not stay asserted.
    #expect(try solver.check() == .sat)
  }

  @Test func timeoutGivesUnknown() throws {
    // Factoring a 62-bit semiprime by bit-blasting takes far longer than 5 ms.
    let context = Z3Context()
    let width = 64
    let x = try context.bitVectorConstant("x", width: width)
    let y = try context.bitVectorConstant("y", width: width)
    let one = try context.bitVector(1, width: width)
    let limit = try context.bitVector(1 << 32, width: width)
    let solver = try Z3Solver(context: context)
    for factor in [x, y] {
      try solver.assert(context.bvSignedGreater(factor, one))
      try solver.assert(context.bvSignedLess(factor, limit))
    }
    let product = try context.bitVector(2_147_483_647 * 2_147_483_629, width: width)
    try solver.assert(context.eq(context.bvMul(x, y), product))
    try solver.setTimeout(milliseconds: 5)
    let result = try solver.check()
    guard case .unknown(let reason) = result else {
      Issue.record("expected unknown, got \(result)")
      return
    }
    #expect(!reason.isEmpty)
  }

  @Test func statisticsAfterACheck() throws {
    let context = Z3Context()
    let solver = try Z3Solver(context: context)
    try solver.assert(context.boolConstant("p"))
    _ = try solver.check()
    let statistics = try solver.statistics()
    #expect(!statistics.isEmpty)
    #expect(statistics.allSatisfy { !$0.key.isEmpty })
  }

  static let bitVectorCases: [(String, Int, Int, Int)] = [
    ("add wraps", Int(Int32.max), 1, Int(Int32.min)),
    ("sub", 3, 5, -2),
    ("mul", -4, 6, -24),
    ("sdiv truncates", -7, 2, -3),
    ("srem has the dividend's sign", -7, 2, -1),
    ("srem positive", 7, -2, 1),
    ("and", 12, 10, 8),
    ("or", 12, 10, 14),
    ("xor", 12, 10, 6),
  ]

  @Test(arguments: bitVectorCases)
  func bitVectorArithmetic(_ name: String, _ a: Int, _ b: Int, _ expected: Int) throws {
    let context = Z3Context()
    let x = try context.bitVector(a, width: 32)
    let y = try context.bitVector(b, width: 32)
    let term: Z3Term =
      switch name.split(separator: " ").first {
      case "add": try context.bvAdd(x, y)
      case "sub": try context.bvSub(x, y)
      case "mul": try context.bvMul(x, y)
      case "sdiv": try context.bvSignedDiv(x, y)
      case "srem": try context.bvSignedRem(x, y)
      case "and": try context.bvAnd(x, y)
      case "or": try context.bvOr(x, y)
      default: try context.bvXor(x, y)
      }
    let solver = try Z3Solver(context: context)
    #expect(try solver.check() == .sat)
    #expect(try solver.model().evalInt(term) == expected)
  }

  @Test func unaryAndComparisons() throws {
    let context = Z3Context()
    let five = try context.bitVector(5, width: 32)
    let minusOne = try context.bitVector(-1, width: 32)
    let solver = try Z3Solver(context: context)
    #expect(try solver.check() == .sat)
    let model = try solver.model()
    #expect(try model.evalInt(context.bvNeg(five)) == -5)
    #expect(try model.evalInt(context.bvNot(five)) == -6)
    #expect(try model.evalInt(minusOne) == -1)
    #expect(try model.evalBool(context.bvSignedLess(minusOne, five)) == true)
    #expect(try model.evalBool(context.bvSignedLessOrEqual(five, five)) == true)
    #expect(try model.evalBool(context.bvSignedGreaterOrEqual(minusOne, five)) == false)
    #expect(try model.evalBool(context.bvSignedGreater(five, minusOne)) == true)
  }
}
