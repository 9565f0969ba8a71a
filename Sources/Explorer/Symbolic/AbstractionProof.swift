internal import HMMModel

/// What exploring a `SequenceAbstraction` with Z3 found.
enum AbstractionResult {
  /// Every abstract state reachable from the initial one is safe and none has a successor
  /// outside the set: the union of their concretizations is an inductive invariant that
  /// excludes every unsafe state (a proof for runs of any length).
  case closed(states: Int)
  /// An abstract state with an unsafe concrete state is reachable along `path` (action
  /// indices of the repeating model from the initial state); `failure` says what fails.
  /// The path may be spurious (the abstraction over-approximates).
  case unsafe(path: [Int], failure: String)
  /// More than the allowed number of abstract states.
  case tooLarge(states: Int)
}

/// Proves safety of a model (the repeating model, or a scenario as lowered) by exploring a
/// `SequenceAbstraction` of it with Z3, for each of `windows` in turn.
struct AbstractionProof {
  /// The system explored, sliced (`RepeatingModel.model`).
  let model: IRModel
  /// What `model` is, for the notes ("the repeating model").
  let role: String
  let relevant: Set<VarID>
  /// The variables kept relative to `reference`.
  let sequences: Set<VarID>
  let reference: VarID
  let options: SymbolicOptions
  var windows = [4, 8]
  /// Gives up on an abstraction with more abstract states than this.
  var maxStates = 200_000

  /// What the abstraction decided.
  enum Decision {
    /// Closed: safe for runs of every length.
    case proved(states: Int, window: Int)
    /// A real run of `model` (action indices) ends in a state where `failure`.
    case refuted(path: [Int], failure: String)
    /// Nothing decided (the notes say why).
    case undecided
  }

  /// Explores the abstraction with each window until one decides; notes, checks and memory go
  /// into `report`.
  ///
  /// - Throws: `SymbolicError.solverUnknown` when Z3 gives up.
  func run(
    _ relation: TransitionRelation, pinned: Z3Term, report: inout SolverReport,
    clock: SymbolicClock
  ) throws -> Decision {
    let name = model.variables[reference.index].name
    for window in windows {
      let abstraction = SequenceAbstraction(
        model: model, relevant: relevant, sequences: sequences, reference: reference,
        window: window)
      let started = clock.seconds
      let result = try explore(abstraction, relation, pinned: pinned, report: &report)
      let seconds = String(((clock.seconds - started) * 10).rounded() / 10)
      switch result {
      case .closed(let states):
        report.notes.append(
          "proof: the abstraction of the sequence numbers relative to \(name) (window "
            + "\(window)) closes after \(states) abstract states in \(seconds) s; every abstract "
            + "step and the safety of every abstract state were checked by Z3 over all of its "
            + "concrete states")
        return .proved(states: states, window: window)
      case .unsafe(let path, let failure):
        if try isFeasible(path, relation, checks: &report.checks) {
          report.notes.append(
            "refuted: \(role) reaches a state where \(failure) after "
              + "\(path.count) steps: " + path.map { model.actions[$0].name }.joined(separator: " → "))
          return .refuted(path: path, failure: failure)
        }
        report.notes.append(
          "abstraction (window \(window)): an abstract state where \(failure) is reachable "
            + "in \(path.count) abstract steps, but no concrete run follows them (spurious, "
            + "\(seconds) s)")
      case .tooLarge(let states):
        report.notes.append(
          "abstraction (window \(window)): more than \(states - 1) abstract states, given up "
            + "after \(seconds) s")
        return .undecided
      }
    }
    return .undecided
  }

