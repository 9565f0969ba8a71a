/// A visited set of 64-bit fingerprints: an open-addressing table with linear probing.
///
/// Slot value 0 means empty; the one fingerprint equal to 0 is remembered by a flag instead,
/// so every 64-bit fingerprint is distinct. The home slot of a fingerprint is
/// `fingerprint · capacity / 2⁶⁴` (the high word of the product), so the capacity need not be
/// a power of two: the table grows by half (×1.5) once it is three-quarters full, which keeps
/// the load between 1/2 and 3/4 and the memory between 10.7 and 16 bytes per state.
struct FingerprintSet: VisitedStateSet, ~Copyable {
  /// Grow before the load passes `maxLoadNumerator / maxLoadDenominator`.
  static let maxLoadNumerator = 3
  static let maxLoadDenominator = 4

  private(set) var count: Int = 0
  private(set) var peakMemoryBytes: Int
  private var capacity: Int
  private var slots: UnsafeMutablePointer<UInt64>
  private var containsZero = false

  init(capacity: Int = OpenAddressing.initialCapacity) {
    precondition(capacity >= 4, "capacity: at least 4")
    self.capacity = capacity
    self.slots = .allocate(capacity: capacity)
    self.slots.initialize(repeating: 0, count: capacity)
    self.peakMemoryBytes = capacity * MemoryLayout<UInt64>.stride
  }

  /// Sink of `prefetch` loads, so they are not optimized away.
  private var touched: UInt64 = 0

  deinit { slots.deallocate() }

  /// The home slot of `fingerprint` in a table of `capacity` slots.
  @inline(__always)
  private static func home(_ fingerprint: UInt64, _ capacity: Int) -> Int {
    Int(truncatingIfNeeded: fingerprint.multipliedFullWidth(by: UInt64(capacity)).high)
  }

  /// Whether a table of `capacity` slots holding `count` entries must grow before one more.
  @inline(__always)
  private static func mustGrow(count: Int, capacity: Int) -> Bool {
    (count &+ 1) &* maxLoadDenominator > capacity &* maxLoadNumerator
  }

  @inline(__always)
  mutating func prefetch(_ fingerprint: UInt64) {
    touched &+= UInt64(slots[Self.home(fingerprint, capacity)])
  }

  var memoryBytes: Int { capacity * MemoryLayout<UInt64>.stride }
  var isExact: Bool { false }
  var nextGrowthBytes: Int {
    Self.mustGrow(count: count, capacity: capacity) ? (capacity + capacity / 2) * 8 : 0
  }

  /// The slot holding `fingerprint`, or the empty slot where it would go.
  @inline(__always)
  private func probe(_ fingerprint: UInt64) -> Int {
    var i = Self.home(fingerprint, capacity)
    while true {
      let slot = slots[i]
      if slot == fingerprint || slot == 0 { return i }
      i &+= 1
      if i == capacity { i = 0 }
    }
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
    if Self.mustGrow(count: count, capacity: capacity) { grow() }
    let i = probe(fingerprint)
    if slots[i] != 0 { return false }
    slots[i] = fingerprint
    count &+= 1
    return true
  }

  /// - Complexity: O(1) expected.
  @inline(__always)
  func contains(_ state: UnsafePointer<UInt64>, fingerprint: UInt64) -> Bool {
    if fingerprint == 0 { return containsZero }
    return slots[probe(fingerprint)] != 0
  }

  private mutating func grow() {
    let newCapacity = capacity + capacity / 2
    let newSlots = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
    newSlots.initialize(repeating: 0, count: newCapacity)
    peakMemoryBytes = max(peakMemoryBytes, (capacity + newCapacity) * MemoryLayout<UInt64>.stride)
    for j in 0..<capacity {
      let fingerprint = slots[j]
      if fingerprint == 0 { continue }
      var i = Self.home(fingerprint, newCapacity)
      while newSlots[i] != 0 {
        i &+= 1
        if i == newCapacity { i = 0 }
      }
      newSlots[i] = fingerprint
    }
    slots.deallocate()
    slots = newSlots
    capacity = newCapacity
  }
}
