internal import HMMModel

/// A candidate auxiliary invariant for k-induction, over one state.
enum InvariantCandidate: Hashable, Sendable {
  /// `lo ≤ v ≤ hi`, tighter than the variable's domain.
  case range(VarID, lo: Int, hi: Int)
  /// `pc == p → v == value`.
  case valueAt(pc: VarID, p: Int, variable: VarID, value: Int)
  /// `¬(pcA == p ∧ pcB == q)`: two threads are never at these program counters together.
  case exclusive(pcA: VarID, p: Int, pcB: VarID, q: Int)
  /// `v == w`.
  case equal(VarID, VarID)
  /// `pc == p → v ⋈ w` (or `v ⋈ w` without a pc), for the unbounded sequence variables.
  case compare(pc: VarID?, p: Int, VarID, SequenceRelation, VarID)
  /// `v` is odd.
  case odd(VarID)

  /// The variables the candidate reads.
  var variables: [VarID] {
    switch self {
    case .range(let v, _, _), .odd(let v): [v]
    case .valueAt(let pc, _, let v, _): [pc, v]
    case .exclusive(let a, _, let b, _): [a, b]
    case .equal(let v, let w): [v, w]
    case .compare(let pc, _, let v, _, let w): (pc.map { [$0] } ?? []) + [v, w]
    }
  }

  /// A readable form.
  func describe(_ model: IRModel) -> String {
    func name(_ v: VarID) -> String { model.variables[v.index].name }
    func value(_ v: VarID, _ x: Int) -> String { model.variables[v.index].render(x) }
    switch self {
    case .range(let v, let lo, let hi): return "\(lo) ≤ \(name(v)) ≤ \(hi)"
    case .valueAt(let pc, let p, let v, let x):
      return "\(name(pc)) = \(value(pc, p)) → \(name(v)) = \(value(v, x))"
    case .exclusive(let a, let p, let b, let q):
      return "¬(\(name(a)) = \(value(a, p)) ∧ \(name(b)) = \(value(b, q)))"
    case .equal(let v, let w): return "\(name(v)) = \(name(w))"
    case .compare(let pc, let p, let v, let relation, let w):
      let premise = pc.map { "\(name($0)) = \(value($0, p)) → " } ?? ""
      return premise + "\(name(v)) \(relation.rawValue) \(name(w))"
    case .odd(let v): return "\(name(v)) odd"
    }
  }
}

/// How two sequence variables compare in a `compare` candidate.
enum SequenceRelation: String, Hashable, Sendable, CaseIterable {
  case equal = "="
  case different = "≠"
  case less = "<"
}

/// Proposes auxiliary invariants by observing states the explicit engine reaches, in the
/// manner of Daikon: a template instance that holds in every observed state is a candidate.
/// Nothing here is trusted; Houdini keeps only the candidates Z3 proves inductive.
enum InvariantMiner {
  /// Candidates that hold in the first `maxStates` states reached breadth-first.
  ///
  /// Templates: ranges tighter than a domain; `pc == p → v == c` for every thread's pc and
  /// every other variable constant at that pc; pairs of program counters never seen together;
  /// equalities between integer variables of the same domain.
  ///
  /// - Complexity: O(maxStates · (actions + variables · (threads + pcs))) plus the pairwise
  ///   templates over the observed pc pairs and equal variables.
  static func candidates(_ model: IRModel, maxStates: Int) -> [InvariantCandidate] {
    let states = reachable(model, maxStates: maxStates)
    guard !states.isEmpty else { return [] }
    let n = model.variables.count
    var result: [InvariantCandidate] = []
    // Ranges.
    for v in 0..<n where model.variables[v].type != .bool {
      var lo = Int.max
      var hi = Int.min
      for s in states {
        lo = min(lo, s[v])
        hi = max(hi, s[v])
      }
      let type = model.variables[v].type
      if lo > type.lowerBound || hi < type.upperBound {
        result.append(.range(VarID(v), lo: lo, hi: hi))
      }
    }
    // pc == p → v == c.
    let pcs = Set(model.threads.map(\.pc.index))
    for thread in model.threads {
      let pc = thread.pc.index
      // For each pc value: the single value of each variable, or nil once it varies.
      var seen: [Int: [Int?]] = [:]
      for s in states {
        if var values = seen[s[pc]] {
          for v in 0..<n where values[v] != nil && values[v] != s[v] { values[v] = nil }
          seen[s[pc]] = values
        } else {
          seen[s[pc]] = s.map { Optional($0) }
        }
      }
      for p in seen.keys.sorted() {
        guard let values = seen[p] else { continue }
        for v in 0..<n where v != pc && !pcs.contains(v) {
          if let value = values[v] {
            result.append(.valueAt(pc: thread.pc, p: p, variable: VarID(v), value: value))
          }
        }
      }
    }
    // Program-counter pairs never seen together.
    let threads = model.threads
    for a in threads.indices {
      for b in threads.indices where b > a {
        var together = Set<Int>()
        let width = threads[b].pcCount
        for s in states { together.insert(s[threads[a].pc.index] * width + s[threads[b].pc.index]) }
        for p in 0..<threads[a].pcCount {
          for q in 0..<width where !together.contains(p * width + q) {
            result.append(.exclusive(pcA: threads[a].pc, p: p, pcB: threads[b].pc, q: q))
          }
        }
      }
    }
    // Equalities between integer variables of one domain (not program counters).
    let integers = (0..<n).filter {
      model.variables[$0].type != .bool && !pcs.contains($0)
    }
    for (i, v) in integers.enumerated() {
      for w in integers[(i + 1)...] where model.variables[v].type == model.variables[w].type {
        if states.allSatisfy({ $0[v] == $0[w] }) { result.append(.equal(VarID(v), VarID(w))) }
      }
    }
    return result
  }

