internal import Synchronization

/// A visited set of 64-bit fingerprints: an open-addressing table with linear probing.
///
/// Slot value 0 means empty; the one fingerprint equal to 0 is remembered by an extra slot
/// after the table instead, so every 64-bit fingerprint is distinct. The home slot of a
/// fingerprint is `fingerprint · capacity / 2⁶⁴` (the high word of the product), so the
/// capacity need not be a power of two: the table grows by half (×1.5) once it is
/// three-quarters full, which keeps the load between 1/2 and 3/4 and the memory between 10.7
/// and 16 bytes per state. Near the search's memory limit (`allowGrowth(upTo:)`) it grows by
/// less, down to an eighth, when growing by half would not fit while the old table is still
/// held: the load then stays between 2/3 and 3/4.
///
/// The slots are atomics, so that the workers of the parallel search can insert at the same
/// time (`ConcurrentFingerprintSlots`, compare-and-swap); the one-thread operations use
/// relaxed loads and stores, which are plain loads and stores.
struct FingerprintSet: VisitedStateSet, ~Copyable {
  /// Grow before the load passes `maxLoadNumerator / maxLoadDenominator`.
  static let maxLoadNumerator = 3
  static let maxLoadDenominator = 4

  private(set) var count: Int = 0
  private(set) var peakMemoryBytes: Int
  private var capacity: Int
  /// The most bytes the table may take during a growth (old and new together).
  private var allowance = Int.max
  /// `capacity` slots, then the flag slot (1 when 0 is in the set).
  private var slots: UnsafeMutablePointer<Atomic<UInt64>>

  init(capacity: Int = OpenAddressing.initialCapacity) {
    precondition(capacity >= 4, "capacity: at least 4")
    self.capacity = capacity
    self.slots = Self.allocateSlots(capacity)
    self.peakMemoryBytes = capacity * MemoryLayout<UInt64>.stride
  }

  /// Sink of `prefetch` loads, so they are not optimized away.
  private var touched: UInt64 = 0

  deinit { Self.deallocateSlots(slots, capacity) }

  private static func allocateSlots(_ capacity: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
    let slots = UnsafeMutablePointer<Atomic<UInt64>>.allocate(capacity: capacity &+ 1)
    for i in 0...capacity { (slots + i).initialize(to: Atomic(0)) }
    return slots
  }

  private static func deallocateSlots(
    _ slots: UnsafeMutablePointer<Atomic<UInt64>>, _ capacity: Int
  ) {
    slots.deinitialize(count: capacity &+ 1)
    slots.deallocate()
  }

  /// The home slot of `fingerprint` in a table of `capacity` slots.
  @inline(__always)
  fileprivate static func home(_ fingerprint: UInt64, _ capacity: Int) -> Int {
    Int(truncatingIfNeeded: fingerprint.multipliedFullWidth(by: UInt64(capacity)).high)
  }

  /// Whether a table of `capacity` slots holding `count` entries must grow before one more.
  @inline(__always)
  private static func mustGrow(count: Int, capacity: Int) -> Bool {
    (count &+ 1) &* maxLoadDenominator > capacity &* maxLoadNumerator
  }

  @inline(__always)
  private func slot(_ i: Int) -> UInt64 { slots[i].load(ordering: .relaxed) }

  @inline(__always)
  mutating func prefetch(_ fingerprint: UInt64) {
    touched &+= slot(Self.home(fingerprint, capacity))
  }

  var memoryBytes: Int { capacity * MemoryLayout<UInt64>.stride }
  var isExact: Bool { false }
  var nextGrowthBytes: Int {
    Self.mustGrow(count: count, capacity: capacity) ? grownCapacity(atLeast: 0) * 8 : 0
  }

  mutating func allowGrowth(upTo bytes: Int) { allowance = bytes }

  /// The capacity to grow to, for room for at least `minimum` slots: by half (repeatedly, up
  /// to `minimum`), or, when the old and the new table would not fit in `allowance`
  /// together, the largest capacity that does if it is at least an eighth larger and at
  /// least `minimum` (otherwise by half still, and the caller's memory check stops).
  private func grownCapacity(atLeast minimum: Int) -> Int {
    var preferred = capacity + capacity / 2
    while preferred < minimum { preferred += preferred / 2 }
    let slot = MemoryLayout<UInt64>.stride
    guard (capacity + 1 + preferred + 1) * slot > allowance else { return preferred }
    let fitting = allowance / slot - capacity - 2
    return fitting >= max(minimum, capacity + capacity / 8) ? fitting : preferred
  }

  /// The slot holding `fingerprint`, or the empty slot where it would go.
  @inline(__always)
  private func probe(_ fingerprint: UInt64) -> Int {
    var i = Self.home(fingerprint, capacity)
    while true {
      let value = slot(i)
      if value == fingerprint || value == 0 { return i }
      i &+= 1
      if i == capacity { i = 0 }
    }
  }

