import ArgumentParser
import Explorer
import Foundation

/// The explicit engine's search options of `hmm-check check`.
struct SearchOptions: ParsableArguments {
  @Option(
    help:
      "Symmetry reduction over identical fault threads: on or off (refused for a model that is not symmetric)."
  )
  var symmetry: Switch = .off

  @Option(
    help:
      "Partial-order reduction from the actions' footprints: on or off (not combined with symmetry; a counterexample is the unreduced search's)."
  )
  var por: Switch = .off

  @Option(
    help:
      "Threads generating successors (default: all cores); the verdict and the counterexample do not depend on it."
  )
  var threads: Int?

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
  }

  /// Applies the options to the engine's options.
  func apply(to options: inout ExplorationOptions) {
    options.symmetry = symmetry == .on
    options.partialOrder = por == .on
    options.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
  }
}

/// `on` or `off`.
enum Switch: String, ExpressibleByArgument, Sendable {
  case on, off
}
