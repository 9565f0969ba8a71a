import Foundation
import HMMModel
import Testing

@testable import Explorer

/// Random models in which threads mostly work on their own locals and sometimes touch shared
/// globals or a lock, so that partial-order reduction has something to reduce. Properties
/// read globals and sometimes a local; values can leave their domain and asserts can fail,
/// so every verdict occurs.
struct ExplicitLocalRandomModels {
  var rng: ExplicitTestRNG

  init(seed: UInt64) { rng = ExplicitTestRNG(state: seed) }

  mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }
  mutating func pick<T>(_ xs: [T]) -> T { xs[Int.random(in: 0..<xs.count, using: &rng)] }
  mutating func value(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

  mutating func model(_ index: Int) -> IRModel {
    var b = ExplicitToyBuilder("local-random-\(index)")
    let globals = (0..<2).map { b.variable("g\($0)", .int(lo: 0, hi: 2)) }
    let lock = b.variable("lock", .bool)
    let threadCount = value(2...3)
    var locals: [[VarID]] = []
    for t in 0..<threadCount {
      let pcCount = value(3...5)
      let thread = b.thread("t\(t)", pcCount: pcCount, finalPC: pcCount - 1)
      let mine = (0..<2).map { b.variable("t\(t).l\($0)", .int(lo: 0, hi: 3), owner: thread) }
      locals.append(mine)
      for pc in 0..<(pcCount - 1) {
        for k in 0..<value(1...2) {
          let to = chance(80) ? pc + 1 : value(0...(pcCount - 1))
          var guardExpr = IRExpr.true
          var effects: [IRStmt] = []
          switch value(0...9) {
          case 0..<5:
            // Local work.
            let target = pick(mine)
            if chance(40) { guardExpr = .binary(.le, irVar(pick(mine)), irInt(value(0...3))) }
            let step = irAdd(irVar(pick(mine)), irInt(value(0...1)))
            effects.append(
              irAssign(
                target,
                chance(90) ? .ite(.binary(.le, step, irInt(3)), step, irInt(0)) : step))
          case 5:
            if chance(50) { guardExpr = irEq(irVar(lock), irInt(0)) }
            effects.append(irAssign(lock, irInt(1)))
          case 6:
            effects.append(irAssign(lock, irInt(0)))
          case 7:
            // Read a global into a local.
            effects.append(irAssign(pick(mine), irVar(pick(globals))))
          case 8:
            let g = pick(globals)
            if chance(30) { guardExpr = .binary(.le, irVar(g), irInt(1)) }
            let step = irAdd(irVar(g), irInt(1))
            effects.append(
              irAssign(g, chance(90) ? .ite(.binary(.le, step, irInt(2)), step, irInt(0)) : step))
          default:
            if chance(30) {
              effects.append(
                .assert(.binary(.ne, irVar(pick(mine)), irInt(3)), message: "random assert"))
            } else {
              effects.append(irAssign(pick(mine), irInt(value(0...3))))
            }
          }
          b.action("a\(t).\(pc).\(k)", thread: thread, from: pc, to: to, when: guardExpr, effects)
        }
      }
    }
    if chance(60) { b.property("G", .binary(.le, irVar(globals[0]), irInt(value(1...2)))) }
    if chance(30) { b.property("L", .binary(.ne, irVar(pick(locals[0])), irInt(3))) }
    if chance(20) { b.property("PC", .binary(.ne, b.pc(1), irInt(2))) }
    return b.build(checkDeadlock: chance(70))
  }
}

@Suite("Explicit engine: partial-order reduction")
struct ExplicitPartialOrderTests {
  private func reduced(_ model: IRModel, exact: Bool = false) -> Outcome {
    ExplicitExplorer(model: model, options: ExplorationOptions(exact: exact, partialOrder: true))
      .run()
  }

