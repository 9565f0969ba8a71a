internal import HMMModel

/// The static tables of partial-order reduction by ample sets, computed once from the
/// actions' read/write footprints.
///
/// Every `(thread, pc)` pair gets a number, `pcBase[thread] + pc`. For a pair `(t, p)`:
/// - `invisible` says whether no action leaving `p` writes a variable some property reads;
/// - `conflicts` has one bit per pair `(u, q)` of another thread: set when an action leaving
///   `p` is *dependent* on an action thread `u` can still execute from `q` (one leaving a pc
///   reachable from `q` in `u`'s control graph). Two actions are dependent when one writes a
///   variable the other reads or writes; guards count as reads, so two lock acquisitions of
///   the same lock are dependent.
///
/// - `guardWriters` has one bit per pair `(w, r)` of another thread: set when thread `w` can
///   still, from `r`, execute an action that writes a variable some guard leaving `p` reads.
///
/// A state whose thread `t` is at `p` may then explore only `t`'s enabled actions when `p`
/// is invisible and every other thread `u` at `q` is either independent (bit `(u, q)` of
/// `t`'s row is clear) or *frozen*: no action of `u` is enabled and only `t` could enable one
/// (no third thread's bit is set in the `guardWriters` row of `(u, q)`); while `t` does not
/// move, a frozen thread does not move either. See `Docs/Explorer.md` for the argument, and
/// `breadthFirstSearch` for the other conditions.
struct PartialOrderReduction: Sendable {
  /// The number of thread `t`'s pc 0.
  let pcBase: [Int]
  /// Number of `(thread, pc)` pairs.
  let pairCount: Int
  /// By pair: whether its actions write no property-read variable and it has an action.
  let candidate: [Bool]
  /// Bit `other pair` of row `pair` (`rowWords` words a row).
  let conflicts: [UInt64]
  /// Bit `other pair` of row `pair`, laid out like `conflicts`.
  let guardWriters: [UInt64]
  /// The thread of every action.
  let threadOfAction: [Int32]

  fileprivate init(
    pcBase: [Int], pairCount: Int, candidate: [Bool], conflicts: [UInt64], threadOfAction: [Int32]
  ) {
    self.pcBase = pcBase
    self.pairCount = pairCount
    self.candidate = candidate
    self.conflicts = conflicts
    self.guardWriters = []
    self.threadOfAction = threadOfAction
  }

