import HMMModel
import Testing

@testable import Explorer

@Suite("Explicit engine: determinism, replay and enabled actions")
struct ExplicitDeterminismTests {
  static let models: [IRModel] = [
    ExplicitToys.lockMutex(broken: true), ExplicitToys.lockOrderDeadlock(),
    ExplicitToys.unguardedCounter(), ExplicitToys.peterson(),
    ExplicitToys.counters(threads: 3, upTo: 3),
  ]

  @Test(arguments: 0..<5)
  func twoRunsGiveIdenticalOutcomes(index: Int) {
    let model = Self.models[index]
    for exact in [false, true] {
      let first = exploreExplicitly(model, exact: exact)
      let second = exploreExplicitly(model, exact: exact)
      #expect(first.verdict == second.verdict)
      #expect(first.trace == second.trace)
      #expect(first.blocked == second.blocked)
      var a = first.statistics
      var b = second.statistics
      a.seconds = 0
      b.seconds = 0
      #expect(a == b)
    }
  }

  @Test func fingerprintAndExactModesAgree() {
    for model in Self.models {
      let fingerprint = exploreExplicitly(model, exact: false)
      let exact = exploreExplicitly(model, exact: true)
      #expect(fingerprint.verdict == exact.verdict)
      #expect(fingerprint.trace == exact.trace)
      #expect(fingerprint.statistics.states == exact.statistics.states)
      #expect(fingerprint.statistics.transitions == exact.statistics.transitions)
      #expect(exact.statistics.collisionProbability == 0)
    }
  }

  @Test func replayOfACounterexampleGivesTheSameStates() throws {
    let model = ExplicitToys.lockMutex(broken: true)
    let explorer = ExplicitExplorer(model: model)
    let trace = try #require(explorer.run().trace)
    #expect(try explorer.replay(trace.actions).get() == trace)
  }

  @Test func replayOfAModelErrorReproducesIt() throws {
    let explorer = ExplicitExplorer(model: ExplicitToys.unguardedCounter())
    let outcome = explorer.run()
    let trace = try #require(outcome.trace)
    guard case .failure(let error) = explorer.replay(trace.actions) else {
      Issue.record("the failing action replayed without error")
      return
    }
    #expect(error.kind == .modelError("value 4 out of range 0...3 of c in action 'inc'"))
    #expect(error.step == 3)
    #expect(error.trace == trace)
    #expect(error.message.hasPrefix("step 4: action 0 'inc' of thread 't'"))
  }

