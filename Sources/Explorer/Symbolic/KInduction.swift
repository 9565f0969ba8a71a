package import HMMModel

/// Proofs for runs of every length with k-induction, strengthened by auxiliary invariants.
///
/// For k = 1, 2, …, `options.depth`:
/// - base case: the BMC search (`BoundedSearch`) shows every state reachable in fewer than k
///   steps is *safe*: every property holds there without a model error, no action hits a
///   model error from it and, when deadlock is checked, it is not a deadlock;
/// - inductive step: Z3 shows that a simple path `s₀ … s_k` (pairwise different states) whose
///   first k states are safe, with each step a transition of the model and every state inside
///   the domains and satisfying the auxiliary invariants, ends in a safe state.
/// Both together prove safety for every reachable state of the lowered model, at any depth.
///
/// The auxiliary invariants are found automatically: `InvariantMiner` proposes template
/// instances that hold in states the explicit engine reaches; Houdini keeps the largest subset
/// that holds initially and is inductive (`initial → S` and `S ∧ T → S'`, checked by Z3), so it
/// is an invariant by itself and may be assumed in every frame.
///
/// Before k-induction, when `options.sequenceCounters` names the model's sequence counters, a
/// closed `SequenceAbstraction` of the model as lowered (`AbstractionProof`, at most
/// `abstractionStates` abstract states) is tried: it is an inductive invariant too, and it
/// usually succeeds where the mined invariants are too weak.
///
/// When no k up to `options.depth` works, the result is `inconclusive` with the last
/// counterexample to induction: a run through safe states that satisfy the invariants and
/// ends in an unsafe one, which a stronger invariant would have to exclude.
package struct KInduction: Sendable {
  package let model: IRModel
  package var options: SymbolicOptions
  /// States observed to propose auxiliary invariants (0: no auxiliary invariants).
  package var miningStates: Int
  /// The abstraction tried first gives up beyond this many abstract states.
  package var abstractionStates = 100_000

  package init(model: IRModel, options: SymbolicOptions = .init(), miningStates: Int = 20_000) {
    self.model = model
    self.options = options
    self.miningStates = miningStates
  }

  /// Tries to prove safety for all depths.
  ///
  /// - Returns: `.holds` with `ProofStrength.allDepths` in `solver.proof`; `.failed` with a
  ///   shortest trace when the base case finds a failure; `.inconclusive` when no k up to
  ///   `options.depth` proves it (with the counterexample to induction in `solver.notes`) or
  ///   Z3 gives up.
  package func run() -> Outcome {
    let clock = SymbolicClock()
    var report = SolverReport(
      engine: "k-induction", z3Version: Z3Context.version, seed: options.seed)
    if let outcome = initialStateFailure(model, report: report) { return outcome }
    if let outcome = proveByAbstraction(&report, clock) { return outcome }
    var current: BoundedSearch?
    var stepChecks = 0
    do {
      let base = try BoundedSearch(model: model, options: options)
      current = base
      let relation = base.relation
      let encoder = base.encoder
      let context = encoder.context
      let candidates = InvariantMiner.candidates(model, maxStates: miningStates)
      let (invariants, houdiniChecks) = try houdini(candidates, relation)
      stepChecks += houdiniChecks
      report.notes.append(
        "auxiliary invariants: \(invariants.count) proved inductive of \(candidates.count) candidates"
      )
      let step = try Z3Solver(context: context)
      try step.configure(timeoutMilliseconds: options.timeoutMilliseconds, randomSeed: options.seed)
      func assume(frame k: Int) throws {
        try step.assert(encoder.domain(at: k))
        for invariant in invariants { try step.assert(encoder.encode(invariant, at: k)) }
      }
      try assume(frame: 0)
      var lastCTI: (k: Int, trace: Trace, failure: String)?
      for k in 1...max(options.depth, 1) {
        // Base case: states at depth k-1 are safe.
        if let (failure, trace) = try base.check(step: k - 1, last: false) {
          base.record(into: &report)
          report.checks += stepChecks
          return symbolicOutcome(model, .failed(failure), trace, report: report, clock: clock)
        }
        // Inductive step.
        try step.assert(relation.safe(at: k - 1))
        try step.assert(relation.step(from: k - 1))
        try assume(frame: k)
        for i in 0..<k { try step.assert(relation.distinct(i, k)) }
        let literal = try context.boolConstant("unsafe@\(k)")
        try step.assert(context.implies(literal, context.not(relation.safe(at: k))))
        stepChecks += 1
        switch try step.check(assuming: [literal]) {
        case .unsat:
          base.record(into: &report)
          report.checks += stepChecks
          report.depth = k
          report.memoryMiB = max(report.memoryMiB, step.peakMemoryMiB())
          report.proof = .allDepths(.kInduction(k: k, auxiliaryInvariants: invariants.count))
          return symbolicOutcome(model, .holds, nil, report: report, clock: clock)
        case .sat:
          let z3Model = try step.model()
          let trace = try relation.trace(steps: k, in: z3Model)
          lastCTI = (k, trace, try unsafeReason(at: k, relation, z3Model))
        case .unknown(let why):
          throw SymbolicError.solverUnknown(why)
        }
      }
      base.record(into: &report)
      report.checks += stepChecks
      report.memoryMiB = max(report.memoryMiB, step.peakMemoryMiB())
      var reason = "not proved by k-induction up to k = \(options.depth)"
      reason += "; no failure in runs of up to \(options.depth - 1) steps"
      if let cti = lastCTI {
        report.notes += ctiText(cti.k, cti.trace, cti.failure)
      }
      return symbolicOutcome(
        model, .inconclusive(reason: reason), nil, report: report, clock: clock)
    } catch {
      current?.record(into: &report)
      report.checks += stepChecks
      return symbolicOutcome(
        model, .inconclusive(reason: inconclusiveReason(error, depth: report.depth)), nil,
        report: report, clock: clock)
    }
  }

  /// The largest subset of `candidates` that holds initially and is preserved by every
  /// transition (assuming the domains), and the number of solver checks made.
  ///
  /// - Complexity: one check per round; each failed round drops at least one candidate.
  func houdini(_ candidates: [InvariantCandidate], _ relation: TransitionRelation) throws
    -> ([InvariantCandidate], Int)
  {
    let encoder = relation.encoder
    let context = encoder.context
    let solver = try Z3Solver(context: context)
    try solver.configure(timeoutMilliseconds: options.timeoutMilliseconds, randomSeed: options.seed)
    var alive = candidates
    var checks = 0
    // Initially: drop the candidates false in the initial state.
    try solver.push()
    try solver.assert(encoder.initial(at: 0))
    if !alive.isEmpty {
      checks += 1
      guard case .sat = try solver.check() else {
        throw SymbolicError.inconsistent("the initial state is unsatisfiable")
      }
      let z3Model = try solver.model()
      alive = try alive.filter { try z3Model.evalBool(encoder.encode($0, at: 0)) == true }
    }
    try solver.pop()
    // Inductive: S ∧ domain ∧ T → S'.
    try solver.assert(encoder.domain(at: 0))
    try solver.assert(relation.step(from: 0))
    while !alive.isEmpty {
      checks += 1
      guard let kept = try houdiniRound(alive, encoder, solver) else { return (alive, checks) }
      alive = kept
    }
    return (alive, checks)
  }

  /// What is unsafe at step `k` of `z3Model`.
  private func unsafeReason(at k: Int, _ relation: TransitionRelation, _ z3Model: Z3Model) throws
    -> String
  {
    if let failure = try relation.failingProperty(at: k, in: z3Model) {
      switch failure {
      case .property(let index):
        return "\(model.properties[index].name) (\(model.properties[index].summary)) is false"
      case .modelError(let message): return "a property hits a model error: \(message)"
      case .deadlock: return "deadlock"
      }
    }
    for encoding in try relation.firings(from: k)
    where try z3Model.evalBool(encoding.hitsModelError) == true {
      return "\(model.actions[encoding.action].name) hits a model error"
    }
    return "it is a deadlock"
  }

  /// The counterexample to induction for people: the first state (the values that differ
  /// from the initial state), the actions, and what goes wrong at the end.
  private func ctiText(_ k: Int, _ trace: Trace, _ failure: String) -> [String] {
    var lines = [
      "counterexample to induction (k = \(k)): a run of \(k) steps through safe states that "
        + "satisfy every auxiliary invariant, ending where \(failure)",
      "  it starts in this state (values different from the initial state):",
    ]
    let first = trace.states[0]
    var changed: [String] = []
    for (index, variable) in model.variables.enumerated() where first[index] != variable.initial {
      changed.append("\(variable.name) = \(variable.render(first[index]))")
    }
    lines.append(
      "    " + (changed.isEmpty ? "(the initial state)" : changed.joined(separator: ", ")))
    for (i, action) in trace.actions.enumerated() {
      let a = model.actions[action]
      lines.append("  \(i + 1)  \(model.threads[a.thread].name)  \(a.name)")
    }
    return lines
  }
}

