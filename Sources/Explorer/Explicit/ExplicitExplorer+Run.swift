internal import HMMModel

extension ExplicitExplorer {
  /// Runs a breadth-first search from the initial state.
  ///
  /// Checks every property in every reachable state (the initial one included), detects
  /// deadlocks if `model.checkDeadlock`, and detects model errors (see `IRModel`). The first
  /// failure found is a shortest counterexample (see `breadthFirstSearch`); its trace is
  /// rebuilt by replaying the action indices from the initial state, so what is printed
  /// comes from re-execution:
  /// - property violation: the last state violates the property;
  /// - deadlock: the last state has no enabled action; `blocked` lists every unfinished
  ///   thread with the actions leaving its pc;
  /// - model error in an action: the trace ends with the failing action, and its last state
  ///   repeats the state before it (nothing was reached); a model error while evaluating a
  ///   property ends the trace at the state where it happened, with no extra step.
  ///
  /// A limit or `shouldStop()` ends the search as `inconclusive`, never `holds`, with the
  /// statistics so far. A malformed IR is reported as `inconclusive` too; an initial value
  /// outside its domain is a model error with a one-state trace.
  ///
  /// - Parameter shouldStop: polled every few thousand states (for Ctrl-C).
  /// - Complexity: O(transitions) expected; see `breadthFirstSearch`.
  package func run(shouldStop: @Sendable () -> Bool = { false }) -> Outcome {
    run(shouldStop: shouldStop, progress: nil)
  }

  /// Runs the search like `run(shouldStop:)`, calling `progress` every few thousand
  /// expanded states with a snapshot of the search (from the searching thread).
  package func run(
    shouldStop: @Sendable () -> Bool = { false },
    progress: ((ExplorationProgress) -> Void)?
  ) -> Outcome {
    let start = ContinuousClock.now
    let compiled: CompiledModel
    switch self.compiled {
    case .failure(let error):
      return Outcome(
        verdict: .inconclusive(reason: "malformed model: \(error.message)"),
        statistics: ExplorationStatistics())
    case .success(let c):
      compiled = c
    }
    guard let initial = compiled.initialState else {
      var statistics = ExplorationStatistics()
      statistics.states = 1
      return Outcome(
        verdict: .failed(.modelError(message: initialStateProblem() ?? "bad initial state")),
        trace: Trace(actions: [], states: [model.initialValues]), statistics: statistics)
    }
    let budget = SearchBudget(options.limits, start: start)
    var canonicalizer: SymmetryCanonicalizer? = nil
    if options.symmetry, case .success(let symmetry?) = ThreadSymmetry.detect(model) {
      canonicalizer = SymmetryCanonicalizer(
        symmetry, layout: compiled.layout, threadCount: model.threads.count)
    }
    let reduction =
      options.partialOrder && canonicalizer == nil ? PartialOrderReduction(model) : nil
    // Without reductions the first search is the unreduced one: it keeps parent links for
    // its first `parentLimit` states, so a failure found by then is already the
    // counterexample.
    let direct = canonicalizer == nil && reduction == nil
    let first = search(
      compiled, initial: initial, budget: budget, shouldStop: shouldStop, progress: progress,
      canonicalizer: canonicalizer, reduction: reduction,
      parentLimit: direct ? parentLimit : 0)
    guard first.isFailure, !first.hasPath else { return outcome(of: first, compiled: compiled) }
    // A failure found without parent links (past the limit, or with a reduction) is found
    // again by the unreduced search (no symmetry, no partial-order reduction) with parent
    // links: the failing state found is a real reachable state, so the unreduced search
    // stops at its first failure, the shortest one, no deeper (see `Docs/Explorer.md`). The
    // verdict and the counterexample are therefore the same with the reductions on or off.
    // It explores at most the unreduced states up to that depth, so only a stop request
    // limits it.
    let unlimited = SearchBudget(ExplorationLimits(), start: start)
    var result = search(
      compiled, initial: initial, budget: unlimited, shouldStop: shouldStop, progress: progress,
      canonicalizer: nil, reduction: nil, parentLimit: .max)
    guard result.isFailure else {
      let reason =
        if case .stopped(let reason) = result.end { reason } else {
          "the counterexample could not be rebuilt"
        }
      result.end = .stopped(reason: reason + " while rebuilding the counterexample")
      return outcome(of: result, compiled: compiled)
    }
    result.statistics.peakMemoryBytes = max(
      result.statistics.peakMemoryBytes, first.statistics.peakMemoryBytes)
    result.statistics.reducedStates = first.statistics.reducedStates
    return outcome(of: result, compiled: compiled)
  }

