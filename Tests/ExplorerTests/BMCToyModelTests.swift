import HMMModel
import Testing

@testable import Explorer

@Suite("BMC on hand-built models")
struct BMCToyModelTests {
  @Test("a broken lock: the shortest violation, the same length as the explicit engine's")
  func brokenLock() throws {
    let model = ExplicitToys.lockMutex(broken: true)
    let explicit = ExplicitExplorer(model: model).run()
    let bmc = BoundedModelChecker(model: model, options: SymbolicOptions(depth: 10)).run()
    #expect(bmc.verdict == explicit.verdict)
    let trace = try #require(bmc.trace)
    #expect(trace.actions.count == explicit.trace?.actions.count)
    #expect(try ExplicitExplorer(model: model).replay(trace.actions).get() == trace)
    #expect(bmc.solver?.engine == "bmc")
  }

  @Test("one step short of the violation, BMC reports no violation up to that depth")
  func boundedHolds() throws {
    let model = ExplicitToys.lockMutex(broken: true)
    let length = try #require(ExplicitExplorer(model: model).run().trace).actions.count
    let bmc = BoundedModelChecker(model: model, options: SymbolicOptions(depth: length - 1)).run()
    #expect(bmc.verdict == .holdsUpTo(depth: length - 1))
    #expect(bmc.trace == nil)
  }

  @Test("a lock-order deadlock is found with the blocked threads")
  func deadlock() throws {
    let model = ExplicitToys.lockOrderDeadlock()
    let explicit = ExplicitExplorer(model: model).run()
    let bmc = BoundedModelChecker(model: model, options: SymbolicOptions(depth: 10)).run()
    #expect(bmc.verdict == .failed(.deadlock))
    #expect(bmc.trace?.actions.count == explicit.trace?.actions.count)
    #expect(bmc.blocked == explicit.blocked)
  }

  @Test("the bit-vector width covers every intermediate value")
  func width() {
    #expect(SymbolicWidth.forModel(ExplicitToys.peterson()) >= 4)
    var b = ExplicitToyBuilder("wide")
    let x = b.variable("x", .int(lo: 0, hi: 100))
    let t = b.thread("t", pcCount: 2, finalPC: 1)
    _ = b.action(
      "square", thread: t, from: 0, to: 1, when: .true,
      [irAssign(x, .binary(.mul, irVar(x), irVar(x)))])
    // 100 · 100 = 10,000 needs 14 bits and a sign bit.
    #expect(SymbolicWidth.forModel(b.build()) >= 15)
  }
}
