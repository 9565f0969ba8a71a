import Explorer
import HMMModel

/// Why a counterexample breaks its property, derived from the trace alone: the page and frame,
/// the step that created the stale device mapping, the step that freed the frame or changed
/// the CPU PTE, and — when one of the known patterns fits — the missing synchronisation.
///
/// The diagnosis reads only the kernel model's variables (`dpte_frame[va]`, `frame[f]`,
/// `pte[va]`, `cb_pending[va]`) and action names (`mmu_interval_read_begin`,
/// `mmu_interval_read_retry`, `mmu_interval_set_seq`, `callback returned`, ...), never the
/// spec's own names, so it applies to any driver. When no pattern fits it says nothing.
package struct TraceDiagnosis: Sendable {
  /// The page whose device PTE breaks the property.
  package var page: Int?
  /// The frame that device PTE maps.
  package var frame: Int?
  /// 0-based step that last wrote the device PTE of `page`.
  package var staleStep: Int?
  /// 0-based step that freed `frame` (P1) or last changed the CPU PTE of `page` (P2).
  package var freeStep: Int?
  /// Whether `freeStep` freed the frame (otherwise it changed the CPU PTE).
  package var freed = false
  /// The missing synchronisation, one sentence each (may be empty).
  package var causes: [String] = []

  /// Diagnoses `steps` for a violation of the property called `property`.
  package init(_ steps: TraceSteps, property: String) {
    let finder = Finder(steps)
    guard let last = steps.trace.states.last, let (va, dpte) = finder.brokenPage(property, last)
    else { return }
    page = va
    frame = dpte
    staleStep = finder.index("dpte_frame[\(va)]").flatMap { steps.lastChange(of: $0) }
    if let f = finder.index("frame[\(dpte)]"),
      steps.model.variables[f].render(last[f]) == "FRAME_FREED"
    {
      freeStep = steps.lastChange(of: f)
      freed = true
    } else {
      freeStep = ["pte[\(va)]", "pte_frame[\(va)]", "pte_write[\(va)]"]
        .compactMap { finder.index($0).flatMap { steps.lastChange(of: $0) } }.max()
    }
    if let stale = staleStep { causes = finder.causes(page: va, commit: stale) }
  }
}

/// The trace queries behind `TraceDiagnosis`.
private struct Finder {
  let steps: TraceSteps
  let names: [String: Int]

  init(_ steps: TraceSteps) {
    self.steps = steps
    var names: [String: Int] = [:]
    for (i, v) in steps.model.variables.enumerated() { names[v.name] = i }
    self.names = names
  }

  func index(_ name: String) -> Int? { names[name] }

  func value(_ name: String, _ state: [Int]) -> Int? { index(name).map { state[$0] } }

  func rendered(_ name: String, _ state: [Int]) -> String? {
    index(name).map { steps.model.variables[$0].render(state[$0]) }
  }

  /// The first page whose device PTE breaks the property in `last`, with the frame it maps.
  func brokenPage(_ property: String, _ last: [Int]) -> (Int, Int)? {
    var va = 0
    while let dpte = value("dpte_frame[\(va)]", last) {
      defer { va += 1 }
      guard dpte != 0 else { continue }
      switch property {
      case "P1":
        if rendered("frame[\(dpte)]", last) == "FRAME_FREED" { return (va, dpte) }
      case "P2":
        let present = rendered("pte[\(va)]", last) == "PTE_PRESENT"
        let same = value("pte_frame[\(va)]", last) == dpte
        let writeOK = value("dpte_write[\(va)]", last) == 0 || value("pte_write[\(va)]", last) == 1
        if !(present && same && writeOK) && value("cb_pending[\(va)]", last) == 0 {
          return (va, dpte)
        }
      case "P3":
        if (value("cb_done[\(va)]", last) ?? 0) > 0 { return (va, dpte) }
      default:
        return nil
      }
    }
    return nil
  }

  /// 0-based indices of the steps of `thread` in `range` whose action name contains `text`.
  func find(_ text: String, thread: Int, in range: Range<Int>) -> [Int] {
    range.filter { steps.steps[$0].thread == thread && steps.steps[$0].actionName.contains(text) }
  }

  /// The driver's own retry checks of `thread` in `range`: a call of
  /// mmu_interval_read_retry or mmu_interval_check_retry written in the spec (not the kernel's
  /// internal checks, such as the one inside hmm_range_fault).
  func driverRetries(thread: Int, in range: Range<Int>) -> [Int] {
    range.filter {
      let step = steps.steps[$0]
      let callee = steps.model.actions[step.action].origin.callees.first
      return step.thread == thread && step.actionName.hasSuffix("_retry")
        && (callee == "mmu_interval_read_retry" || callee == "mmu_interval_check_retry")
    }
  }

