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

/// The thread permutations of `ThreadSymmetry`, implemented on unpacked valuations straight
/// from the documented rule (Docs/Explorer.md, "What is permuted"), independently of
/// `SymmetryCanonicalizer`: a permutation π moves thread `t`'s pc and locals (aligned by
/// their name after `<thread name>.`) and the elements `x[t + 1]` of every global array with
/// one element per thread number to thread `π(t)`, and maps the value `t + 1` of every owner
/// variable (`valueNames` starting with `unlocked`) to `π(t) + 1`.
private struct ValuationPermuter {
  /// `roles[t]`: thread `t`'s variables by role — `pc`, a local's name after the thread's
  /// name, or `[]x` for the element `x[t + 1]` of a per-thread array.
  let roles: [[String: Int]]
  /// `aligned[t][k]`: thread `t`'s variable for the `k`-th role of all threads, if it has it.
  let aligned: [[Int?]]
  let owners: [Int]

  init(_ model: IRModel) {
    let threads = model.threads.count
    var roles = model.threads.map { ["pc": $0.pc.index] }
    var arrays: [String: [Int: Int]] = [:]
    for (index, variable) in model.variables.enumerated() {
      if let t = variable.owner {
        guard index != model.threads[t].pc.index else { continue }
        let prefix = model.threads[t].name + "."
        // A local not named after its thread gets a role no other thread has.
        roles[t][
          variable.name.hasPrefix(prefix)
            ? "." + variable.name.dropFirst(prefix.count) : "?" + variable.name] = index
      } else if variable.name.hasSuffix("]"), let open = variable.name.lastIndex(of: "["),
        let element = Int(variable.name[variable.name.index(after: open)...].dropLast())
      {
        arrays[String(variable.name[..<open]), default: [:]][element] = index
      }
    }
    for (name, elements) in arrays where Set(elements.keys) == Set(0...threads) {
      for t in 0..<threads { roles[t]["[]" + name] = elements[t + 1] }
    }
    self.roles = roles
    let names = Set(roles.flatMap(\.keys)).sorted()
    aligned = roles.map { roles in names.map { roles[$0] } }
    owners = model.variables.indices.filter {
      model.variables[$0].valueNames?.first?.hasPrefix("unlocked") == true
    }
  }

  /// `values` with thread `t`'s variables moved to thread `pi[t]` and owners remapped.
  func permute(_ values: [Int], by pi: [Int]) -> [Int] {
    var image = values
    for (t, target) in pi.enumerated() where target != t {
      for case (let variable?, let slot?) in zip(aligned[t], aligned[target]) {
        image[slot] = values[variable]
      }
    }
    for owner in owners where (1...pi.count).contains(values[owner]) {
      image[owner] = pi[values[owner] - 1] + 1
    }
    return image
  }

  /// Every permutation of the threads that permutes each group among itself (the others
  /// fixed), as `pi[t]`; the identity first.
  static func permutations(of groups: [[Int]], threads: Int) -> [[Int]] {
    func orders(_ items: [Int]) -> [[Int]] {
      items.count <= 1
        ? [items]
        : items.indices.flatMap { i in
          orders(Array(items[..<i] + items[(i + 1)...])).map { [items[i]] + $0 }
        }
    }
    var maps = [Array(0..<threads)]
    for group in groups {
      maps = maps.flatMap { map in
        orders(group).map { order in
          var pi = map
          for (member, image) in zip(group, order) { pi[member] = image }
          return pi
        }
      }
    }
    return maps
  }
}

/// Up to `count` distinct reachable valuations of `model`: the initial one, then those met by
/// seeded random walks (the naive `ExplicitReferenceChecker` fires the actions), so that
/// they reach deep states in which the threads have diverged.
private func reachableValuations(_ model: IRModel, count: Int) -> [[Int]] {
  let checker = ExplicitReferenceChecker(model: model)
  var rng = ExplicitTestRNG(state: 7)
  var seen: Set<[Int]> = [model.initialValues]
  var states = [model.initialValues]
  for _ in 0..<200 where states.count < count {
    var state = model.initialValues
    for _ in 0..<400 where states.count < count {
      let successors = model.actions.indices.compactMap { try? checker.fire($0, state) }
      guard let next = successors.randomElement(using: &rng) else { break }
      state = next
      if seen.insert(state).inserted { states.append(state) }
    }
  }
  return states
}