  /// - Complexity: amortized O(1) expected.
  @inline(__always)
  mutating func insert(_ state: UnsafePointer<UInt64>, fingerprint: UInt64) -> Bool {
    if fingerprint == 0 {
      if slot(capacity) != 0 { return false }
      slots[capacity].store(1, ordering: .relaxed)
      count &+= 1
      return true
    }
    if Self.mustGrow(count: count, capacity: capacity) { grow(to: grownCapacity(atLeast: 0)) }
    let i = probe(fingerprint)
    if slot(i) != 0 { return false }
    slots[i].store(fingerprint, ordering: .relaxed)
    count &+= 1
    return true
  }

  /// - Complexity: O(1) expected.
  @inline(__always)
  func contains(_ state: UnsafePointer<UInt64>, fingerprint: UInt64) -> Bool {
    if fingerprint == 0 { return slot(capacity) != 0 }
    return slot(probe(fingerprint)) != 0
  }

  // MARK: - Concurrent insertion

  /// How many new fingerprints fit before the table must grow.
  var headroom: Int {
    max(0, capacity &* Self.maxLoadNumerator / Self.maxLoadDenominator &- count)
  }

  /// Grows the table (by half, as often as needed) until `extra` more fingerprints fit
  /// without passing the maximum load.
  mutating func reserve(_ extra: Int) {
    let newCapacity = capacity(toFit: extra)
    if newCapacity != capacity { grow(to: newCapacity) }
  }

  /// Bytes that `reserve(extra)` would newly allocate.
  func reserveBytes(_ extra: Int) -> Int {
    let newCapacity = capacity(toFit: extra)
    return newCapacity == capacity ? 0 : newCapacity * MemoryLayout<UInt64>.stride
  }

  private func capacity(toFit extra: Int) -> Int {
    let needed = (count &+ extra) &* Self.maxLoadDenominator
    if needed <= capacity &* Self.maxLoadNumerator { return capacity }
    // The smallest capacity whose load stays at most 3/4.
    let minimum = (needed + Self.maxLoadNumerator - 1) / Self.maxLoadNumerator
    return grownCapacity(atLeast: minimum)
  }

  /// The table as the workers of a parallel search see it. Valid until the next growth;
  /// the caller adds the number of new fingerprints (`recordConcurrentInserts`) once the
  /// workers have stopped.
  var concurrentSlots: ConcurrentFingerprintSlots {
    ConcurrentFingerprintSlots(slots: slots, capacity: capacity)
  }

  /// Counts `n` fingerprints that workers inserted through `concurrentSlots`.
  mutating func recordConcurrentInserts(_ n: Int) { count &+= n }

  private mutating func grow(to newCapacity: Int) {
    let newSlots = Self.allocateSlots(newCapacity)
    peakMemoryBytes = max(peakMemoryBytes, (capacity + newCapacity) * MemoryLayout<UInt64>.stride)
    for j in 0..<capacity {
      let fingerprint = slot(j)
      if fingerprint == 0 { continue }
      var i = Self.home(fingerprint, newCapacity)
      while newSlots[i].load(ordering: .relaxed) != 0 {
        i &+= 1
        if i == newCapacity { i = 0 }
      }
      newSlots[i].store(fingerprint, ordering: .relaxed)
    }
    newSlots[newCapacity].store(slot(capacity), ordering: .relaxed)
    Self.deallocateSlots(slots, capacity)
    slots = newSlots
    capacity = newCapacity
  }
}

/// The slots of a `FingerprintSet`, shared by the workers of a parallel search, which insert
/// with compare-and-swap. The table must not grow while they use it, and the caller keeps
/// the load under the maximum (see `FingerprintSet.headroom`), so an empty slot is always
/// found.
struct ConcurrentFingerprintSlots: @unchecked Sendable {
  fileprivate let slots: UnsafeMutablePointer<Atomic<UInt64>>
  fileprivate let capacity: Int

  /// Inserts `fingerprint`; whether it was new. Of several threads inserting the same
  /// fingerprint, exactly one gets `true`.
  ///
  /// - Complexity: O(1) expected.
  @inline(__always)
  func insert(_ fingerprint: UInt64) -> Bool {
    if fingerprint == 0 {
      return slots[capacity].compareExchange(
        expected: 0, desired: 1, ordering: .relaxed
      ).exchanged
    }
    var i = FingerprintSet.home(fingerprint, capacity)
    while true {
      var value = slots[i].load(ordering: .relaxed)
      if value == 0 {
        let (exchanged, original) = slots[i].compareExchange(
          expected: 0, desired: fingerprint, ordering: .relaxed)
        if exchanged { return true }
        value = original
      }
      if value == fingerprint { return false }
      i &+= 1
      if i == capacity { i = 0 }
    }
  }

  /// Touches the slot of `fingerprint`, so that its cache miss overlaps with others.
  @inline(__always)
  func prefetch(_ fingerprint: UInt64) -> UInt64 {
    slots[FingerprintSet.home(fingerprint, capacity)].load(ordering: .relaxed)
  }
}
