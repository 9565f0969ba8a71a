/// The control-flow graph of one thread, built statement by statement and then turned into
/// IR actions.
///
/// Nodes are program points. A node has either one edge (a step, possibly guarded), two edges
/// (a branch on a condition and its negation), several edges (a `choose`), an alias (it is the
/// same point as another node), or nothing (the thread's end, or dead code).
///
/// **Local-step compression.** An edge is *local* when its guard and effects touch only the
/// thread's own variables. When every edge leaving a node is local and together they are
/// always enabled (one unguarded step, a branch and its negation, or a choice), the node is
/// not a program counter of the IR: its edges are appended to every action that reaches it.
/// This is sound for invariants and deadlock (Lipton reduction): local steps commute with
/// every step of other threads, do not change any global variable, and are always enabled, so
/// removing the intermediate states hides no violation and no deadlock. Properties may only
/// read global variables (the lowering enforces it).
final class ThreadGraph {
  struct Edge {
    var guardExpr: IRExpr
    var body: [IRStmt]
    var to: Int
    var name: String
    var origin: ActionOrigin
  }
  enum Kind { case open, single, branch, choose }

  private(set) var kinds: [Kind] = []
  private(set) var edges: [[Edge]] = []
  private var aliases: [Int: Int] = [:]
  /// Set when the builder tried to give a node a second set of successors (a lowering bug);
  /// the lowering reports it instead of crashing.
  private(set) var inconsistent = false

  private func claim(_ node: Int) -> Bool {
    guard edges[node].isEmpty && aliases[node] == nil else {
      inconsistent = true
      return false
    }
    return true
  }

  func newNode() -> Int {
    kinds.append(.open)
    edges.append([])
    return kinds.count - 1
  }

  /// Makes `node` the same program point as `target`. `node` must have no edges.
  func alias(_ node: Int, to target: Int) {
    guard claim(node) else { return }
    if node != target { aliases[node] = target } else { aliases[node] = node }
  }

  func addStep(from: Int, _ edge: Edge) {
    guard claim(from) else { return }
    kinds[from] = .single
    edges[from] = [edge]
  }

  func addBranch(from: Int, then: Edge, else other: Edge) {
    guard claim(from) else { return }
    kinds[from] = .branch
    edges[from] = [then, other]
  }

  func addChoice(from: Int, _ choices: [Edge]) {
    guard claim(from) else { return }
    kinds[from] = .choose
    edges[from] = choices
  }

  /// Follows aliases; a cycle of aliases (`L: goto L;`) becomes a node that spins.
  func resolve(_ node: Int) -> Int {
    var n = node
    var seen: Set<Int> = [n]
    while let next = aliases[n] {
      if next == n || seen.contains(next) {
        aliases[n] = nil
        kinds[n] = .single
        edges[n] = [
          Edge(
            guardExpr: .true, body: [], to: n, name: "spin",
            origin: ActionOrigin(site: SourceAnchor(file: "", line: 0, column: 0)))
        ]
        return n
      }
      seen.insert(next)
      n = next
    }
    return n
  }

  /// The IR actions of this thread.
  ///
  /// - Parameters:
  ///   - thread: the thread index.
  ///   - pcVariable: the thread's program-counter variable (assigned by every action).
  ///   - entry: the thread's first node; `final`: its end.
  ///   - isLocal: whether a variable belongs to this thread, or is a ghost variable (ghost
  ///     updates never affect a guard, so a ghost-only step is folded into the action before
  ///     it: it happens at the same instant, e.g. "the callback returned").
  ///   - compress: whether to fold local steps into the actions that reach them.
  /// - Returns: the actions, the number of program counters, the final pc, and a name per pc.
  func actions(
    thread: Int, pcVariable: VarID, entry: Int, final: Int, isLocal: (VarID) -> Bool,
    compress: Bool
  ) -> (actions: [IRAction], pcCount: Int, finalPC: Int, pcNames: [String]) {
    var pcOf: [Int: Int] = [:]
    var pcNodes: [Int] = []
    var queue: [Int] = []
    func pc(_ node: Int) -> Int {
      let n = resolve(node)
      if let p = pcOf[n] { return p }
      pcOf[n] = pcNodes.count
      pcNodes.append(n)
      queue.append(n)
      return pcNodes.count - 1
    }
    _ = pc(entry)
    let finalPC = pc(final)

    func edgeIsLocal(_ e: Edge) -> Bool {
      // An assertion stays a step of its own, so that a failure is reported where it happens.
      if e.body.contains(where: { if case .assert = $0 { return true } else { return false } }) {
        return false
      }
      var reads = Set<VarID>()
      var writes = Set<VarID>()
      e.guardExpr.collectReads(into: &reads)
      for s in e.body { s.collectFootprint(reads: &reads, writes: &writes) }
      return reads.allSatisfy(isLocal) && writes.allSatisfy(isLocal)
    }
    func compressible(_ n: Int) -> Bool {
      guard compress, n != resolve(final), n != resolve(entry) else { return false }
      let out = edges[n]
      switch kinds[n] {
      case .open: return false
      case .single: return out[0].guardExpr == .true && edgeIsLocal(out[0])
      case .branch, .choose: return out.allSatisfy(edgeIsLocal)
      }
    }
    let limit = 64
    /// The effect alternatives that continue from `node` until the next program counter.
    func expand(_ node: Int, _ visiting: Set<Int>) -> [[IRStmt]] {
      let n = resolve(node)
      func stop() -> [[IRStmt]] { [[IRStmt.assign(.variable(pcVariable), .int(pc(n)))]] }
      guard compressible(n), !visiting.contains(n) else { return stop() }
      let inner = visiting.union([n])
      let out = edges[n]
      var result: [[IRStmt]]
      switch kinds[n] {
      case .single:
        result = expand(out[0].to, inner).map { out[0].body + $0 }
      case .branch:
        let a = expand(out[0].to, inner).map { out[0].body + $0 }
        let b = expand(out[1].to, inner).map { out[1].body + $0 }
        result = a.flatMap { x in b.map { y in [IRStmt.ifElse(out[0].guardExpr, x, y)] } }
      case .choose:
        result = out.flatMap { e in expand(e.to, inner).map { e.body + $0 } }
      case .open:
        result = stop()
      }
      return result.count > limit ? stop() : result
    }

    var actions: [IRAction] = []
    var index = 0
    while index < queue.count {
      let node = queue[index]
      index += 1
      let from = pcOf[node]!
      for e in edges[node] {
        for alternative in expand(e.to, [node]) {
          actions.append(
            IRAction(
              thread: thread, fromPC: from, name: e.name, guardExpr: e.guardExpr,
              effects: e.body + alternative, origin: e.origin))
        }
      }
    }
    let names = pcNodes.map { n -> String in
      if n == resolve(final) { return "done" }
      guard let e = edges[n].first else { return "end" }
      return "line \(e.origin.site.line)"
    }
    return (actions, pcNodes.count, finalPC, names)
  }
}
