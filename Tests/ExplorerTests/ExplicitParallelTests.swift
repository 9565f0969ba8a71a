import Foundation
import HMMModel
import Testing

@testable import Explorer

/// The verdict, the counterexample and the statistics of a complete search do not depend on
/// the number of threads, with and without the reductions.
@Suite("Explicit engine: parallel search")
struct ExplicitParallelTests {
  /// With `parentLimit` 0, the parallel search (fingerprints, no reduction, several
  /// threads) starts after the initial state, and every failure it finds is rebuilt.
  private func run(
    _ model: IRModel, threads: Int, por: Bool = false, exact: Bool = false,
    symmetry: Bool = false, parentLimit: Int = ExplicitExplorer.defaultParentLimit
  ) -> Outcome {
    var explorer = ExplicitExplorer(
      model: model,
      options: ExplorationOptions(
        exact: exact, symmetry: symmetry, partialOrder: por, threads: threads))
    explorer.parentLimit = parentLimit
    return explorer.run()
  }

  private func expectSame(_ a: Outcome, _ b: Outcome, _ note: String) {
    #expect(a.verdict == b.verdict, "\(note)")
    #expect(a.trace == b.trace, "\(note)")
    #expect(a.statistics.states == b.statistics.states, "\(note)")
    #expect(a.statistics.transitions == b.statistics.transitions, "\(note)")
    #expect(a.statistics.depth == b.statistics.depth, "\(note)")
    #expect(a.firedActions == b.firedActions, "\(note)")
  }

  @Test func randomModelsGiveTheSameResultWithOneAndTwoThreads() {
    var generator = ExplicitRandomModels(seed: 99)
    var locals = ExplicitLocalRandomModels(seed: 5)
    for index in 0..<300 {
      for model in [generator.model(index), locals.model(index)] {
        let reference = ExplicitReferenceChecker(model: model).check()
        for por in [false, true] {
          let one = run(model, threads: 1, por: por)
          let two = run(model, threads: 2, por: por)
          let parallel = run(model, threads: 2, por: por, parentLimit: 0)
          let three = run(model, threads: 3, por: por, exact: true)
          expectSame(one, two, "model \(index) \(model.name), por \(por)")
          expectSame(one, parallel, "model \(index) \(model.name), por \(por), parallel")
          expectSame(one, three, "model \(index) \(model.name), por \(por), 3 threads exact")
          #expect(ExplicitReferenceChecker.Result(two) == reference.result, "model \(index)")
        }
      }
    }
  }

  /// Big enough for many rounds of several slices per level.
  @Test func countersGiveTheSameStateCountWithFourThreads() {
    let model = ExplicitToys.counters(threads: 4, upTo: 6)
    let one = run(model, threads: 1)
    let four = run(model, threads: 4)
    expectSame(one, four, "counters")
    expectSame(one, run(model, threads: 4, parentLimit: 0), "counters, parallel")
    #expect(four.statistics.states == ExplicitToys.countersStateCount(threads: 4, upTo: 6))
  }

  /// Big enough for the parallel search's table to grow many times while workers insert
  /// (batches wait for room, then are inserted after the growth).
  @Test func aSearchThatGrowsTheTableManyTimesLosesNoState() {
    let model = ExplicitToys.counters(threads: 5, upTo: 8)
    let one = run(model, threads: 1)
    for threads in [2, 3] {
      let other = run(model, threads: threads, parentLimit: 0)
      expectSame(one, other, "counters, \(threads) threads")
    }
    #expect(one.statistics.states == ExplicitToys.countersStateCount(threads: 5, upTo: 8))
  }

  /// Shipped specs that hold and that fail: 1 and 2 threads, each reduction on and off. A
  /// failure is the same counterexample (with the same statistics: the unreduced search's)
  /// in every combination.
  @Test(arguments: [
    "Specs/hmm-rst-invalidators.hmm", "Specs/broken/no-set-seq.hmm",
    "Specs/broken/map-before-retry.hmm", "Specs/deadlocks/d2-lock-across-read-begin.hmm",
  ])
  func shippedSpec(_ path: String) throws {
    let text = try String(contentsOfFile: specRoot + "/" + path, encoding: .utf8)
    let spec = try SpecLoader.load(path: path, text: text)
    for scenario in spec.scenarios {
      let base = run(scenario.model, threads: 1)
      // Without parent links from the start, a failure is found twice (the second time with
      // links): the same outcome.
      expectSame(base, run(scenario.model, threads: 1, parentLimit: 0), "\(scenario.name) no links")
      for (threads, por, symmetry) in [
        (2, false, false), (1, true, false), (2, true, false), (1, false, true),
        (2, false, true),
      ] {
        let other = run(
          scenario.model, threads: threads, por: por, symmetry: symmetry,
          parentLimit: threads > 1 ? 0 : ExplicitExplorer.defaultParentLimit)
        let note = "\(scenario.name) threads \(threads) por \(por) symmetry \(symmetry)"
        #expect(other.verdict == base.verdict, "\(note)")
        #expect(other.trace == base.trace, "\(note)")
        if (!por && !symmetry) || base.trace != nil { expectSame(base, other, note) }
      }
    }
  }
}

private let specRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
