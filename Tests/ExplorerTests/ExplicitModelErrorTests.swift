import HMMModel
import Testing

@testable import Explorer

@Suite("Explicit engine: model errors")
struct ExplicitModelErrorTests {
  @Test(arguments: [false, true])
  func outOfRangeAssignment(exact: Bool) throws {
    let outcome = exploreExplicitly(ExplicitToys.unguardedCounter(), exact: exact)
    #expect(
      outcome.verdict
        == .failed(.modelError(message: "value 4 out of range 0...3 of c in action 'inc'")))
    let trace = try #require(outcome.trace)
    // Three increments, then the failing fourth; the last state repeats the one before it.
    #expect(trace.actions == [0, 0, 0, 0])
    #expect(trace.states == [[0, 0], [1, 0], [2, 0], [3, 0], [3, 0]])
    #expect(trace.actions.count == trace.states.count - 1)
  }

  @Test func failedAssert() throws {
    var b = ExplicitToyBuilder("assert")
    let c = b.variable("c", .int(lo: 0, hi: 7))
    let t = b.thread("t", pcCount: 2, finalPC: 1)
    b.action(
      "step", thread: t, from: 0, to: 0, when: irLt(irVar(c), irInt(7)),
      [
        .assert(irLt(irVar(c), irInt(2)), message: "c stays below 2"),
        irAssign(c, irAdd(irVar(c), irInt(1))),
      ])
    let outcome = exploreExplicitly(b.build(), exact: false)
    #expect(
      outcome.verdict
        == .failed(.modelError(message: "assertion failed: c stays below 2 in action 'step'")))
    #expect(outcome.trace?.actions == [0, 0, 0])
    #expect(outcome.trace?.states.last == [2, 0])
  }

  @Test(arguments: [false, true])
  func indexOutOfRangeInAnAssignment(exact: Bool) throws {
    var b = ExplicitToyBuilder("index")
    let a = (0..<3).map { b.variable("a[\($0)]", .bool) }
    let i = b.variable("i", .int(lo: 0, hi: 5))
    let t = b.thread("t", pcCount: 2, finalPC: 1)
    b.action(
      "write", thread: t, from: 0, to: 0, when: irLt(irVar(i), irInt(5)),
      [
        .assign(.element(a, irVar(i)), irInt(1)),
        irAssign(i, irAdd(irVar(i), irInt(1))),
      ])
    let outcome = exploreExplicitly(b.build(), exact: exact)
    #expect(
      outcome.verdict
        == .failed(.modelError(message: "index 3 out of range 0..<3 of a in action 'write'")))
    #expect(outcome.trace?.actions == [0, 0, 0, 0])
    #expect(outcome.trace?.states.last == [1, 1, 1, 3, 0])
  }

  @Test func indexOutOfRangeInAGuard() throws {
    var b = ExplicitToyBuilder("guard-index")
    let a = (0..<2).map { b.variable("slot\($0)", .bool) }
    let i = b.variable("i", .int(lo: 0, hi: 3))
    let t = b.thread("t", pcCount: 2, finalPC: 1)
    b.action(
      "bump", thread: t, from: 0, to: 0, when: irLt(irVar(i), irInt(3)),
      [irAssign(i, irAdd(irVar(i), irInt(1)))])
    b.action("peek", thread: t, from: 0, to: 1, when: irEq(.element(a, irVar(i)), irInt(1)))
    let outcome = exploreExplicitly(b.build(), exact: false)
    // The names have no common `base[` prefix, so the array is listed.
    #expect(
      outcome.verdict
        == .failed(
          .modelError(
            message: "index 2 out of range 0..<2 of [slot0, slot1] in the guard of action 'peek'")))
    #expect(outcome.trace?.actions == [0, 0, 1])
  }

  @Test func divisionAndModuloByZero() throws {
    for op in [IRBinaryOp.div, .mod] {
      var b = ExplicitToyBuilder("div")
      let x = b.variable("x", .int(lo: 0, hi: 2))
      let q = b.variable("q", .int(lo: -10, hi: 10))
      let t = b.thread("t", pcCount: 2, finalPC: 1)
      b.action(
        "divide", thread: t, from: 0, to: 0, when: irLt(irVar(x), irInt(2)),
        [
          irAssign(x, irAdd(irVar(x), irInt(1))),
          irAssign(q, .binary(op, irInt(4), irSub(irInt(2), irVar(x)))),
        ])
      let outcome = exploreExplicitly(b.build(), exact: false)
      let text = op == .div ? "division by zero (4 / 0)" : "modulo by zero (4 % 0)"
      #expect(outcome.verdict == .failed(.modelError(message: "\(text) in action 'divide'")))
      #expect(outcome.trace?.actions == [0, 0])
    }
  }

  @Test func faultInAPropertyEndsAtTheState() throws {
    var b = ExplicitToyBuilder("property-index")
    let a = (0..<2).map { b.variable("f[\($0)]", .bool) }
    let i = b.variable("i", .int(lo: 0, hi: 3))
    let t = b.thread("t", pcCount: 2, finalPC: 1)
    b.action(
      "bump", thread: t, from: 0, to: 0, when: irLt(irVar(i), irInt(3)),
      [irAssign(i, irAdd(irVar(i), irInt(1)))])
    b.property("P1", irEq(.element(a, irVar(i)), irInt(0)))
    let outcome = exploreExplicitly(b.build(), exact: false)
    #expect(
      outcome.verdict
        == .failed(.modelError(message: "index 2 out of range 0..<2 of f in property 'P1'")))
    #expect(outcome.trace?.actions == [0, 0])
    #expect(outcome.trace?.states.count == 3)
  }

  @Test func initialValueOutsideItsDomain() {
    var b = ExplicitToyBuilder("bad-domain")
    _ = b.variable("seq", .int(lo: 0, hi: 7), initial: 9)
    _ = b.thread("t", pcCount: 1, finalPC: 0)
    let outcome = exploreExplicitly(b.build(), exact: false)
    #expect(
      outcome.verdict == .failed(.modelError(message: "initial value 9 out of range 0...7 of seq")))
    #expect(outcome.trace == Trace(actions: [], states: [[9, 0]]))
  }

  @Test func malformedModelIsInconclusiveNotACrash() {
    var b = ExplicitToyBuilder("dangling")
    let t = b.thread("t", pcCount: 2, finalPC: 1)
    b.action("ghost", thread: t, from: 0, to: 1, [irAssign(VarID(42), irInt(0))])
    let explorer = ExplicitExplorer(model: b.build())
    guard case .inconclusive(let reason) = explorer.run().verdict else {
      Issue.record("expected inconclusive")
      return
    }
    #expect(reason.contains("v42"))
    #expect(throws: ReplayError.self) { try explorer.replay([0]).get() }
  }
}
