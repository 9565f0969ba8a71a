package import HMMModel

/// Bounded model checking with Z3: the shortest failure in runs of at most `depth` steps.
///
/// One incremental solver holds `initial(0) ∧ T(0) ∧ … ∧ T(j-1)` (see `TransitionRelation`);
/// `BoundedSearch` asks the questions of each step `j` in order. The first satisfiable one
/// gives a shortest failure, read back with `concreteState(at:in:)` into the explicit
/// engine's `Trace` format (a model error repeats the state before the failing action).
package struct BoundedModelChecker: Sendable {
  package let model: IRModel
  package var options: SymbolicOptions

  package init(model: IRModel, options: SymbolicOptions = .init()) {
    self.model = model
    self.options = options
  }

  /// Checks runs of at most `options.depth` steps.
  ///
  /// - Returns: `.failed` with a shortest trace, `.holdsUpTo(depth:)`, or `.inconclusive`
  ///   when Z3 gives up (the solver timeout) or the model cannot be encoded.
  /// - Complexity: `depth` unrollings of the transition relation, O(actions · effect size)
  ///   terms each; up to 3 solver checks per step.
  package func run() -> Outcome {
    let clock = SymbolicClock()
    var report = SolverReport(engine: "bmc", z3Version: Z3Context.version, seed: options.seed)
    if let outcome = initialStateFailure(model, report: report) { return outcome }
    var current: BoundedSearch?
    do {
      let search = try BoundedSearch(model: model, options: options)
      current = search
      for j in 0...options.depth {
        if let (failure, trace) = try search.check(step: j, last: j == options.depth) {
          search.record(into: &report)
          return symbolicOutcome(model, .failed(failure), trace, report: report, clock: clock)
        }
      }
      search.record(into: &report)
      return symbolicOutcome(
        model, .holdsUpTo(depth: options.depth), nil, report: report, clock: clock)
    } catch {
      current?.record(into: &report)
      return symbolicOutcome(
        model, .inconclusive(reason: inconclusiveReason(error, depth: report.depth)), nil,
        report: report, clock: clock)
    }
  }
}

/// The incremental BMC solver, advanced one step at a time (shared with k-induction's base
/// case).
final class BoundedSearch {
  let encoder: SymbolicEncoder
  let relation: TransitionRelation
  let solver: Z3Solver
  var model: IRModel { encoder.model }
  var context: Z3Context { encoder.context }
  let options: SymbolicOptions
  private(set) var checks = 0
  private(set) var depth = 0
  private var literalCount = 0
  /// `initial(0)` and `T(0) … T(depth-1)`: what a fresh solver starts from.
  private(set) var path: [Z3Term] = []
  private var memoryMiB = 0.0

  init(model: IRModel, options: SymbolicOptions) throws {
    let context = Z3Context()
    self.options = options
    encoder = try SymbolicEncoder(
      model: model, context: context,
      bitWidth: options.bitWidth ?? SymbolicWidth.forModel(model))
    relation = TransitionRelation(encoder: encoder)
    solver = try Z3Solver(context: context)
    try solver.configure(timeoutMilliseconds: options.timeoutMilliseconds, randomSeed: options.seed)
    try add(encoder.initial(at: 0))
  }

  /// Asserts `term` for the rest of the search.
  private func add(_ term: Z3Term) throws {
    path.append(term)
    if options.incremental { try solver.assert(term) }
  }