extension KInduction {
  /// The closed abstraction of the model as lowered (sliced; sequence numbers keep their
  /// bounded domains), or nil when it decides nothing: then k-induction runs, and its base case
  /// finds any failure with a shortest trace.
  func proveByAbstraction(_ report: inout SolverReport, _ clock: SymbolicClock) -> Outcome? {
    let counters = options.sequenceCounters
    guard !counters.isEmpty else { return nil }
    let sliced = RepeatingModel(model, seeds: counters, repeats: { _ in false })
    guard let reference = sliced.sequenceReference(counters) else { return nil }
    do {
      let encoder = try SymbolicEncoder(
        model: sliced.model, context: Z3Context(), integers: .mathematical(unboundedAbove: []))
      let relation = TransitionRelation(encoder: encoder)
      var proof = AbstractionProof(
        model: sliced.model, role: "the model as lowered", relevant: sliced.relevant,
        sequences: sliced.unboundedAbove, reference: reference, options: options)
      proof.windows = [4]
      proof.maxStates = abstractionStates
      let decision = try proof.run(
        relation, pinned: sliced.pinnedConstraint(encoder), report: &report, clock: clock)
      guard case .proved(let states, let window) = decision else { return nil }
      report.proof = .allDepths(.abstraction(states: states, window: window))
      return symbolicOutcome(model, .holds, nil, report: report, clock: clock)
    } catch {
      report.notes.append("abstraction of the sequence numbers: \(error)")
      return nil
    }
  }
}
