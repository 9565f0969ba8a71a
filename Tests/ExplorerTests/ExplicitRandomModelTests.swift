import HMMModel
import Testing

@testable import Explorer

/// A small seeded generator (ExplicitTestRNG), so every run tests the same models.
struct ExplicitTestRNG: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return Fingerprint.mix(state)
  }
}

/// Random well-typed IR models with small domains: a couple of globals, a 2-element array,
/// 2–3 threads with random guards, effects (arithmetic, `ite`, `if`, array writes, asserts)
/// and properties. Values can leave their domain, indices their array, divisors can be 0: all
/// kinds of verdict occur.
struct ExplicitRandomModels {
  var rng: ExplicitTestRNG
  var ints: [VarID] = []
  var bools: [VarID] = []
  var array: [VarID] = []
  var types: [VarID: IRType] = [:]

  init(seed: UInt64) { rng = ExplicitTestRNG(state: seed) }

  mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }
  mutating func pick<T>(_ xs: [T]) -> T { xs[Int.random(in: 0..<xs.count, using: &rng)] }

  mutating func model(_ index: Int) -> IRModel {
    var b = ExplicitToyBuilder("random-\(index)")
    ints = []
    bools = []
    types = [:]
    for g in 0..<3 {
      if chance(35) {
        bools.append(b.variable("b\(g)", .bool, initial: Int.random(in: 0...1, using: &rng)))
      } else {
        let type = pick([IRType.int(lo: -2, hi: 2), .int(lo: 0, hi: 4), .int(lo: 1, hi: 3)])
        let id = b.variable("x\(g)", type, initial: type.lowerBound)
        ints.append(id)
        types[id] = type
      }
    }
    array = (0..<2).map { b.variable("arr[\($0)]", .int(lo: 0, hi: 2)) }
    for id in array { types[id] = .int(lo: 0, hi: 2) }
    let threadCount = Int.random(in: 2...3, using: &rng)
    for t in 0..<threadCount {
      let pcCount = Int.random(in: 3...4, using: &rng)
      let thread = b.thread("t\(t)", pcCount: pcCount, finalPC: pcCount - 1)
      for pc in 0..<(pcCount - 1) {
        for k in 0..<Int.random(in: 1...2, using: &rng) {
          let to = chance(75) ? pc + 1 : Int.random(in: 0..<pcCount, using: &rng)
          let guardExpr = chance(50) ? IRExpr.true : boolExpr(2)
          let effects = (0..<Int.random(in: 1...3, using: &rng)).map { _ in statement(1) }
          b.action("a\(t).\(pc).\(k)", thread: thread, from: pc, to: to, when: guardExpr, effects)
        }
      }
    }
    if chance(60) {
      // Not (thread 0 at some pc and a random condition): usually true initially.
      let at = irEq(b.pc(0), irInt(Int.random(in: 1...2, using: &rng)))
      b.property("P1", irNot(irAnd(at, boolExpr(1))))
    }
    if chance(40) { b.property("P2", .binary(.ge, .element(array, irInt(1)), irInt(0))) }
    return b.build(checkDeadlock: chance(70))
  }

  mutating func intExpr(_ depth: Int) -> IRExpr {
    let leaf = depth == 0 || chance(30)
    if leaf {
      return chance(40) || ints.isEmpty
        ? irInt(Int.random(in: -2...3, using: &rng)) : irVar(pick(ints))
    }
    switch Int.random(in: 0..<10, using: &rng) {
    case 0:
      return .element(array, chance(95) ? irInt(Int.random(in: 0...1, using: &rng)) : intExpr(0))
    case 1: return .unary(pick([.negate, .complement]), intExpr(depth - 1))
    case 2 where chance(20):
      return .binary(pick([.div, .mod]), intExpr(depth - 1), intExpr(depth - 1))
    case 3:
      return .binary(pick([.bitAnd, .bitOr, .bitXor]), intExpr(depth - 1), intExpr(depth - 1))
    case 4: return .ite(boolExpr(depth - 1), intExpr(depth - 1), intExpr(depth - 1))
    default:
      if chance(60) {
        return .binary(.add, intExpr(depth - 1), irInt(Int.random(in: -1...1, using: &rng)))
      }
      return .binary(pick([.add, .sub, .mul]), intExpr(depth - 1), intExpr(depth - 1))
    }
  }

  mutating func boolExpr(_ depth: Int) -> IRExpr {
    if depth == 0 || chance(25) {
      if !bools.isEmpty && chance(40) { return irVar(pick(bools)) }
      // A variable against a constant in, at the edge of, or outside its domain.
      let op = pick([IRBinaryOp.eq, .ne, .lt, .le, .gt, .ge])
      let constant = irInt(Int.random(in: -3...5, using: &rng))
      return chance(50) ? .binary(op, intExpr(0), constant) : .binary(op, constant, intExpr(0))
    }
    switch Int.random(in: 0..<6, using: &rng) {
    case 0: return .unary(.not, boolExpr(depth - 1))
    case 1: return .binary(pick([.and, .or, .implies]), boolExpr(depth - 1), boolExpr(depth - 1))
    case 2: return .ite(boolExpr(depth - 1), boolExpr(depth - 1), boolExpr(depth - 1))
    default:
      return .binary(pick([.eq, .ne, .lt, .le, .gt, .ge]), intExpr(depth - 1), intExpr(depth - 1))
    }
  }

  /// Mostly stays in range (`ite(in range, e, lo)`), sometimes not.
  mutating func safe(_ e: IRExpr, _ type: IRType) -> IRExpr {
    guard chance(93) else { return e }
    let inRange = IRExpr.binary(
      .and, .binary(.ge, e, irInt(type.lowerBound)), .binary(.le, e, irInt(type.upperBound)))
    return .ite(inRange, e, irInt(type.lowerBound))
  }

  mutating func statement(_ depth: Int) -> IRStmt {
    let roll = Int.random(in: 0..<20, using: &rng)
    if roll == 0 && chance(50) { return .assert(boolExpr(1), message: "random assert") }
    if roll <= 3 && depth > 0 {
      return .ifElse(boolExpr(1), [statement(depth - 1)], chance(50) ? [] : [statement(depth - 1)])
    }
    if roll <= 6 {
      let index = chance(95) ? irInt(Int.random(in: 0...1, using: &rng)) : intExpr(1)
      return .assign(.element(array, index), safe(intExpr(2), .int(lo: 0, hi: 2)))
    }
    if roll >= 17 {
      // A constant, sometimes outside the domain; runs of these are merged by the compiler.
      let target = pick(ints + bools + array)
      let type = types[target] ?? .bool
      let value = Int.random(in: (type.lowerBound - 1)...(type.upperBound + 1), using: &rng)
      return irAssign(
        target, irInt(chance(90) ? max(type.lowerBound, min(value, type.upperBound)) : value))
    }
    if roll == 7 && !ints.isEmpty {
      // A plain copy between variables whose domains may differ.
      return irAssign(pick(ints), irVar(pick(ints + array)))
    }
    if !bools.isEmpty && (ints.isEmpty || chance(40)) {
      return irAssign(pick(bools), boolExpr(1))
    }
    let target = ints.isEmpty ? array[0] : pick(ints)
    return irAssign(target, safe(intExpr(2), types[target] ?? .bool))
  }
}

