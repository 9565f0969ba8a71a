import Foundation
import HMMModel
import Testing

@testable import Report

/// Runs `hmm-check check` in-process on a spec written to a temporary file.
func runCheck(
  _ text: String?, paths: [String]? = nil, configure: (inout CheckOptions) -> Void = { _ in },
  outputs configureOutputs: (inout ReportOutputs) -> Void = { _ in },
  shouldStop: @escaping @Sendable () -> Bool = { false }
) throws
  -> (status: CheckExit, output: String, errors: String)
{
  var files: [String] = []
  if let text {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hmm-check-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let file = dir.appendingPathComponent("spec.hmm").path
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    files = [file]
  }
  var options = CheckOptions()
  configure(&options)
  var output = ""
  var errors = ""
  var outputs = ReportOutputs()
  configureOutputs(&outputs)
  let status = CheckCommand.run(
    paths: paths ?? files, options: options, z3Version: "test", outputs: outputs,
    output: { output += $0 }, errors: { errors += $0 + "\n" }, shouldStop: shouldStop)
  return (status, output, errors)
}

let specDir = "\(repositoryRoot)/Specs"

@Suite("hmm-check check: exit codes")
struct CheckCommandTests {
  @Test("0 when every expectation is met")
  func success() throws {
    let r = try runCheck(nil, paths: ["\(specDir)/broken/no-set-seq.hmm"])
    #expect(r.status == .success)
    #expect(r.output.contains("2 expectations met, 0 not met"))
  }

  @Test("12 when a violation is found where the scenario expects holds")
  func unexpectedViolation() throws {
    let text = try String(contentsOfFile: "\(specDir)/broken/no-set-seq.hmm", encoding: .utf8)
      .replacingOccurrences(of: "expect violates P3;", with: "expect holds;")
    let r = try runCheck(text)
    #expect(r.status == .unexpectedViolation)
    #expect(r.output.contains("UNEXPECTED (expected holds)"))
  }

  @Test("11 when a deadlock is found where the scenario expects a violation")
  func unexpectedDeadlock() throws {
    let text = try String(contentsOfFile: "\(specDir)/deadlocks/d2-lock-across-read-begin.hmm", encoding: .utf8)
      .replacingOccurrences(of: "expect deadlock;", with: "expect violates P1;")
    let r = try runCheck(text)
    #expect(r.status == .unexpectedDeadlock)
  }

  @Test("14 when an expected violation is not found")
  func expectedViolationMissing() throws {
    let text = try String(contentsOfFile: "\(specDir)/hmm-rst.hmm", encoding: .utf8)
      .replacingOccurrences(of: "  cpu munmap * 2;\n  expect holds;", with: "  cpu munmap * 2;\n  expect violates P1;")
    let r = try runCheck(text) { $0.scenario = "two_munmaps" }
    #expect(r.status == .expectedViolationNotFound)
  }

  @Test("150 for a spec with errors, with file:line:col diagnostics and a caret")
  func specError() throws {
    let text = try String(contentsOfFile: "\(specDir)/hmm-rst.hmm", encoding: .utf8)
      .replacingOccurrences(of: "mmu_interval_read_retry(", with: "mmu_interval_read_retyr(")
    let r = try runCheck(text)
    #expect(r.status == .specError)
    #expect(r.errors.contains("spec.hmm:25:9: error: unknown function 'mmu_interval_read_retyr'; did you mean 'mmu_interval_read_retry'?"))
    #expect(r.errors.contains("\n        ^\n"))
  }

  @Test("150 for a missing file or an unknown scenario")
  func badInput() throws {
    let missing = try runCheck(nil, paths: ["/nonexistent/spec.hmm"])
    #expect(missing.status == .specError)
    #expect(missing.errors.contains("/nonexistent/spec.hmm: error: no such file or directory"))
    let unknown = try runCheck(nil, paths: ["\(specDir)/broken/no-set-seq.hmm"]) { $0.scenario = "nope" }
    #expect(unknown.status == .specError)
  }

  @Test("153 when a limit is reached, with the statistics so far")
  func limit() throws {
    let r = try runCheck(nil, paths: ["\(specDir)/hmm-rst.hmm"]) {
      $0.scenario = "munmap_and_migrate"
      $0.exploration.limits.maxStates = 5000
    }
    #expect(r.status == .limitReached)
    #expect(r.output.contains("inconclusive"))
  }
}
