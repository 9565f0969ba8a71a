internal import HMMModel

/// How a search ended, before the counterexample is rebuilt.
enum SearchEnd: Equatable {
  /// Every reachable state was explored.
  case complete
  /// A limit or a stop request ended the search.
  case stopped(reason: String)
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
/// States are numbered in discovery order. Level `d` is held in one arena while its
/// successors (level `d + 1`) are appended to another; explored levels are dropped, so the
/// visited set, the parent links and two levels are all that is kept.
///
/// Order, and why the first failure is a shortest counterexample: each state is expanded in
/// discovery order; its candidate actions (threads at the action's `fromPC`) are tried in
/// ascending action index; a new successor is checked against every property as soon as it
/// is found. A failure found while expanding level `d` has a trace of `d + 1` steps
/// (property of a new state, model error in an action), except a deadlock, whose trace has
/// `d` steps. So after a `d + 1` failure, the rest of level `d` is only scanned for a
/// deadlock, which wins if one is there. Ties go to the first found, which is deterministic.
///
/// - Complexity: O(transitions · (action size + words)) time expected; memory O(states) for
///   the visited set and parent links plus O(widest level · words).
func breadthFirstSearch<Visited: VisitedStateSet & ~Copyable>(
  _ model: IRModel, _ compiled: CompiledModel, initial: [UInt64],
  visited: inout Visited, budget: SearchBudget, shouldStop: () -> Bool
) -> SearchResult {
  let checkDeadlock = model.checkDeadlock
  var machine = ExecutableModel(compiled)
  let words = machine.words
  var current = StateArena(stride: words)
  var next = StateArena(stride: words)
  var links = WordBuffer()
  var statistics = ExplorationStatistics()
  // One row per candidate action of a state, with its fingerprint and action.
  let successors = UnsafeMutablePointer<UInt64>.allocate(capacity: compiled.maxCandidates * words)
  let fingerprints = UnsafeMutablePointer<UInt64>.allocate(capacity: compiled.maxCandidates)
  let firedActions = UnsafeMutablePointer<Int32>.allocate(capacity: compiled.maxCandidates)
  defer {
    successors.deallocate()
    fingerprints.deallocate()
    firedActions.deallocate()
  }

  func memoryBytes(_ visitedBytes: Int) -> Int {
    current.memoryBytes + next.memoryBytes + visitedBytes
      + links.memoryBytes + compiled.maxCandidates * (words + 2) * MemoryLayout<UInt64>.stride
  }
  func finish(_ end: SearchEnd, _ fingerprint: UInt64? = nil) -> SearchResult {
    var path: [Int] = []
    switch end {
    case .propertyViolated(_, let state), .deadlock(let state), .fault(_, let state, _):
      path = links.path(to: state)
    case .complete, .stopped:
      break
    }
    statistics.states = links.count
    statistics.peakMemoryBytes = memoryBytes(visited.peakMemoryBytes)
    statistics.collisionProbability =
      visited.isExact
      ? 0 : Fingerprint.collisionProbability(states: visited.count, wordsPerState: words)
    statistics.seconds = budget.elapsedSeconds
    return SearchResult(
      end: end, statistics: statistics, failingPath: path, failingFingerprint: fingerprint)
  }

  // The initial state.
  successors.initialize(from: initial, count: words)
  let initialFingerprint = Fingerprint.of(successors, count: words)
  _ = visited.insert(successors, fingerprint: initialFingerprint)
  links.append(WordBuffer.root)
  current.append(successors)
  switch machine.firstViolatedProperty(successors) {
  case nil:
    let message = machine.fault.message(
      in: model, compiled: compiled, at: .property(machine.faultyProperty))
    return finish(.fault(message: message, state: 0, action: nil), initialFingerprint)
  case let p? where p >= 0:
    return finish(.propertyViolated(property: p, state: 0), initialFingerprint)
  default:
    break
  }

  var level = 0
  var levelStart = 0
  var untilClock = SearchBudget.clockInterval
  // A failure with a trace one step longer than the current level, kept while the rest of
  // the level is scanned for a (shorter) deadlock.
  var pending: (end: SearchEnd, fingerprint: UInt64)? = nil

  while current.count > 0 {
    for i in 0..<current.count {
      let source = UnsafePointer(current.pointer(at: i))
      let sourceIndex = levelStart &+ i
      if pending != nil {
        if checkDeadlock && isDeadlocked(&machine, source) {
          return finish(.deadlock(state: sourceIndex), Fingerprint.of(source, count: words))
        }
        continue
      }
      // Phase 1: fire every enabled action into the successor rows, in ascending order,
      // stopping at a model error.
      let candidateCount = machine.collectCandidates(source)
      var enabled = false
      var produced = 0
      var faultSite: FaultSite? = nil
      var fault = machine.fault
      for c in 0..<candidateCount {
        let action = Int(machine.candidates[c])
        guard let holds = machine.guardHolds(action, source) else {
          faultSite = .guardOf(action: action)
          fault = machine.fault
          enabled = true
          break
        }
        if !holds { continue }
        enabled = true
        let row = successors + produced &* words
        row.update(from: source, count: words)
        guard machine.fire(action, row) else {
          faultSite = .effectsOf(action: action)
          fault = machine.fault
          break
        }
        let fingerprint = Fingerprint.of(row, count: words)
        fingerprints[produced] = fingerprint
        firedActions[produced] = Int32(truncatingIfNeeded: action)
        visited.prefetch(fingerprint)
        produced &+= 1
      }
      // Phase 2: look the successors up in order (their table slots were touched together,
      // so the cache misses overlap); new ones get a number and are checked.
      for j in 0..<produced {
        statistics.transitions &+= 1
        let row = successors + j &* words
        let fingerprint = fingerprints[j]
        guard visited.insert(row, fingerprint: fingerprint) else { continue }
        if let reason = budget.stateLimitReason(states: links.count &+ 1) {
          return finish(.stopped(reason: reason))
        }
        let newIndex = links.count
        links.append(UInt64(truncatingIfNeeded: sourceIndex) &<< 32 | UInt64(firedActions[j]))
        next.append(row)
        statistics.depth = level &+ 1
        if budget.limits.maxMemoryBytes != nil,
          let reason = budget.memoryLimitReason(bytes: memoryBytes(visited.memoryBytes))
        {
          return finish(.stopped(reason: reason))
        }
        switch machine.firstViolatedProperty(row) {
        case nil:
          let message = machine.fault.message(
            in: model, compiled: compiled, at: .property(machine.faultyProperty))
          pending = (.fault(message: message, state: newIndex, action: nil), fingerprint)
        case let p? where p >= 0:
          pending = (.propertyViolated(property: p, state: newIndex), fingerprint)
        default:
          break
        }
        if pending != nil { break }
      }
      if pending == nil, let faultSite {
        let message = fault.message(in: model, compiled: compiled, at: faultSite)
        pending = (
          .fault(message: message, state: sourceIndex, action: faultSite.action),
          Fingerprint.of(source, count: words)
        )
      }
      if !enabled && checkDeadlock && machine.hasUnfinishedThread(source) {
        return finish(.deadlock(state: sourceIndex), Fingerprint.of(source, count: words))
      }
      untilClock &-= 1
      if untilClock == 0 {
        untilClock = SearchBudget.clockInterval
        if pending == nil, let reason = budget.clockReason(shouldStop: shouldStop) {
          return finish(.stopped(reason: reason))
        }
      }
    }
    if let pending { return finish(pending.end, pending.fingerprint) }
    levelStart &+= current.count
    current.swapContents(with: &next)
    next.removeAll()
    level &+= 1
  }
  return finish(.complete)
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
