import Foundation
import HMMModel
import Testing

@testable import Explorer

/// The repository root, found from this file's path.
private let root = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The lowered scenario `name` of the shipped spec at `path` (relative to the root).
func shippedScenario(_ path: String, _ name: String) throws -> LoweredScenario {
  let text = try String(contentsOfFile: "\(root)/\(path)", encoding: .utf8)
  let spec = try SpecLoader.load(path: path, text: text)
  return try #require(spec.scenarios.first { $0.name == name })
}

/// Z3 on a shipped spec takes minutes in a debug build: these run when `HMM_SLOW_TESTS` is
/// set (`Scripts/crosscheck.sh` sets it).
@Suite(
  "BMC on shipped specs", .enabled(if: ProcessInfo.processInfo.environment["HMM_SLOW_TESTS"] != nil)
)
struct BMCShippedSpecTests {
  @Test("no-set-seq late_commit: BMC finds a violation of P3 as short as the explicit engine's")
  func lateCommit() throws {
    let scenario = try shippedScenario("Specs/broken/no-set-seq.hmm", "late_commit")
    let explicit = ExplicitExplorer(model: scenario.model).run()
    let explicitTrace = try #require(explicit.trace)
    let bmc = BoundedModelChecker(
      model: scenario.model, options: SymbolicOptions(depth: explicitTrace.actions.count)
    ).run()
    let trace = try #require(bmc.trace, "\(bmc.verdict)")
    #expect(trace.actions.count == explicitTrace.actions.count)
    guard case .failed(let failure) = bmc.verdict else {
      Issue.record("BMC: \(bmc.verdict)")
      return
    }
    #expect(failure == explicit.verdict.failure)
    #expect(try TraceValidator(model: scenario.model).validate(trace, failure: failure) == .valid)
    #expect(try ExplicitExplorer(model: scenario.model).replay(trace.actions).get() == trace)
  }

  @Test("no-set-seq late_commit: no violation is shorter than the explicit engine's")
  func lateCommitBound() throws {
    let scenario = try shippedScenario("Specs/broken/no-set-seq.hmm", "late_commit")
    let length = try #require(ExplicitExplorer(model: scenario.model).run().trace).actions.count
    let bmc = BoundedModelChecker(
      model: scenario.model, options: SymbolicOptions(depth: length - 1)
    )
    .run()
    #expect(bmc.verdict == .holdsUpTo(depth: length - 1))
    #expect(bmc.solver?.engine == "bmc")
  }
}

extension Verdict {
  /// The failure of a `.failed` verdict.
  var failure: Failure? {
    if case .failed(let failure) = self { return failure }
    return nil
  }
}
