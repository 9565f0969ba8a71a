/// The set of states already found, keyed by fingerprint.
///
/// Two implementations: `FingerprintSet` stores only 64-bit fingerprints (TLC's default; a
/// collision can hide a state, with the probability reported in the statistics), and
/// `ExactStateSet` stores whole states (no collision possible; more memory). The search is
/// generic over this protocol and specialized for each.
protocol VisitedStateSet: ~Copyable {
  /// Distinct states inserted.
  var count: Int { get }
  /// Bytes allocated now.
  var memoryBytes: Int { get }
  /// The most bytes allocated at once so far (growth briefly holds the old and new table).
  var peakMemoryBytes: Int { get }
  /// Whether a fingerprint collision could have hidden a state.
  var isExact: Bool { get }
  /// Bytes that inserting one more new state would newly allocate (0 unless a structure is
  /// full and must grow); the old allocation is freed only after the copy.
  var nextGrowthBytes: Int { get }

  /// Inserts a state unless an equal one (or, for fingerprints, one with the same
  /// fingerprint) is present.
  ///
  /// - Parameters:
  ///   - state: the packed state, `stride` words.
  ///   - fingerprint: `Fingerprint.of(state, count: stride)`.
  /// - Returns: whether the state is new.
  /// - Complexity: amortized O(1) expected.
  mutating func insert(_ state: UnsafePointer<UInt64>, fingerprint: UInt64) -> Bool

  /// Whether a state equal to `state` (or, for fingerprints, one with the same fingerprint)
  /// is present.
  ///
  /// - Complexity: O(1) expected.
  func contains(_ state: UnsafePointer<UInt64>, fingerprint: UInt64) -> Bool

  /// Touches the table slot of `fingerprint` so that a later `insert` finds it in cache.
  /// Touching several slots in a row lets their cache misses overlap.
  mutating func prefetch(_ fingerprint: UInt64)

  /// Tells the set how many bytes its structures may take at once, during a growth too (the
  /// search's memory limit less everything else it holds), so that near the limit it can
  /// grow by less rather than not at all. `nextGrowthBytes` reflects it.
  mutating func allowGrowth(upTo bytes: Int)
}

extension VisitedStateSet where Self: ~Copyable {
  /// Growth that ignores the allowance (the default).
  mutating func allowGrowth(upTo bytes: Int) {}
}

/// Growth policy shared by the open-addressing tables: power-of-two capacities, grown by
/// doubling once the load factor passes 5/8.
enum OpenAddressing {
  static let initialCapacity = 1 << 12

  /// Whether a table of `capacity` slots holding `count` entries must grow before one more.
  @inline(__always)
  static func mustGrow(count: Int, capacity: Int) -> Bool {
    (count &+ 1) &* 8 > capacity &* 5
  }
}
