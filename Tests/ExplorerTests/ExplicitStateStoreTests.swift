import Dispatch
import HMMModel
import Synchronization
import Testing

@testable import Explorer

@Suite("Explicit engine: state layout, fingerprints, visited sets")
struct ExplicitStateStoreTests {
  @Test func layoutPacksFirstFitWithoutStraddling() {
    let variables = [
      IRVariable(name: "a", type: .int(lo: -3, hi: 4), initial: 0),  // 3 bits
      IRVariable(name: "wide", type: .int(lo: 0, hi: (1 << 60) - 1), initial: 0),  // 60 bits
      IRVariable(name: "flag", type: .bool, initial: 0),  // 1 bit
      IRVariable(name: "b", type: .int(lo: 10, hi: 10), initial: 10),  // 1 bit (span 0)
      IRVariable(name: "c", type: .int(lo: 0, hi: 1 << 40), initial: 0),  // 41 bits
    ]
    let layout = StateLayout(variables)
    #expect(layout.words == 2)
    #expect(layout.slots.map(\.word) == [0, 0, 0, 1, 1])
    #expect(layout.slots.map(\.shift) == [0, 3, 63, 0, 1])
    #expect(layout.slots.map(\.width) == [3, 60, 1, 1, 41])
    for slot in layout.slots {
      #expect(Int(slot.shift) + Int(slot.width) <= 64)
    }
    let values = [-3, (1 << 60) - 1, 1, 10, 1 << 40]
    let packed = layout.encode(values)
    #expect(packed.map(layout.decode) == values)
    #expect(layout.encode([5, 0, 0, 10, 0]) == nil, "5 is outside -3...4")
    #expect(layout.encode([0, 0, 0, 11, 0]) == nil, "11 is outside 10...10")
  }

  @Test func slotWritesLeaveNeighboursAlone() throws {
    let variables = (0..<8).map {
      IRVariable(name: "x\($0)", type: .int(lo: -4, hi: 3), initial: 0)
    }
    let layout = StateLayout(variables)
    var words = try #require(layout.encode(Array(repeating: 3, count: 8)))
    #expect(layout.words == 1)
    layout.slots[4].write(-4, &words)
    #expect(layout.decode(words) == [3, 3, 3, 3, -4, 3, 3, 3])
  }

  /// Pinned values: a change here changes every fingerprint-mode run; it must be deliberate.
  @Test func fingerprintsAreStable() {
    // Computed independently (Python) from the documented definition.
    #expect(Fingerprint.of([0]) == UInt64(0xA887_1E37_18CA_0053))
    #expect(Fingerprint.of([1, 2, 3]) == UInt64(0xDA75_281E_C39F_5112))
    #expect(Fingerprint.of([1, 2, 3]) != Fingerprint.of([1, 3, 2]))
    #expect(Fingerprint.of([0, 0]) != Fingerprint.of([0]))
  }

  @Test func fingerprintRoundsAreBijective() {
    // Distinct one-word states never collide: check a dense block and a sparse one.
    var seen = Set<UInt64>()
    for w in 0..<UInt64(50_000) { seen.insert(Fingerprint.of([w])) }
    for w in 0..<UInt64(50_000) { seen.insert(Fingerprint.of([w << 40])) }
    #expect(seen.count == 99_999)  // 0 << 40 == 0 is counted once
  }

  @Test func statesDifferingInOneWordNeverCollide() {
    for width in 2...5 {
      for position in 0..<width {
        var seen = Set<UInt64>()
        var words = (0..<width).map { UInt64($0) &* 0x9E37_79B9 }
        for value in 0..<UInt64(20_000) {
          words[position] = value &* 0x1_0001
          seen.insert(Fingerprint.of(words))
        }
        #expect(seen.count == 20_000, "width \(width), position \(position)")
      }
    }
  }

  @Test func updatedSumIsTheSumOfTheChangedState() {
    var seed: UInt64 = 12_345
    func next() -> UInt64 {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return seed
    }
    for width in 1...6 {
      for _ in 0..<300 {
        let source = (0..<width).map { _ in next() }
        var target = source
        for i in 0..<width where next() % 3 == 0 { target[i] = next() % 4 }
        // Every word may have been written, in a scrambled order.
        let candidates = (0..<Int32(width)).reversed().map { $0 }
        var terms = [UInt64](repeating: 0, count: width)
        let sum = Fingerprint.sum(source, count: width, terms: &terms)
        #expect(sum == Fingerprint.sum(source, count: width))
        let updated = Fingerprint.updatedSum(
          sum, terms: terms, from: source, to: target, candidates: candidates, count: width)
        #expect(Fingerprint.finish(updated) == Fingerprint.of(target), "width \(width)")
      }
    }
  }

