import ArgumentParser
import Explorer
import Foundation
import HMMModel
import Report

/// `hmm-check export --promela SPEC --scenario NAME`: write the scenario's model for SPIN.
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a scenario's model in another checker's language (Promela for SPIN).")

  @Option(help: "Write Promela for SPIN from this spec file.")
  var promela: String

  @Option(help: "The scenario to export (may be omitted when the spec has exactly one).")
  var scenario: String?

  @Option(help: "Write to this file instead of standard output.")
  var output: String?

  @Flag(help: "Keep steps that touch only one thread's own variables as separate states.")
  var noCompress = false

  func run() throws {
    var options = CheckOptions()
    options.lowering = LoweringOptions(compressLocalSteps: !noCompress)
    let spec: LoadedSpec
    do {
      spec = try CheckRunner.load(promela, options: options)
    } catch {
      printError("\(error)")
      throw ExitCode(150)
    }
    let chosen = spec.scenarios.filter { scenario == nil || $0.name == scenario }
    guard chosen.count == 1, let lowered = chosen.first else {
      let names = spec.scenarios.map(\.name).joined(separator: ", ")
      printError(
        scenario == nil
          ? "hmm-check: \(promela) has several scenarios (\(names)); choose one with --scenario"
          : "hmm-check: \(promela) has no scenario '\(scenario ?? "")' (it has: \(names))")
      throw ExitCode(150)
    }
    let text = PromelaExporter(model: lowered.model).promela()
    if let output {
      do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: output))
      } catch {
        printError("hmm-check: cannot write \(output): \(error.localizedDescription)")
        throw ExitCode(150)
      }
    } else {
      print(text, terminator: "")
    }
  }
}
