/// A growable array of `UInt64` with deterministic capacity (doubling from a fixed start).
///
/// Used for parent links and stored fingerprints. Unlike `Array`, whose capacity may follow
/// the allocator's rounding, its capacity — and so the reported memory — is the same on
/// every run. Non-copyable: one owner, freed on deinit.
struct WordBuffer: ~Copyable {
  private(set) var count: Int = 0
  private(set) var capacity: Int
  private var base: UnsafeMutablePointer<UInt64>

  init(capacity: Int = 1024) {
    self.capacity = max(1, capacity)
    self.base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  var memoryBytes: Int { capacity * MemoryLayout<UInt64>.stride }

  /// Bytes the next `append` would newly allocate (0 unless the buffer is full).
  var nextGrowthBytes: Int { count == capacity ? 2 * memoryBytes : 0 }

  @inline(__always)
  subscript(index: Int) -> UInt64 { base[index] }

  /// - Complexity: amortized O(1).
  @inline(__always)
  mutating func append(_ word: UInt64) {
    if count == capacity { grow() }
    base[count] = word
    count &+= 1
  }

  private mutating func grow() {
    let newCapacity = capacity * 2
    let newBase = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
    newBase.initialize(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }
}
