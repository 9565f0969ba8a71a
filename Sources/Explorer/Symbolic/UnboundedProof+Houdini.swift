internal import HMMModel

extension UnboundedProof {
  /// The largest subset of `candidates` that holds initially and is preserved by every action
  /// (Houdini), checked one action at a time: `S ∧ domain ∧ enabledₐ ∧ ¬errorₐ ∧ x' = nextₐ(x)
  /// → S'`. Per-action questions are much smaller than one over the whole transition relation,
  /// and a sweep over every action that drops nothing ends the search.
  ///
  /// - Returns: the invariants and the number of solver checks made.
  /// - Throws: `SymbolicError.solverUnknown` when Z3 gives up.
  /// - Complexity: one check per action per sweep; each sweep but the last drops a candidate.
  func houdini(_ candidates: [InvariantCandidate], _ relation: TransitionRelation) throws
    -> ([InvariantCandidate], Int)
  {
    let encoder = relation.encoder
    let context = encoder.context
    var checks = 0
    var alive = candidates
    let initial = try Z3Solver(context: context)
    try initial.configure(
      timeoutMilliseconds: options.timeoutMilliseconds, randomSeed: options.seed)
    try initial.assert(encoder.initial(at: 0))
    checks += 1
    guard case .sat = try initial.check() else {
      throw SymbolicError.inconsistent("the initial state is unsatisfiable")
    }
    let start = try initial.model()
    alive = try alive.filter { try start.evalBool(encoder.encode($0, at: 0)) == true }
    let solver = try Z3Solver(context: context)
    try solver.configure(timeoutMilliseconds: options.timeoutMilliseconds, randomSeed: options.seed)
    try solver.assert(encoder.domain(at: 0))
    let firings = try relation.firings(from: 0)
    var dropped = true
    while dropped && !alive.isEmpty {
      dropped = false
      for encoding in firings where !alive.isEmpty {
        checks += 1
        if let kept = try houdiniRound(
          alive, encoder, solver, extra: encoder.transition(encoding))
        {
          alive = kept
          dropped = true
        }
      }
    }
    return (alive, checks)
  }
}

extension UnboundedProof {
  /// Whether `invariants ∧ safe` is inductive (1-induction): the initial state is safe, and,
  /// one action at a time, no action leads from a safe state satisfying the invariants
  /// (inside the domains) to an unsafe one.
  ///
  /// - Returns: nil when it is inductive (a proof), else the name of an action that leaves
  ///   the safe states; and the number of solver checks made.
  /// - Throws: `SymbolicError.solverUnknown` when Z3 gives up.
  func inductiveStep(_ invariants: [InvariantCandidate], _ relation: TransitionRelation) throws
    -> (escaping: String?, checks: Int)
  {
    let encoder = relation.encoder
    let context = encoder.context
    // Base: the initial state is safe.
    let base = try Z3Solver(context: context)
    try base.configure(timeoutMilliseconds: options.timeoutMilliseconds, randomSeed: options.seed)
    try base.assert(encoder.initial(at: 0))
    try base.assert(context.not(relation.safe(at: 0)))
    switch try base.check() {
    case .unsat: break
    case .sat: return ("the initial state", 1)
    case .unknown(let why): throw SymbolicError.solverUnknown(why)
    }
    let solver = try Z3Solver(context: context)
    try solver.configure(timeoutMilliseconds: options.timeoutMilliseconds, randomSeed: options.seed)
    try solver.assert(encoder.domain(at: 0))
    try solver.assert(context.and(invariants.map { try encoder.encode($0, at: 0) }))
    try solver.assert(relation.safe(at: 0))
    try solver.assert(context.not(relation.safe(at: 1)))
    var checks = 1
    for encoding in try relation.firings(from: 0) {
      try solver.push()
      try solver.assert(encoder.transition(encoding))
      checks += 1
      let result = try solver.check()
      try solver.pop()
      switch result {
      case .unsat: continue
      case .sat: return (relation.model.actions[encoding.action].name, checks)
      case .unknown(let why): throw SymbolicError.solverUnknown(why)
      }
    }
    return (nil, checks)
  }
}
