import HMMModel
import Testing

@testable import Explorer

/// Runs the explicit engine in fingerprint or exact mode.
func exploreExplicitly(
  _ model: IRModel, exact: Bool, limits: ExplorationLimits = .init(),
  shouldStop: @Sendable () -> Bool = { false }
) -> Outcome {
  ExplicitExplorer(model: model, options: ExplorationOptions(limits: limits, exact: exact))
    .run(shouldStop: shouldStop)
}

@Suite("Explicit engine: verdicts and exact state counts")
struct ExplicitEngineTests {
  @Test(arguments: [(1, 1), (1, 5), (2, 3), (3, 4), (4, 2)], [false, true])
  func independentCounters(shape: (threads: Int, k: Int), exact: Bool) {
    let (n, k) = shape
    let outcome = exploreExplicitly(ExplicitToys.counters(threads: n, upTo: k), exact: exact)
    #expect(outcome.verdict == .holds)
    #expect(outcome.trace == nil)
    #expect(outcome.statistics.states == ExplicitToys.countersStateCount(threads: n, upTo: k))
    #expect(outcome.statistics.depth == n * (k + 1))
    // Σ over states of the threads still at pc 0 (see `ExplicitToys.counters`).
    let transitions = n * (k + 1) * ExplicitToys.countersStateCount(threads: n - 1, upTo: k)
    #expect(outcome.statistics.transitions == transitions)
    #expect(outcome.statistics.peakMemoryBytes > 0)
  }

  @Test(arguments: [false, true])
  func testAndSetLockHolds(exact: Bool) {
    let outcome = exploreExplicitly(ExplicitToys.lockMutex(broken: false), exact: exact)
    #expect(outcome.verdict == .holds)
    #expect(outcome.statistics.states == 8)
    #expect(outcome.statistics.depth == 4)
  }

  @Test(arguments: [false, true])
  func testThenSetLockViolatesMutexWithShortestTrace(exact: Bool) throws {
    let model = ExplicitToys.lockMutex(broken: true)
    let outcome = exploreExplicitly(model, exact: exact)
    #expect(outcome.verdict == .failed(.property(index: 0)))
    let trace = try #require(outcome.trace)
    // test0, test1, set0, set1: both threads tested the free lock before either set it.
    #expect(trace.actions == [0, 3, 1, 4])
    #expect(trace.actions.map { model.actions[$0].name } == ["test0", "test1", "set0", "set1"])
    // Variables: lock, t0.pc, t1.pc.
    #expect(trace.states == [[0, 0, 0], [0, 1, 0], [0, 1, 1], [1, 2, 1], [1, 2, 2]])
    #expect(outcome.blocked.isEmpty)
  }

  @Test(arguments: [false, true])
  func petersonHoldsAndMatchesTheReference(exact: Bool) {
    let model = ExplicitToys.peterson()
    let outcome = exploreExplicitly(model, exact: exact)
    #expect(outcome.verdict == .holds)
    let reference = ExplicitReferenceChecker(model: model).check()
    #expect(reference.result == .holds)
    #expect(outcome.statistics.states == reference.states)
    #expect(outcome.statistics.transitions == reference.transitions)
    #expect(outcome.statistics.states > 10)
  }

