/// Maps a packed state to a representative of its orbit under `ThreadSymmetry`.
///
/// The members of each group are sorted by their locals and the state is rewritten with the
/// members in that order, the owner variables' thread numbers remapped by the same
/// permutation. The order is a fixed total order on a member's locals (below), so equal
/// locals compare equal and keep their order: two symmetric states may still get different
/// representatives (less reduction, never unsound): soundness needs only that the
/// representative is in the state's orbit and is computed deterministically.
///
/// **Runs.** Locals `k..<k'` of a group form a *run* when, in every member, they are packed
/// one after the other in one word (`shift[k + 1] == shift[k] + width[k]`). A run is read,
/// compared and moved as one bit field, so a member's ~90 locals cost a handful of word
/// operations instead of ~90 slot reads. Members are compared run by run, each run as an
/// unsigned integer of its bits: a lexicographic order on the tuple of run values, which
/// depends only on the member's locals (the runs line up across members), so it is a total
/// order on locals as the sort needs. Aligned locals have the same width and lower bound in
/// every member (they are the same procedure's locals, checked in `init`), so equal bits are
/// equal values.
struct SymmetryCanonicalizer: Sendable {
  /// One bit field of a member: `width` bits starting at bit `shift` of word `word`.
  struct Field: BitwiseCopyable, Sendable {
    var word: Int
    var shift: UInt64
    var mask: UInt64

    @inline(__always) func read(_ state: UnsafePointer<UInt64>) -> UInt64 {
      (state[word] &>> shift) & mask
    }

    @inline(__always) func write(_ bits: UInt64, _ state: UnsafeMutablePointer<UInt64>) {
      state[word] = (state[word] & ~(mask &<< shift)) | (bits &<< shift)
    }
  }

  /// For group `g`: `(first, members, runs)` — member `m`'s run `r` is
  /// `fields[first + m * runs + r]`.
  let groups: [(first: Int, members: Int, runs: Int)]
  let fields: [Field]
  /// The thread index of member `m` of group `g`: `threadOf[memberBase[g] + m]`.
  let threadOf: [Int]
  let memberBase: [Int]
  let owners: [VariableSlot]
  let threadCount: Int
  let maxMembers: Int

  init(_ symmetry: ThreadSymmetry, layout: StateLayout, threadCount: Int) {
    var groups: [(first: Int, members: Int, runs: Int)] = []
    var fields: [Field] = []
    var threadOf: [Int] = []
    var memberBase: [Int] = []
    for (g, group) in symmetry.locals.enumerated() {
      let slots = group.map { member in member.map { layout.slots[$0] } }
      let locals = slots.first?.count ?? 0
      for member in slots {
        precondition(
          member.count == locals
            && zip(member, slots[0]).allSatisfy {
              $0.width == $1.width && $0.lowerBound == $1.lowerBound
            },
          "symmetric threads' aligned locals have one type")
      }
      // Split the locals, in the order of the first member's packing, into runs that are
      // contiguous in every member.
      let order = (0..<locals).sorted {
        (slots[0][$0].word, slots[0][$0].shift) < (slots[0][$1].word, slots[0][$1].shift)
      }
      var starts: [Int] = []
      for (i, k) in order.enumerated() {
        let continues =
          i > 0
          && slots.allSatisfy { member in
            let previous = member[order[i - 1]]
            return member[k].word == previous.word
              && Int(member[k].shift) == Int(previous.shift) + Int(previous.width)
          }
        if !continues { starts.append(i) }
      }
      groups.append((fields.count, slots.count, starts.count))
      for member in slots {
        for (r, start) in starts.enumerated() {
          let end = r + 1 < starts.count ? starts[r + 1] : locals
          let width = order[start..<end].reduce(0) { $0 + Int(member[$1].width) }
          let head = member[order[start]]
          fields.append(
            Field(
              word: Int(head.word), shift: UInt64(head.shift),
              mask: width == 0 ? 0 : UInt64.max &>> UInt64(64 - width)))
        }
      }
      memberBase.append(threadOf.count)
      threadOf += symmetry.groups[g]
    }
    self.groups = groups
    self.fields = fields
    self.threadOf = threadOf
    self.memberBase = memberBase
    owners = symmetry.ownerVariables.map { layout.slots[$0] }
    self.threadCount = threadCount
    maxMembers = groups.map(\.members).max() ?? 0
  }

  /// Writes the representative of `source` to `target` (`words` words each).
  ///
  /// - Complexity: O(groups · members² · runs + owners); no allocation.
  @inline(__always)
  func canonicalize(
    _ source: UnsafePointer<UInt64>, into target: UnsafeMutablePointer<UInt64>, words: Int
  ) {
    target.update(from: source, count: words)
    fields.withUnsafeBufferPointer { fields in
      withUnsafeTemporaryAllocation(of: Int.self, capacity: maxMembers &+ threadCount) { scratch in
        guard let order = scratch.baseAddress, let base = fields.baseAddress else { return }
        let threadMap = order + maxMembers
        var moved = false
        for g in 0..<groups.count {
          let (first, n, runs) = groups[g]
          for m in 0..<n { order[m] = m }
          // Insertion sort of the members by their runs (stable).
          var i = 1
          while i < n {
            let m = order[i]
            var j = i
            while j > 0
              && Self.less(
                base + (first &+ m &* runs), base + (first &+ order[j &- 1] &* runs), runs,
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
            let old = first &+ order[p] &* runs
            let new = first &+ p &* runs
            for r in 0..<runs { base[new &+ r].write(base[old &+ r].read(source), target) }
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
    _ a: UnsafePointer<Field>, _ b: UnsafePointer<Field>, _ count: Int,
    _ state: UnsafePointer<UInt64>
  ) -> Bool {
    for r in 0..<count {
      let x = a[r].read(state)
      let y = b[r].read(state)
      if x != y { return x < y }
    }
    return false
  }
}
