import Explorer
import Foundation
import HMMModel

@testable import Report

/// Checks one scenario of a shipped spec (with Z3 validation) for the report tests.
func checkedScenario(_ path: String, _ name: String) throws -> ScenarioResult {
  let spec = try loadSpec(path)
  guard let scenario = spec.scenarios.first(where: { $0.name == name }) else {
    throw InputError("\(path) has no scenario \(name)")
  }
  return CheckRunner.check(scenario, specPath: path, options: CheckOptions())
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> String {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
    "hmm-report-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir.path
}

/// Runs a program and returns its exit status and combined output.
func runProgram(_ executable: String, _ arguments: [String]) throws -> (
  status: Int32, output: String
) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
