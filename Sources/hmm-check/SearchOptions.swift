import ArgumentParser
import Explorer

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

  /// Applies the options to the engine's options.
  func apply(to options: inout ExplorationOptions) {
    options.symmetry = symmetry == .on
    options.partialOrder = por == .on
  }
}

/// `on` or `off`.
enum Switch: String, ExpressibleByArgument, Sendable {
  case on, off
}
