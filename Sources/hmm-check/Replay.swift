import ArgumentParser
import Foundation
import HMMModel
import Report

/// `hmm-check replay TRACE.itf.json SPEC [--scenario NAME]`.
struct Replay: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Replay an ITF trace against a spec and report the violation it reaches.",
    discussion: """
      Exit codes: 0 the trace fits the spec and reaches the failure it records; 12 it fits but
      ends in no failure or in another one; 150 it does not fit the spec (the message names the
      step and the variable), or bad input.
      """)

  @Argument(help: "An ITF trace written by `hmm-check check --itf`.")
  var trace: String

  @Argument(help: "The spec file to replay it on.")
  var spec: String

  @Option(help: "The scenario (default: the one recorded in the trace).")
  var scenario: String?

  func run() throws {
    let parsed: ITFReplay.Parsed
    let loaded: LoadedSpec
    do {
      guard let data = FileManager.default.contents(atPath: trace),
        let text = String(data: data, encoding: .utf8)
      else {
        throw InputError("\(trace): error: cannot read the file")
      }
      parsed = try ITFReplay.parse(text)
      loaded = try CheckRunner.load(spec, options: CheckOptions())
    } catch {
      printError("hmm-check: \(error)")
      throw ExitCode(150)
    }
    let name = scenario ?? parsed.meta["scenario"] ?? loaded.scenarios.first?.name
    guard let target = loaded.scenarios.first(where: { $0.name == name }) else {
      printError("hmm-check: error: no scenario named '\(name ?? "")' in \(spec)")
      throw ExitCode(150)
    }
    switch ITFReplay.replay(parsed, on: target) {
    case .reproduced(let steps, let failure, let z3):
      print(
        "\(trace): \(steps) steps replay on \(spec) · \(target.name) and end in \(failure == "deadlock" ? "a deadlock" : "a violation of \(failure)")\(z3 ? " (confirmed with Z3)" : "")"
      )
      if let recorded = parsed.meta["violation"], recorded != failure {
        printError("hmm-check: the trace records \(recorded), the replay ends in \(failure)")
        throw ExitCode(12)
      }
    case .noFailure(let steps):
      print(
        "\(trace): \(steps) steps replay on \(spec) · \(target.name), but the last state violates nothing"
      )
      throw ExitCode(12)
    case .mismatch(let step, let message):
      printError(
        "\(trace): state \(step): the trace stops fitting \(spec) · \(target.name): \(message)")
      throw ExitCode(150)
    }
  }
}
