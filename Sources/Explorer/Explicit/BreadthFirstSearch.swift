internal import HMMModel

/// How a search ended, before the counterexample is rebuilt.
enum SearchEnd: Equatable {
  /// Every reachable state was explored.
  case complete
  /// A limit or a stop request ended the search.
  case stopped(reason: String)
  /// The search stopped at a level boundary so that the parallel search goes on from there
  /// (see `SearchResult.nextLevel`).
  case handedOver
  /// `property` is false in state `state`.
  case propertyViolated(property: Int, state: Int)
  /// No action is enabled in state `state` and some thread has not finished.
  case deadlock(state: Int)
  /// A model error in state `state`: in `action` (guard or effects), or, when `action` is
  /// nil, while evaluating a property.
  case fault(message: String, state: Int, action: Int?)
}

/// The raw result of a search.
struct SearchResult {
  var end: SearchEnd
  var statistics: ExplorationStatistics
  /// The actions from the initial state to the state the failure is in (for a model error
  /// in an action, that action is not included).
  var failingPath: [Int] = []
  /// The fingerprint of the state the failure is in (for the replay consistency check).
  var failingFingerprint: UInt64?
  /// Every action fired at least once (for coverage).
  var fired: ActionSet? = nil
  /// Whether `failingPath` is the path to the failure (the search still kept its parent
  /// links when it found it).
  var hasPath = false
  /// After `.handedOver`: the level to expand next, its states one after the other, and its
  /// depth.
  var nextLevel: [UInt64] = []
  var nextDepth = 0

  /// Whether the search found a counterexample.
  var isFailure: Bool {
    switch end {
    case .complete, .stopped, .handedOver: false
    case .propertyViolated, .deadlock, .fault: true
    }
  }
}

/// Parent links: for every state number, `parent << 32 | action`, or `root` for the
/// initial state.
extension WordBuffer {
  static let root = UInt64.max

  /// The actions leading from the initial state to state `index`.
  ///
  /// - Complexity: O(depth of the state).
  func path(to index: Int) -> [Int] {
    var actions: [Int] = []
    var i = index
    while self[i] != Self.root {
      actions.append(Int(self[i] & 0xFFFF_FFFF))
      i = Int(self[i] >> 32)
    }
    return actions.reversed()
  }
}

