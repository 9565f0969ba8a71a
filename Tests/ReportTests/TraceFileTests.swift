import Explorer
import Foundation
import HMMModel
import Testing

@testable import Report

@Suite("ITF traces, HTML and atomic files")
struct TraceFileTests {
  @Test("an ITF trace replays to the same violation, confirmed with Z3")
  func itfRoundTrip() throws {
    let r = try checkedScenario("Specs/broken/no-set-seq.hmm", "use_after_free")
    let text = try #require(ITFTrace.render(r))
    #expect(text.contains("\"#bigint\""))
    let parsed = try ITFReplay.parse(text)
    #expect(parsed.meta["violation"] == "P1")
    let steps = r.outcome.trace?.actions.count ?? 0
    #expect(
      ITFReplay.replay(parsed, on: r.scenario)
        == .reproduced(steps: steps, failure: "P1", confirmedByZ3: true))
  }

  @Test("a tampered ITF trace is rejected at the step and variable where it stops fitting")
  func itfMismatch() throws {
    let r = try checkedScenario("Specs/broken/no-set-seq.hmm", "use_after_free")
    var parsed = try ITFReplay.parse(try #require(ITFTrace.render(r)))
    // The device_map step commits frame 1 to page 0's device PTE; pretend it committed frame 2.
    let trace = try #require(r.outcome.trace)
    let commit =
      try #require(trace.actions.firstIndex { r.scenario.model.actions[$0].name == "device_map" })
      + 1
    parsed.states[commit]["dpte_frame[0]"] = .int(2)
    guard case .mismatch(let step, let message) = ITFReplay.replay(parsed, on: r.scenario) else {
      Issue.record("the tampered trace replayed")
      return
    }
    #expect(step == commit)
    #expect(message.contains("dpte_frame[0] = 1 where the trace has 2"))
  }

  @Test("HTML: self-contained, an SVG lane per thread, spec names escaped")
  func html() throws {
    var r = try checkedScenario("Specs/broken/no-set-seq.hmm", "use_after_free")
    r.specPath = "<img src=x onerror=alert(1)>&.hmm"
    let html = HTMLReport.render([r], z3Version: "test")
    #expect(html.contains("<svg"))
    #expect(!html.contains("<script"))
    #expect(!html.contains("<img"))
    #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;&amp;.hmm"))
    #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
    #expect(html.contains("stroke=\"#dc2626\""))  // the failing step
    #expect(html.contains(">driver_populate_range#1</text>") && html.contains(">munmap#1</text>"))
    #expect(HTMLReport.escape("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;")
  }

  @Test("atomic writes leave the whole file or nothing, and no temporary file")
  func atomic() throws {
    let dir = try temporaryDirectory()
    try AtomicFile.write("first", to: "\(dir)/out.json")
    try AtomicFile.write("second", to: "\(dir)/out.json")
    #expect(try String(contentsOfFile: "\(dir)/out.json", encoding: .utf8) == "second")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.json"])
    #expect(throws: InputError.self) { try AtomicFile.write("x", to: "\(dir)/missing/out.json") }
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/missing"))
  }
}
