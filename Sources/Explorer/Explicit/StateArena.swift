/// A growable, contiguous array of packed states of a fixed stride (words per state): the
/// whole states of `ExactStateSet`.
///
/// States are rows of one manually managed allocation: appending a state copies its words,
/// and no per-state object exists. The arena is non-copyable, so it has exactly one owner and
/// mutating it needs no runtime exclusivity or reference-count traffic.
struct StateArena: ~Copyable {
  /// Words per state.
  let stride: Int
  private(set) var count: Int = 0
  private(set) var capacity: Int
  private var base: UnsafeMutablePointer<UInt64>

  /// - Parameters:
  ///   - stride: words per state, at least 1.
  ///   - capacity: initial number of states that fit without growing.
  init(stride: Int, capacity: Int = 1024) {
    precondition(stride >= 1)
    self.stride = stride
    self.capacity = max(1, capacity)
    self.base = .allocate(capacity: self.capacity * stride)
  }

  deinit { base.deallocate() }

  /// Bytes allocated for states.
  var memoryBytes: Int { capacity * stride * MemoryLayout<UInt64>.stride }

  /// Bytes the next `append` would newly allocate (0 unless the arena is full).
  var nextGrowthBytes: Int { count == capacity ? 2 * memoryBytes : 0 }

  /// The words of state `index`.
  @inline(__always)
  func pointer(at index: Int) -> UnsafeMutablePointer<UInt64> {
    base + index &* stride
  }

  /// Appends a copy of `stride` words and returns the index of the new row.
  ///
  /// - Complexity: amortized O(stride).
  @inline(__always)
  @discardableResult
  mutating func append(_ state: UnsafePointer<UInt64>) -> Int {
    if count == capacity { grow() }
    (base + count &* stride).update(from: state, count: stride)
    count &+= 1
    return count &- 1
  }

  private mutating func grow() {
    let newCapacity = capacity * 2
    let newBase = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity * stride)
    newBase.update(from: base, count: count * stride)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }
}