/// Breadth-first search over packed states, level by level.
///
/// States are numbered in discovery order. Level `d` is held in one `LevelStore`
/// (delta-encoded) while its successors (level `d + 1`) are appended to another, and is
/// decoded a round at a time; explored levels are dropped, so the visited set, the parent
/// links and two levels are all that is kept.
///
/// Order, and why the first failure is a shortest counterexample: each state is expanded in
/// discovery order; its candidate actions (threads at the action's `fromPC`) are tried in
/// ascending action index; a new successor is checked against the properties as soon as it
/// is found. A failure found while expanding level `d` has a trace of `d + 1` steps
/// (property of a new state, model error in an action), except a deadlock, whose trace has
/// `d` steps. So after a `d + 1` failure, the rest of level `d` is only scanned for a
/// deadlock, which wins if one is there. Ties go to the first found, which is deterministic.
///
/// Two optimizations keep that order exactly:
/// - successors are generated for a batch of states before any is looked up (see
///   `SuccessorBatch`), and looked up in the same order as one state at a time;
/// - a new state reached by action `a` is checked only against the properties that read a
///   variable `a` may write: every expanded state satisfies every property (a violating
///   state ends the search with its level, unexpanded), so the others still hold.
///
/// Parent links are kept for the first `parentLimit` states: at the first level boundary
/// past it they are dropped, and a failure found later has no path (`hasPath` false; the
/// caller rebuilds it). With `handover`, the search then stops there (`.handedOver`) and
/// returns the next level, for `parallelBreadthFirstSearch` to go on.
///
/// - Complexity: O(transitions · (action size + words)) time expected; memory O(states) for
///   the visited set and parent links plus O(widest level · words).
func breadthFirstSearch<Visited: VisitedStateSet & ~Copyable>(
  _ model: IRModel, _ compiled: CompiledModel, initial: [UInt64],
  visited: inout Visited, budget: SearchBudget, shouldStop: () -> Bool,
  progress: ((ExplorationProgress) -> Void)? = nil,
  canonicalizer: SymmetryCanonicalizer? = nil, reduction: PartialOrderReduction? = nil,
  parentLimit: Int = .max, handover: Bool = false, threads: Int = 1
) -> SearchResult {
  let checkDeadlock = model.checkDeadlock
  var machine = ExecutableModel(compiled)
  let reducing = reduction != nil
  let selector = AmpleSelector(reduction, threadCount: model.threads.count)
  let words = machine.words
  let workers = SearchWorkers(count: threads, compiled, canonicalizer: canonicalizer)
  var current = LevelStore(words: words, segmentLength: workers.maxSources)
  var next = LevelStore(words: words, segmentLength: workers.maxSources)
  // The states of the round being expanded, decoded from `current`.
  let roundStates = UnsafeMutablePointer<UInt64>.allocate(capacity: workers.roundSize &* words)
  defer { roundStates.deallocate() }
  // Parent links (while `keepParents`), and the number of states found.
  var keepParents = parentLimit > 0
  var links = WordBuffer(capacity: keepParents ? 1024 : 1)
  var stateCount = 0
  // The level being expanded.
  var level = 0
  var statistics = ExplorationStatistics()
  // One bit per action, set at every transition: a plain buffer, so the hot loop pays one OR
  // (no bounds check, no copy-on-write check).
  let firedWords = (model.actions.count &+ 63) &>> 6
  let fired = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, firedWords))
  fired.initialize(repeating: 0, count: max(1, firedWords))
  defer { fired.deallocate() }
  func memoryBytes(_ visitedBytes: Int) -> Int {
    current.memoryBytes + next.memoryBytes + workers.roundSize &* words &* 8 + visitedBytes
      + links.memoryBytes + workers.memoryBytes
  }
  func finish(_ end: SearchEnd, _ fingerprint: UInt64? = nil) -> SearchResult {
    var path: [Int] = []
    var hasPath = false
    switch end {
    case .propertyViolated(_, let state), .deadlock(let state), .fault(_, let state, _):
      if keepParents {
        path = links.path(to: state)
        hasPath = true
      }
    case .complete, .stopped, .handedOver:
      break
    }
    statistics.states = stateCount
    // Parent links count when they give the counterexample.
    statistics.storeBytes = visited.memoryBytes &+ (hasPath ? links.memoryBytes : 0)
    statistics.peakMemoryBytes = memoryBytes(visited.peakMemoryBytes)
    statistics.collisionProbability =
      visited.isExact
      ? 0 : Fingerprint.collisionProbability(states: visited.count, wordsPerState: words)
    statistics.seconds = budget.elapsedSeconds
    var result = SearchResult(
      end: end, statistics: statistics, failingPath: path, failingFingerprint: fingerprint,
      fired: ActionSet(words: Array(UnsafeBufferPointer(start: fired, count: firedWords))),
      hasPath: hasPath)
    if end == .handedOver {
      result.nextLevel = current.decodedStates()
      result.nextDepth = level
    }
    return result
  }

  // The initial state.
  let scratch = workers.workers[0].batch.view
  let initialRow = scratch.row(0)
  initialRow.update(from: initial, count: words)
  let initialFingerprint = Fingerprint.of(initialRow, count: words)
  if let canonicalizer {
    let key = scratch.key(0)
    canonicalizer.canonicalize(initialRow, into: key, words: words)
    _ = visited.insert(key, fingerprint: Fingerprint.of(key, count: words))
  } else {
    _ = visited.insert(initialRow, fingerprint: initialFingerprint)
  }
  links.append(WordBuffer.root)
  stateCount = 1
  current.append(initialRow)
  if let end = initialStateFailure(&machine, initialRow, model, compiled) {
    return finish(end, initialFingerprint)
  }

  if let limit = budget.limits.maxMemoryBytes,
    let reason = budget.memoryLimitReason(bytes: memoryBytes(visited.memoryBytes), limit: limit)
  {
    return finish(.stopped(reason: reason))
  }

  var levelStart = 0
  var untilClock = SearchBudget.clockInterval
  // A failure with a trace one step longer than the current level, kept while the rest of
  // the level is scanned for a (shorter) deadlock.
  var pending: (end: SearchEnd, fingerprint: UInt64)? = nil

  while current.count > 0 {
    var roundStart = 0
    while roundStart < current.count {
      let roundCount = min(workers.roundSize, current.count &- roundStart)
      let firstSegment = roundStart / workers.maxSources
      current.decode(
        segments:
          firstSegment..<min(
            current.segmentCount, firstSegment &+ workers.roundSize / workers.maxSources),
        into: roundStates)
      if pending != nil {
        // Only a deadlock in this level can still be shorter than the pending failure.
        for b in 0..<roundCount where checkDeadlock {
          let source = UnsafePointer(roundStates + b &* words)
          if isDeadlocked(&machine, source) {
            return finish(
              .deadlock(state: levelStart &+ roundStart &+ b), Fingerprint.of(source, count: words))
          }
        }
        roundStart &+= roundCount
        continue
      }
      // Phase 1: the successors of the whole round, slice by slice in parallel.
      let slices = workers.generate(from: roundStates, count: roundCount)
      for slice in 0..<slices {
        let batch = workers.workers[slice].batch.view
        let sliceStart = roundStart &+ slice &* workers.maxSources
        let sliceCount = min(workers.maxSources, current.count &- sliceStart)
        // Touch the table slots of the slice together, so their cache misses overlap.
        for j in 0..<batch.start(of: sliceCount) { visited.prefetch(batch.fingerprints[j]) }
        // Phase 2: per source state, in order: look its successors up, number and check the
        // new ones, then its model error, then deadlock.
        for b in 0..<sliceCount {
          let sourceIndex = levelStart &+ sliceStart &+ b
          let source = UnsafePointer(roundStates + (sliceStart &- roundStart &+ b) &* words)
          if pending != nil {
            if checkDeadlock && !batch.enabled[b] && machine.hasUnfinishedThread(source) {
              return finish(.deadlock(state: sourceIndex), Fingerprint.of(source, count: words))
            }
            continue
          }
          let rowsStart = batch.start(of: b)
          var ampleThread: Int32 = -1
          if reducing && batch.faults[b] == nil {
            ampleThread = ampleSet(
              source, rows: rowsStart..<batch.ends[b], batch: batch, visited: visited,
              machine: machine, selector: selector)
            if ampleThread >= 0 { statistics.reducedStates &+= 1 }
          }
          for j in rowsStart..<batch.ends[b] {
            let firedAction = Int(truncatingIfNeeded: batch.actions[j])
            fired[firedAction &>> 6] |= 1 &<< UInt64(truncatingIfNeeded: firedAction & 63)
            if ampleThread >= 0 && selector.threadOfAction[firedAction] != ampleThread {
              continue
            }
            statistics.transitions &+= 1
            let row = batch.row(j)
            let fingerprint = batch.fingerprints[j]
            if let limit = budget.limits.maxMemoryBytes {
              // Stop before a growth would pass the limit (a known state allocates nothing,
              // but the next new one would). The visited set may take what the rest leaves.
              let others = next.nextGrowthBytes + (keepParents ? links.nextGrowthBytes : 0)
              if others > 0 || visited.nextGrowthBytes > 0 {
                visited.allowGrowth(upTo: limit - memoryBytes(0) - others)
                if let reason = budget.memoryLimitReason(
                  bytes: memoryBytes(visited.memoryBytes) + visited.nextGrowthBytes + others,
                  limit: limit)
                {
                  return finish(.stopped(reason: reason))
                }
              }
            }
            guard visited.insert(batch.key(j), fingerprint: fingerprint) else { continue }
            if let reason = budget.stateLimitReason(states: stateCount &+ 1) {
              return finish(.stopped(reason: reason))
            }
            let newIndex = stateCount
            stateCount &+= 1
            if keepParents {
              links.append(
                UInt64(truncatingIfNeeded: sourceIndex) &<< 32 | UInt64(batch.actions[j]))
            }
            next.append(row)
            statistics.depth = level &+ 1
            // A worker's verdict, or this thread's (also when the worker's evaluation hit a
            // model error: this evaluation then says which).
            let verdict: Int? =
              if let verdicts = batch.verdicts, verdicts[j] != -2 {
                Int(verdicts[j])
              } else {
                machine.firstViolatedProperty(row, after: firedAction)
              }
            switch verdict {
            case nil:
              let message = machine.fault.message(
                in: model, compiled: compiled, at: .property(machine.faultyProperty))
              pending = (
                .fault(message: message, state: newIndex, action: nil),
                Fingerprint.of(row, count: words)
              )
            case let p? where p >= 0:
              pending = (
                .propertyViolated(property: p, state: newIndex), Fingerprint.of(row, count: words)
              )
            default:
              break
            }
            if pending != nil { break }
          }
          if pending == nil, let (site, fault) = batch.faults[b] {
            let message = fault.message(in: model, compiled: compiled, at: site)
            pending = (
              .fault(message: message, state: sourceIndex, action: site.action),
              Fingerprint.of(source, count: words)
            )
          }
          if !batch.enabled[b] && checkDeadlock && machine.hasUnfinishedThread(source) {
            return finish(.deadlock(state: sourceIndex), Fingerprint.of(source, count: words))
          }
        }
      }
      roundStart &+= roundCount
      untilClock &-= roundCount
      if untilClock <= 0 {
        untilClock = SearchBudget.clockInterval
        if pending == nil, let reason = budget.clockReason(shouldStop: shouldStop) {
          return finish(.stopped(reason: reason))
        }
        progress?(
          ExplorationProgress(
            states: stateCount, frontier: current.count &- roundStart &+ next.count,
            depth: level, memoryBytes: memoryBytes(visited.memoryBytes),
            seconds: budget.elapsedSeconds))
      }
    }
    if let pending { return finish(pending.end, pending.fingerprint) }
    levelStart &+= current.count
    current.swapContents(with: &next)
    next.removeAll()
    level &+= 1
    if keepParents && stateCount > parentLimit {
      // Past the limit: the links are dropped; a failure found from here on is rebuilt.
      keepParents = false
      links = WordBuffer(capacity: 1)
    }
    if handover && !keepParents && current.count > 0 { return finish(.handedOver) }
  }
  return finish(.complete)
}