  @Test(arguments: [false, true])
  func lockOrderDeadlockIsFoundWithBlockedThreads(exact: Bool) throws {
    let model = ExplicitToys.lockOrderDeadlock()
    let outcome = exploreExplicitly(model, exact: exact)
    #expect(outcome.verdict == .failed(.deadlock))
    let trace = try #require(outcome.trace)
    #expect(trace.actions == [0, 4])
    #expect(trace.actions.map { model.actions[$0].name } == ["A0", "B1"])
    // Variables: A, B, t0.pc, t1.pc.
    #expect(trace.states.last == [1, 1, 1, 1])
    #expect(
      outcome.blocked == [
        BlockedThread(thread: 0, waitingActions: [1]),
        BlockedThread(thread: 1, waitingActions: [5]),
      ])
    #expect(ExplicitExplorer(model: model).enabledActions(in: trace.states[2]).isEmpty)
  }

  @Test func deadlockIsIgnoredWhenNotChecked() {
    var model = ExplicitToys.lockOrderDeadlock()
    model.checkDeadlock = false
    let outcome = exploreExplicitly(model, exact: false)
    #expect(outcome.verdict == .holds)
    #expect(outcome.blocked.isEmpty)
  }

  @Test func brokenPetersonDeadlocks() throws {
    let model = ExplicitToys.peterson(broken: true)
    let outcome = exploreExplicitly(model, exact: true)
    #expect(outcome.verdict == .failed(.deadlock))
    let trace = try #require(outcome.trace)
    // Both raise their flag and set turn (4 steps), then wait for the other's flag.
    #expect(trace.actions.count == 4)
    #expect(
      ExplicitReferenceChecker.Result(outcome)
        == ExplicitReferenceChecker(model: model).check().result)
    #expect(outcome.blocked.map(\.thread) == [0, 1])
    #expect(outcome.blocked.map(\.waitingActions) == [[2], [6]])
  }

  @Test func initialStateIsChecked() throws {
    var b = ExplicitToyBuilder("bad-initial")
    let x = b.variable("x", .int(lo: 0, hi: 3), initial: 2)
    let t = b.thread("t", pcCount: 2, finalPC: 1)
    b.action("finish", thread: t, from: 0, to: 1)
    b.property("x small", irLt(irVar(x), irInt(2)))
    let outcome = exploreExplicitly(b.build(), exact: false)
    #expect(outcome.verdict == .failed(.property(index: 0)))
    #expect(outcome.trace == Trace(actions: [], states: [[2, 0]]))
    #expect(outcome.statistics.states == 1)
    #expect(outcome.statistics.depth == 0)
  }

  @Test func deadlockInTheInitialState() throws {
    var b = ExplicitToyBuilder("stuck")
    let x = b.variable("x", .bool)
    let t = b.thread("t", pcCount: 2, finalPC: 1)
    b.action("wait", thread: t, from: 0, to: 1, when: irEq(irVar(x), irInt(1)))
    let outcome = exploreExplicitly(b.build(), exact: true)
    #expect(outcome.verdict == .failed(.deadlock))
    #expect(outcome.trace == Trace(actions: [], states: [[0, 0]]))
    #expect(outcome.blocked == [BlockedThread(thread: 0, waitingActions: [0])])
  }

  /// A deadlock at depth d beats a property violation at depth d + 1 found earlier in the
  /// same level.
  @Test(arguments: [false, true])
  func shorterDeadlockBeatsLongerViolationInTheSameLevel(gated: Bool) {
    // t0: t0a (needs the gate open) then t0b, which sets `bad`. t1: t1a (only while t0 is
    // at pc 0) closes the gate if `gated`, then t1b needs the gate open.
    var b = ExplicitToyBuilder("race")
    let bad = b.variable("bad", .bool)
    let gate = b.variable("gate", .bool)
    let t0 = b.thread("t0", pcCount: 3, finalPC: 2)
    let t1 = b.thread("t1", pcCount: 3, finalPC: 2)
    b.action("t0a", thread: t0, from: 0, to: 1, when: irEq(irVar(gate), irInt(0)))  // 0
    b.action("t0b", thread: t0, from: 1, to: 2, [irAssign(bad, irInt(1))])  // 1
    b.action(
      "t1a", thread: t1, from: 0, to: 1, when: irEq(b.pc(0), irInt(0)),
      [irAssign(gate, irInt(gated ? 1 : 0))])  // 2
    b.action("t1b", thread: t1, from: 1, to: 2, when: irEq(irVar(gate), irInt(0)))  // 3
    b.property("never bad", irEq(irVar(bad), irInt(0)))
    let model = b.build()
    let outcome = exploreExplicitly(model, exact: true)
    // Level 1 holds A (after t0a) and then B (after t1a). Expanding A finds `bad` at depth
    // 2 first. When gated, B is a deadlock at depth 1 (both threads wait for the gate): it
    // is found later in the same level but is shorter, so it wins.
    if gated {
      #expect(outcome.verdict == .failed(.deadlock))
      #expect(outcome.trace?.actions == [2])
      #expect(outcome.blocked.map(\.waitingActions) == [[0], [3]])
    } else {
      #expect(outcome.verdict == .failed(.property(index: 0)))
      #expect(outcome.trace?.actions == [0, 1])
    }
    #expect(
      ExplicitReferenceChecker.Result(outcome)
        == ExplicitReferenceChecker(model: model).check().result)
  }
}