  /// Explores `abstraction` of the model breadth-first, computing every abstract
  /// state's successors with Z3 over **all** of its concrete states: for each action, Z3 is
  /// asked for a successor of the abstract state whose abstraction is not yet excluded; each
  /// answer's abstraction is recorded and excluded, until Z3 answers *unsat*. Each abstract
  /// state is also checked safe with Z3 (every property, no model error, no deadlock when
  /// checked), over all of its concrete states.
  ///
  /// When the exploration closes, every reachable concrete state lies in one of the explored
  /// abstract states (induction over runs: the initial state does, and Z3 showed that every
  /// action from any concrete state of an explored abstract state lands in an explored one),
  /// and every such state is safe. Nothing about the abstraction has to be trusted beyond the
  /// encoding: a coarse abstraction can only make the exploration fail, never succeed wrongly.
  ///
  /// - Parameters:
  ///   - pinned: the constraint that keeps the sliced-away variables at their initial values.
  ///   - report: gets the number of solver checks made and Z3's peak memory.
  /// - Throws: `SymbolicError.solverUnknown` when Z3 gives up.
  private func explore(
    _ abstraction: SequenceAbstraction, _ relation: TransitionRelation, pinned: Z3Term,
    report: inout SolverReport
  ) throws -> AbstractionResult {
    let encoder = relation.encoder
    let context = encoder.context
    let model = relation.model
    let solver = try Z3Solver(context: context)
    try solver.configure(timeoutMilliseconds: options.timeoutMilliseconds, randomSeed: options.seed)
    defer { report.memoryMiB = max(report.memoryMiB, solver.peakMemoryMiB()) }
    try solver.assert(encoder.domain(at: 0))
    try solver.assert(pinned)
    let unsafeNow = try context.not(relation.safe(at: 0))
    let firings = try relation.firings(from: 0)
    let transitions = try firings.map { try encoder.transition($0) }
    // Where each thread's pc is among the exactly kept variables.
    let pcSlot = model.threads.map { thread in abstraction.exact.firstIndex(of: thread.pc.index) }

    let initial = abstraction.abstract(model.initialValues)
    // The proof rests on the initial state lying in the first abstract state: checked, not
    // assumed.
    try solver.push()
    try solver.assert(encoder.initial(at: 0))
    try solver.assert(context.not(abstraction.concretization(initial, encoder, at: 0)))
    report.checks += 1
    guard case .unsat = try solver.check() else {
      throw SymbolicError.inconsistent("the initial state is not in its abstract state")
    }
    try solver.pop()
    // Each abstract state keeps one concrete state of it (a representative), stepped by the
    // explicit engine. An action that neither reads nor writes a sequence variable sees only
    // variables the abstract state fixes exactly, so the representative's step is every
    // concrete state's step: its successor's abstract state, its enabledness and its model
    // errors are exact without Z3; so is a property that reads no sequence variable. Z3
    // handles the rest over all concrete states, and the representative's successors are
    // excluded up front (usually one check per such action).
    var wide = model
    for v in abstraction.sequences + [abstraction.reference] {
      wide.variables[v].type = .int(lo: wide.variables[v].type.lowerBound, hi: 1 << 24)
    }
    let explicit = ExplicitExplorer(model: wide)
    let sequenceVariables = Set((abstraction.sequences + [abstraction.reference]).map(VarID.init))
    let touchesSequence = model.actions.map {
      !sequenceVariables.isDisjoint(with: $0.reads) || !sequenceVariables.isDisjoint(with: $0.writes)
    }
    var sequenceBad: [Z3Term] = []
    for property in model.properties {
      var reads = Set<VarID>()
      property.expr.collectReads(into: &reads)
      guard !sequenceVariables.isDisjoint(with: reads) else { continue }
      let evaluation = try encoder.evaluate(property.expr, at: 0)
      sequenceBad.append(try context.not(encoder.asBool(evaluation.value)))
      sequenceBad.append(contentsOf: evaluation.errors.map(\.condition))
    }
    let deadlockNow = try relation.deadlock(at: 0)
    var states = [initial]
    var representatives = [model.initialValues]
    var index = [initial: 0]
    var parent: [(state: Int, action: Int)] = [(-1, -1)]
    func record(
      _ successor: SequenceAbstraction.AbstractState, _ concrete: [Int], from: Int, by action: Int
    ) {
      guard index[successor] == nil else { return }
      index[successor] = states.count
      states.append(successor)
      representatives.append(concrete)
      parent.append((from, action))
    }
    func path(to state: Int) -> [Int] {
      var actions: [Int] = []
      var at = state
      while parent[at].state >= 0 {
        actions.append(parent[at].action)
        at = parent[at].state
      }
      return actions.reversed()
    }

    var next = 0
    while next < states.count {
      let current = states[next]
      let representative = representatives[next]
      // The actions of threads whose pc the abstract state fixes at their fromPC.
      let candidates = firings.indices.filter { e in
        let action = model.actions[firings[e].action]
        guard let slot = pcSlot[action.thread] else { return true }
        return current.values[slot] == action.fromPC
      }
      // A representative the explicit engine cannot step (a Z3 model may pick numbers beyond
      // the widened domain) leaves everything to Z3.
      let stepped = explicit.wordsPerState > 0 && wide.variables.indices.allSatisfy {
        wide.variables[$0].type.contains(representative[$0])
      }
      var symbolic = stepped ? candidates.filter { touchesSequence[firings[$0].action] } : candidates
      var fullSafety = !stepped || !explicit.propertiesHold(in: representative)
      var sequenceFreeEnabled = false
      var proposed: [Int: [SequenceAbstraction.AbstractState]] = [:]
      if stepped {
        for (action, after) in explicit.successors(of: representative) {
          if !touchesSequence[action] {
            sequenceFreeEnabled = true
            if after == nil { fullSafety = true }
          }
          guard let after else { continue }
          let successor = abstraction.abstract(after)
          record(successor, after, from: next, by: action)
          proposed[action, default: []].append(successor)
        }
      }
      var unsafe: [Z3Term] = []
      if fullSafety {
        unsafe = [unsafeNow]
        symbolic = candidates
      } else {
        unsafe = sequenceBad + symbolic.map { firings[$0].hitsModelError }
        if model.checkDeadlock && !sequenceFreeEnabled { unsafe.append(deadlockNow) }
      }
      // Nothing left for Z3: every step and property of this abstract state was exact.
      if unsafe.isEmpty && symbolic.isEmpty {
        next += 1
        if states.count > maxStates { return .tooLarge(states: states.count) }
        continue
      }
      try solver.push()
      try solver.assert(abstraction.concretization(current, encoder, at: 0))
      if !unsafe.isEmpty {
        try solver.push()
        try solver.assert(context.or(unsafe))
        report.checks += 1
        switch try solver.check() {
        case .unsat:
          if fullSafety && stepped {
            throw SymbolicError.inconsistent(
              "the explicit engine finds a failure in an abstract state that Z3 finds safe")
          }
        case .sat:
          let failure = try describeUnsafe(relation, firings, solver.model())
          return .unsafe(path: path(to: next), failure: failure)
        case .unknown(let why): throw SymbolicError.solverUnknown(why)
        }
        try solver.pop()
      }
      for e in symbolic {
        let action = firings[e].action
        try solver.push()
        try solver.assert(transitions[e])
        for successor in proposed[action] ?? [] {
          try solver.assert(context.not(abstraction.concretization(successor, encoder, at: 1)))
        }
        searching: while true {
          report.checks += 1
          switch try solver.check() {
          case .unsat: break searching
          case .sat:
            let z3Model = try solver.model()
            guard let after = try encoder.concreteState(at: 1, in: z3Model) else {
              throw SymbolicError.inconsistent("the Z3 model leaves the successor open")
            }
            let successor = abstraction.abstract(after)
            let block = try abstraction.concretization(successor, encoder, at: 1)
            // Excluding a successor must exclude this one, or the search would not end.
            guard try z3Model.evalBool(block) == true else {
              throw SymbolicError.inconsistent("a state is not in its own abstract state")
            }
            record(successor, after, from: next, by: action)
            try solver.assert(context.not(block))
          case .unknown(let why): throw SymbolicError.solverUnknown(why)
          }
        }
        try solver.pop()
      }
      try solver.pop()
      next += 1
      if states.count > maxStates { return .tooLarge(states: states.count) }
    }
    return .closed(states: states.count)
  }

