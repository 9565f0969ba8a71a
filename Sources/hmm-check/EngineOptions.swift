import ArgumentParser
import Explorer
import Report

extension EngineChoice: ExpressibleByArgument {}

/// `--engine`, `--depth`, `--solver-timeout` and `--seed` of `hmm-check check`.
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

  func validate() throws {
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
  }
}
