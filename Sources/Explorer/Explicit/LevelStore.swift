/// The states of one BFS level, appended in order and read back a *segment* at a time,
/// delta-encoded so that the widest levels take a fraction of their packed size.
///
/// Consecutive states of a level are successors of the same or of neighbouring sources, so
/// they differ in a few bit fields. Each state is stored as its XOR with the state before:
/// a mask of the words that differ, then for each such word one header byte (the number of
/// zero bytes below the difference, and how many bytes it spans) and those bytes. A segment
/// (`segmentLength` states, the unit the search expands at once) starts afresh, as the XOR
/// with the zero state, so each segment decodes on its own and in parallel with others.
///
/// The bytes live in blocks that never move (a segment never straddles two), so growth
/// copies nothing and a segment's address stays valid until `removeAll`; emptied blocks are
/// kept for the next level. A state takes at most `maxEncodedBytes`: about 9 bytes per word
/// in the worst case, 1 byte per 8 words when nothing changes.
///
/// Non-copyable: one owner, freed on deinit.
struct LevelStore: ~Copyable {
  /// Words per state.
  let words: Int
  /// States per segment.
  let segmentLength: Int
  /// States appended.
  private(set) var count = 0
  /// States appended since the current segment started (`segmentLength` when the next
  /// append starts a segment): kept so that the hot path needs no division.
  private var filled: Int
  /// Bytes a state can take at most (mask bytes, and a header byte and 8 bytes per word).
  let maxEncodedBytes: Int
  /// Blocks in use, in order, then the spare ones (kept from the previous level).
  private var blocks: [(base: UnsafeMutableRawPointer, size: Int)] = []
  private var blocksInUse = 0
  /// Where segment `s` starts.
  private var segmentStarts: [UnsafeMutableRawPointer] = []
  /// The next byte to write, and the end of the current block (past its slack).
  private var cursor: UnsafeMutableRawPointer? = nil
  private var blockEnd: UnsafeMutableRawPointer? = nil
  /// The last state appended (the base of the next delta).
  private var previous: UnsafeMutablePointer<UInt64>
  /// Bytes of the blocks allocated.
  private(set) var memoryBytes = 0

  /// Bytes read past the encoded data (one unaligned 8-byte load or store) that every block
  /// keeps free at its end.
  private static let slack = 16
  /// The largest block: growth beyond it adds blocks of this size.
  private static let largestBlock = 4 << 20

  /// - Parameters:
  ///   - words: words per state, at least 1.
  ///   - segmentLength: states per segment, at least 1.
  init(words: Int, segmentLength: Int) {
    precondition(words >= 1 && segmentLength >= 1)
    self.words = words
    self.segmentLength = segmentLength
    filled = segmentLength
    maxEncodedBytes = (words &+ 7) / 8 &+ 9 &* words
    previous = .allocate(capacity: words)
    previous.initialize(repeating: 0, count: words)
  }

  deinit {
    for block in blocks { block.base.deallocate() }
    previous.deallocate()
  }

  /// Bytes a whole segment can take at most.
  private var maxSegmentBytes: Int { segmentLength &* maxEncodedBytes }

  /// The size of the next block to allocate: twice the last, from room for 4 segments up to
  /// `largestBlock` (or one segment, if that is larger).
  private var nextBlockSize: Int {
    let first = max(4 &* maxSegmentBytes, 16 << 10)
    let size = blocks.last.map { min(2 &* $0.size, Self.largestBlock) } ?? first
    return max(size, maxSegmentBytes &+ Self.slack)
  }

  /// Bytes the next `append` would newly allocate (0 unless it starts a segment that does not
  /// fit in the current block and no spare block is left).
  var nextGrowthBytes: Int {
    guard filled == segmentLength, !hasRoomForSegment, blocksInUse == blocks.count else {
      return 0
    }
    return nextBlockSize
  }

  private var hasRoomForSegment: Bool {
    guard let cursor, let blockEnd else { return false }
    return blockEnd - cursor >= maxSegmentBytes
  }

  /// Number of segments.
  var segmentCount: Int { segmentStarts.count }

  /// The first byte and the number of states of segment `s`, for `decode`. Valid until
  /// `removeAll`.
  func segment(_ s: Int) -> (start: UnsafeRawPointer, count: Int) {
    (UnsafeRawPointer(segmentStarts[s]), min(segmentLength, count &- s &* segmentLength))
  }

  /// Appends a copy of `state` (`words` words).
  ///
  /// - Complexity: O(words).
  @inline(__always)
  mutating func append(_ state: UnsafePointer<UInt64>) {
    if filled == segmentLength { startSegment() }
    filled &+= 1
    cursor = Self.encode(state, after: previous, words: words, at: cursor.unsafelyUnwrapped)
    previous.update(from: state, count: words)
    count &+= 1
  }

