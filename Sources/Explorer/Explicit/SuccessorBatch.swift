/// The successors of a batch of consecutive states of one BFS level, generated before any
/// of them is looked up in the visited set.
///
/// Generating a whole batch first lets the search touch all their visited-set slots in one
/// tight loop, so the cache misses of many lookups overlap instead of being paid one after
/// the other; the lookups then happen in the usual order, so the result is exactly that of
/// a one-state-at-a-time search.
struct SuccessorBatch: ~Copyable {
  /// Most source states per batch.
  let maxSources: Int
  let words: Int
  /// Successor rows of all sources of the batch, in order.
  let rows: UnsafeMutablePointer<UInt64>
  let fingerprints: UnsafeMutablePointer<UInt64>
  let actions: UnsafeMutablePointer<Int32>
  /// For source `b`: its rows are `ends[b - 1]..<ends[b]` (from 0 for `b == 0`).
  let ends: UnsafeMutablePointer<Int>
  /// Whether source `b` has an enabled action (an action whose guard faults counts).
  let enabled: UnsafeMutablePointer<Bool>
  /// The model error that stopped generation for source `b`, after its rows.
  let faults: UnsafeMutablePointer<(site: FaultSite, fault: ModelFault)?>
  /// With `precheck`: for every row, the first property it violates (`-1`: none; `-2`: a
  /// property's evaluation hit a model error), as `firstViolatedProperty(_:after:)` says.
  let verdicts: UnsafeMutablePointer<Int32>
  /// Whether `generate` fills `verdicts` (so that parallel workers do that work too).
  let precheck: Bool
  /// Rows the buffers hold.
  let rowCapacity: Int
  /// Rows in the batch.
  private(set) var rowCount = 0

  /// - Parameters:
  ///   - maxCandidates: most actions that can be candidates in one state.
  ///   - rowBudget: about how many rows a batch may hold.
  /// With symmetry reduction: the representative of every row (what the visited set keys
  /// on); otherwise `rows`.
  let keys: UnsafeMutablePointer<UInt64>
  let canonicalizer: SymmetryCanonicalizer?
  /// The fingerprint terms of the source being expanded (`Fingerprint.sum(_:count:terms:)`).
  private let terms: UnsafeMutablePointer<UInt64>

  init(
    words: Int, maxCandidates: Int, rowBudget: Int = 512,
    canonicalizer: SymmetryCanonicalizer? = nil, precheck: Bool = false
  ) {
    self.words = words
    self.precheck = precheck
    self.canonicalizer = canonicalizer
    maxSources = max(1, min(64, rowBudget / max(1, maxCandidates)))
    rowCapacity = maxSources * max(1, maxCandidates)
    rows = .allocate(capacity: rowCapacity * words)
    keys = canonicalizer == nil ? rows : .allocate(capacity: rowCapacity * words)
    fingerprints = .allocate(capacity: rowCapacity)
    terms = .allocate(capacity: words)
    verdicts = .allocate(capacity: precheck ? rowCapacity : 1)
    actions = .allocate(capacity: rowCapacity)
    ends = .allocate(capacity: maxSources)
    enabled = .allocate(capacity: maxSources)
    faults = .allocate(capacity: maxSources)
    faults.initialize(repeating: nil, count: maxSources)
  }

  deinit {
    if keys != rows { keys.deallocate() }
    rows.deallocate()
    fingerprints.deallocate()
    terms.deallocate()
    verdicts.deallocate()
    actions.deallocate()
    ends.deallocate()
    enabled.deallocate()
    faults.deinitialize(count: maxSources)
    faults.deallocate()
  }

  /// Bytes allocated.
  var memoryBytes: Int {
    rowCapacity * (words * (keys == rows ? 8 : 16) + 8 + 4 + (precheck ? 4 : 0))
      + maxSources * (8 + 1 + MemoryLayout<(site: FaultSite, fault: ModelFault)?>.stride)
  }

