import Explorer
import Foundation
import HMMModel
import Testing

@testable import Report

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

func shippedSpecs() -> [String] {
  let root = repositoryRoot
  return (try? CheckRunner.specFiles(["\(root)/Specs"]))?.map { String($0.dropFirst(root.count + 1)) } ?? []
}

func loadSpec(_ relativePath: String, compress: Bool = true) throws -> LoadedSpec {
  var options = CheckOptions()
  options.lowering = LoweringOptions(compressLocalSteps: compress)
  return try CheckRunner.load("\(repositoryRoot)/\(relativePath)", options: options)
}

@Suite("Shipped specs")
struct ShippedSpecsTests {
  @Test("Specs/ ships the hmm.rst pattern and the known-bad variants")
  func inventory() {
    let specs = shippedSpecs()
    #expect(specs.contains("Specs/hmm-rst.hmm"))
    #expect(specs.filter { $0.hasPrefix("Specs/broken/") }.count >= 8)
  }

  @Test("every scenario of every shipped spec meets its expectation", arguments: shippedSpecs())
  func meetsExpectation(path: String) throws {
    let spec = try loadSpec(path)
    #expect(!spec.scenarios.isEmpty)
    for scenario in spec.scenarios {
      let result = CheckRunner.check(scenario, specPath: path, options: CheckOptions())
      #expect(result.status == .met, "\(path) · \(scenario.name): \(result.outcome.verdict)")
      if case .failed = result.outcome.verdict {
        #expect(result.z3Validated, "\(path) · \(scenario.name): counterexample not validated with Z3")
      }
    }
  }

  @Test("every known-bad spec is reported as failing (non-vacuity)")
  func knownBadFail() throws {
    for path in shippedSpecs() where path.hasPrefix("Specs/broken/") {
      for scenario in try loadSpec(path).scenarios {
        #expect(scenario.expectation != .holds, "\(path) · \(scenario.name) is in broken/ but expects holds")
        let outcome = ExplicitExplorer(model: scenario.model).run()
        guard case .failed = outcome.verdict else {
          Issue.record("\(path) · \(scenario.name) was not reported as failing: \(outcome.verdict)")
          continue
        }
      }
    }
  }
}
