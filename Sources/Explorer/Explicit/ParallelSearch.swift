internal import Dispatch
internal import HMMModel
internal import Synchronization

/// A level-synchronous breadth-first search whose workers generate, fingerprint, insert and
/// check successors at the same time (fingerprints only; no reductions, no parent links).
///
/// Each level is split into *chunks* of up to `SuccessorBatch.maxSources` states. The workers
/// take chunks from a shared counter; for each, a worker generates the successors (its own
/// `ExecutableModel` and `SuccessorBatch`), inserts their fingerprints into the shared table
/// with compare-and-swap (`ConcurrentFingerprintSlots`), appends the new states to its own
/// arena for the next level, and checks the properties of the new states, the model errors
/// and deadlocks of the sources. The next level is the union of the workers' arenas.
///
/// Which worker finds a state first, and so the order of the next level, depends on timing,
/// but the *set* of states of every level does not (up to fingerprint collisions, which could
/// hide a different state depending on the order: the probability is the one printed). So a
/// complete search gives the same states, transitions, depth and fired actions for any
/// number of threads. A failure only says that one exists: the caller rebuilds the
/// counterexample with the deterministic search (`breadthFirstSearch` with parent links),
/// which stops at the shortest failure, so the verdict and the counterexample do not depend
/// on the thread count either.
///
/// The table never grows while workers insert: before each *launch* (a bounded number of
/// chunks) the search thread makes room (`FingerprintSet.headroom`), and a worker reserves
/// room for a batch's rows before inserting them; a batch that does not fit waits in its
/// worker until the table has grown. Limits (time, stop request, memory) are checked between
/// launches, so a search ended by a limit can stop at a different point for different thread
/// counts, and the memory limit can be passed by the growth of the workers' arenas within a
/// launch.
///
/// - Complexity: as `breadthFirstSearch`, spread over `threads` threads.
func parallelBreadthFirstSearch(
  _ model: IRModel, _ compiled: CompiledModel, initial: [UInt64],
  visited: inout FingerprintSet, budget: SearchBudget, shouldStop: () -> Bool,
  progress: ((ExplorationProgress) -> Void)? = nil, threads: Int,
  resuming start: SearchResult? = nil
) -> SearchResult {
  let words = compiled.layout.words
  precondition(threads > 1)
  let workers = (0..<threads).map { _ in
    ParallelSearchWorker(
      compiled, actionCount: model.actions.count, checkDeadlock: model.checkDeadlock)
  }
  let shared = ParallelSearchShared()
  var statistics = ExplorationStatistics()
  let chunkSize = workers[0].batch.maxSources
  // Enough room for every worker to insert a few batches per launch.
  let minimumHeadroom = 4 &* workers.count &* workers[0].batch.rowCapacity
  let chunksPerLaunch = 64 &* workers.count

  func memoryBytes(_ visitedBytes: Int) -> Int {
    workers.reduce(visitedBytes) { $0 + $1.memoryBytes }
  }
  func finish(_ end: SearchEnd, _ fingerprint: UInt64? = nil) -> SearchResult {
    statistics.states = visited.count
    statistics.transitions = workers.reduce(start?.statistics.transitions ?? 0) {
      $0 + $1.transitions
    }
    statistics.storeBytes = visited.memoryBytes
    statistics.peakMemoryBytes = memoryBytes(visited.peakMemoryBytes)
    statistics.collisionProbability = Fingerprint.collisionProbability(
      states: visited.count, wordsPerState: words)
    statistics.seconds = budget.elapsedSeconds
    var fired = start?.fired?.words ?? []
    fired += [UInt64](repeating: 0, count: max(0, (model.actions.count &+ 63) &>> 6 &- fired.count))
    for worker in workers {
      for i in fired.indices { fired[i] |= worker.fired[i] }
    }
    return SearchResult(
      end: end, statistics: statistics, failingFingerprint: fingerprint,
      fired: ActionSet(words: fired))
  }

  var level = 0
  let first = workers[0]
  if let start {
    // The level the one-thread search handed over, already in the visited set.
    statistics.depth = start.statistics.depth
    level = start.nextDepth
    start.nextLevel.withUnsafeBufferPointer { states in
      for i in stride(from: 0, to: states.count, by: words) {
        first.current.append(states.baseAddress! + i)
      }
    }
  } else {
    // The initial state.
    first.current.append(initial)
    let (initialFingerprint, failure) = initial.withUnsafeBufferPointer { state in
      let row = state.baseAddress!
      let fingerprint = Fingerprint.of(row, count: words)
      _ = visited.insert(row, fingerprint: fingerprint)
      return (fingerprint, initialStateFailure(&first.machine, row, model, compiled))
    }
    if let failure { return finish(failure, initialFingerprint) }
  }

  while true {
    // The chunks of the level, worker arena by worker arena.
    var chunks: [LevelChunk] = []
    for worker in workers {
      for s in 0..<worker.current.segmentCount {
        let (start, count) = worker.current.segment(s)
        chunks.append(LevelChunk(start: start, count: count))
      }
    }
    if chunks.isEmpty { break }
    let levelChunks = LevelChunks(chunks: chunks)
    var done = 0
    while done < chunks.count || workers.contains(where: { $0.stashed != nil }) {
      if visited.headroom < minimumHeadroom {
        if let limit = budget.limits.maxMemoryBytes {
          visited.allowGrowth(upTo: limit - memoryBytes(0))
        }
        if let limit = budget.limits.maxMemoryBytes,
          let reason = budget.memoryLimitReason(
            bytes: memoryBytes(visited.memoryBytes) + visited.reserveBytes(minimumHeadroom),
            limit: limit)
        {
          return finish(.stopped(reason: reason))
        }
        visited.reserve(minimumHeadroom)
      }
      let limit = min(chunks.count, done &+ chunksPerLaunch)
      shared.prepare(next: done, headroom: visited.headroom)
      let slots = visited.concurrentSlots
      DispatchQueue.concurrentPerform(iterations: workers.count) { t in
        workers[t].run(
          chunks: levelChunks, until: limit, shared: shared, visited: slots, words: words)
      }
      done = min(shared.nextChunk.load(ordering: .relaxed), limit)
      var inserted = 0
      for worker in workers {
        inserted &+= worker.inserted
        worker.inserted = 0
        if worker.found { statistics.depth = level &+ 1 }
      }
      visited.recordConcurrentInserts(inserted)
      if let worker = workers.first(where: { $0.failure != nil }), let failure = worker.failure {
        return finish(failure.end(model, compiled), failure.fingerprint)
      }
      if let reason = budget.clockReason(shouldStop: shouldStop) {
        return finish(.stopped(reason: reason))
      }
      if let limit = budget.limits.maxMemoryBytes,
        let reason = budget.memoryLimitReason(bytes: memoryBytes(visited.memoryBytes), limit: limit)
      {
        return finish(.stopped(reason: reason))
      }
      progress?(
        ExplorationProgress(
          states: visited.count,
          frontier: workers.reduce(0) { $0 + $1.next.count }
            + (chunks.count &- done) &* chunkSize,
          depth: level, memoryBytes: memoryBytes(visited.memoryBytes),
          seconds: budget.elapsedSeconds))
    }
    for worker in workers { worker.endLevel() }
    level &+= 1
  }
  return finish(.complete)
}

