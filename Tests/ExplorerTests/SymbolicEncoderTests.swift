import HMMModel
import Testing

@testable import Explorer

/// What firing one action from a concrete state gives, computed by Z3.
enum SymbolicStep: Equatable {
  case disabled
  case modelError([ModelErrorCondition.Kind])
  case next([Int])
}

/// Fires `action` of `model` from the concrete `state` through the symbolic encoding.
func symbolicStep(_ model: IRModel, _ action: Int, from state: [Int]) throws -> SymbolicStep {
  let context = Z3Context()
  let encoder = try SymbolicEncoder(model: model, context: context)
  let solver = try Z3Solver(context: context)
  try solver.assert(encoder.state(state, at: 0))
  let fires = try encoder.actionFires(action, from: 0)
  try solver.push()
  try solver.assert(fires.hitsModelError)
  if try solver.check() == .sat {
    let z3Model = try solver.model()
    let kinds = try fires.errors.filter { try z3Model.evalBool($0.condition) == true }.map(\.kind)
    return .modelError(kinds)
  }
  try solver.pop()
  try solver.assert(fires.enabled)
  guard try solver.check() == .sat else { return .disabled }
  try solver.assert(encoder.transition(fires))
  #expect(try solver.check() == .sat)
  return .next(try #require(try encoder.concreteState(at: 1, in: solver.model())))
}

/// One thread at pc 0 whose actions all loop back to pc 0, over:
/// a (0), b (1), q (2), r (3) in -10...10; arr[0...2] (4...6) in 0...5; i (7) in -1...3;
/// flag (8) bool; pc (9).
func operationsModel(_ actions: [(guard: IRExpr, effects: [IRStmt])]) -> IRModel {
  let int10 = IRType.int(lo: -10, hi: 10)
  var variables = ["a", "b", "q", "r"].map { IRVariable(name: $0, type: int10, initial: 0) }
  variables += (0..<3).map { IRVariable(name: "arr[\($0)]", type: .int(lo: 0, hi: 5), initial: 0) }
  variables.append(IRVariable(name: "i", type: .int(lo: -1, hi: 3), initial: 0))
  variables.append(IRVariable(name: "flag", type: .bool, initial: 0))
  variables.append(IRVariable(name: "pc", type: .int(lo: 0, hi: 1), initial: 0, owner: 0))
  return IRModel(
    name: "operations", variables: variables,
    threads: [IRThread(name: "main", pc: VarID(9), pcCount: 2, initialPC: 0, finalPC: 1)],
    actions: actions.enumerated().map { index, action in
      SymbolicTestModels.action(
        "op\(index)", thread: 0, from: 0, guard: action.guard,
        action.effects + [SymbolicTestModels.setPC(9, 0)])
    },
    properties: [], checkDeadlock: false)
}

@Suite("Symbolic encoding of IR semantics")
struct SymbolicEncoderTests {
  typealias M = SymbolicTestModels
  static let a = M.variable(0), b = M.variable(1), i = M.variable(7), flag = M.variable(8)
  static let array = [VarID(4), VarID(5), VarID(6)]
  static let q = 2, r = 3

  /// a, b, q, r, arr[0], arr[1], arr[2], i, flag, pc
  static func state(a: Int = 0, b: Int = 0, arr: [Int] = [0, 0, 0], i: Int = 0, flag: Int = 0)
    -> [Int]
  {
    [a, b, 0, 0] + arr + [i, flag, 0]
  }

  static func single(_ effects: [IRStmt], guard guardExpr: IRExpr = .true) -> IRModel {
    operationsModel([(guardExpr, effects)])
  }

  @Test func divisionTruncatesTowardZero() throws {
    let model = Self.single([
      M.assign(Self.q, .binary(.div, Self.a, Self.b)),
      M.assign(Self.r, .binary(.mod, Self.a, Self.b)),
    ])
    var expected = Self.state(a: -7, b: 2)
    expected[Self.q] = -3
    expected[Self.r] = -1
    #expect(try symbolicStep(model, 0, from: Self.state(a: -7, b: 2)) == .next(expected))
  }

  @Test func laterStatementsSeeEarlierWrites() throws {
    let model = Self.single([
      M.assign(0, .binary(.add, Self.a, .int(1))), M.assign(Self.q, .binary(.add, Self.a, .int(2))),
    ])
    var expected = Self.state(a: -6)
    expected[Self.q] = -4
    #expect(try symbolicStep(model, 0, from: Self.state(a: -7)) == .next(expected))
  }

  @Test func negationAndComplement() throws {
    let model = Self.single([
      M.assign(Self.q, .unary(.negate, Self.a)), M.assign(Self.r, .unary(.complement, Self.b)),
    ])
    var expected = Self.state(a: -7, b: 2)
    expected[Self.q] = 7
    expected[Self.r] = -3
    #expect(try symbolicStep(model, 0, from: Self.state(a: -7, b: 2)) == .next(expected))
  }

  @Test func ifElseMergesBothBranches() throws {
    let model = Self.single([
      .ifElse(
        .binary(.lt, Self.a, .int(0)), [M.assign(Self.q, .int(1)), M.assign(8, .true)],
        [M.assign(Self.q, .int(2))])
    ])
    var negative = Self.state(a: -7)
    negative[Self.q] = 1
    negative[8] = 1
    #expect(try symbolicStep(model, 0, from: Self.state(a: -7)) == .next(negative))
    var positive = Self.state(a: 3)
    positive[Self.q] = 2
    #expect(try symbolicStep(model, 0, from: Self.state(a: 3)) == .next(positive))
  }

  @Test func elementWriteWithComputedIndex() throws {
    let element = IRExpr.element(Self.array, Self.i)
    let model = Self.single([.assign(.element(Self.array, Self.i), .binary(.add, element, .int(1)))]
    )
    #expect(
      try symbolicStep(model, 0, from: Self.state(arr: [0, 4, 0], i: 1))
        == .next(Self.state(arr: [0, 5, 0], i: 1)))
    #expect(
      try symbolicStep(model, 0, from: Self.state(arr: [0, 5, 0], i: 1))
        == .modelError([.outOfDomain(variable: VarID(5))]))
    // The read `arr[i]` and the write `arr[i] :=` both fail.
    for index in [-1, 3] {
      #expect(
        try symbolicStep(model, 0, from: Self.state(i: index))
          == .modelError([.indexOutOfRange, .indexOutOfRange]))
    }
  }

  @Test func elementRead() throws {
    let model = Self.single([M.assign(Self.q, .element(Self.array, Self.i))])
    var expected = Self.state(arr: [1, 2, 3], i: 2)
    expected[Self.q] = 3
    #expect(try symbolicStep(model, 0, from: Self.state(arr: [1, 2, 3], i: 2)) == .next(expected))
  }

  @Test func divisionByZeroIsAModelError() throws {
    let model = Self.single([M.assign(Self.q, .binary(.mod, Self.a, Self.b))])
    #expect(try symbolicStep(model, 0, from: Self.state(a: 3)) == .modelError([.divisionByZero]))
  }

  @Test func shortCircuitSkipsFailingOperands() throws {
    let fails = IRExpr.binary(.eq, .binary(.div, Self.a, Self.b), .int(0))
    let model = operationsModel([
      (.true, [M.assign(8, .binary(.and, .false, fails))]),
      (.true, [M.assign(8, .binary(.or, .true, fails))]),
      (.true, [M.assign(8, .binary(.implies, .false, fails))]),
      (.true, [M.assign(Self.q, .ite(.true, .int(4), .binary(.div, Self.a, Self.b)))]),
      (.true, [M.assign(8, .binary(.and, .true, fails))]),
    ])
    let start = Self.state(a: 1)
    #expect(try symbolicStep(model, 0, from: start) == .next(start))
    var flagged = start
    flagged[8] = 1
    #expect(try symbolicStep(model, 1, from: start) == .next(flagged))
    #expect(try symbolicStep(model, 2, from: start) == .next(flagged))
    var four = start
    four[Self.q] = 4
    #expect(try symbolicStep(model, 3, from: start) == .next(four))
    #expect(try symbolicStep(model, 4, from: start) == .modelError([.divisionByZero]))
  }

  @Test func failedAssertion() throws {
    let model = Self.single([.assert(.binary(.gt, Self.a, .int(0)), message: "a is positive")])
    #expect(
      try symbolicStep(model, 0, from: Self.state(a: -7))
        == .modelError([.assertion(message: "a is positive")]))
    #expect(try symbolicStep(model, 0, from: Self.state(a: 7)) == .next(Self.state(a: 7)))
  }

  @Test func guardDisablesAndGuardFaultIsAModelError() throws {
    let model = operationsModel([
      (.binary(.gt, Self.a, .int(0)), []),
      (.binary(.gt, .binary(.div, Self.a, Self.b), .int(0)), []),
    ])
    #expect(try symbolicStep(model, 0, from: Self.state(a: -7)) == .disabled)
    #expect(try symbolicStep(model, 1, from: Self.state(a: 1)) == .modelError([.divisionByZero]))

  }

  @Test func propertyErrors() throws {
    // overflowingCounter's P1 divides by 2 - x.
    let model = M.overflowingCounter()
    let context = Z3Context()
    let encoder = try SymbolicEncoder(model: model, context: context)
    func faults(_ state: [Int]) throws -> Bool {
      let solver = try Z3Solver(context: context)
      try solver.assert(encoder.state(state, at: 0))
      try solver.assert(context.or(encoder.propertyErrors(at: 0).map(\.condition)))
      return try solver.check() == .sat
    }
    #expect(try faults([2, 0]))
    #expect(try !faults([1, 0]))
  }

  @Test func booleansAndIntegersMix() throws {
    let model = operationsModel([
      (.true, [M.assign(Self.q, Self.flag)]),
      (.true, [M.assign(8, Self.a)]),
    ])
    var one = Self.state(flag: 1)
    one[Self.q] = 1
    #expect(try symbolicStep(model, 0, from: Self.state(flag: 1)) == .next(one))
    #expect(try symbolicStep(model, 1, from: Self.state(a: 1)) == .next(Self.state(a: 1, flag: 1)))
    #expect(
      try symbolicStep(model, 1, from: Self.state(a: 2))
        == .modelError([.outOfDomain(variable: VarID(8))]))
  }

  @Test func unrepresentableValuesThrow() throws {
    let huge = Self.single([M.assign(Self.q, .int(1 << 40))])
    let context = Z3Context()
    let encoder = try SymbolicEncoder(model: huge, context: context)
    #expect(throws: SymbolicError.self) { try encoder.actionFires(0, from: 0) }

    var wide = huge
    wide.variables[0].type = .int(lo: 0, hi: 1 << 33)
    #expect(throws: SymbolicError.self) {
      try SymbolicEncoder(model: wide, context: context)
    }
    #expect(throws: Never.self) {
      try SymbolicEncoder(model: wide, context: context, bitWidth: 64)
    }
  }

  @Test func deadlockAndDomainFormulas() throws {
    let model = M.opposingLocks()
    let context = Z3Context()
    let encoder = try SymbolicEncoder(model: model, context: context)
    func holds(_ formula: Z3Term, in state: [Int]) throws -> Bool {
      let solver = try Z3Solver(context: context)
      try solver.assert(encoder.state(state, at: 0))
      try solver.assert(formula)
      return try solver.check() == .sat
    }
    #expect(try holds(encoder.deadlock(at: 0), in: [1, 1, 1, 1]))
    #expect(try !holds(encoder.deadlock(at: 0), in: [0, 0, 0, 0]))
    #expect(try !holds(encoder.deadlock(at: 0), in: [0, 0, 3, 3]))
    #expect(try holds(encoder.domain(at: 0), in: [0, 0, 3, 3]))
    #expect(try !holds(encoder.domain(at: 0), in: [0, 0, 4, 3]))
  }

  /// The encoder as bounded model checking will use it: the counter's P1 first fails at
  /// depth 3, and the run Z3 finds is the three `inc`s.
  @Test func boundedSearchFindsTheShortestViolation() throws {
    let model = M.counter()
    let context = Z3Context()
    let encoder = try SymbolicEncoder(model: model, context: context)
    let solver = try Z3Solver(context: context)
    try solver.assert(encoder.initial(at: 0))
    var firstViolation: Int?
    for depth in 0...4 {
      if depth > 0 {
        let steps = try model.actions.indices.map {
          try encoder.transition(encoder.actionFires($0, from: depth - 1))
        }
        try solver.assert(context.or(steps))
      }
      try solver.push()
      try solver.assert(context.not(encoder.property(0, at: depth)))
      if try solver.check() == .sat {
        firstViolation = depth
        let z3Model = try solver.model()
        let states = try (0...depth).map { try encoder.concreteState(at: $0, in: z3Model) }
        #expect(states == [[0, 0], [1, 0], [2, 0], [3, 0]])
        break
      }
      try solver.pop()
    }
    #expect(firstViolation == 3)
  }
}