  /// What fails in the state at step 0 of `z3Model`: a property, a deadlock or an action's
  /// model error.
  private func describeUnsafe(
    _ relation: TransitionRelation, _ firings: [ActionEncoding], _ z3Model: Z3Model
  ) throws -> String {
    let model = relation.model
    if let failure = try relation.failingProperty(at: 0, in: z3Model) {
      switch failure {
      case .property(let index): return "\(model.properties[index].name) is false"
      case .modelError(let message): return "a property hits a model error (\(message))"
      case .deadlock: return "deadlock"
      }
    }
    for encoding in firings where try z3Model.evalBool(encoding.hitsModelError) == true {
      let message =
        try encoding.errors.first { try z3Model.evalBool($0.condition) == true }?.kind
        .description ?? "a model error"
      return "\(model.actions[encoding.action].name) hits a model error (\(message))"
    }
    return "deadlock"
  }

  /// Whether the abstract `path` is a real run of the model that ends in an unsafe state:
  /// bounded model checking along exactly these actions.
  ///
  /// - Throws: `SymbolicError.solverUnknown` when Z3 gives up.
  private func isFeasible(_ path: [Int], _ relation: TransitionRelation, checks: inout Int) throws -> Bool
  {
    let encoder = relation.encoder
    let solver = try Z3Solver(context: encoder.context)
    try solver.configure(timeoutMilliseconds: options.timeoutMilliseconds, randomSeed: options.seed)
    try solver.assert(encoder.initial(at: 0))
    for (k, action) in path.enumerated() {
      try solver.assert(encoder.transition(encoder.actionFires(action, from: k)))
    }
    try solver.assert(encoder.context.not(relation.safe(at: path.count)))
    checks += 1
    switch try solver.check() {
    case .sat: return true
    case .unsat: return false
    case .unknown(let why): throw SymbolicError.solverUnknown(why)
    }
  }
}