  /// Up to `maxStates` states reached breadth-first by the explicit engine's successor
  /// function, in discovery order (states after a model error are not followed).
  static func reachable(_ model: IRModel, maxStates: Int) -> [[Int]] {
    let explorer = ExplicitExplorer(model: model)
    let initial = model.initialValues
    guard model.variables.allSatisfy({ $0.type.contains($0.initial) }) else { return [] }
    var seen: Set<[Int]> = [initial]
    var states = [initial]
    var next = 0
    while next < states.count && states.count < maxStates {
      for (_, successor) in explorer.successors(of: states[next]) {
        guard let successor, states.count < maxStates, seen.insert(successor).inserted else {
          continue
        }
        states.append(successor)
      }
      next += 1
    }
    return states
  }
}

extension SymbolicEncoder {
  /// The candidate over the step-`k` variables.
  func encode(_ candidate: InvariantCandidate, at k: Int) throws -> Z3Term {
    let values = try stepFrame(k).values
    func value(_ v: VarID) throws -> Z3Term { try asInt(values[v.index]) }
    func equals(_ v: VarID, _ x: Int) throws -> Z3Term { try context.eq(value(v), number(x)) }
    switch candidate {
    case .range(let v, let lo, let hi):
      return try context.and([lessOrEqual(number(lo), value(v)), lessOrEqual(value(v), number(hi))])
    case .valueAt(let pc, let p, let v, let x):
      return try context.implies(equals(pc, p), equals(v, x))
    case .exclusive(let a, let p, let b, let q):
      return try context.not(context.and([equals(a, p), equals(b, q)]))
    case .equal(let v, let w):
      return try context.eq(value(v), value(w))
    case .compare(let pc, let p, let v, let relation, let w):
      let conclusion: Z3Term
      switch relation {
      case .equal: conclusion = try context.eq(value(v), value(w))
      case .different: conclusion = try context.not(context.eq(value(v), value(w)))
      case .less: conclusion = try less(value(v), value(w))
      }
      guard let pc else { return conclusion }
      return try context.implies(equals(pc, p), conclusion)
    case .odd(let v):
      let two = try number(2)
      let remainder =
        isMathematical
        ? try context.intEuclideanMod(value(v), two) : try context.bvSignedRem(value(v), two)
      return try context.not(context.eq(remainder, number(0)))
    }
  }
}

/// One Houdini question: with `alive` assumed at step 0 (and whatever `solver` holds, plus
/// `extra`), can one of them be false at step 1?
///
/// - Returns: nil when none can (the set is inductive there); otherwise the candidates the
///   counterexample does not falsify.
/// - Throws: `SymbolicError.solverUnknown` when Z3 gives up.
func houdiniRound(
  _ alive: [InvariantCandidate], _ encoder: SymbolicEncoder, _ solver: Z3Solver,
  extra: Z3Term? = nil
) throws -> [InvariantCandidate]? {
  let context = encoder.context
  let now = try alive.map { try encoder.encode($0, at: 0) }
  let next = try alive.map { try encoder.encode($0, at: 1) }
  try solver.push()
  defer { try? solver.pop() }
  try solver.assert(context.and(now))
  if let extra { try solver.assert(extra) }
  try solver.assert(context.not(context.and(next)))
  switch try solver.check() {
  case .unsat: return nil
  case .sat:
    let z3Model = try solver.model()
    var kept: [InvariantCandidate] = []
    for (index, candidate) in alive.enumerated()
    where try z3Model.evalBool(next[index]) != false {
      kept.append(candidate)
    }
    return kept
  case .unknown(let why): throw SymbolicError.solverUnknown(why)
  }
}