  /// The verdict and the counterexample with the reduction equal the naive reference's (a
  /// failure is reported as the unreduced search finds it); a proof explores no more states.
  @Test func randomModelsMatchTheReference() {
    var generator = ExplicitRandomModels(seed: 77)
    for index in 0..<800 {
      let model = generator.model(index)
      let reference = ExplicitReferenceChecker(model: model).check()
      let outcome = reduced(model)
      #expect(ExplicitReferenceChecker.Result(outcome) == reference.result, "model \(index)")
      #expect(outcome.statistics.states <= reference.states, "model \(index)")
    }
  }

  @Test func localRandomModelsMatchTheReference() {
    var generator = ExplicitLocalRandomModels(seed: 2026)
    var kinds: [String: Int] = [:]
    var reducedHolds = 0
    for index in 0..<1500 {
      let model = generator.model(index)
      let reference = ExplicitReferenceChecker(model: model).check()
      for exact in [false, true] {
        let outcome = reduced(model, exact: exact)
        #expect(
          ExplicitReferenceChecker.Result(outcome) == reference.result,
          "model \(index), exact \(exact)")
        if reference.result == .holds {
          #expect(outcome.statistics.states <= reference.states, "model \(index)")
          if !exact && outcome.statistics.states < reference.states { reducedHolds += 1 }
        }
      }
      kinds[reference.result.kind, default: 0] += 1
    }
    // Non-vacuity: every verdict occurs, and the reduction removed states from many proofs.
    for kind in ["holds", "property", "deadlock", "modelError"] {
      #expect(kinds[kind, default: 0] >= 10, "\(kind): \(kinds)")
    }
    #expect(reducedHolds >= 50, "reduced proofs: \(reducedHolds) of \(kinds)")
  }

  /// Independent counters: the reduction explores one interleaving, not all (k + 2)^n.
  @Test func independentCountersCollapse() {
    let model = ExplicitToys.counters(threads: 3, upTo: 4)
    let full = ExplicitExplorer(model: model).run()
    let outcome = reduced(model)
    #expect(full.verdict == .holds)
    #expect(outcome.verdict == .holds)
    #expect(full.statistics.states == ExplicitToys.countersStateCount(threads: 3, upTo: 4))
    // One thread runs to its end, then the next: 3 · (4 + 1) steps after the initial state.
    #expect(outcome.statistics.states == 3 * 5 + 1)
    #expect(outcome.statistics.reducedStates > 0)
  }

  /// A lock shared by every thread makes the acquisitions dependent: the deadlock of the
  /// lock-order toy is found, with the unreduced counterexample.
  @Test func dependentActionsKeepTheDeadlock() {
    let model = ExplicitToys.lockOrderDeadlock()
    let full = ExplicitExplorer(model: model).run()
    let outcome = reduced(model)
    #expect(outcome.verdict == full.verdict)
    #expect(outcome.trace == full.trace)
  }

  /// Every known-bad shipped spec: the same verdict and the same counterexample with and
  /// without the reduction.
  @Test("shipped known-bad specs: identical verdict and counterexample", arguments: badSpecs())
  func shippedBroken(_ path: String) throws {
    let text = try String(contentsOfFile: specRoot + "/" + path, encoding: .utf8)
    let spec = try SpecLoader.load(path: path, text: text)
    var failures = 0
    for scenario in spec.scenarios {
      let off = ExplicitExplorer(model: scenario.model).run()
      let on = reduced(scenario.model)
      #expect(on.verdict == off.verdict, "\(scenario.name)")
      #expect(on.trace == off.trace, "\(scenario.name)")
      if case .failed = on.verdict { failures += 1 }
    }
    #expect(failures > 0, "\(path): nothing fails")
  }
}

private let specRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

private func badSpecs() -> [String] {
  ["Specs/broken", "Specs/deadlocks"].flatMap { folder in
    ((try? FileManager.default.contentsOfDirectory(atPath: specRoot + "/" + folder)) ?? [])
      .filter { $0.hasSuffix(".hmm") }.sorted().map { folder + "/" + $0 }
  }
}