/// The failure of the initial state (a property false, or a model error while evaluating
/// one), if any.
func initialStateFailure(
  _ machine: inout ExecutableModel, _ state: UnsafePointer<UInt64>, _ model: IRModel,
  _ compiled: CompiledModel
) -> SearchEnd? {
  switch machine.firstViolatedProperty(state) {
  case nil:
    let message = machine.fault.message(
      in: model, compiled: compiled, at: .property(machine.faultyProperty))
    return .fault(message: message, state: 0, action: nil)
  case let p? where p >= 0:
    return .propertyViolated(property: p, state: 0)
  default:
    return nil
  }
}

/// Up to `SuccessorBatch.maxSources` consecutive states of a level: a segment of one
/// worker's `LevelStore`.
struct LevelChunk {
  let start: UnsafeRawPointer
  let count: Int
}

/// The chunks of a level, read (never written) by every worker while the level is expanded.
struct LevelChunks: @unchecked Sendable {
  let chunks: [LevelChunk]
}

/// What the workers of a launch share: the next chunk to take, the table room reserved, and
/// the stop flag.
final class ParallelSearchShared: Sendable {
  let nextChunk = Atomic<Int>(0)
  let reserved = Atomic<Int>(0)
  let headroom = Atomic<Int>(0)
  let stop = Atomic<Bool>(false)

  func prepare(next: Int, headroom: Int) {
    nextChunk.store(next, ordering: .relaxed)
    reserved.store(0, ordering: .relaxed)
    self.headroom.store(headroom, ordering: .relaxed)
    stop.store(false, ordering: .relaxed)
  }
}

/// A failure a worker found, before it is described.
struct WorkerFailure {
  enum Kind {
    case property(Int)
    case deadlock
    case fault(FaultSite, ModelFault)
  }
  var kind: Kind
  var fingerprint: UInt64

  /// The search end it means (state numbers are not kept: 0).
  func end(_ model: IRModel, _ compiled: CompiledModel) -> SearchEnd {
    switch kind {
    case .property(let p): .propertyViolated(property: p, state: 0)
    case .deadlock: .deadlock(state: 0)
    case .fault(let site, let fault):
      .fault(
        message: fault.message(in: model, compiled: compiled, at: site), state: 0,
        action: site.action)
    }
  }
}