  /// Asks, in order, each under an assumption literal so the question is retracted:
  /// 1. a property is false or faults at step `j` (a trace of `j` steps);
  /// 2. step `j` is a deadlock, if the model checks deadlock (`j` steps);
  /// 3. unless `last`, an action hits a model error from step `j` (`j + 1` steps);
  /// then, unless `last`, asserts `T(j)`. Steps must be checked as 0, 1, 2, …
  ///
  /// Trace lengths never decrease along that order, so the first failure found is a
  /// shortest one, and among failures of one length a property violation or a model error
  /// is preferred to a deadlock, as in the explicit engine.
  ///
  /// - Returns: the failure and its trace, or nil.
  /// - Throws: `SymbolicError.solverUnknown` when Z3 gives up.
  func check(step j: Int, last: Bool) throws -> (Failure, Trace)? {
    precondition(j == depth, "steps must be checked in order")
    if let found = try ask(relation.badState(at: j)) {
      guard let failure = try relation.failingProperty(at: j, in: found) else {
        throw SymbolicError.inconsistent("a bad state at step \(j) with no failing property")
      }
      return (failure, try relation.trace(steps: j, in: found))
    }
    if model.checkDeadlock, let found = try ask(relation.deadlock(at: j)) {
      return (.deadlock, try relation.trace(steps: j, in: found))
    }
    guard !last else { return nil }
    if let found = try ask(relation.fault(from: j)) {
      guard let (action, message) = try relation.faultingAction(from: j, in: found) else {
        throw SymbolicError.inconsistent("a model error from step \(j) in no action")
      }
      var trace = try relation.trace(steps: j, in: found)
      trace.actions.append(action)
      trace.states.append(trace.states[j])
      return (.modelError(message: message), trace)
    }
    try add(relation.step(from: j))
    depth = j + 1
    return nil
  }

  /// Whether `claim` is satisfiable with the run so far, and a model if so.
  private func ask(_ claim: Z3Term) throws -> Z3Model? {
    checks += 1
    guard options.incremental else {
      let fresh = try Z3Solver(context: context)
      try fresh.configure(
        timeoutMilliseconds: options.timeoutMilliseconds, randomSeed: options.seed)
      try fresh.assert(context.and(path + [claim]))
      defer { memoryMiB = max(memoryMiB, fresh.peakMemoryMiB()) }
      switch try fresh.check() {
      case .sat: return try fresh.model()
      case .unsat: return nil
      case .unknown(let why): throw SymbolicError.solverUnknown(why)
      }
    }
    let literal = try context.boolConstant("bmc#\(literalCount)")
    literalCount += 1
    try solver.assert(context.implies(literal, claim))
    switch try solver.check(assuming: [literal]) {
    case .sat: return try solver.model()
    case .unsat: return nil
    case .unknown(let why): throw SymbolicError.solverUnknown(why)
    }
  }

  func record(into report: inout SolverReport) {
    report.checks = checks
    report.depth = depth
    report.memoryMiB = max(report.memoryMiB, memoryMiB, solver.peakMemoryMiB())
  }
}

/// Wall-clock time since creation.
struct SymbolicClock {
  let start = ContinuousClock.now
  var seconds: Double {
    let elapsed = start.duration(to: .now)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }
}

/// The outcome of a Z3 engine, with the blocked threads of a deadlock.
func symbolicOutcome(
  _ model: IRModel, _ verdict: Verdict, _ trace: Trace?, report: SolverReport,
  clock: SymbolicClock
) -> Outcome {
  var report = report
  report.seconds = clock.seconds
  var statistics = ExplorationStatistics()
  statistics.seconds = report.seconds
  statistics.depth = trace?.actions.count ?? report.depth
  var blocked: [BlockedThread] = []
  if verdict == .failed(.deadlock), let last = trace?.states.last {
    blocked = ExplicitExplorer(model: model).blockedThreads(in: last)
  }
  var outcome = Outcome(verdict: verdict, trace: trace, blocked: blocked, statistics: statistics)
  outcome.solver = report
  return outcome
}

/// A model error for an initial value outside its domain (as the explicit engine reports it),
/// or nil.
func initialStateFailure(_ model: IRModel, report: SolverReport) -> Outcome? {
  guard let bad = model.variables.first(where: { !$0.type.contains($0.initial) }) else {
    return nil
  }
  return symbolicOutcome(
    model,
    .failed(
      .modelError(message: "initial value \(bad.initial) of \(bad.name) is out of its domain")),
    Trace(actions: [], states: [model.initialValues]), report: report, clock: SymbolicClock())
}

/// Why a Z3 engine stopped without a verdict.
func inconclusiveReason(_ error: any Error, depth: Int) -> String {
  if let symbolic = error as? SymbolicError, case .solverUnknown(let why) = symbolic.kind {
    return "Z3 gave up at depth \(depth) (\(why))"
  }
  return "\(error)"
}