  /// Whether `thread` holds any mutex in the state before step `i`.
  func holdsMutex(_ thread: Int, before i: Int) -> Bool {
    let held = "held by \(steps.model.threads[thread].name)"
    return steps.mutexes.contains {
      steps.model.variables[$0].render(steps.trace.states[i][$0]) == held
    }
  }

  /// Steps that changed variable `name` in the direction `up` (increase) or down.
  func changes(_ name: String, up: Bool) -> [Int] {
    guard let v = index(name) else { return [] }
    return steps.steps.indices.filter {
      let (a, b) = (steps.trace.states[$0][v], steps.trace.states[$0 + 1][v])
      return up ? b > a : b < a
    }
  }

  /// The sentences naming the missing synchronisation for a stale commit at `commit`.
  func causes(page va: Int, commit k: Int) -> [String] {
    let t = steps.steps[k].thread
    var out: [String] = []
    let n = { (i: Int) in "step \(i + 1)" }
    let begin = find("mmu_interval_read_begin", thread: t, in: 0..<k).last
    // The invalidation covering the page: started after the snapshot if one did, else the
    // last one before the commit.
    // A callback that only touches its own variables is folded into the invalidation's first
    // step, which then raises cb_done without a visible change of cb_pending.
    let starts = Array(Set(changes("cb_pending[\(va)]", up: true) + changes("cb_done[\(va)]", up: true).filter {
      steps.steps[$0].actionName.contains("mn_itree_inv_start_range")
    })).sorted()
    let start =
      starts.last { $0 > (begin ?? -1) && $0 < k } ?? starts.first { $0 > k }
      ?? starts.last { $0 < k }
    var returned: Int?
    var setSeq: Int?
    var inv: Int?
    if let s = start {
      let i = steps.steps[s].thread
      inv = i
      returned = changes("cb_done[\(va)]", up: true).first { $0 >= s && steps.steps[$0].thread == i }
        ?? changes("cb_pending[\(va)]", up: false).first { $0 > s && steps.steps[$0].thread == i }
      setSeq =
        find("mmu_interval_set_seq", thread: i, in: s..<(returned ?? steps.steps.count)).first
    }
    guard let r = begin else { return out }
    let retry = driverRetries(thread: t, in: r..<k).last
    if retry == nil {
      let later = driverRetries(thread: t, in: k..<steps.steps.count).first
      if let later {
        out.append(
          "the device PTE was committed at \(n(k)) before the retry check at \(n(later)): "
            + "a retry after the commit cannot undo it")
      } else {
        out.append(
          "the commit at \(n(k)) used what hmm_range_fault found after mmu_interval_read_begin at "
            + "\(n(r)), with no mmu_interval_read_retry in between"
            + (start.map { ", so the invalidation started at \(n($0)) went unnoticed" } ?? ""))
      }
    }
    if let s = start, let i = inv {
      let inEnd = find("mn_itree_inv_end", thread: i, in: s..<steps.steps.count).first
      if r > s, r < (inEnd ?? Int.max), find("await", thread: t, in: r..<k).isEmpty {
        let ends = inEnd.map { "it ends at \(n($0))" } ?? "it is still open at the end"
        out.append(
          "mmu_interval_read_begin at \(n(r)) returned while the invalidation started at "
            + "\(n(s)) was open (\(ends)) and did not wait for it, so the retry check compared "
            + "against the sequence of that invalidation")
      }
      if let c = returned, setSeq == nil, c < k, r < s {
        out.append(
          "the commit at \(n(k)) happened after the callback of the invalidation started at "
            + "\(n(s)) returned (\(n(c))), but the sequence the fault read at \(n(r)) was never "
            + "changed: the callback did not call mmu_interval_set_seq")
      }
      if let x = retry, let y = setSeq, y > x, !holdsMutex(t, before: x) {
        out.append(
          "mmu_interval_read_retry at \(n(x)) ran without the driver lock, so the callback's "
            + "mmu_interval_set_seq at \(n(y)) was not seen")
      }
      if let y = setSeq, !holdsMutex(i, before: y), let x = retry,
        !holdsMutex(t, before: x) || y > x
      {
        if holdsMutex(t, before: x) {
          out.append(
            "the callback's mmu_interval_set_seq at \(n(y)) ran without the driver lock, so it "
              + "did not wait for the fault's retry check (\(n(x))) and commit (\(n(k)))")
        }
      }
      if let c = returned, k < c {
        let zapped = steps.steps[s..<c].contains {
          $0.thread == i && $0.changes.contains { $0.name == "dpte_frame[\(va)]" }
        }
        if !zapped {
          let later = steps.steps[c...].first {
            $0.thread == i && $0.changes.contains { $0.name == "dpte_frame[\(va)]" }
          }
          out.append(
            "the callback of the invalidation started at \(n(s)) returned (\(n(c))) without "
              + "clearing page \(va)'s device PTE, committed at \(n(k))"
              + (later.map { "; it cleared it only at step \($0.number), after returning" } ?? ""))
        }
      }
    }
    return out
  }
}
