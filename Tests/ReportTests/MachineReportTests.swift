import Explorer
import Foundation
import HMMModel
import Testing

@testable import Report

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite("JSON, SARIF and JUnit reports")
struct MachineReportTests {
  @Test(
    "SARIF: one result per violation, one threadFlow per acting thread, executionOrder is the interleaving"
  )
  func sarifShape() throws {
    let r = try checkedScenario("Specs/broken/no-set-seq.hmm", "use_after_free")
    let text = SARIFReport.render([r], version: "test")
    let root = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(root["version"] as? String == "2.1.0")
    let run = try #require((root["runs"] as? [[String: Any]])?.first)
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.count == 1)
    #expect(results[0]["ruleId"] as? String == "P1")
    let flows = try #require(
      ((results[0]["codeFlows"] as? [[String: Any]])?.first)?["threadFlows"] as? [[String: Any]])
    let trace = try #require(r.outcome.trace)
    let threads = Set(trace.actions.map { r.scenario.model.actions[$0].thread })
    #expect(flows.count == threads.count)
    let orders = flows.flatMap {
      ($0["locations"] as? [[String: Any]] ?? []).compactMap { $0["executionOrder"] as? Int }
    }
    #expect(orders.sorted() == Array(1...trace.actions.count))
    let location = try #require((results[0]["locations"] as? [[String: Any]])?.first)
    let physical = try #require(location["physicalLocation"] as? [String: Any])
    let uri = try #require((physical["artifactLocation"] as? [String: Any])?["uri"] as? String)
    #expect(uri.hasSuffix("Specs/broken/no-set-seq.hmm"))
    #expect((physical["region"] as? [String: Any])?["startLine"] as? Int == 25)  // device_map(&range)
  }

  static let schema = "\(repositoryRoot)/.build-sarif/sarif-2.1.0.json"

  /// Needs the schema (Scripts/fetch-sarif-schema.sh) and python3 with jsonschema.
  @Test(
    "SARIF validates against the SARIF 2.1.0 JSON schema",
    .enabled(
      if: FileManager.default.fileExists(atPath: schema), "run Scripts/fetch-sarif-schema.sh first")
  )
  func sarifSchema() throws {
    let dir = try temporaryDirectory()
    let results = try [
      checkedScenario("Specs/broken/no-set-seq.hmm", "use_after_free"),
      checkedScenario("Specs/deadlocks/d2-lock-across-read-begin.hmm", "epoch_deadlock"),
    ]
    try SARIFReport.render(results, version: "test").write(
      toFile: "\(dir)/r.sarif", atomically: true, encoding: .utf8)
    let run = try runProgram(
      "/usr/bin/env",
      ["python3", "\(repositoryRoot)/Scripts/validate-sarif.py", Self.schema, "\(dir)/r.sarif"])
    #expect(run.status == 0, "\(run.output)")
  }

  @Test(
    "JUnit XML parses, with a test case per scenario and property and a failure where unexpected")
  func junit() throws {
    var r = try checkedScenario("Specs/broken/no-set-seq.hmm", "use_after_free")
    var unexpected = r
    unexpected.scenario.expectation = .holds
    unexpected.status = .unexpectedViolation
    unexpected.scenario.name = "unexpected <&>"
    r.specPath = "a&b.hmm"
    let xml = JUnitReport.render([r, unexpected], text: TextReport(z3Version: "t").render)
    #if canImport(FoundationXML) || os(macOS)
      let document = try XMLDocument(xmlString: xml)
      let cases = try document.nodes(forXPath: "//testcase")
      #expect(cases.count == 2)
      #expect(try document.nodes(forXPath: "//testcase/failure").count == 1)
      #expect(try document.nodes(forXPath: "/testsuites/@failures").first?.stringValue == "1")
    #else
      #expect(xml.contains("<testcase"))
    #endif
  }

  @Test("JSON summary: verdicts, statistics and coverage")
  func json() throws {
    let r = try checkedScenario("Specs/broken/no-set-seq.hmm", "use_after_free")
    let text = JSONReport.render([r], exit: .success)
    let root = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let scenario = try #require((root["scenarios"] as? [[String: Any]])?.first)
    #expect(scenario["verdict"] as? String == "violates")
    #expect(scenario["failure"] as? String == "P1")
    #expect(((scenario["statistics"] as? [String: Any])?["states"] as? Int ?? 0) > 1000)
    #expect(scenario["coverage"] is [String: Any])
    #expect((scenario["counterexample"] as? [Any])?.count == r.outcome.trace?.actions.count)
    #expect(((root["summary"] as? [String: Any])?["exitCode"] as? Int) == 0)
    #expect(JSONValue.quote("a\"\n\u{1}") == "\"a\\\"\\n\\u0001\"")
    #expect(scenario["solver"] == nil)  // the explicit engine has no solver report
  }

  @Test("JSON: a Z3 engine's report carries the proof, its certificate, the statistics, the Z3 version and the seed")
  func jsonSolver() throws {
    let spec = try loadSpec("Specs/hmm-rst-unbounded.hmm")
    let scenario = try #require(spec.scenarios.first)
    var options = CheckOptions()
    options.engines.engine = .induction
    options.engines.symbolic.seed = 7
    options.engines.symbolic.sequenceCounters = EngineSelection.sequenceCounters
    let r = CheckRunner.check(scenario, specPath: "Specs/hmm-rst-unbounded.hmm", options: options)
    let text = JSONReport.render([r], exit: .success)
    let root = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let entry = try #require((root["scenarios"] as? [[String: Any]])?.first)
    #expect(entry["verdict"] as? String == "holds")
    let solver = try #require(entry["solver"] as? [String: Any])
    #expect(solver["z3Version"] as? String == Z3Context.version)
    #expect(solver["seed"] as? Int == 7)
    #expect((solver["checks"] as? Int ?? 0) > 0)
    #expect((solver["seconds"] as? Double ?? 0) > 0)
    let proof = try #require(solver["proof"] as? [String: Any])
    #expect(proof["strength"] as? String == "all depths of the model as lowered")
    #expect((proof["certificate"] as? String)?.hasPrefix("a closed abstraction of") == true)
  }
}