@Suite("Explicit engine: random models against a naive reference checker")
struct ExplicitRandomModelTests {
  @Test func engineMatchesTheReferenceOnRandomModels() throws {
    var generator = ExplicitRandomModels(seed: 2024)
    var kinds: [String: Int] = [:]
    for index in 0..<1500 {
      let model = generator.model(index)
      let reference = ExplicitReferenceChecker(model: model).check()
      for exact in [false, true] {
        let explorer = ExplicitExplorer(
          model: model, options: ExplorationOptions(exact: exact))
        let outcome = explorer.run()
        let result = ExplicitReferenceChecker.Result(outcome)
        #expect(result == reference.result, "model \(index), exact \(exact)")
        #expect(outcome.statistics.states == reference.states, "model \(index)")
        #expect(outcome.statistics.transitions == reference.transitions, "model \(index)")
        if let trace = outcome.trace {
          #expect(trace.actions.count == trace.states.count - 1)
          switch explorer.replay(trace.actions) {
          case .success(let replayed): #expect(replayed == trace, "model \(index)")
          case .failure(let error): #expect(error.trace == trace, "model \(index)")
          }
        }
      }
      kinds[reference.result.kind, default: 0] += 1
    }
    // Non-vacuity: every kind of verdict was exercised.
    for kind in ["holds", "property", "deadlock", "modelError"] {
      #expect(kinds[kind, default: 0] >= 10, "\(kind): \(kinds)")
    }
  }
}
