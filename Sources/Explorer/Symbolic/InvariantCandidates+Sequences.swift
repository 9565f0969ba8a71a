internal import HMMModel

extension InvariantMiner {
  /// Candidates relating the sequence variables `variables` in the observed `states`: each
  /// of them odd; `v = w`, `v ≠ w` and `v < w` for every pair, unconditionally and at each
  /// program counter of each thread (`pc == p → v ⋈ w`), whenever every observed state (at
  /// that pc) satisfies it.
  ///
  /// - Complexity: O(states · threads · |variables|²).
  static func sequenceCandidates(
    _ model: IRModel, states: [[Int]], variables: Set<VarID>
  ) -> [InvariantCandidate] {
    let sequence = variables.sorted()
    guard !states.isEmpty, sequence.count >= 1 else { return [] }
    var result: [InvariantCandidate] = []
    for v in sequence where states.allSatisfy({ $0[v.index] & 1 == 1 }) {
      result.append(.odd(v))
    }
    var pairs: [(VarID, VarID)] = []
    for (i, v) in sequence.enumerated() {
      for w in sequence[(i + 1)...] { pairs.append((v, w)) }
    }
    // The relations each pair satisfies in every state of `group`.
    func holding(_ group: [[Int]]) -> [(VarID, SequenceRelation, VarID)] {
      var out: [(VarID, SequenceRelation, VarID)] = []
      for (v, w) in pairs {
        if group.allSatisfy({ $0[v.index] == $0[w.index] }) { out.append((v, .equal, w)) }
        if group.allSatisfy({ $0[v.index] != $0[w.index] }) { out.append((v, .different, w)) }
        if group.allSatisfy({ $0[v.index] < $0[w.index] }) { out.append((v, .less, w)) }
        if group.allSatisfy({ $0[w.index] < $0[v.index] }) { out.append((w, .less, v)) }
      }
      return out
    }
    let global = holding(states)
    let known = Set(global.map { "\($0.0.index) \($0.1.rawValue) \($0.2.index)" })
    for (v, relation, w) in global { result.append(.compare(pc: nil, p: 0, v, relation, w)) }
    for thread in model.threads {
      var byPC: [Int: [[Int]]] = [:]
      for s in states { byPC[s[thread.pc.index], default: []].append(s) }
      for p in byPC.keys.sorted() {
        guard let group = byPC[p] else { continue }
        for (v, relation, w) in holding(group)
        where !known.contains("\(v.index) \(relation.rawValue) \(w.index)") {
          result.append(.compare(pc: thread.pc, p: p, v, relation, w))
        }
      }
    }
    return result
  }
}