  /// Two threads insert the same fingerprints: each is new for exactly one of them.
  @Test func concurrentInsertsKeepEveryFingerprintOnce() {
    var set = FingerprintSet(capacity: 16)
    set.reserve(20_001)
    let slots = set.concurrentSlots
    let newCounts = ConcurrentCounts()
    DispatchQueue.concurrentPerform(iterations: 2) { t in
      var new = 0
      for i in 0...UInt64(20_000) where slots.insert(i == 0 ? 0 : Fingerprint.mix(i)) { new += 1 }
      newCounts.set(t, new)
    }
    set.recordConcurrentInserts(newCounts.total)
    #expect(set.count == 20_001)
    var dummy: UInt64 = 0
    #expect(!set.insert(&dummy, fingerprint: 0))
    for i in 1...UInt64(20_000) {
      #expect(set.contains(&dummy, fingerprint: Fingerprint.mix(i)))
    }
    #expect(!set.contains(&dummy, fingerprint: Fingerprint.mix(20_001)))
  }

  @Test func collisionProbabilityEstimate() {
    #expect(Fingerprint.collisionProbability(states: 1_000_000, wordsPerState: 1) == 0)
    let p = Fingerprint.collisionProbability(states: 1 << 20, wordsPerState: 2)
    // n(n-1)/2^65 with n = 2^20: ≈ 2^40 / 2^65 = 2^-25.
    #expect(abs(p - 0x1p-25) < 0x1p-40)
    #expect(Fingerprint.collisionProbability(states: 1 << 40, wordsPerState: 3) == 1)
  }

  @Test func fingerprintSetGrowsAndKeepsEveryFingerprint() {
    var set = FingerprintSet(capacity: 16)
    var dummy: UInt64 = 0
    var inserted = 0
    for i in 1...UInt64(10_000) {
      if set.insert(&dummy, fingerprint: Fingerprint.mix(i)) { inserted += 1 }
    }
    #expect(inserted == 10_000)
    #expect(set.count == 10_000)
    #expect(set.insert(&dummy, fingerprint: 0), "0 is a fingerprint like any other")
    #expect(!set.insert(&dummy, fingerprint: 0))
    for i in 1...UInt64(10_000) {
      #expect(!set.insert(&dummy, fingerprint: Fingerprint.mix(i)))
    }
    // The load stays at or below 3/4 and, once grown, at or above about 1/2: 8 bytes a
    // slot, so between 10.7 and 16 bytes per fingerprint.
    #expect(set.memoryBytes * 3 >= 10_001 * 4 * 8)
    #expect(set.memoryBytes <= 10_001 * 16)
    for i in 1...UInt64(10_000) {
      #expect(set.contains(&dummy, fingerprint: Fingerprint.mix(i)))
    }
    #expect(!set.contains(&dummy, fingerprint: Fingerprint.mix(10_001)))
  }

