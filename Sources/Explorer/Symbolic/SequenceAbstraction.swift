internal import HMMModel

/// A finite abstraction of the repeating model's states (`RepeatingModel`) that forgets how
/// far the unbounded sequence numbers have grown and keeps everything else.
///
/// A concrete state maps to an `AbstractState`:
/// - every relevant bounded variable (program counters, locks, page and device state): its
///   exact value;
/// - the *reference* sequence variable `r` (the mm's `invalidate_seq`, which no other
///   sequence number exceeds in the protocol): its exact value below `exactBelow`, else only
///   its parity;
/// - every other sequence variable `v` (unbounded in the repeating model): `0` exactly (a
///   sequence copy not taken yet), or its distance `v - r` when that lies within `±window`,
///   else which side it is on and its parity (an old copy, compared with the others by order
///   only);
/// - for every pair of distant variables on the same side: their order.
///
/// `concretization` is the exact set of concrete states that map to an abstract one, as a Z3
/// formula, so an abstract state is a cube of the proof's invariant; the abstraction is a
/// function of the concrete state, so the cubes are disjoint.
struct SequenceAbstraction {
  /// Where an unbounded variable lies relative to the reference.
  enum Position: Hashable {
    case zero
    case near(Int)
    case below(parity: Int)
    case above(parity: Int)
  }

  /// One abstract state.
  struct AbstractState: Hashable {
    /// The exact values of `exact`'s variables, in order.
    var values: [Int]
    /// The reference's value when below `exactBelow`; else `exactBelow + parity`, which
    /// stands for "at least `exactBelow`, with this parity".
    var reference: Int
    /// The position of each of `sequences`' variables.
    var positions: [Position]
    /// For each pair `i < j` of `sequences` (row-major): the sign of `v_i - v_j` when both are
    /// distant on the same side, else 2.
    var order: [Int8]
  }

  let model: IRModel
  /// The relevant bounded variables, kept exactly.
  let exact: [Int]
  /// The reference sequence variable.
  let reference: Int
  /// The other relevant sequence variables.
  let sequences: [Int]
  /// Distances `-window...window` from the reference are kept exactly.
  let window: Int
  /// Reference values below this are kept exactly.
  let exactBelow: Int

  /// The abstraction of `model` with the `sequences` variables relative to `reference`.
  ///
  /// - Precondition: `reference` is in `sequences`, and every variable not in `relevant` is
  ///   constant in `model` (the slice of `RepeatingModel`).
  init(
    model: IRModel, relevant: Set<VarID>, sequences: Set<VarID>, reference: VarID, window: Int
  ) {
    precondition(sequences.contains(reference), "the reference must be a sequence variable")
    self.model = model
    self.reference = reference.index
    let kept = relevant.sorted().map(\.index)
    exact = kept.filter { !sequences.contains(VarID($0)) }
    self.sequences = kept.filter { sequences.contains(VarID($0)) && $0 != reference.index }
    self.window = window
    let initials = sequences.map { model.variables[$0.index].initial }
    exactBelow = (initials.max() ?? 0) + 2
  }

  /// The abstract state of the concrete `state` (indexed by `VarID.index`).
  func abstract(_ state: [Int]) -> AbstractState {
    let r = state[reference]
    let positions = sequences.map { v -> Position in
      let value = state[v]
      if value == 0 { return .zero }
      let distance = value - r
      if distance < -window { return .below(parity: value & 1) }
      if distance > window { return .above(parity: value & 1) }
      return .near(distance)
    }
    var order: [Int8] = []
    for i in sequences.indices {
      for j in sequences.indices where j > i {
        switch (positions[i], positions[j]) {
        case (.below, .below), (.above, .above):
          let a = state[sequences[i]]
          let b = state[sequences[j]]
          order.append(a < b ? -1 : a == b ? 0 : 1)
        default: order.append(2)
        }
      }
    }
    return AbstractState(
      values: exact.map { state[$0] },
      reference: r < exactBelow ? r : exactBelow + (r & 1),
      positions: positions, order: order)
  }

  /// The concrete states at step `k` whose abstraction is `abstract`.
  func concretization(_ abstract: AbstractState, _ encoder: SymbolicEncoder, at k: Int) throws
    -> Z3Term
  {
    let context = encoder.context
    let values = try encoder.stepFrame(k).values
    func value(_ v: Int) throws -> Z3Term { try encoder.asInt(values[v]) }
    func parity(_ term: Z3Term, _ p: Int) throws -> Z3Term {
      try context.eq(context.intEuclideanMod(term, encoder.number(2)), encoder.number(p))
    }
    var conjuncts: [Z3Term] = []
    for (i, v) in exact.enumerated() {
      conjuncts.append(try context.eq(value(v), encoder.number(abstract.values[i])))
    }
    let r = try value(reference)
    if abstract.reference < exactBelow {
      conjuncts.append(try context.eq(r, encoder.number(abstract.reference)))
    } else {
      conjuncts.append(try context.intGreaterOrEqual(r, encoder.number(exactBelow)))
      conjuncts.append(try parity(r, abstract.reference - exactBelow))
    }
    let zero = try encoder.number(0)
    for (i, v) in sequences.enumerated() {
      let x = try value(v)
      let distance = try context.intSub(x, r)
      switch abstract.positions[i] {
      case .zero:
        conjuncts.append(try context.eq(x, zero))
        continue
      case .near(let d):
        conjuncts.append(try context.eq(distance, encoder.number(d)))
      case .below(let p):
        conjuncts.append(try context.intLess(distance, encoder.number(-window)))
        conjuncts.append(try parity(x, p))
      case .above(let p):
        conjuncts.append(try context.intGreater(distance, encoder.number(window)))
        conjuncts.append(try parity(x, p))
      }
      conjuncts.append(try context.not(context.eq(x, zero)))
    }
    var pair = 0
    for i in sequences.indices {
      for j in sequences.indices where j > i {
        defer { pair += 1 }
        let a = try value(sequences[i])
        let b = try value(sequences[j])
        switch abstract.order[pair] {
        case -1: conjuncts.append(try context.intLess(a, b))
        case 0: conjuncts.append(try context.eq(a, b))
        case 1: conjuncts.append(try context.intGreater(a, b))
        default: break
        }
      }
    }
    return try context.and(conjuncts)
  }

  /// The abstract state for people: the sequence variables relative to the reference (the
  /// bounded variables are shown by the caller's trace rendering).
  func describeSequences(_ abstract: AbstractState) -> String {
    func name(_ v: Int) -> String { model.variables[v].name }
    let r =
      abstract.reference < exactBelow
      ? "\(name(reference)) = \(abstract.reference)"
      : "\(name(reference)) ≥ \(exactBelow), "
        + (abstract.reference - exactBelow == 1 ? "odd" : "even")
    var parts = [r]
    for (i, v) in sequences.enumerated() {
      switch abstract.positions[i] {
      case .zero: parts.append("\(name(v)) = 0")
      case .near(let d):
        parts.append("\(name(v)) = \(name(reference))" + (d == 0 ? "" : d > 0 ? " + \(d)" : " - \(-d)"))
      case .below(let p):
        parts.append("\(name(v)) < \(name(reference)) - \(window), \(p == 1 ? "odd" : "even")")
      case .above(let p):
        parts.append("\(name(v)) > \(name(reference)) + \(window), \(p == 1 ? "odd" : "even")")
      }
    }
    return parts.joined(separator: "; ")
  }
}
