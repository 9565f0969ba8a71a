/// A visited set of 64-bit fingerprints: an open-addressing table with linear probing.
///
/// Slot value 0 means empty; the one fingerprint equal to 0 is remembered by a flag instead,
/// so every 64-bit fingerprint is distinct. Memory: 8 bytes per slot, 13–26 bytes per state.
struct FingerprintSet: VisitedStateSet, ~Copyable {
  private(set) var count: Int = 0
  private(set) var peakMemoryBytes: Int
  private var capacity: Int
  private var slots: UnsafeMutablePointer<UInt64>
  private var containsZero = false

  init(capacity: Int = OpenAddressing.initialCapacity) {
    precondition(capacity > 0 && capacity & (capacity - 1) == 0, "capacity: a power of two")
    self.capacity = capacity
    self.slots = .allocate(capacity: capacity)
    self.slots.initialize(repeating: 0, count: capacity)
    self.peakMemoryBytes = capacity * MemoryLayout<UInt64>.stride
  }

  /// Sink of `prefetch` loads, so they are not optimized away.
  private var touched: UInt64 = 0

  deinit { slots.deallocate() }

  @inline(__always)
  mutating func prefetch(_ fingerprint: UInt64) {
    touched &+= UInt64(slots[Int(truncatingIfNeeded: fingerprint) & (capacity &- 1)])
  }

  var memoryBytes: Int { capacity * MemoryLayout<UInt64>.stride }
  var isExact: Bool { false }
  var nextGrowthBytes: Int {
    OpenAddressing.mustGrow(count: count, capacity: capacity) ? 2 * memoryBytes : 0
  }

  /// - Complexity: amortized O(1) expected.
  @inline(__always)
  mutating func insert(_ state: UnsafePointer<UInt64>, fingerprint: UInt64) -> Bool {
    if fingerprint == 0 {
      if containsZero { return false }
      containsZero = true
      count &+= 1
      return true
    }
    if OpenAddressing.mustGrow(count: count, capacity: capacity) { grow() }
    let mask = capacity &- 1
    var i = Int(truncatingIfNeeded: fingerprint) & mask
    while true {
      let slot = slots[i]
      if slot == fingerprint { return false }
      if slot == 0 {
        slots[i] = fingerprint
        count &+= 1
        return true
      }
      i = (i &+ 1) & mask
    }
  }

  private mutating func grow() {
    let newCapacity = capacity * 2
    let newSlots = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
    newSlots.initialize(repeating: 0, count: newCapacity)
    peakMemoryBytes = max(peakMemoryBytes, (capacity + newCapacity) * MemoryLayout<UInt64>.stride)
    let mask = newCapacity - 1
    for j in 0..<capacity {
      let fingerprint = slots[j]
      if fingerprint == 0 { continue }
      var i = Int(truncatingIfNeeded: fingerprint) & mask
      while newSlots[i] != 0 { i = (i &+ 1) & mask }
      newSlots[i] = fingerprint
    }
    slots.deallocate()
    slots = newSlots
    capacity = newCapacity
  }
}