/// The thread whose enabled actions alone are explored from `source`, or -1 to explore every
/// enabled action (see `Docs/Explorer.md`, "Partial-order reduction").
///
/// The thread is `selector.choose`'s (invisible, independent of everything the other threads
/// can still do, and firing without a model error, since the caller only asks for sources
/// whose generation hit none); it must leave some enabled action out, and every successor it
/// leads to must be new (the cycle proviso: a reduced expansion only ever leads one level
/// deeper, so every cycle of the explored graph passes through a fully expanded state).
///
/// - Complexity: O(threads² + enabled actions) plus one lookup per ample successor.
@inline(__always)
private func ampleSet<Visited: VisitedStateSet & ~Copyable>(
  _ source: UnsafePointer<UInt64>, rows: Range<Int>, batch: SuccessorRows,
  visited: borrowing Visited, machine: borrowing ExecutableModel,
  selector: borrowing AmpleSelector
) -> Int32 {
  guard rows.count > 1,
    let t = selector.choose(
      source, machine, actions: batch.actions + rows.lowerBound, count: rows.count),
    selector.enabledCounts[t] < rows.count
  else { return -1 }
  let thread = Int32(truncatingIfNeeded: t)
  for j in rows where selector.threadOfAction[Int(batch.actions[j])] == thread {
    if visited.contains(batch.key(j), fingerprint: batch.fingerprints[j]) { return -1 }
  }
  return thread
}

/// Whether no action is enabled in `state` and some thread has not finished. An action
/// whose guard faults counts as enabled.
private func isDeadlocked(
  _ machine: inout ExecutableModel, _ state: UnsafePointer<UInt64>
) -> Bool {
  let n = machine.collectCandidates(state)
  for c in 0..<n where machine.guardHolds(Int(machine.candidates[c]), state) != false {
    return false
  }
  return machine.hasUnfinishedThread(state)
}
