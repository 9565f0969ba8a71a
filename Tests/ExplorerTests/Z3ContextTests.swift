import Testing

@testable import Explorer

@Suite("Z3 context and terms")
struct Z3ContextTests {
  @Test func versionIsTheLinkedLibrary() {
    let parts = Z3Context.version.split(separator: ".")
    #expect(parts.count == 4)
    #expect(parts.first == "4")
  }

  @Test func sortsAreReported() throws {
    let context = Z3Context()
    #expect(try context.boolConstant("p").sort.kind == .bool)
    #expect(try context.intConstant("i").sort.kind == .int)
    #expect(try context.bitVectorConstant("x", width: 12).sort.kind == .bitVector(width: 12))
  }

  @Test func equalTermsAreIdentical() throws {
    let context = Z3Context()
    let a = try context.bvAdd(
      context.bitVectorConstant("x", width: 8), context.bitVector(1, width: 8))
    let b = try context.bvAdd(
      context.bitVectorConstant("x", width: 8), context.bitVector(1, width: 8))
    let c = try context.bvAdd(
      context.bitVectorConstant("x", width: 8), context.bitVector(2, width: 8))
    #expect(a.isIdentical(to: b))
    #expect(!a.isIdentical(to: c))
    #expect(a.description.contains("bvadd"))
  }

  @Test func termKeepsItsContextAlive() throws {
    weak var weakContext: Z3Context?
    var term: Z3Term? = try {
      let context = Z3Context()
      weakContext = context
      return try context.eq(
        context.bitVectorConstant("x", width: 8), context.bitVector(7, width: 8))
    }()
    // The term is now the only owner of its context, which must still work.
    #expect(weakContext != nil)
    let formula = try #require(term)
    let solver = try Z3Solver(context: formula.context)
    try solver.assert(formula)
    #expect(try solver.check() == .sat)
    let x = try formula.context.bitVectorConstant("x", width: 8)
    #expect(try solver.model().evalInt(x) == 7)
    _ = consume solver
    _ = consume x
    _ = consume formula
    term = nil
    #expect(weakContext == nil)
  }

  @Test func illSortedAdditionThrowsInsteadOfExiting() throws {
    let context = Z3Context()
    let error = try #require(throws: Z3Error.self) {
      try context.bvAdd(context.boolConstant("p"), context.bitVectorConstant("x", width: 32))
    }
    // Z3 4.8 reports sort mismatches from term builders as Z3_EXCEPTION.
    #expect([.sortError, .exception].contains(error.code))
    #expect(error.message.contains("sort"))
  }

  @Test func conjunctionOfBitVectorsThrows() throws {
    let context = Z3Context()
    let x = try context.bitVectorConstant("x", width: 8)
    let error = try #require(throws: Z3Error.self) { try context.and([x, x]) }
    #expect([.sortError, .exception].contains(error.code))
    #expect(error.message.contains("sort"))
  }

  @Test func equalityAcrossSortsThrows() throws {
    let context = Z3Context()
    #expect(throws: Z3Error.self) {
      try context.eq(context.intConstant("i"), context.bitVectorConstant("x", width: 8))
    }
  }

  @Test func contextStaysUsableAfterAnError() throws {
    let context = Z3Context()
    let p = try context.boolConstant("p")
    _ = try? context.bvNeg(p)
    let formula = try context.and([p, context.not(context.not(p))])
    let solver = try Z3Solver(context: context)
    try solver.assert(formula)
    #expect(try solver.check() == .sat)
    #expect(try solver.model().evalBool(p) == true)
  }

  @Test func zeroWidthBitVectorIsRejected() throws {
    let context = Z3Context()
    #expect(throws: Z3Error.self) { try context.bitVectorSort(width: 0) }
  }
}