  /// - Complexity: O(pairs · actions · variables / 64 + threads · pcs²).
  init(_ model: IRModel) {
    var pcBase: [Int] = []
    var pairCount = 0
    for thread in model.threads {
      pcBase.append(pairCount)
      pairCount += thread.pcCount
    }
    self.pcBase = pcBase
    self.pairCount = pairCount
    threadOfAction = model.actions.map { Int32($0.thread) }

    let wordsPerSet = (model.variables.count + 63) / 64
    func bits(_ vars: some Sequence<VarID>) -> [UInt64] {
      var set = [UInt64](repeating: 0, count: wordsPerSet)
      for v in vars { set[v.index >> 6] |= 1 << UInt64(v.index & 63) }
      return set
    }
    func intersects(_ a: [UInt64], _ b: [UInt64]) -> Bool {
      zip(a, b).contains { $0 & $1 != 0 }
    }
    func union(_ a: inout [UInt64], _ b: [UInt64]) {
      for i in a.indices { a[i] |= b[i] }
    }

    var propertyReads = Set<VarID>()
    for property in model.properties { property.expr.collectReads(into: &propertyReads) }
    let visible = bits(propertyReads)

    // The footprint of every action, and the union per pair (the pc of the thread counts as
    // read and written by each of its actions).
    let actionReads = model.actions.map { action in
      bits(action.reads + [model.threads[action.thread].pc])
    }
    let actionWrites = model.actions.map { action in
      bits(action.writes + [model.threads[action.thread].pc])
    }
    var pairReads = [[UInt64]](
      repeating: [UInt64](repeating: 0, count: wordsPerSet), count: pairCount)
    var pairWrites = pairReads
    var hasAction = [Bool](repeating: false, count: pairCount)
    for (index, action) in model.actions.enumerated() {
      let pair = pcBase[action.thread] + action.fromPC
      union(&pairReads[pair], actionReads[index])
      union(&pairWrites[pair], actionWrites[index])
      hasAction[pair] = true
    }
    candidate = (0..<pairCount).map { hasAction[$0] && !intersects(pairWrites[$0], visible) }

    // reachable[u][q]: the pcs of thread u reachable from q (q included).
    let reachable = model.threads.indices.map { Self.reachablePCs(model, thread: $0) }
    let byThread = Dictionary(grouping: model.actions.indices, by: { model.actions[$0].thread })

    let rowWords = (pairCount + 63) / 64
    // Sets bit (u, q) of `row` for every pc q of every thread u other than `thread` from which
    // u can reach an action that `matches`.
    func markReaching(
      _ table: inout [UInt64], row: Int, thread: Int, _ matches: (Int) -> Bool
    ) {
      for (u, other) in model.threads.enumerated() where u != thread {
        var startsAt = [Bool](repeating: false, count: other.pcCount)
        for b in byThread[u] ?? [] where matches(b) { startsAt[model.actions[b].fromPC] = true }
        for q in 0..<other.pcCount where reachable[u][q].contains(where: { startsAt[$0] }) {
          let bit = pcBase[u] + q
          table[row * rowWords + bit >> 6] |= 1 << UInt64(bit & 63)
        }
      }
    }
    var conflicts = [UInt64](repeating: 0, count: pairCount * rowWords)
    var guardWriters = conflicts
    for (t, thread) in model.threads.enumerated() {
      for p in 0..<thread.pcCount {
        let pair = pcBase[t] + p
        if candidate[pair] {
          markReaching(&conflicts, row: pair, thread: t) { b in
            intersects(pairWrites[pair], actionReads[b])
              || intersects(pairWrites[pair], actionWrites[b])
              || intersects(actionWrites[b], pairReads[pair])
          }
        }
        var guardReads = Set<VarID>()
        for action in model.actions where action.thread == t && action.fromPC == p {
          action.guardExpr.collectReads(into: &guardReads)
        }
        let guards = bits(guardReads)
        markReaching(&guardWriters, row: pair, thread: t) { intersects(actionWrites[$0], guards) }
      }
    }
    self.conflicts = conflicts
    self.guardWriters = guardWriters
  }

  /// Words per row of `conflicts`.
  var rowWords: Int { (pairCount + 63) / 64 }

  /// The pcs thread `thread` can reach from each of its pcs, following the constant pc
  /// assignments of its actions (a computed one reaches every pc).
  private static func reachablePCs(_ model: IRModel, thread: Int) -> [[Int]] {
    let count = model.threads[thread].pcCount
    let pcVariable = model.threads[thread].pc
    var successors = [Set<Int>](repeating: [], count: count)
    for action in model.actions where action.thread == thread {
      var targets = Set<Int>()
      var computed = false
      collectPCTargets(action.effects, pcVariable, &targets, &computed)
      if computed {
        successors[action.fromPC].formUnion(0..<count)
      } else {
        // Without an assignment the thread stays where it is.
        targets.insert(action.fromPC)
        successors[action.fromPC].formUnion(targets.filter { (0..<count).contains($0) })
      }
    }
    return (0..<count).map { start in
      var seen = [Bool](repeating: false, count: count)
      var stack = [start]
      seen[start] = true
      while let pc = stack.popLast() {
        for next in successors[pc] where !seen[next] {
          seen[next] = true
          stack.append(next)
        }
      }
      return (0..<count).filter { seen[$0] }
    }
  }

  private static func collectPCTargets(
    _ statements: [IRStmt], _ pc: VarID, _ targets: inout Set<Int>, _ computed: inout Bool
  ) {
    for statement in statements {
      switch statement {
      case .assign(.variable(let v), let value) where v == pc:
        if let constant = value.constantValue { targets.insert(constant) } else { computed = true }
      case .assign(.element(let vs, _), _) where vs.contains(pc):
        computed = true
      case .assign, .assert:
        break
      case .ifElse(_, let a, let b):
        collectPCTargets(a, pc, &targets, &computed)
        collectPCTargets(b, pc, &targets, &computed)
      }
    }
  }
}