extension UnboundedProof {
  /// Method 1 of `run()`: explores the abstraction with each of `abstractionWindows` in turn.
  ///
  /// - Returns: the outcome when the abstraction proves the repeating model safe (`.holds`) or
  ///   finds a real failure of it (`.inconclusive`, since the failure needs repetitions the
  ///   scenario as lowered does not have); nil when it decides nothing (the notes say why),
  ///   so the next method runs.
  /// - Throws: `SymbolicError.solverUnknown` when Z3 gives up.
  func proveByAbstraction(
    _ repeating: RepeatingModel, _ relation: TransitionRelation, pinned: Z3Term,
    report: inout SolverReport, clock: SymbolicClock
  ) throws -> Outcome? {
    guard !abstractionWindows.isEmpty else { return nil }
    guard let reference = repeating.sequenceReference(seeds) else {
      report.notes.append("abstraction of the sequence numbers: no unbounded reference variable")
      return nil
    }
    var proof = AbstractionProof(
      model: repeating.model, role: "the repeating model", relevant: repeating.relevant,
      sequences: repeating.unboundedAbove, reference: reference, options: options)
    proof.windows = abstractionWindows
    proof.maxStates = abstractionStates
    switch try proof.run(relation, pinned: pinned, report: &report, clock: clock) {
    case .proved(let states, let window):
      return proved(.abstraction(states: states, window: window), repeating, report: &report, clock: clock)
    case .refuted:
      return symbolicOutcome(
        model, .inconclusive(reason: "not proved (unbounded): a failure is reachable"), nil,
        report: report, clock: clock)
    case .undecided:
      return nil
    }
  }
}

extension RepeatingModel {
  /// The first of `seeds` that names a relevant variable of `sequences` (by default the
  /// unbounded ones): the reference of a `SequenceAbstraction`.
  func sequenceReference(_ seeds: [String], among sequences: Set<VarID>? = nil) -> VarID? {
    let names = model.variables.map(\.name)
    let candidates = sequences ?? unboundedAbove
    return seeds.lazy.compactMap { names.firstIndex(of: $0) }.map(VarID.init)
      .first { candidates.contains($0) && relevant.contains($0) }
  }

  /// Every variable outside the slice has its initial value at step 0.
  func pinnedConstraint(_ encoder: SymbolicEncoder) throws -> Z3Term {
    let all = try encoder.stepFrame(0).variables
    return try encoder.context.and(
      model.variables.indices.filter { !relevant.contains(VarID($0)) }.map {
        try encoder.context.eq(all[$0], encoder.constant(model.variables[$0].initial, for: $0))
      })
  }
}
