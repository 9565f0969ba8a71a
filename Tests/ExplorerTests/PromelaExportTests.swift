import Foundation
import HMMModel
import Testing

@testable import Explorer

/// The repository root (this file is `Tests/ExplorerTests/PromelaExportTests.swift`).
private let root = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// Every scenario of every shipped spec, as `path#scenario` (paths relative to the root).
private func shippedScenarios() -> [String] {
  let specs = root + "/Specs"
  let files = (FileManager.default.enumerator(atPath: specs)?.allObjects as? [String] ?? [])
    .filter { $0.hasSuffix(".hmm") }.sorted()
  var out: [String] = []
  for file in files {
    guard let spec = try? loadSpec("Specs/" + file) else { continue }
    out += spec.scenarios.map { "Specs/\(file)#\($0.name)" }
  }
  return out
}

private func loadSpec(_ path: String) throws -> LoadedSpec {
  let text = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
  return try SpecLoader.load(path: path, text: text)
}

/// The `spin` executable on the PATH, if any.
private let spinPath: String? = {
  for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
    let candidate = "\(directory)/spin"
    if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
  }
  return nil
}()

@Suite("Promela export")
struct PromelaExportTests {
  @Test("the export declares every variable, one process per thread, and init")
  func shape() throws {
    let spec = try loadSpec("Specs/hmm-rst.hmm")
    let model = try #require(spec.scenarios.first).model
    let text = PromelaExporter(model: model).promela()
    for index in model.variables.indices { #expect(text.contains(" v\(index) = ")) }
    for index in model.threads.indices { #expect(text.contains("proctype t\(index)()")) }
    #expect(text.contains("init {"))
    // Deadlock is checked: no thread loop is a valid end state.
    #expect(model.checkDeadlock == !text.contains("end:\n  do"))
    #expect(text.components(separatedBy: ":: d_step {").count - 1 >= model.actions.count)
  }

  /// SPIN (6.5.2, `-DSAFETY`, default partial-order reduction) reaches the same verdict as
  /// the explicit engine on every shipped scenario: with invalid end states ignored (`-E`) it
  /// finds an assertion violation exactly when the engine reports a property violation or a
  /// model error first; with assertions ignored (`-A`) it finds an invalid end state when the
  /// engine reports a deadlock; when the engine says the scenario holds, SPIN finds neither.
  @Test(
    "SPIN's verdict equals hmm-check's", .enabled(if: spinPath != nil, "spin is not installed"),
    arguments: shippedScenarios())
  func spinAgrees(_ scenarioID: String) throws {
    let parts = scenarioID.split(separator: "#").map(String.init)
    let spec = try loadSpec(parts[0])
    let scenario = try #require(spec.scenarios.first { $0.name == parts[1] })
    let outcome = ExplicitExplorer(model: scenario.model).run()
    let spin = try SpinRun(PromelaExporter(model: scenario.model).promela())
    switch outcome.verdict {
    case .holds:
      #expect(try spin.errors(["-E"]) == 0, "SPIN finds an assertion violation")
      if scenario.model.checkDeadlock {
        #expect(try spin.errors(["-A"]) == 0, "SPIN finds an invalid end state")
      }
    case .failed(.deadlock):
      #expect(try spin.errors(["-A"]) > 0, "SPIN finds no invalid end state")
    case .failed:
      #expect(try spin.errors(["-E"]) > 0, "SPIN finds no assertion violation")
    default:
      Issue.record("the engine did not finish: \(outcome.verdict)")
    }
  }
}

/// A Promela model compiled with `spin -a` and `gcc -O0 -DSAFETY` (compiling the large
/// verifier with -O2 takes longer than these searches) in a temporary directory.
private struct SpinRun {
  let directory: String

  init(_ promela: String) throws {
    directory = NSTemporaryDirectory() + "hmm-spin-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try promela.write(toFile: directory + "/model.pml", atomically: true, encoding: .utf8)
    let generated = try run(spinPath ?? "spin", ["-a", "model.pml"])
    guard generated.status == 0 else { throw SpinError("spin -a failed: \(generated.output)") }
    let compiled = try run(
      "/usr/bin/env", ["gcc", "-O0", "-DSAFETY", "-DMEMLIM=4096", "-o", "pan", "pan.c"])
    guard compiled.status == 0 else { throw SpinError("gcc failed: \(compiled.output)") }
  }

  /// Runs the verifier with `flags` and returns its error count (throws if the search was
  /// not complete).
  func errors(_ flags: [String]) throws -> Int {
    defer { _ = try? FileManager.default.removeItem(atPath: directory + "/model.pml.trail") }
    let result = try run(directory + "/pan", ["-m10000000", "-w22"] + flags)
    if result.output.contains("max search depth too small")
      || result.output.contains("out of memory")
    {
      throw SpinError("SPIN's search was incomplete:\n\(result.output)")
    }
    guard let line = result.output.split(separator: "\n").first(where: { $0.contains("errors: ") }),
      let count = Int(line.split(separator: " ").last ?? "")
    else { throw SpinError("no error count in SPIN's output:\n\(result.output)") }
    return count
  }

  private func run(_ executable: String, _ arguments: [String]) throws -> (
    status: Int32, output: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}

private struct SpinError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
