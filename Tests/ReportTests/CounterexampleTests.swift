import Explorer
import Foundation
import HMMModel
import Testing

@testable import Report

@Suite("Counterexamples")
struct CounterexampleTests {
  /// The exact interleaving hmm-check reports for a driver without mmu_interval_read_retry:
  /// the fault snapshots the PTE, the munmap callback runs completely, and the fault then
  /// commits the stale frame while the invalidation is still open.
  @Test("pinned counterexample: no-read-retry late_commit")
  func pinnedNoReadRetry() throws {
    let spec = try loadSpec("Specs/broken/no-read-retry.hmm")
    let scenario = try #require(spec.scenarios.first { $0.name == "late_commit" })
    let outcome = ExplicitExplorer(model: scenario.model).run()
    let trace = try #require(outcome.trace)
    let steps = trace.actions.map { a -> String in
      let action = scenario.model.actions[a]
      return "\(scenario.model.threads[action.thread].name) \(action.name)"
    }
    #expect(steps == [
      "driver_populate_range#1 mmu_interval_read_begin",
      "driver_populate_range#1 mmap_read_lock",
      "driver_populate_range#1 mmu_interval_check_retry",
      "driver_populate_range#1 hmm_range_fault: hmm_vma_handle_pte",
      "driver_populate_range#1 mmap_read_unlock",
      "munmap#1 choose va = 0",
      "munmap#1 mmap_write_lock",
      "munmap#1 munmap: detach vma",
      "munmap#1 mmap_write_downgrade",
      "munmap#1 mmu_notifier_invalidate_range_start: mn_itree_inv_start_range",
      "munmap#1 mutex_lock",
      "munmap#1 mmu_interval_set_seq",
      "munmap#1 device_zap",
      "munmap#1 mutex_unlock",
      "driver_populate_range#1 mutex_lock",
      "driver_populate_range#1 device_map",
    ])
    #expect(outcome.verdict == .failed(.property(index: 0)))
    #expect(try TraceValidator(model: scenario.model).validate(trace, failure: .property(index: 0)) == .valid)
  }

  @Test("a use-after-free trace shows the frame freed while a device PTE maps it")
  func useAfterFreeShowsFree() throws {
    let spec = try loadSpec("Specs/broken/no-set-seq.hmm")
    let scenario = try #require(spec.scenarios.first { $0.name == "use_after_free" })
    let result = CheckRunner.check(scenario, specPath: "no-set-seq.hmm", options: CheckOptions())
    #expect(result.status == .met)
    #expect(result.z3Validated)
    let text = TextReport(z3Version: "test").render(result)
    #expect(text.contains("violates P1"))
    #expect(text.contains("FRAME_IN_USE → FRAME_FREED"))
    #expect(text.contains("dpte_frame["))
    #expect(text.contains("validated with Z3"))
  }

  @Test("a deadlock report names every blocked thread and the lock holder")
  func deadlockReport() throws {
    let spec = try loadSpec("Specs/deadlocks/d2-lock-across-read-begin.hmm")
    let scenario = try #require(spec.scenarios.first)
    let result = CheckRunner.check(scenario, specPath: "x.hmm", options: CheckOptions())
    #expect(result.outcome.verdict == .failed(.deadlock))
    #expect(result.outcome.blocked.count == 2)
    let text = TextReport(z3Version: "test").render(result)
    #expect(text.contains("driver_populate_range#1 waits in mmu_interval_read_begin: await(invalidate_seq != seq)"))
    #expect(text.contains("migrate#1 waits in mutex_lock"))
    #expect(text.contains("update is held by driver_populate_range#1"))
  }

  /// Scenarios small enough without compression (every local step its own action, up to a
  /// few hundred thousand states); the two-fault use-after-free scenarios reach tens of
  /// millions uncompressed.
  @Test("verdicts agree with and without local-step compression", arguments: [
    "Specs/broken/no-read-retry.hmm#late_commit", "Specs/broken/no-set-seq.hmm#late_commit",
    "Specs/broken/map-before-retry.hmm#stale_mapping", "Specs/broken/read-begin-no-wait.hmm#commit_in_window",
    "Specs/broken/set-seq-of-wrong-subscription.hmm#use_after_free", "Specs/broken/dma-unmap-missing.hmm#use_after_free",
    "Specs/broken/unpin-before-unmap.hmm#use_after_free", "Specs/broken/skip-non-unmap-events.hmm#reclaim_frees_mapped_frame",
    "Specs/deadlocks/d2-lock-across-read-begin.hmm#epoch_deadlock",
    "Specs/deadlocks/d4-callback-takes-mmap-lock.hmm#munmap_behind_queued_writer",
    "Specs/deadlocks/d6-owner-skip-thp-split.hmm#thp_split_in_collect",
  ])
  func compressionPreservesVerdicts(id: String) throws {
    let parts = id.split(separator: "#").map(String.init)
    let compressed = try loadSpec(parts[0], compress: true)
    let plain = try loadSpec(parts[0], compress: false)
    let a = try #require(compressed.scenarios.first { $0.name == parts[1] })
    let b = try #require(plain.scenarios.first { $0.name == parts[1] })
    let x = ExplicitExplorer(model: a.model).run()
    let y = ExplicitExplorer(model: b.model).run()
    #expect(x.verdict == y.verdict, "\(id)")
    #expect(x.verdict != .holds, "\(id) is a known-bad scenario")
    #expect(x.statistics.states <= y.statistics.states)
  }

  @Test("a limit ends in inconclusive, never holds")
  func limitIsInconclusive() throws {
    let spec = try loadSpec("Specs/hmm-rst.hmm")
    var options = CheckOptions()
    options.exploration.limits.maxStates = 1000
    let result = CheckRunner.check(spec.scenarios[0], specPath: "hmm-rst.hmm", options: options)
    #expect(result.status == .inconclusive)
    #expect(CheckExit(result.status) == .limitReached)
  }

  @Test("exit statuses: the most severe wins")
  func exitSeverity() {
    #expect(max(CheckExit.success, .limitReached) == .limitReached)
    #expect(max(CheckExit.unexpectedDeadlock, .unexpectedViolation) == .unexpectedViolation)
    #expect(max(CheckExit.specError, .unexpectedViolation) == .specError)
    #expect(max(CheckExit.internalError, .specError) == .internalError)
  }
}
