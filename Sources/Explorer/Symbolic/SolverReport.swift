/// Options shared by the Z3 engines (bounded model checking and k-induction).
package struct SymbolicOptions: Sendable, Equatable {
  /// The largest number of steps examined (BMC depth; the largest k tried by induction).
  package var depth: Int
  /// A limit for each Z3 check in seconds; reaching it ends the run as `inconclusive`.
  package var solverTimeoutSeconds: Double?
  /// Z3's `random_seed`, printed in every report so a run can be repeated.
  package var seed: UInt32
  /// Width of the bit-vectors that encode integers; nil: derived from the model
  /// (`SymbolicWidth`).
  package var bitWidth: Int?
  /// One incremental solver for the whole unrolling (`true`), or a fresh solver for each
  /// question, which lets Z3 bit-blast the bit-vectors (`false`, usually faster).
  package var incremental: Bool = false
  /// For induction: prove the repeating model (`UnboundedProof`) with these variables
  /// unbounded above, instead of k-induction on the model as lowered; nil: k-induction.
  package var unboundedSeeds: [String]? = nil
  /// The model's sequence counters, most important first (the mm's `invalidate_seq`): with
  /// them, k-induction first tries a `SequenceAbstraction` of the model as lowered; empty:
  /// k-induction alone.
  package var sequenceCounters: [String] = []

  package init(
    depth: Int = 30, solverTimeoutSeconds: Double? = nil, seed: UInt32 = 0, bitWidth: Int? = nil
  ) {
    self.depth = depth
    self.solverTimeoutSeconds = solverTimeoutSeconds
    self.seed = seed
    self.bitWidth = bitWidth
  }

  var timeoutMilliseconds: Int? { solverTimeoutSeconds.map { Int(($0 * 1000).rounded(.up)) } }
}

/// How strong a `holds` verdict of a Z3 engine is.
package enum ProofStrength: Sendable, Equatable {
  /// No proof (a failure, a bounded result, or an inconclusive run).
  case none
  /// Every property (and freedom from model errors and, when checked, deadlock) holds for runs
  /// of every length of the model as lowered, with its bounded domains; `certificate` says
  /// what the proof is (k-induction or a closed abstraction).
  case allDepths(ProofCertificate)
  /// Every property (and freedom from model errors and, when checked, deadlock) holds for the
  /// repeating model (`RepeatingModel`): runs of every length in which each thread repeats
  /// any number of times, with `unboundedVariables` integers unbounded above. `certificate`
  /// says what the inductive invariant is.
  case unbounded(ProofCertificate, repeatingThreads: Int, unboundedVariables: Int)
}

/// What a proof for all depths rests on.
package enum ProofCertificate: Sendable, Equatable {
  /// k-induction with `auxiliaryInvariants` invariants found by Houdini.
  case kInduction(k: Int, auxiliaryInvariants: Int)
  /// A closed `SequenceAbstraction`: the union of `states` abstract states (sequence numbers
  /// kept within `window` of the reference) is inductive and safe, each step checked by Z3.
  case abstraction(states: Int, window: Int)
  /// `count` auxiliary invariants (Houdini) that are inductive together with safety.
  case inductiveInvariants(count: Int)
  /// Spacer's invariant of `lemmas` conjuncts after `levels` frames.
  case spacer(lemmas: Int, levels: Int)

  /// The certificate in a few words.
  package var summary: String {
    switch self {
    case .kInduction(let k, let n): "k-induction, k = \(k), \(n) auxiliary invariants"
    case .abstraction(let states, let window):
      "a closed abstraction of \(states) abstract states (sequence numbers within \(window) of the mm's)"
    case .inductiveInvariants(let count): "\(count) auxiliary invariants, inductive with safety"
    case .spacer(let lemmas, let levels): "Spacer: \(lemmas) invariant lemmas, \(levels) frames"
    }
  }
}

/// What a Z3 engine reports besides the verdict: enough to repeat and judge the run.
package struct SolverReport: Sendable, Equatable {
  /// `bmc` or `k-induction`.
  package var engine: String
  package var z3Version: String
  package var seed: UInt32
  /// Wall-clock seconds spent in the engine (encoding and solving).
  package var seconds: Double
  /// Z3's peak memory in MiB (its `max memory` statistic).
  package var memoryMiB: Double
  /// Number of solver checks made.
  package var checks: Int
  /// The deepest step encoded.
  package var depth: Int
  package var proof: ProofStrength
  /// Lines for people: why a proof failed, the counterexample to induction, the invariants.
  package var notes: [String]

  package init(
    engine: String, z3Version: String, seed: UInt32, seconds: Double = 0, memoryMiB: Double = 0,
    checks: Int = 0, depth: Int = 0, proof: ProofStrength = .none, notes: [String] = []
  ) {
    self.engine = engine
    self.z3Version = z3Version
    self.seed = seed
    self.seconds = seconds
    self.memoryMiB = memoryMiB
    self.checks = checks
    self.depth = depth
    self.proof = proof
    self.notes = notes
  }
}