/// The representative `canonicalizer` writes for a packed state.
private func representative(_ canonicalizer: SymmetryCanonicalizer, of state: [UInt64])
  -> [UInt64]
{
  var target = [UInt64](repeating: 0, count: state.count)
  state.withUnsafeBufferPointer { source in
    target.withUnsafeMutableBufferPointer { target in
      guard let source = source.baseAddress, let target = target.baseAddress else { return }
      canonicalizer.canonicalize(source, into: target, words: state.count)
    }
  }
  return target
}

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

  /// `SymmetryCanonicalizer` checked directly on 300 reachable states per scenario of the
  /// hmm.rst pattern, against the independent `ValuationPermuter`: two or three fault threads;
  /// in `fault_in_and_migrate` two CPU migrations form a second group; in `foreign_faults`
  /// and `cow_break_in_fault` the fault threads run the notifier callbacks themselves, so
  /// their callback locals and the per-thread `in_callback[t + 1]` differ between members.
  /// `permutationCount` is the number of permutations of the groups. For every state `s`,
  /// with orbit `{π(s)}` over every permutation π of the groups:
  /// (a) the representative of `s` is some `π(s)`;
  /// (b) every `π(s)` has the same representative as `s`;
  /// (c) the representative is its own representative.
  /// (b) is checked exactly. The canonicaliser keeps members with equal locals in their order
  /// (Docs/Explorer.md, "Canonicalisation"), so (b) could only fail, without a bug, in a
  /// state where two members with equal locals (the same pc) are told apart by an owner
  /// variable, i.e. both past the same lock: mutual exclusion rules that out here.
  @Test(
    "each representative is a permutation of its state within the orbit, canonical and idempotent",
    arguments: [
      ("Specs/hmm-rst.hmm", "munmap_and_migrate", 2),
      ("Specs/hmm-rst.hmm", "fault_in_and_migrate", 4),
      ("Specs/hmm-rst.hmm", "three_faults", 6), ("Specs/hmm-rst.hmm", "foreign_faults", 2),
      ("Specs/hmm-rst-write.hmm", "cow_break_in_fault", 2),
    ])
  func representatives(_ path: String, _ scenario: String, permutationCount: Int) throws {
    let text = try String(contentsOfFile: specRoot + "/" + path, encoding: .utf8)
    // Three fault threads (6 permutations), and fault threads that run the notifier callbacks
    // themselves (migrating a foreign device page back), so the per-thread arrays vary.
    let extra = """

      scenario three_faults {
        pages 2; fault driver_populate_range * 3; cpu munmap; cpu migrate; expect holds;
      }
      scenario foreign_faults {
        pages 2; option foreign_device_page = true; fault driver_populate_range * 2; cpu munmap;
        expect holds;
      }
      """
    let spec = try SpecLoader.load(path: path, text: text + extra)
    let model = try #require(spec.scenarios.first { $0.name == scenario }).model
    let symmetry = try #require(try ThreadSymmetry.detect(model).get())
    let layout = try CompiledModel(model).layout
    let canonicalizer = SymmetryCanonicalizer(
      symmetry, layout: layout, threadCount: model.threads.count)
    let permuter = ValuationPermuter(model)
    for group in symmetry.groups {
      let roles = Set(permuter.roles[group[0]].keys)
      #expect(group.allSatisfy { Set(permuter.roles[$0].keys) == roles }, "\(group)")
    }
    let permutations = ValuationPermuter.permutations(
      of: symmetry.groups, threads: model.threads.count)
    #expect(permutations.count == permutationCount)
    let states = reachableValuations(model, count: 300)
    var notInOrbit: [Int] = []
    var notCanonical: [Int] = []
    var notIdempotent: [Int] = []
    var moved = 0
    var ownerRemapped = 0
    for (i, values) in states.enumerated() {
      let orbit = try permutations.map {
        try #require(layout.encode(permuter.permute(values, by: $0)))
      }
      let state = orbit[0]
      let chosen = representative(canonicalizer, of: state)
      if !orbit.contains(chosen) { notInOrbit.append(i) }
      if representative(canonicalizer, of: chosen) != chosen { notIdempotent.append(i) }
      if orbit.contains(where: { representative(canonicalizer, of: $0) != chosen }) {
        notCanonical.append(i)
      }
      if chosen != state { moved += 1 }
      let chosenValues = layout.decode(chosen)
      if permuter.owners.contains(where: { chosenValues[$0] != values[$0] }) { ownerRemapped += 1 }
    }
    #expect(states.count == 300)
    #expect(
      notInOrbit.count == 0, "not in the orbit: states \(notInOrbit.prefix(5)) of \(states.count)")
    #expect(
      notCanonical.count == 0,
      "permutations disagree: states \(notCanonical.prefix(5)) of \(states.count)")
    #expect(
      notIdempotent.count == 0,
      "not idempotent: states \(notIdempotent.prefix(5)) of \(states.count)")
    // The check is not vacuous: the canonicaliser reorders threads and remaps owners.
    #expect(moved > 0)
    #expect(ownerRemapped > 0)
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