  private mutating func startSegment() {
    if !hasRoomForSegment {
      if blocksInUse == blocks.count {
        let size = nextBlockSize
        blocks.append((.allocate(byteCount: size, alignment: 8), size))
        memoryBytes &+= size
      }
      let block = blocks[blocksInUse]
      blocksInUse &+= 1
      cursor = block.base
      blockEnd = block.base + (block.size &- Self.slack)
    }
    segmentStarts.append(cursor.unsafelyUnwrapped)
    previous.update(repeating: 0, count: words)
    filled = 0
  }

  /// Forgets every state, keeping the blocks for the next level.
  mutating func removeAll() {
    count = 0
    filled = segmentLength
    blocksInUse = 0
    segmentStarts.removeAll(keepingCapacity: true)
    cursor = nil
    blockEnd = nil
  }

  /// Exchanges the contents of two stores of the same shape.
  mutating func swapContents(with other: inout LevelStore) {
    precondition(words == other.words && segmentLength == other.segmentLength)
    swap(&count, &other.count)
    swap(&filled, &other.filled)
    swap(&blocks, &other.blocks)
    swap(&blocksInUse, &other.blocksInUse)
    swap(&segmentStarts, &other.segmentStarts)
    swap(&cursor, &other.cursor)
    swap(&blockEnd, &other.blockEnd)
    swap(&memoryBytes, &other.memoryBytes)
    swap(&previous, &other.previous)
  }

  /// Decodes the states of segments `segments` (consecutive, so their states are too) into
  /// `output`; returns the number of states.
  ///
  /// - Complexity: O(states · words).
  @discardableResult
  func decode(segments: Range<Int>, into output: UnsafeMutablePointer<UInt64>) -> Int {
    var decoded = 0
    for s in segments {
      let (start, n) = segment(s)
      Self.decode(start, count: n, words: words, into: output + decoded &* words)
      decoded &+= n
    }
    return decoded
  }

  /// Every state, in order (`count · words` words).
  func decodedStates() -> [UInt64] {
    [UInt64](unsafeUninitializedCapacity: count &* words) { buffer, initialized in
      if let base = buffer.baseAddress { decode(segments: 0..<segmentCount, into: base) }
      initialized = count &* words
    }
  }

  /// Decodes states `0..<count` of the segment starting at `start` into `count · words`
  /// words at `output`.
  ///
  /// - Complexity: O(count · words).
  static func decode(
    _ start: UnsafeRawPointer, count: Int, words: Int, into output: UnsafeMutablePointer<UInt64>
  ) {
    var p = start
    for k in 0..<count {
      let row = output + k &* words
      if k == 0 {
        row.update(repeating: 0, count: words)
      } else {
        row.update(from: row - words, count: words)
      }
      var group = 0
      while group < words {
        let n = min(64, words &- group)
        let maskBytes = (n &+ 7) &>> 3
        var mask = p.loadUnaligned(as: UInt64.self)
        if maskBytes < 8 { mask &= (1 &<< UInt64(maskBytes &<< 3)) &- 1 }
        p += maskBytes
        while mask != 0 {
          let i = mask.trailingZeroBitCount
          mask &= mask &- 1
          let header = Int(p.load(as: UInt8.self))
          let span = header & 15
          var value = (p + 1).loadUnaligned(as: UInt64.self)
          if span < 8 { value &= (1 &<< UInt64(span &<< 3)) &- 1 }
          row[group &+ i] ^= value &<< UInt64((header &>> 4) &<< 3)
          p += 1 &+ span
        }
        group &+= 64
      }
    }
  }

  /// Writes `state` as its difference from `previous` at `p`; returns the byte after it.
  @inline(__always)
  private static func encode(
    _ state: UnsafePointer<UInt64>, after previous: UnsafePointer<UInt64>, words: Int,
    at start: UnsafeMutableRawPointer
  ) -> UnsafeMutableRawPointer {
    var p = start
    var group = 0
    while group < words {
      let n = min(64, words &- group)
      let maskBytes = (n &+ 7) &>> 3
      // Branch-free: which words change is different from state to state, so a branch per
      // word would be mispredicted often.
      var mask: UInt64 = 0
      for i in 0..<n {
        let x = state[group &+ i] ^ previous[group &+ i]
        mask |= ((x | (0 &- x)) &>> 63) &<< UInt64(i)
      }
      // An 8-byte store; the bytes past the mask are overwritten next (or are slack).
      p.storeBytes(of: mask, as: UInt64.self)
      p += maskBytes
      while mask != 0 {
        let i = group &+ mask.trailingZeroBitCount
        mask &= mask &- 1
        let x = state[i] ^ previous[i]
        let low = x.trailingZeroBitCount &>> 3
        let span = 8 &- low &- (x.leadingZeroBitCount &>> 3)
        p.storeBytes(of: UInt8(truncatingIfNeeded: low &<< 4 | span), as: UInt8.self)
        (p + 1).storeBytes(of: x &>> UInt64(low &<< 3), as: UInt64.self)
        p += 1 &+ span
      }
      group &+= 64
    }
    return p
  }
}
