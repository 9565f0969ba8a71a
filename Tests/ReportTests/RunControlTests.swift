import Explorer
import Foundation
import HMMModel
import Synchronization
import Testing

@testable import Report

@Suite("Coverage, --strict, progress, Ctrl-C")
struct RunControlTests {
  @Test("coverage lists the driver statement a scenario never runs, and --strict exits 14")
  func strict() throws {
    // The retry branch of the driver cannot run without a CPU thread that invalidates.
    let text = try String(contentsOfFile: "\(specDir)/hmm-rst.hmm", encoding: .utf8)
    let lonely =
      text + "\nscenario alone {\n  pages 1;\n  fault driver_populate_range;\n  expect holds;\n}\n"
    let plain = try runCheck(lonely, configure: { $0.scenario = "alone" })
    #expect(plain.status == .success)
    #expect(plain.output.contains("never executed: "))
    #expect(
      plain.output.contains("mmu_interval_read_retry") || plain.output.contains("mutex_unlock"))
    let strict = try runCheck(
      lonely, configure: { $0.scenario = "alone" }, outputs: { $0.strict = true })
    #expect(strict.status == .expectedViolationNotFound)
    #expect(strict.output.contains("strict: "))
  }

  @Test("the engine records which actions fired")
  func firedActions() throws {
    let r = try checkedScenario("Specs/hmm-rst.hmm", "two_munmaps")
    let fired = try #require(r.outcome.firedActions)
    let count = r.scenario.model.actions.indices.filter(fired.contains).count
    #expect(count > 0 && count <= r.scenario.model.actions.count)
    #expect(Coverage(model: r.scenario.model, outcome: r.outcome)?.complete == true)
  }

  @Test("the progress line is throttled and names states, states/s, frontier, depth, memory")
  func progress() {
    let written = Mutex<[String]>([])
    let line = ProgressLine { text in written.withLock { $0.append(text) } }
    let p = ExplorationProgress(
      states: 12345, frontier: 99, depth: 7, memoryBytes: 1 << 20, seconds: 1)
    line.update(p, label: "x")
    line.update(p, label: "x")  // within a quarter second: not redrawn
    line.clear()
    let lines = written.withLock { $0 }
    #expect(lines.count == 2)
    #expect(
      lines[0].contains("states 12,345 · 12,345 states/s · frontier 99 · depth 7 · memory 1.0 MiB"))
  }

  @Test("a stop request prints the statistics so far, writes no report and returns 130")
  func interrupted() throws {
    let dir = try temporaryDirectory()
    let r = try runCheck(
      nil, paths: ["\(specDir)/hmm-rst.hmm"], outputs: { $0.htmlPath = "\(dir)/r.html" },
      shouldStop: { true })
    #expect(r.status == .interrupted)
    #expect(r.status.rawValue == 130)
    #expect(r.errors.contains("inconclusive (stopped on request)"))
    #expect(r.errors.contains("states "))
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/r.html"))
  }
}
