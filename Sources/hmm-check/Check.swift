import ArgumentParser
import Explorer
import Foundation
import HMMModel
import Report

/// `hmm-check check [PATH...]`.
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check every scenario of the given specs (default: the shipped Specs/).")

  @Argument(help: "Spec files or directories of .hmm files.")
  var paths: [String] = []

  @Option(help: "Check only the scenario with this name.")
  var scenario: String?

  @Option(help: "Stop after this many distinct states (inconclusive).")
  var maxStates: Int?

  @Option(help: "Stop when the search uses more memory than this (e.g. 512M, 4G).")
  var maxMemory: String?

  @Option(help: "Stop after this many seconds (inconclusive).")
  var timeLimit: Double?

  @Flag(help: "Store whole states instead of 64-bit fingerprints.")
  var exact = false

  @OptionGroup var search: SearchOptions

  @Flag(help: "Keep steps that touch only one thread's own variables as separate states.")
  var noCompress = false

  @OptionGroup(title: "Reports") var report: ReportOptions
  @OptionGroup(title: "Engines") var engines: EngineOptions

  func validate() throws {
    if let maxStates, maxStates < 1 { throw ValidationError("--max-states must be at least 1") }
    if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be positive") }
    if let maxMemory, ByteSize.parse(maxMemory) == nil {
      throw ValidationError("--max-memory takes a size such as 512M or 4G, not '\(maxMemory)'")
    }
  }

  func run() throws {
    var options = CheckOptions()
    options.scenario = scenario
    options.exploration = ExplorationOptions(
      limits: ExplorationLimits(
        maxStates: maxStates, maxMemoryBytes: maxMemory.flatMap(ByteSize.parse),
        timeLimitSeconds: timeLimit),
      exact: exact)
    search.apply(to: &options.exploration)
    options.lowering = LoweringOptions(compressLocalSteps: !noCompress)
    engines.apply(to: &options)
    let status = CheckCommand.run(
      paths: paths.isEmpty ? ["Specs"] : paths, options: options, z3Version: Z3Context.version,
      outputs: report.outputs, output: { print($0, terminator: "") }, errors: printError,
      shouldStop: Interrupt.install(), progress: ProgressLine.onStandardErrorIfTerminal())
    if status != .success { throw ExitCode(status.rawValue) }
  }
}

func printError(_ message: String) {
  fflush(nil)
  FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Sizes such as `512M` or `4G` (powers of 1024).
enum ByteSize {
  static func parse(_ text: String) -> Int? {
    let t = text.trimmingCharacters(in: .whitespaces).uppercased()
    let units: [(String, Int)] = [("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("B", 1)]
    for (suffix, factor) in units where t.hasSuffix(suffix) {
      guard let v = Double(t.dropLast(suffix.count)), v > 0 else { return nil }
      return Int(v * Double(factor))
    }
    guard let v = Int(t), v > 0 else { return nil }
    return v
  }
}
