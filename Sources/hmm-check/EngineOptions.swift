import ArgumentParser
import Explorer
import Report

extension EngineChoice: ExpressibleByArgument {}

/// `--engine`, `--depth`, `--solver-timeout`, `--seed` and `--unbounded` of `hmm-check check`.
struct EngineOptions: ParsableArguments {
  @Option(
    help: """
      explicit (every reachable state), bmc (Z3, runs of at most --depth steps), induction \
      (Z3 k-induction, k up to --depth), or all (the three, compared).
      """)
  var engine: EngineChoice = .explicit

  @Option(help: "The BMC depth and the largest k tried by induction.")
  var depth: Int = 30

  @Option(help: "Give up a Z3 check after this many seconds (inconclusive, exit 153).")
  var solverTimeout: Double?

  @Option(help: "Z3's random seed (printed in every report).")
  var seed: UInt32 = 0

  @Flag(
    help: """
      With --engine induction: prove the scenario with every thread repeating without bound \
      and the sequence numbers unbounded (mined invariants, then 1-induction or Spacer), \
      instead of k-induction on the model as lowered.
      """)
  var unbounded = false

  func validate() throws {
    if unbounded && engine != .induction {
      throw ValidationError("--unbounded needs --engine induction")
    }
    if depth < 0 { throw ValidationError("--depth must be at least 0") }
    if let solverTimeout, !(solverTimeout > 0) {
      throw ValidationError("--solver-timeout must be positive")
    }
  }

  /// Copies the selection into the check's options.
  func apply(to options: inout CheckOptions) {
    options.engines.engine = engine
    options.engines.symbolic = SymbolicOptions(
      depth: depth, solverTimeoutSeconds: solverTimeout, seed: seed)
    options.engines.symbolic.sequenceCounters = EngineSelection.sequenceCounters
    if unbounded { options.engines.symbolic.unboundedSeeds = EngineSelection.sequenceCounters }
  }
}
