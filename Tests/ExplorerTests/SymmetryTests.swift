import Foundation
import HMMModel
import Testing

@testable import Explorer

/// `threads` workers `w#1…`: each takes the mutex `m` (owner values: thread number + 1),
/// increments its own `done` and the shared `count`, and releases `m`. Property:
/// `count <= limit`. With `observer`, a thread `obs#1` waits for "m held by w#1", which
/// breaks the symmetry between the workers.
private func ownedMutexModel(threads: Int, limit: Int, observer: Bool = false) -> IRModel {
  var b = ExplicitToyBuilder("owned-mutex")
  let names = (1...threads).map { "held by w#\($0)" } + (observer ? ["held by obs#1"] : [])
  b.variables.append(
    IRVariable(
      name: "m", type: .int(lo: 0, hi: names.count), initial: 0,
      valueNames: ["unlocked"] + names))
  let m = VarID(0)
  let count = b.variable("count", .int(lo: 0, hi: 7))
  for t in 0..<threads {
    let thread = b.thread("w#\(t + 1)", pcCount: 4, finalPC: 3)
    let done = b.variable("w#\(t + 1).done", .bool, owner: thread)
    b.action(
      "lock", thread: thread, from: 0, to: 1, when: irEq(irVar(m), irInt(0)),
      [irAssign(m, irInt(thread + 1))])
    b.action(
      "work", thread: thread, from: 1, to: 2,
      [irAssign(done, irInt(1)), irAssign(count, irAdd(irVar(count), irInt(1)))])
    b.action("unlock", thread: thread, from: 2, to: 3, [irAssign(m, irInt(0))])
  }
  if observer {
    let thread = b.thread("obs#1", pcCount: 2, finalPC: 1)
    b.action("see", thread: thread, from: 0, to: 1, when: irEq(irVar(m), irInt(1)))
  }
  b.property("bounded", .binary(.le, irVar(count), irInt(limit)))
  return b.build(checkDeadlock: !observer)
}

private let specRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

@Suite("Symmetry reduction")
struct SymmetryTests {
  @Test("identical workers form one group; the lock owner is remapped")
  func detectsWorkers() throws {
    let symmetry = try #require(
      try ThreadSymmetry.detect(ownedMutexModel(threads: 3, limit: 3)).get())
    #expect(symmetry.groups == [[0, 1, 2]])
    #expect(symmetry.ownerVariables == [0])
  }

  @Test("a thread that waits for one particular owner breaks the symmetry: refused")
  func refusesObserver() {
    let result = ThreadSymmetry.detect(ownedMutexModel(threads: 2, limit: 2, observer: true))
    guard case .failure(let refusal) = result else {
      Issue.record("symmetry accepted: \(result)")
      return
    }
    #expect(refusal.description.contains("see"))
  }

  @Test("fewer states, same verdict; a violation keeps its (shortest) length", arguments: [3, 2])
  func reducesAndAgrees(limit: Int) {
    let model = ownedMutexModel(threads: 3, limit: limit)
    let off = ExplicitExplorer(model: model, options: ExplorationOptions(exact: true)).run()
    let on = ExplicitExplorer(
      model: model, options: ExplorationOptions(exact: true, symmetry: true)
    )
    .run()
    #expect(on.verdict == off.verdict)
    #expect(on.trace?.actions.count == off.trace?.actions.count)
    if limit == 3 {
      #expect(on.verdict == .holds)
      #expect(on.statistics.states < off.statistics.states)
    }
  }

  @Test("the hmm.rst pattern: the two fault threads are symmetric and the orbit count is smaller")
  func hmmRstFaultThreads() throws {
    let text = try String(contentsOfFile: specRoot + "/Specs/hmm-rst.hmm", encoding: .utf8)
    let spec = try SpecLoader.load(path: "Specs/hmm-rst.hmm", text: text)
    let model = try #require(spec.scenarios.first { $0.name == "munmap_and_migrate" }).model
    let symmetry = try #require(try ThreadSymmetry.detect(model).get())
    #expect(symmetry.groups.map(\.count) == [2])
    let limits = ExplorationLimits(maxStates: 20_000)
    let off = ExplicitExplorer(model: model, options: ExplorationOptions(limits: limits)).run()
    let on = ExplicitExplorer(
      model: model, options: ExplorationOptions(limits: limits, symmetry: true)
    ).run()
    // Same budget of states: the reduced search gets deeper (it skips mirrored states).
    #expect(on.statistics.depth > off.statistics.depth)
  }

  /// Every known-bad shipped spec: the same verdict and a counterexample of the same
  /// length with and without symmetry (BFS over orbits finds each orbit at the distance of
  /// its nearest member, and the properties are symmetric).
  @Test("shipped known-bad specs: same verdict and counterexample length", arguments: brokenSpecs())
  func shippedBroken(_ path: String) throws {
    let text = try String(contentsOfFile: specRoot + "/" + path, encoding: .utf8)
    let spec = try SpecLoader.load(path: path, text: text)
    for scenario in spec.scenarios {
      let off = ExplicitExplorer(model: scenario.model).run()
      let on = ExplicitExplorer(model: scenario.model, options: ExplorationOptions(symmetry: true))
        .run()
      #expect(on.verdict == off.verdict, "\(scenario.name)")
      #expect(on.trace?.actions.count == off.trace?.actions.count, "\(scenario.name)")
    }
  }
}

private func brokenSpecs() -> [String] {
  let directory = specRoot + "/Specs/broken"
  return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
    .filter { $0.hasSuffix(".hmm") }.sorted().map { "Specs/broken/" + $0 }
}