/// One worker of the parallel search: its model, its batch, its part of the current and of
/// the next level, and its counters.
///
/// Used by one thread at a time: its own during a launch, the search thread between
/// launches (`concurrentPerform` returns only when every worker is done), which is what
/// makes the unchecked `Sendable` sound.
final class ParallelSearchWorker: @unchecked Sendable {
  var machine: ExecutableModel
  var batch: SuccessorBatch
  /// This worker's states of the level being expanded, and of the next level.
  var current: LevelStore
  var next: LevelStore
  /// The states of the chunk being expanded, decoded.
  let sources: UnsafeMutablePointer<UInt64>
  let fired: UnsafeMutablePointer<UInt64>
  let firedWords: Int
  let checkDeadlock: Bool
  var transitions = 0
  /// New states since the last launch.
  var inserted = 0
  /// Whether this worker found a new state in the current level.
  var found = false
  var failure: WorkerFailure? = nil
  /// A chunk whose successors are generated but not inserted (no room in the table).
  var stashed: LevelChunk? = nil
  private var touched: UInt64 = 0

  init(_ compiled: CompiledModel, actionCount: Int, checkDeadlock: Bool) {
    machine = ExecutableModel(compiled)
    batch = SuccessorBatch(words: compiled.layout.words, maxCandidates: compiled.maxCandidates)
    current = LevelStore(words: compiled.layout.words, segmentLength: batch.maxSources)
    next = LevelStore(words: compiled.layout.words, segmentLength: batch.maxSources)
    sources = .allocate(capacity: batch.maxSources &* compiled.layout.words)
    firedWords = max(1, (actionCount &+ 63) &>> 6)
    fired = .allocate(capacity: firedWords)
    fired.initialize(repeating: 0, count: firedWords)
    self.checkDeadlock = checkDeadlock
  }

  deinit {
    fired.deallocate()
    sources.deallocate()
  }

  var memoryBytes: Int {
    current.memoryBytes + next.memoryBytes + batch.memoryBytes + batch.maxSources &* next.words &* 8
  }

  /// The next level becomes the current one.
  func endLevel() {
    current.swapContents(with: &next)
    next.removeAll()
    found = false
  }

  /// Takes chunks below `until` until there are none or the launch must stop.
  func run(
    chunks: LevelChunks, until: Int, shared: ParallelSearchShared,
    visited: ConcurrentFingerprintSlots, words: Int
  ) {
    if let chunk = stashed {
      guard insert(chunk, shared: shared, visited: visited, words: words) else { return }
    }
    while !shared.stop.load(ordering: .relaxed) {
      let c = shared.nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
      guard c < until else { return }
      let chunk = chunks.chunks[c]
      LevelStore.decode(chunk.start, count: chunk.count, words: words, into: sources)
      batch.generate(from: sources, count: chunk.count, &machine)
      guard insert(chunk, shared: shared, visited: visited, words: words) else { return }
    }
  }

  /// Inserts the successors of `chunk` (decoded in `sources`, generated in `batch`), keeps
  /// the new ones and checks them; false when the launch must stop: a failure, or no room in
  /// the table (then the chunk is stashed until the table has grown).
  private func insert(
    _ chunk: LevelChunk, shared: ParallelSearchShared, visited: ConcurrentFingerprintSlots,
    words: Int
  ) -> Bool {
    let view = batch.view
    let rows = batch.rowCount
    let reserved = shared.reserved.wrappingAdd(rows, ordering: .relaxed).newValue
    guard reserved <= shared.headroom.load(ordering: .relaxed) else {
      stashed = chunk
      shared.stop.store(true, ordering: .relaxed)
      return false
    }
    stashed = nil
    for j in 0..<rows { touched &+= visited.prefetch(view.fingerprints[j]) }
    for b in 0..<chunk.count {
      let source = UnsafePointer(sources + b &* words)
      for j in view.start(of: b)..<view.ends[b] {
        let action = Int(truncatingIfNeeded: view.actions[j])
        fired[action &>> 6] |= 1 &<< UInt64(truncatingIfNeeded: action & 63)
        transitions &+= 1
        guard visited.insert(view.fingerprints[j]) else { continue }
        inserted &+= 1
        found = true
        let row = view.row(j)
        next.append(row)
        switch machine.firstViolatedProperty(row, after: action) {
        case nil:
          return stop(.fault(.property(machine.faultyProperty), machine.fault), row, shared, words)
        case let p? where p >= 0:
          return stop(.property(p), row, shared, words)
        default:
          break
        }
      }
      if let (site, fault) = view.faults[b] {
        return stop(.fault(site, fault), source, shared, words)
      }
      if checkDeadlock && !view.enabled[b] && machine.hasUnfinishedThread(source) {
        return stop(.deadlock, source, shared, words)
      }
    }
    return true
  }

  private func stop(
    _ kind: WorkerFailure.Kind, _ state: UnsafePointer<UInt64>, _ shared: ParallelSearchShared,
    _ words: Int
  ) -> Bool {
    failure = WorkerFailure(kind: kind, fingerprint: Fingerprint.of(state, count: words))
    shared.stop.store(true, ordering: .relaxed)
    return false
  }
}