/// `PartialOrderReduction` in raw memory for the search loop, with the pc scratch space.
struct AmpleSelector: ~Copyable {
  let threadCount: Int
  let pcBase: UnsafeMutablePointer<Int>
  let candidate: UnsafeMutablePointer<Bool>
  let conflicts: UnsafeMutablePointer<UInt64>
  let guardWriters: UnsafeMutablePointer<UInt64>
  let rowWords: Int
  let threadOfAction: UnsafeMutablePointer<Int32>
  /// The pc of every thread in the state being expanded.
  let pcs: UnsafeMutablePointer<Int>
  /// The enabled actions of every thread in that state (counts).
  let enabledCounts: UnsafeMutablePointer<Int>

  /// - Parameter reduction: the tables; nil for a selector that never chooses.
  init(_ reduction: PartialOrderReduction?, threadCount: Int) {
    let reduction =
      reduction
      ?? PartialOrderReduction(
        pcBase: [Int](repeating: 0, count: threadCount), pairCount: 0, candidate: [],
        conflicts: [], threadOfAction: [])
    self.threadCount = reduction.pairCount == 0 ? 0 : threadCount
    pcBase = .copying(reduction.pcBase)
    candidate = .copying(reduction.candidate)
    conflicts = .copying(reduction.conflicts)
    guardWriters = .copying(reduction.guardWriters)
    rowWords = reduction.rowWords
    threadOfAction = .copying(reduction.threadOfAction)
    pcs = .allocate(capacity: max(1, threadCount))
    enabledCounts = .allocate(capacity: max(1, threadCount))
  }

  deinit {
    pcBase.deallocate()
    candidate.deallocate()
    conflicts.deallocate()
    guardWriters.deallocate()
    threadOfAction.deallocate()
    pcs.deallocate()
    enabledCounts.deallocate()
  }

  /// The thread whose enabled actions form an ample set for `state`, or nil when there is
  /// none: its pc is invisible, every other thread is independent of it or frozen (see
  /// `PartialOrderReduction`), and it has an enabled action. Among such threads, the one with
  /// the fewest enabled actions (the lowest index on a tie).
  ///
  /// - Parameters:
  ///   - actions: the enabled actions of `state` (every one fired without a model error).
  /// - Complexity: O(threads² + enabled actions).
  func choose(
    _ state: UnsafePointer<UInt64>, _ machine: borrowing ExecutableModel,
    actions: UnsafePointer<Int32>, count: Int
  ) -> Int? {
    for t in 0..<threadCount {
      let thread = machine.threads[t]
      let pc = thread.pc.read(state)
      pcs[t] = UInt(bitPattern: pc) < UInt(thread.pcCount) ? pcBase[t] &+ pc : -1
      enabledCounts[t] = 0
    }
    for j in 0..<count { enabledCounts[Int(threadOfAction[Int(actions[j])])] &+= 1 }
    var best: Int? = nil
    var bestCount = Int.max
    for t in 0..<threadCount {
      let pair = pcs[t]
      let n = enabledCounts[t]
      guard pair >= 0, n > 0, n < bestCount, candidate[pair] else { continue }
      let row = conflicts + pair &* rowWords
      var independent = true
      for u in 0..<threadCount where u != t {
        let other = pcs[u]
        if other >= 0 && row[other &>> 6] & (1 &<< UInt64(other & 63)) != 0
          && !isFrozen(u, unless: t)
        {
          independent = false
          break
        }
      }
      if independent {
        best = t
        bestCount = n
      }
    }
    return best
  }

  /// Whether thread `u` has no enabled action and no thread other than `t` (and `u`) can
  /// still write a variable one of its guards reads, in the state `choose` is looking at.
  @inline(__always)
  private func isFrozen(_ u: Int, unless t: Int) -> Bool {
    guard enabledCounts[u] == 0 else { return false }
    let row = guardWriters + pcs[u] &* rowWords
    for w in 0..<threadCount where w != t && w != u {
      let pair = pcs[w]
      if pair >= 0 && row[pair &>> 6] & (1 &<< UInt64(pair & 63)) != 0 { return false }
    }
    return true
  }
}
