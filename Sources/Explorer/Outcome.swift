
/// Limits on one exploration. Reaching any of them ends the run as `inconclusive`, never as
/// `holds`.
package struct ExplorationLimits: Sendable, Equatable {
  /// Stop after this many distinct states.
  package var maxStates: Int?
  /// Stop when the engine's own data structures (state arena, visited set, parent links)
  /// exceed this many bytes.
  package var maxMemoryBytes: Int?
  /// Stop after this many seconds of wall-clock time.
  package var timeLimitSeconds: Double?

  package init(maxStates: Int? = nil, maxMemoryBytes: Int? = nil, timeLimitSeconds: Double? = nil) {
    self.maxStates = maxStates
    self.maxMemoryBytes = maxMemoryBytes
    self.timeLimitSeconds = timeLimitSeconds
  }
}

/// Options of the explicit engine.
package struct ExplorationOptions: Sendable, Equatable {
  package var limits: ExplorationLimits
  /// Store whole states instead of 64-bit fingerprints (no hash-collision risk; more memory).
  package var exact: Bool
  /// Symmetry reduction over identical threads (explicit engine; refused, with the search
  /// unreduced, when the model is not symmetric). See `Docs/Explorer.md`.
  package var symmetry: Bool = false
  /// Partial-order reduction by ample sets from the actions' footprints (explicit engine;
  /// not combined with symmetry reduction, which then wins). A failure is reported as the
  /// unreduced search finds it. See `Docs/Explorer.md`.
  package var partialOrder: Bool = false
  /// Threads that generate successors (at least 1). The verdict, the counterexample and the
  /// statistics of a complete search do not depend on it (see `SearchWorkers`).
  package var threads: Int = 1

  package init(
    limits: ExplorationLimits = .init(), exact: Bool = false, symmetry: Bool = false,
    partialOrder: Bool = false, threads: Int = 1
  ) {
    self.limits = limits
    self.exact = exact
    self.symmetry = symmetry
    self.partialOrder = partialOrder
    self.threads = threads
  }
}

/// Why a trace is a counterexample.
package enum Failure: Sendable, Equatable {
  /// `model.properties[index]` is false in the trace's last state.
  case property(index: Int)
  /// No action is enabled in the last state and some thread has not finished.
  case deadlock
  /// The last step's action hit a model error (failed `assert`, value out of its domain,
  /// index out of range, division by zero); `message` says which.
  case modelError(message: String)
}

/// A path from the initial state: `states[0]` is the initial state and `states[i+1]` is
/// reached from `states[i]` by firing `actions[i]`. States are full variable valuations
/// indexed by `VarID.index`.
package struct Trace: Sendable, Equatable {
  package var actions: [Int]
  package var states: [[Int]]

  package init(actions: [Int], states: [[Int]]) {
    self.actions = actions
    self.states = states
  }
}

/// A thread that cannot move in a deadlocked state, and what it waits at.
package struct BlockedThread: Sendable, Equatable {
  package var thread: Int
  /// The actions leaving the thread's current program counter (all disabled).
  package var waitingActions: [Int]
}

/// The verdict of an engine on one model.
package enum Verdict: Sendable, Equatable {
  /// Every property holds in every reachable state and no deadlock is reachable.
  case holds
  /// A counterexample was found.
  case failed(Failure)
  /// A limit was reached before the search was complete.
  case inconclusive(reason: String)
  /// Bounded model checking found no failure in any run of at most `depth` steps; longer
  /// runs were not examined. Weaker than `holds`.
  case holdsUpTo(depth: Int)
}

/// Statistics of one run.
package struct ExplorationStatistics: Sendable, Equatable {
  /// Distinct states found.
  package var states: Int = 0
  /// Transitions fired (including those leading to known states).
  package var transitions: Int = 0
  /// The largest BFS depth reached.
  package var depth: Int = 0
  package var seconds: Double = 0
  /// Peak bytes of the engine's own data structures.
  package var peakMemoryBytes: Int = 0
  /// Estimated probability that a fingerprint collision hid a state (0 in exact mode).
  package var collisionProbability: Double = 0
  /// Bytes of the visited set and the parent links at the end of the search (the two
  /// structures that grow with every state; the level arenas hold two levels only).
  package var storeBytes: Int = 0
  /// States expanded with an ample set (partial-order reduction) instead of every enabled
  /// action.
  package var reducedStates: Int = 0

  package init() {}
  package var statesPerSecond: Double { seconds > 0 ? Double(states) / seconds : Double(states) }
}

/// What an engine reports.
package struct Outcome: Sendable {
  package var verdict: Verdict
  /// The shortest counterexample when `verdict` is `.failed`.
  package var trace: Trace?
  /// For a deadlock: every thread that has not finished and what it waits at.
  package var blocked: [BlockedThread]
  package var statistics: ExplorationStatistics
  /// The actions fired at least once during the search (nil when the engine does not
  /// record it). For a search that ended early, only the explored part counts.
  package var firedActions: ActionSet?
  /// What a Z3 engine adds (engine, proof strength, solver statistics, seed); nil for the
  /// explicit engine.
  package var solver: SolverReport? = nil

  package init(
    verdict: Verdict, trace: Trace? = nil, blocked: [BlockedThread] = [],
    statistics: ExplorationStatistics, firedActions: ActionSet? = nil
  ) {
    self.verdict = verdict
    self.trace = trace
    self.blocked = blocked
    self.statistics = statistics
    self.firedActions = firedActions
  }
}

/// A set of action indices as a bitset (one bit per action of the model).
package struct ActionSet: Sendable, Equatable {
  /// Bit `a & 63` of word `a >> 6` is set when action `a` is in the set.
  package var words: [UInt64]

  /// An empty set for a model with `count` actions.
  package init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }

  /// The set whose bitset words are `words`.
  package init(words: [UInt64]) { self.words = words }

  /// Whether `action` is in the set.
  package func contains(_ action: Int) -> Bool {
    action >= 0 && action >> 6 < words.count && words[action >> 6] & (1 << UInt64(action & 63)) != 0
  }

  /// Adds `action` (which must be below the count given at init).
  ///
  /// - Complexity: O(1).
  @inline(__always)
  package mutating func insert(_ action: Int) {
    words[action &>> 6] |= 1 &<< UInt64(action & 63)
  }
}

/// A snapshot of a running search, for a progress line.
package struct ExplorationProgress: Sendable, Equatable {
  /// Distinct states found so far.
  package var states: Int
  /// States found but not yet expanded.
  package var frontier: Int
  /// The BFS level being expanded.
  package var depth: Int
  /// Bytes held by the engine's data structures.
  package var memoryBytes: Int
  /// Seconds since the search started.
  package var seconds: Double

  package init(states: Int, frontier: Int, depth: Int, memoryBytes: Int, seconds: Double) {
    self.states = states
    self.frontier = frontier
    self.depth = depth
    self.memoryBytes = memoryBytes
    self.seconds = seconds
  }
}
