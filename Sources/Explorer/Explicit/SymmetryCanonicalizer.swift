/// Maps a packed state to a representative of its orbit under `ThreadSymmetry`.
///
/// The members of each group are sorted by their locals (pc first), compared
/// lexicographically; the state is rewritten with the members in that order and the owner
/// variables' thread numbers remapped by the same permutation. Equal locals keep their
/// order, so two symmetric states may still get different representatives (less reduction,
/// never unsound): soundness needs only that the representative is in the state's orbit and
/// is computed deterministically.
struct SymmetryCanonicalizer: Sendable {
  /// For group `g`: `(first, members, locals)` — member `m`'s local `k` is
  /// `slots[first + m * locals + k]`.
  let groups: [(first: Int, members: Int, locals: Int)]
  let slots: [VariableSlot]
  /// The thread index of member `m` of group `g`: `threads[g][m]`, flattened like `slots`
  /// (`threadOf[memberBase[g] + m]`).
  let threadOf: [Int]
  let memberBase: [Int]
  let owners: [VariableSlot]
  let threadCount: Int
  let maxMembers: Int

  init(_ symmetry: ThreadSymmetry, layout: StateLayout, threadCount: Int) {
    var groups: [(first: Int, members: Int, locals: Int)] = []
    var slots: [VariableSlot] = []
    var threadOf: [Int] = []
    var memberBase: [Int] = []
    for (g, group) in symmetry.locals.enumerated() {
      groups.append((slots.count, group.count, group.first?.count ?? 0))
      for member in group { slots += member.map { layout.slots[$0] } }
      memberBase.append(threadOf.count)
      threadOf += symmetry.groups[g]
    }
    self.groups = groups
    self.slots = slots
    self.threadOf = threadOf
    self.memberBase = memberBase
    owners = symmetry.ownerVariables.map { layout.slots[$0] }
    self.threadCount = threadCount
    maxMembers = groups.map(\.members).max() ?? 0
  }

  /// Writes the representative of `source` to `target` (`words` words each).
  ///
  /// - Complexity: O(groups · members² · locals + owners); no allocation.
  @inline(__always)
  func canonicalize(
    _ source: UnsafePointer<UInt64>, into target: UnsafeMutablePointer<UInt64>, words: Int
  ) {
    target.update(from: source, count: words)
    slots.withUnsafeBufferPointer { slots in
      withUnsafeTemporaryAllocation(of: Int.self, capacity: maxMembers &+ threadCount) { scratch in
        guard let order = scratch.baseAddress, let base = slots.baseAddress else { return }
        let threadMap = order + maxMembers
        var moved = false
        for g in 0..<groups.count {
          let (first, n, locals) = groups[g]
          for m in 0..<n { order[m] = m }
          // Insertion sort of the members by their locals (stable).
          var i = 1
          while i < n {
            let m = order[i]
            var j = i
            while j > 0
              && Self.less(
                base + (first &+ m &* locals), base + (first &+ order[j &- 1] &* locals), locals,
                source)
            {
              order[j] = order[j &- 1]
              j &-= 1
            }
            order[j] = m
            i &+= 1
          }
          var identity = true
          for p in 0..<n where order[p] != p { identity = false }
          if identity { continue }
          if !moved {
            for t in 0..<threadCount { threadMap[t] = t }
            moved = true
          }
          for p in 0..<n where order[p] != p {
            let old = first &+ order[p] &* locals
            let new = first &+ p &* locals
            for k in 0..<locals { slots[new &+ k].write(slots[old &+ k].read(source), target) }
            threadMap[threadOf[memberBase[g] &+ order[p]]] = threadOf[memberBase[g] &+ p]
          }
        }
        if moved {
          for owner in owners {
            let value = owner.read(source)
            if value >= 1 && value <= threadCount {
              owner.write(threadMap[value &- 1] &+ 1, target)
            }
          }
        }
      }
    }
  }

  @inline(__always)
  private static func less(
    _ a: UnsafePointer<VariableSlot>, _ b: UnsafePointer<VariableSlot>, _ count: Int,
    _ state: UnsafePointer<UInt64>
  ) -> Bool {
    for k in 0..<count {
      let x = a[k].read(state)
      let y = b[k].read(state)
      if x != y { return x < y }
    }
    return false
  }
}