  /// The batch's buffers, to read in the search loop.
  var view: SuccessorRows {
    SuccessorRows(
      words: words, rows: rows, keys: keys, fingerprints: fingerprints, actions: actions,
      ends: ends, enabled: enabled, faults: faults, verdicts: precheck ? verdicts : nil)
  }

  /// Fires every enabled action of `count` consecutive states (at most `maxSources`),
  /// each state's actions in ascending order, stopping a state's generation at its first
  /// model error.
  ///
  /// - Complexity: O(candidate actions · (action size + words)).
  mutating func generate(
    from sources: UnsafeMutablePointer<UInt64>, count: Int, _ machine: inout ExecutableModel
  ) {
    var produced = 0
    for b in 0..<count {
      let source = UnsafePointer(sources + b &* words)
      let candidateCount = machine.collectCandidates(source)
      // The source's fingerprint sum and terms, updated per successor where the action
      // changed a word.
      let sourceSum =
        canonicalizer == nil && candidateCount > 0
        ? Fingerprint.sum(source, count: words, terms: terms) : 0
      var isEnabled = false
      var stop: (site: FaultSite, fault: ModelFault)? = nil
      for c in 0..<candidateCount {
        let action = Int(machine.candidates[c])
        guard let holds = machine.guardHolds(action, source) else {
          stop = (.guardOf(action: action), machine.fault)
          isEnabled = true
          break
        }
        if !holds { continue }
        isEnabled = true
        let target = rows + produced &* words
        target.update(from: source, count: words)
        guard machine.fire(action, target) else {
          stop = (.effectsOf(action: action), machine.fault)
          break
        }
        if let canonicalizer {
          let key = keys + produced &* words
          canonicalizer.canonicalize(target, into: key, words: words)
          fingerprints[produced] = Fingerprint.of(key, count: words)
        } else {
          let written = machine.writtenWordRanges[action]
          fingerprints[produced] = Fingerprint.finish(
            Fingerprint.updatedSum(
              sourceSum, terms: terms, from: source, to: target,
              candidates: machine.writtenWords + Int(written.start),
              count: Int(written.end &- written.start)))
          assert(fingerprints[produced] == Fingerprint.of(target, count: words))
        }
        actions[produced] = Int32(truncatingIfNeeded: action)
        if precheck {
          verdicts[produced] =
            machine.firstViolatedProperty(UnsafePointer(target), after: action).map {
              Int32(truncatingIfNeeded: $0)
            } ?? -2
        }
        produced &+= 1
      }
      ends[b] = produced
      enabled[b] = isEnabled
      faults[b] = stop
    }
    rowCount = produced
  }
}

/// The buffers of a `SuccessorBatch` after `generate`, as plain pointers (copyable, so the
/// search loop can read any worker's batch without touching the batch itself).
struct SuccessorRows {
  let words: Int
  let rows: UnsafeMutablePointer<UInt64>
  let keys: UnsafeMutablePointer<UInt64>
  let fingerprints: UnsafeMutablePointer<UInt64>
  let actions: UnsafeMutablePointer<Int32>
  let ends: UnsafeMutablePointer<Int>
  let enabled: UnsafeMutablePointer<Bool>
  let faults: UnsafeMutablePointer<(site: FaultSite, fault: ModelFault)?>
  /// The property verdict of every row when the batch computed them.
  let verdicts: UnsafeMutablePointer<Int32>?

  /// The first row of source `b`.
  @inline(__always)
  func start(of b: Int) -> Int { b == 0 ? 0 : ends[b &- 1] }

  /// The visited-set key of row `j` (its symmetry representative, or the row itself).
  @inline(__always)
  func key(_ j: Int) -> UnsafeMutablePointer<UInt64> { keys + j &* words }

  /// Row `j`.
  @inline(__always)
  func row(_ j: Int) -> UnsafeMutablePointer<UInt64> { rows + j &* words }
}
