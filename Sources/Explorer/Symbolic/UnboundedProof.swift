package import HMMModel

/// A proof for runs of any length **and** any number of repetitions of every thread, with the
/// sequence-like variables unbounded, by three methods tried in order:
///
/// 1. **Abstraction of the sequence numbers** (`SequenceAbstraction`, explored by
///    `AbstractionProof`): the sequence numbers are kept relative to the mm's, which makes
///    the state space finite; every abstract successor is computed exactly (by Z3 over all
///    concrete states, or by the explicit engine where the step touches no sequence number).
///    A closed exploration is an inductive invariant (a proof); a reachable unsafe abstract
///    state is checked for a real run (a refutation) or refines the window.
/// 2. **Houdini and 1-induction** over invariants mined from explicit states.
/// 3. **Spacer** over constrained Horn clauses, as follows.
///
/// The system is `RepeatingModel(model, seeds:)`: every thread may run again after it
/// finishes, and `seeds` (with every variable computed from them) lose their upper bound. It is
/// encoded with mathematical integers (`IntegerEncoding.mathematical`) as three kinds of clauses
/// over one relation `reach` whose arguments are the model's variables:
///
/// ```
/// reach(initial values)
/// reach(x) ∧ enabledₐ(x) ∧ ¬errorₐ(x)  ⇒  reach(nextₐ(x))      one clause per action a
/// reach(x) ∧ ¬safe(x)                    ⇒  unsafe
/// ```
///
/// where `safe` is k-induction's: every property holds without a model error, no action hits a
/// model error and, when checked, no deadlock. Spacer answers the query `unsafe` with *unsat*
/// and an inductive invariant of `reach` that excludes every unsafe state (the proof), with
/// *sat* when an unsafe state is derivable (a refutation of the repeating model), or gives up.
package struct UnboundedProof: Sendable {
  package let model: IRModel
  package var options: SymbolicOptions
  /// The variables whose upper bound is removed (with their data-flow closure).
  package var seeds: [String]
  /// States of the repeating model observed to propose auxiliary invariants (0: none).
  package var miningStates: Int
  /// The mined states may reach sequence numbers up to `4 · miningHeadroom` above the lowered
  /// bound (two more invalidations each).
  package var miningHeadroom = 2
  /// The windows tried, in order, by the abstraction of the sequence numbers
  /// (`SequenceAbstraction`) before the Houdini and Spacer methods; empty: not tried.
  package var abstractionWindows = [4, 8]
  /// Gives up on an abstraction with more abstract states than this.
  package var abstractionStates = 200_000
  /// Whether to run the explicit engine on the scenario as lowered first: every run of it is
  /// a run of the repeating model, so its counterexample refutes the unbounded claim too.
  package var explicitFirst = true

  package init(
    model: IRModel, options: SymbolicOptions = .init(), seeds: [String],
    miningStates: Int = 100_000
  ) {
    self.model = model
    self.options = options
    self.seeds = seeds
    self.miningStates = miningStates
  }

  /// Tries to prove safety of the repeating, unbounded model.
  ///
  /// - Returns: `.holds` with `ProofStrength.unbounded` in `solver.proof`; `.inconclusive`
  ///   when Spacer refutes the repeating model (the notes say so: a failure is reachable), when
  ///   the model cannot be encoded with mathematical integers, or when Z3 gives up.
  package func run() -> Outcome {
    let clock = SymbolicClock()
    var report = SolverReport(
      engine: "unbounded (sequence abstraction, Houdini, Spacer)", z3Version: Z3Context.version,
      seed: options.seed)
    if let outcome = initialStateFailure(model, report: report) { return outcome }
    if explicitFirst {
      var explicit = ExplicitExplorer(model: model).run()
      if case .failed = explicit.verdict {
        report.notes.append(
          "refuted before any proof: the explicit engine finds this failure in the scenario as "
            + "lowered (each thread once), which is also a run of the repeating model")
        report.seconds = clock.seconds
        explicit.solver = report
        return explicit
      }
    }
    let repeating = RepeatingModel(model, seeds: seeds)
    report.notes.append(
      "the repeating model: \(repeating.repeatActions.count) threads repeat without bound; "
        + "\(repeating.relevant.count) of \(repeating.model.variables.count) variables relevant "
        + "to a property, guard or assertion; "
        + "\(repeating.unboundedAbove.count) integer variables unbounded above: "
        + unboundedNames(repeating))
    do {
      let context = Z3Context()
      let encoder = try SymbolicEncoder(
        model: repeating.model, context: context,
        integers: .mathematical(unboundedAbove: repeating.unboundedAbove))
      let relation = TransitionRelation(encoder: encoder)
      let fixedpoint = try Z3Fixedpoint(context: context)
      try fixedpoint.configureSpacer(
        timeoutMilliseconds: options.timeoutMilliseconds, randomSeed: options.seed)
      // The relation ranges over the relevant variables; the others never change (the slice
      // removed their assignments) and are pinned to their initial values in every clause.
      let variables = repeating.model.variables
      let kept = variables.indices.filter { repeating.relevant.contains(VarID($0)) }
      let all = try encoder.stepFrame(0).variables
      let current = kept.map { all[$0] }
      let initial = try variables.indices.map {
        try encoder.constant(variables[$0].initial, for: $0)
      }
      let pinned = try repeating.pinnedConstraint(encoder)
      if let outcome = try proveByAbstraction(
        repeating, relation, pinned: pinned, report: &report, clock: clock)
      {
        return outcome
      }
      // Auxiliary invariants: Houdini over candidates mined from explicit states of the
      // repeating model (with the unbounded variables' bound raised, so they cover more
      // repetitions), proved inductive on this encoding, so assuming them is sound. Candidates
      // over variables the slice pinned are left out (those are constants).
      var mining = repeating.model
      for v in repeating.unboundedAbove {
        let type = mining.variables[v.index].type
        mining.variables[v.index].type = .int(
          lo: type.lowerBound, hi: type.upperBound + 4 * miningHeadroom)
      }
      let states = InvariantMiner.reachable(mining, maxStates: miningStates)
      let candidates =
        (InvariantMiner.candidates(mining, maxStates: miningStates)
        + InvariantMiner.sequenceCandidates(
          mining, states: states, variables: repeating.unboundedAbove)).filter {
          $0.variables.allSatisfy(repeating.relevant.contains)
        }
      let (invariants, houdiniChecks) = try houdini(candidates, relation)
      report.checks += houdiniChecks
      report.notes.append(
        "auxiliary invariants: \(invariants.count) proved inductive of \(candidates.count) "
          + "candidates (Houdini), assumed in every clause")
      // The invariants and the properties may already be inductive together.
      let step = try inductiveStep(invariants, relation)
      report.checks += step.checks
      if step.escaping == nil {
        report.notes.append(
          "proof: the auxiliary invariants and safety are inductive together (1-induction)")
        return proved(.inductiveInvariants(count: invariants.count), repeating, report: &report, clock: clock)
      }
      report.notes.append(
        "not inductive with the auxiliary invariants alone (\(step.escaping ?? "")); Spacer "
          + "searches for the missing lemmas")
      let assumed = try context.and(invariants.map { try encoder.encode($0, at: 0) })
      let reach = try fixedpoint.relation("reach", sorts: current.map(\.sort))
      let unsafe = try fixedpoint.relation("unsafe", sorts: [])
      try fixedpoint.addRule(
        context.bool(true), implies: reach(kept.map { initial[$0] }), forAll: [])
      for encoding in try relation.firings(from: 0) {
        let body = try context.and([
          reach(current), pinned, assumed, encoding.enabled,
          context.not(encoding.hitsModelError),
        ])
        try fixedpoint.addRule(body, implies: reach(kept.map { encoding.next[$0] }), forAll: all)
      }
      let bad = try context.and([
        reach(current), pinned, assumed, context.not(relation.safe(at: 0)),
      ])
      try fixedpoint.addRule(bad, implies: unsafe([]), forAll: all)
      report.checks += 1
      let answer = try fixedpoint.query(unsafe([]))
      let statistics = (try? fixedpoint.statistics()) ?? []
      report.memoryMiB = statistics.first { $0.key == "max memory" }?.value ?? 0
      let levels = (try? fixedpoint.levels(of: reach)) ?? 0
      report.depth = levels
      report.notes.append(contentsOf: statisticsNotes(statistics))
      switch answer {
      case .unsat:
        let invariant = try fixedpoint.coverDelta(level: -1, of: reach)
        let lemmas = conjunctCount(invariant)
        return proved(.spacer(lemmas: lemmas, levels: levels), repeating, report: &report, clock: clock)
      case .sat:
        report.notes.append(
          "refuted: Spacer derives an unsafe state of the repeating model (a property false, "
            + "a model error or a deadlock is reachable); --engine explicit or bmc on the "
            + "scenario shows a counterexample when the failure needs no repetition")
        return symbolicOutcome(
          model, .inconclusive(reason: "not proved (unbounded): a failure is reachable"), nil,
          report: report, clock: clock)
      case .unknown(let why):
        throw SymbolicError.solverUnknown(why)
      }
    } catch {
      let reason: String
      if let symbolic = error as? SymbolicError, case .solverUnknown(let why) = symbolic.kind {
        reason = "not proved (unbounded): Z3 gave up (\(why))"
      } else {
        reason = "not proved (unbounded): \(error)"
      }
      return symbolicOutcome(
        model, .inconclusive(reason: reason), nil, report: report, clock: clock)
    }
  }

  /// The outcome of a proof of the repeating model with `certificate`.
  func proved(
    _ certificate: ProofCertificate, _ repeating: RepeatingModel, report: inout SolverReport,
    clock: SymbolicClock
  ) -> Outcome {
    report.proof = .unbounded(
      certificate, repeatingThreads: repeating.repeatActions.count,
      unboundedVariables: repeating.unboundedAbove.count)
    return symbolicOutcome(model, .holds, nil, report: report, clock: clock)
  }

  private func unboundedNames(_ repeating: RepeatingModel) -> String {
    let names = repeating.unboundedAbove.sorted().map { repeating.model.variables[$0.index].name }
    return names.isEmpty ? "none" : names.joined(separator: ", ")
  }

  /// The Spacer statistics worth printing (queries, lemmas, frames), in Z3's order.
  private func statisticsNotes(_ statistics: [Z3Solver.Statistic]) -> [String] {
    let shown = statistics.filter {
      $0.key.hasPrefix("SPACER") || $0.key == "time" || $0.key.hasPrefix("time.spacer")
    }
    guard !shown.isEmpty else { return [] }
    let text = shown.map { entry in
      let value =
        entry.value.rounded() == entry.value
        ? String(Int(entry.value)) : String((entry.value * 100).rounded() / 100)
      return "\(entry.key) \(value)"
    }
    return ["Spacer statistics: " + text.joined(separator: ", ")]
  }

  /// The number of top-level conjuncts of a formula (1 for a formula that is no conjunction).
  private func conjunctCount(_ term: Z3Term) -> Int {
    term.conjuncts.count
  }
}
