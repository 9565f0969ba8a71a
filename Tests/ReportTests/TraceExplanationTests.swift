import Explorer
import HMMModel
import Testing

@testable import Report

@Suite("Text trace: lanes and explanation")
struct TraceExplanationTests {
  @Test("no-set-seq: the explanation names the stale commit, the free and the missing set_seq")
  func noSetSeq() throws {
    let r = try checkedScenario("Specs/broken/no-set-seq.hmm", "use_after_free")
    let trace = try #require(r.outcome.trace)
    let steps = TraceSteps(model: r.scenario.model, trace: trace)
    let d = TraceDiagnosis(steps, property: "P1")
    let stale = try #require(d.staleStep)
    let free = try #require(d.freeStep)
    #expect(d.freed)
    #expect(steps.steps[stale].actionName == "device_map")
    #expect(steps.steps[free].changes.contains { $0.after == "FRAME_FREED" })
    #expect(d.causes.count == 1)
    #expect(d.causes.first?.contains("the callback did not call mmu_interval_set_seq") == true)
    let text = TextReport(z3Version: "test").render(r)
    #expect(
      text.contains(
        "the device PTE of page \(d.page ?? -1) was set to frame \(d.frame ?? -1) at step \(stale + 1)"
      ))
    #expect(text.contains("frame \(d.frame ?? -1) was freed at step \(free + 1)"))
  }

  @Test(
    "each known-bad pattern gets its own diagnosis",
    arguments: [
      ("Specs/broken/no-read-retry.hmm", "use_after_free", "no mmu_interval_read_retry in between"),
      ("Specs/broken/retry-without-lock.hmm", "use_after_free", "ran without the driver lock"),
      (
        "Specs/broken/callback-without-lock.hmm", "use_after_free",
        "the callback's mmu_interval_set_seq at step"
      ),
      (
        "Specs/broken/zap-after-unlock.hmm", "use_after_free",
        "without clearing page 0's device PTE"
      ),
      ("Specs/broken/read-begin-no-wait.hmm", "use_after_free", "did not wait for it"),
      ("Specs/broken/read-begin-no-wait.hmm", "commit_in_window", "did not wait for it"),
    ])
  func diagnoses(path: String, scenario: String, cause: String) throws {
    let r = try checkedScenario(path, scenario)
    let text = TextReport(z3Version: "test").render(r)
    #expect(text.contains("likely cause: "))
    #expect(text.contains(cause))
  }

  @Test("a callback that returns without zapping is named, and nothing is said where nothing broke")
  func honest() throws {
    let r = try checkedScenario("Specs/broken/skip-non-unmap-events.hmm", "mprotect_keeps_write")
    let trace = try #require(r.outcome.trace)
    let d = TraceDiagnosis(TraceSteps(model: r.scenario.model, trace: trace), property: "P2")
    #expect(d.staleStep != nil)
    #expect(
      d.causes
        == d.causes.filter {
          $0.contains("returned") && $0.contains("without clearing page 0's device PTE")
        })
    #expect(d.causes.count == 1)
    // Before the CPU PTE changes, P2 holds: no page, no step, no cause.
    let prefix = Trace(
      actions: Array(trace.actions.dropLast()), states: Array(trace.states.dropLast()))
    let none = TraceDiagnosis(TraceSteps(model: r.scenario.model, trace: prefix), property: "P2")
    #expect(none.page == nil && none.staleStep == nil && none.causes.isEmpty)
    // A property the diagnosis does not know gets none.
    #expect(
      TraceDiagnosis(TraceSteps(model: r.scenario.model, trace: trace), property: "P4").causes
        .isEmpty)
  }

  @Test("each step appears in its thread's column")
  func lanes() throws {
    let r = try checkedScenario("Specs/broken/no-set-seq.hmm", "use_after_free")
    let lines = TextReport(z3Version: "test").render(r).split(separator: "\n").map(String.init)
    let header = try #require(
      lines.first { $0.contains("driver_populate_range#1") && $0.contains("munmap#1") })
    let munmapColumn = try #require(header.range(of: "munmap#1")).lowerBound.utf16Offset(in: header)
    let faultColumn = try #require(header.range(of: "driver_populate_range#1")).lowerBound
      .utf16Offset(in: header)
    let zap = try #require(lines.first { $0.contains("● zap_pte_range") })
    let map = try #require(lines.first { $0.contains("● device_map") })
    #expect(try #require(zap.range(of: "●")).lowerBound.utf16Offset(in: zap) == munmapColumn)
    #expect(try #require(map.range(of: "●")).lowerBound.utf16Offset(in: map) == faultColumn)
  }
}