  /// Near the memory limit the table grows by less than half, if at least by an eighth.
  @Test func fingerprintSetGrowsByLessNearTheLimit() {
    var dummy: UInt64 = 0
    var next: UInt64 = 1
    func fillUntilGrowth(_ set: inout FingerprintSet) {
      while set.nextGrowthBytes == 0 {
        #expect(set.insert(&dummy, fingerprint: Fingerprint.mix(next)))
        next += 1
      }
    }
    // Room for the 1,000 slots and 1,250 more (each table has a flag slot), not 1,500.
    var set = FingerprintSet(capacity: 1_000)
    let allowance = (1_001 + 1_251) * 8
    set.allowGrowth(upTo: allowance)
    fillUntilGrowth(&set)
    #expect(set.count == 750)
    #expect(set.nextGrowthBytes == 1_250 * 8)
    #expect(set.insert(&dummy, fingerprint: Fingerprint.mix(next)))
    next += 1
    #expect(set.memoryBytes == 1_250 * 8)
    #expect(set.peakMemoryBytes <= allowance)
    for i in 1..<next { #expect(set.contains(&dummy, fingerprint: Fingerprint.mix(i))) }
    // Without a limit: by half again.
    set.allowGrowth(upTo: .max)
    fillUntilGrowth(&set)
    #expect(set.nextGrowthBytes == 1_875 * 8)
    // Room for less than an eighth more: by half (the search's memory check then stops).
    var tight = FingerprintSet(capacity: 1_000)
    tight.allowGrowth(upTo: (1_001 + 1_101) * 8)
    fillUntilGrowth(&tight)
    #expect(tight.nextGrowthBytes == 1_500 * 8)
    // Making room for the parallel search follows the same rule, and never leaves the load
    // above 3/4.
    var reserving = FingerprintSet(capacity: 1_000)
    reserving.allowGrowth(upTo: (1_001 + 1_301) * 8)
    reserving.reserve(900)
    #expect(reserving.memoryBytes == 1_300 * 8)
    #expect(reserving.headroom >= 900)
  }

  @Test func exactSetComparesWholeStatesEvenWithEqualFingerprints() {
    var set = ExactStateSet(stride: 2, capacity: 16)
    var a: [UInt64] = [1, 2]
    var b: [UInt64] = [1, 3]
    // Force the same fingerprint for two different states: both must be kept.
    #expect(set.insert(&a, fingerprint: 42))
    #expect(set.insert(&b, fingerprint: 42))
    #expect(!set.insert(&a, fingerprint: 42))
    #expect(!set.insert(&b, fingerprint: 42))
    #expect(set.count == 2)
    for i in 0..<UInt64(5_000) {
      var s: [UInt64] = [i, i &* 7]
      #expect(set.insert(&s, fingerprint: Fingerprint.of(s)))
    }
    #expect(set.count == 5_002)
  }

  @Test func arenaGrows() {
    var arena = StateArena(stride: 3, capacity: 1)
    for i in 0..<UInt64(100) {
      var row: [UInt64] = [i, i + 1, i + 2]
      #expect(arena.append(&row) == Int(i))
    }
    #expect(arena.count == 100)
    #expect(arena.pointer(at: 57)[2] == 59)
    #expect(arena.pointer(at: 99)[0] == 99)
  }

  /// A level of `count` states of `words` words, each a change of the one before: some
  /// equal, some with a few bits flipped in a few words, some with whole random words, some
  /// zero or all ones (the widest differences).
  private static func levelStates(words: Int, count: Int, seed: UInt64) -> [[UInt64]] {
    var rng = ExplicitTestRNG(state: seed)
    var state = (0..<words).map { _ in rng.next() & 0xFFFF }
    var states: [[UInt64]] = []
    for _ in 0..<count {
      switch rng.next() % 8 {
      case 0: break
      case 1: state = Array(repeating: 0, count: words)
      case 2: state = Array(repeating: ~0, count: words)
      case 3: for i in 0..<words { state[i] = rng.next() }
      default:
        for _ in 0...(rng.next() % 3) {
          let i = Int(rng.next() % UInt64(words))
          state[i] ^= (rng.next() % 2 == 0) ? 1 << (rng.next() % 64) : rng.next() & 0xFF_FF00
        }
      }
      states.append(state)
    }
    return states
  }

  @Test(
    "a level store gives back every state, segment by segment", arguments: [1, 3, 26, 64, 65, 130])
  func levelStoreRoundTrips(words: Int) {
    let segmentLength = 7
    var store = LevelStore(words: words, segmentLength: segmentLength)
    for round in 0..<2 {
      let states = Self.levelStates(words: words, count: 1_000 + round, seed: UInt64(words))
      for state in states {
        let before = store.memoryBytes
        let announced = store.nextGrowthBytes
        state.withUnsafeBufferPointer { store.append($0.baseAddress!) }
        #expect(store.memoryBytes - before == announced, "growth is announced exactly")
      }
      #expect(store.count == states.count)
      #expect(store.segmentCount == (states.count + segmentLength - 1) / segmentLength)
      let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: segmentLength * words)
      defer { buffer.deallocate() }
      var mismatches = 0
      for s in 0..<store.segmentCount {
        let (start, n) = store.segment(s)
        #expect(n == min(segmentLength, states.count - s * segmentLength))
        LevelStore.decode(start, count: n, words: words, into: buffer)
        for k in 0..<n
        where Array(UnsafeBufferPointer(start: buffer + k * words, count: words))
          != states[s * segmentLength + k]
        {
          mismatches += 1
        }
      }
      #expect(mismatches == 0)
      #expect(store.decodedStates() == states.flatMap { $0 })
      // The second round reuses the blocks of the first.
      let memory = store.memoryBytes
      store.removeAll()
      #expect(store.count == 0 && store.segmentCount == 0)
      #expect(store.memoryBytes == memory)
    }
  }

  @Test func levelStoreSwapsAndCompresses() {
    let words = 26
    let states = Self.levelStates(words: words, count: 5_000, seed: 9)
    var store = LevelStore(words: words, segmentLength: 64)
    var other = LevelStore(words: words, segmentLength: 64)
    for state in states { state.withUnsafeBufferPointer { store.append($0.baseAddress!) } }
    for state in states.prefix(10) {
      state.withUnsafeBufferPointer { other.append($0.baseAddress!) }
    }
    store.swapContents(with: &other)
    #expect(store.decodedStates() == states.prefix(10).flatMap { $0 })
    #expect(other.decodedStates() == states.flatMap { $0 })
    // Appending after the swap continues each level where it was.
    states[10].withUnsafeBufferPointer { store.append($0.baseAddress!) }
    #expect(store.decodedStates() == states.prefix(11).flatMap { $0 })
    // Successive states of one search level differ in a few bytes: far below 8 bytes a word.
    var level = LevelStore(words: words, segmentLength: 64)
    var rng = ExplicitTestRNG(state: 3)
    var state = [UInt64](repeating: 0x0123_4567_89AB_CDEF, count: words)
    for _ in 0..<10_000 {
      state[Int(rng.next() % 4)] ^= 1 << (rng.next() % 64)
      state.withUnsafeBufferPointer { level.append($0.baseAddress!) }
    }
    #expect(level.memoryBytes < 10_000 * words * 8 / 4)
  }
}

/// Per-thread counts written by `concurrentPerform` iterations.
private final class ConcurrentCounts: Sendable {
  private let counts = Mutex<[Int]>([0, 0])
  func set(_ t: Int, _ n: Int) { counts.withLock { $0[t] = n } }
  var total: Int { counts.withLock { $0.reduce(0, +) } }
}