  @Test func replayRejectsDisabledAndUnknownActions() throws {
    let explorer = ExplicitExplorer(model: ExplicitToys.lockOrderDeadlock())
    // B0 (action 1) needs thread 0 at pc 1.
    guard case .failure(let wrongPC) = explorer.replay([1]) else {
      Issue.record("expected a failure")
      return
    }
    #expect(wrongPC.kind == .notEnabled)
    #expect(
      wrongPC.message
        == "step 1: action 1 'B0' of thread 't0' is not enabled: the thread is at pc 0, the action starts at pc 1"
    )
    // After A0 and B1, B0's guard (B free) is false.
    guard case .failure(let guardFalse) = explorer.replay([0, 4, 1]) else {
      Issue.record("expected a failure")
      return
    }
    #expect(guardFalse.kind == .notEnabled)
    #expect(guardFalse.step == 2)
    #expect(guardFalse.trace.states.count == 3)
    #expect(guardFalse.message.hasSuffix("its guard is false"))
    guard case .failure(let unknown) = explorer.replay([99]) else {
      Issue.record("expected a failure")
      return
    }
    #expect(unknown.kind == .noSuchAction)
    #expect(unknown.action == 99)
    #expect(try explorer.replay([]).get() == Trace(actions: [], states: [[0, 0, 0, 0]]))
  }

  @Test func enabledActionsAscendAcrossThreads() {
    let explorer = ExplicitExplorer(model: ExplicitToys.lockOrderDeadlock())
    // Variables: A, B, t0.pc, t1.pc.
    #expect(explorer.enabledActions(in: [0, 0, 0, 0]) == [0, 4])
    #expect(explorer.enabledActions(in: [1, 0, 1, 0]) == [1, 4])
    #expect(explorer.enabledActions(in: [1, 1, 1, 1]) == [])
    #expect(explorer.enabledActions(in: [0, 0, 4, 4]) == [])
    #expect(explorer.enabledActions(in: [5, 0, 0, 0]) == [], "value outside the domain")
    #expect(explorer.enabledActions(in: [0, 0]) == [], "wrong length")
  }

  /// Action indices interleave threads here, so successors must be sorted, not concatenated
  /// by thread.
  @Test func successorsAreInAscendingActionOrderEvenWhenThreadsInterleave() {
    var b = ExplicitToyBuilder("interleaved")
    let x = b.variable("x", .int(lo: 0, hi: 9))
    let t0 = b.thread("t0", pcCount: 2, finalPC: 1)
    let t1 = b.thread("t1", pcCount: 2, finalPC: 1)
    b.action("t1-first", thread: t1, from: 0, to: 1, [irAssign(x, irInt(1))])
    b.action("t0-first", thread: t0, from: 0, to: 1, [irAssign(x, irInt(2))])
    b.action("t1-second", thread: t1, from: 0, to: 1, [irAssign(x, irInt(3))])
    let explorer = ExplicitExplorer(model: b.build())
    let successors = explorer.successors(of: [0, 0, 0])
    #expect(successors.map(\.action) == [0, 1, 2])
    #expect(successors.map(\.state) == [[1, 0, 1], [2, 1, 0], [3, 0, 1]])
    #expect(explorer.successors(of: [0, 0, 0]).map(\.state) == successors.map(\.state))
  }

  @Test func successorGenerationIsDeterministicOverAllReachableStates() throws {
    let explorer = ExplicitExplorer(model: ExplicitToys.peterson())
    var frontier = [explorer.model.initialValues]
    var seen: Set<[Int]> = [explorer.model.initialValues]
    while let state = frontier.popLast() {
      let first = explorer.successors(of: state)
      let second = explorer.successors(of: state)
      #expect(first.map(\.action) == second.map(\.action))
      #expect(first.map(\.state) == second.map(\.state))
      #expect(first.map(\.action) == first.map(\.action).sorted())
      #expect(explorer.enabledActions(in: state) == first.map(\.action))
      for successor in first {
        let next = try #require(successor.state)
        if seen.insert(next).inserted { frontier.append(next) }
      }
    }
    #expect(seen.count == exploreExplicitly(explorer.model, exact: true).statistics.states)
  }

  @Test func concurrentRunsOfOneExplorerAgree() async {
    let explorer = ExplicitExplorer(model: ExplicitToys.peterson())
    let outcomes = await withTaskGroup(of: Outcome.self) { group in
      for _ in 0..<4 { group.addTask { explorer.run() } }
      var all: [Outcome] = []
      for await outcome in group { all.append(outcome) }
      return all
    }
    #expect(outcomes.count == 4)
    for outcome in outcomes {
      #expect(outcome.verdict == .holds)
      #expect(outcome.statistics.states == outcomes[0].statistics.states)
      #expect(outcome.statistics.transitions == outcomes[0].statistics.transitions)
    }
  }

  @Test func collisionProbabilityIsReportedForMultiWordFingerprints() {
    var model = ExplicitToys.counters(threads: 2, upTo: 3)
    model.variables.append(
      IRVariable(name: "ballast", type: .int(lo: 0, hi: Int.max >> 1), initial: 1))
    let fingerprinted = exploreExplicitly(model, exact: false)
    let n = Double(fingerprinted.statistics.states)
    #expect(n == 25)
    #expect(fingerprinted.statistics.collisionProbability == n * (n - 1) / 0x1p65)
    #expect(exploreExplicitly(model, exact: true).statistics.collisionProbability == 0)
    let oneWord = exploreExplicitly(ExplicitToys.counters(threads: 2, upTo: 3), exact: false)
    #expect(oneWord.statistics.collisionProbability == 0)
  }
}
