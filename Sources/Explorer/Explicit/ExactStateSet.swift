/// A visited set of whole states: every state's words are kept in an arena, and an
/// open-addressing table (linear probing) maps fingerprints to state numbers. Two states are
/// equal only if all their words are equal, so no collision can hide a state.
///
/// A slot holds the fingerprint's high 32 bits and `state number + 1` (0 for empty), so a
/// lookup reads the stored state only when those bits match.
struct ExactStateSet: VisitedStateSet, ~Copyable {
  private var states: StateArena
  /// The fingerprint of every stored state, by state number (read only when growing).
  private var fingerprints = WordBuffer()
  /// `fingerprint >> 32 << 32 | (state number + 1)`, or 0 for an empty slot.
  private var slots: UnsafeMutablePointer<UInt64>
  private var capacity: Int
  private(set) var peakMemoryBytes: Int = 0
  /// Sink of `prefetch` loads, so they are not optimized away.
  private var touched: UInt64 = 0

  init(stride: Int, capacity: Int = OpenAddressing.initialCapacity) {
    precondition(capacity > 0 && capacity & (capacity - 1) == 0, "capacity: a power of two")
    self.states = StateArena(stride: stride, capacity: capacity / 2)
    self.capacity = capacity
    self.slots = .allocate(capacity: capacity)
    self.slots.initialize(repeating: 0, count: capacity)
    self.peakMemoryBytes = memoryBytes
  }

  deinit { slots.deallocate() }

  var count: Int { states.count }
  var isExact: Bool { true }
  var nextGrowthBytes: Int {
    (OpenAddressing.mustGrow(count: count, capacity: capacity)
      ? 2 * capacity * MemoryLayout<UInt64>.stride : 0)
      + states.nextGrowthBytes + fingerprints.nextGrowthBytes
  }
  var memoryBytes: Int {
    states.memoryBytes + fingerprints.memoryBytes + capacity * MemoryLayout<UInt64>.stride
  }

  @inline(__always)
  mutating func prefetch(_ fingerprint: UInt64) {
    touched &+= slots[Int(truncatingIfNeeded: fingerprint) & (capacity &- 1)]
  }

  /// The slot holding a state equal to `state`, or the empty slot where it would go.
  @inline(__always)
  private func probe(_ state: UnsafePointer<UInt64>, fingerprint: UInt64) -> Int {
    let mask = capacity &- 1
    let tag = fingerprint & 0xFFFF_FFFF_0000_0000
    var i = Int(truncatingIfNeeded: fingerprint) & mask
    while true {
      let slot = slots[i]
      if slot == 0 { return i }
      if slot & 0xFFFF_FFFF_0000_0000 == tag {
        let index = Int(slot & 0xFFFF_FFFF) &- 1
        if states.pointer(at: index).elementsEqual(state, count: states.stride) { return i }
      }
      i = (i &+ 1) & mask
    }
  }

  /// - Complexity: amortized O(stride) expected.
  mutating func insert(_ state: UnsafePointer<UInt64>, fingerprint: UInt64) -> Bool {
    precondition(states.count < Int(UInt32.max), "exact visited set is full")
    if OpenAddressing.mustGrow(count: count, capacity: capacity) { grow() }
    let i = probe(state, fingerprint: fingerprint)
    if slots[i] != 0 { return false }
    slots[i] = fingerprint & 0xFFFF_FFFF_0000_0000 | UInt64(states.count + 1)
    states.append(state)
    fingerprints.append(fingerprint)
    peakMemoryBytes = max(peakMemoryBytes, memoryBytes)
    return true
  }

  /// - Complexity: O(stride) expected.
  func contains(_ state: UnsafePointer<UInt64>, fingerprint: UInt64) -> Bool {
    slots[probe(state, fingerprint: fingerprint)] != 0
  }

  private mutating func grow() {
    let newCapacity = capacity * 2
    let newSlots = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
    newSlots.initialize(repeating: 0, count: newCapacity)
    peakMemoryBytes = max(
      peakMemoryBytes, memoryBytes + newCapacity * MemoryLayout<UInt64>.stride)
    let mask = newCapacity - 1
    for index in 0..<fingerprints.count {
      let fingerprint = fingerprints[index]
      var i = Int(truncatingIfNeeded: fingerprint) & mask
      while newSlots[i] != 0 { i = (i &+ 1) & mask }
      newSlots[i] = fingerprint & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
    }
    slots.deallocate()
    slots = newSlots
    capacity = newCapacity
  }
}

extension UnsafeMutablePointer where Pointee == UInt64 {
  /// Whether `count` words here equal `count` words at `other`.
  @inline(__always)
  func elementsEqual(_ other: UnsafePointer<UInt64>, count: Int) -> Bool {
    for i in 0..<count where self[i] != other[i] { return false }
    return true
  }
}