  /// States for which the first search keeps parent links (8 bytes each): a failure within
  /// them needs no second search; a proof drops them past it.
  static let defaultParentLimit = 1 << 16

  /// One breadth-first search with the visited set the options ask for.
  ///
  /// With several threads, no reduction and fingerprints, the one-thread search (whose
  /// successor generation is parallel) runs while it keeps parent links, then hands its
  /// next level over to `parallelBreadthFirstSearch`.
  private func search(
    _ compiled: CompiledModel, initial: [UInt64], budget: SearchBudget,
    shouldStop: @Sendable () -> Bool, progress: ((ExplorationProgress) -> Void)?,
    canonicalizer: SymmetryCanonicalizer?, reduction: PartialOrderReduction?, parentLimit: Int
  ) -> SearchResult {
    let threads = max(1, options.threads)
    if options.exact {
      var visited = ExactStateSet(stride: compiled.layout.words)
      return breadthFirstSearch(
        model, compiled, initial: initial, visited: &visited, budget: budget,
        shouldStop: shouldStop, progress: progress, canonicalizer: canonicalizer,
        reduction: reduction, parentLimit: parentLimit, threads: threads)
    }
    var visited = FingerprintSet()
    let parallel =
      threads > 1 && canonicalizer == nil && reduction == nil && parentLimit < .max
      && budget.limits.maxStates == nil
    let first = breadthFirstSearch(
      model, compiled, initial: initial, visited: &visited, budget: budget,
      shouldStop: shouldStop, progress: progress, canonicalizer: canonicalizer,
      reduction: reduction, parentLimit: parentLimit, handover: parallel, threads: threads)
    guard first.end == .handedOver else { return first }
    // A failure the parallel search finds has no path; it is rebuilt by the caller.
    var result = parallelBreadthFirstSearch(
      model, compiled, initial: initial, visited: &visited, budget: budget,
      shouldStop: shouldStop, progress: progress, threads: threads, resuming: first)
    result.statistics.peakMemoryBytes = max(
      result.statistics.peakMemoryBytes, first.statistics.peakMemoryBytes)
    return result
  }

  /// Turns a search result into an outcome, replaying the counterexample.
  private func outcome(of result: SearchResult, compiled: CompiledModel) -> Outcome {
    let statistics = result.statistics
    let fired = result.fired
    let failure: Failure
    let actions: [Int]
    switch result.end {
    case .complete:
      return Outcome(verdict: .holds, statistics: statistics, firedActions: fired)
    case .stopped(let reason):
      return Outcome(
        verdict: .inconclusive(reason: reason), statistics: statistics, firedActions: fired)
    case .handedOver:
      preconditionFailure("a handed-over search is resumed by `search`")
    case .propertyViolated(let property, _):
      failure = .property(index: property)
      actions = result.failingPath
    case .deadlock:
      failure = .deadlock
      actions = result.failingPath
    case .fault(let message, _, let action):
      failure = .modelError(message: message)
      actions = result.failingPath + (action.map { [$0] } ?? [])
    }
    let replayed = replayRun(actions)
    if case .modelError(let message) = replayed.error?.kind {
      assert(failure == .modelError(message: message), "replay hit a different model error")
    } else {
      assert(
        replayed.error == nil,
        "counterexample does not replay: \(String(describing: replayed.error))")
    }
    assert(
      Fingerprint.of(replayed.lastState) == result.failingFingerprint,
      "replayed counterexample ends in a different state")
    var blocked: [BlockedThread] = []
    if failure == .deadlock, let last = replayed.trace.states.last {
      blocked = blockedThreads(in: last)
    }
    return Outcome(
      verdict: .failed(failure), trace: replayed.trace, blocked: blocked, statistics: statistics,
      firedActions: fired)
  }

  /// Every thread not at its final pc, with the actions leaving its pc, by thread index.
  func blockedThreads(in values: [Int]) -> [BlockedThread] {
    let table = model.actionsByThreadAndPC()
    var blocked: [BlockedThread] = []
    for (index, thread) in model.threads.enumerated() {
      let pc = values[thread.pc.index]
      guard pc != thread.finalPC else { continue }
      let waiting = table[index].indices.contains(pc) ? table[index][pc] : []
      blocked.append(BlockedThread(thread: index, waitingActions: waiting))
    }
    return blocked
  }
}
