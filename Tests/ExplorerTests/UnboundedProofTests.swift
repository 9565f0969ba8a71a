import Foundation
import HMMModel
import Testing

@testable import Explorer

/// The kernel's sequence counters, as `hmm-check --unbounded` names them.
private let sequenceCounters = ["invalidate_seq", "interval_sub.invalidate_seq"]

/// The small configuration of `Specs/hmm-rst-unbounded.hmm` with the driver of the broken
/// spec at `path`: its text up to its first scenario, then that scenario.
func unboundedVariant(_ path: String) throws -> IRModel {
  let rst = try shippedScenario("Specs/hmm-rst-unbounded.hmm", "unbounded_munmap")
  let text = try String(contentsOfFile: "\(repositoryRoot)/\(path)", encoding: .utf8)
  let rstText = try String(
    contentsOfFile: "\(repositoryRoot)/Specs/hmm-rst-unbounded.hmm", encoding: .utf8)
  let driver = try #require(text.range(of: "\nscenario ")).lowerBound
  let scenario = try #require(rstText.range(of: "\nscenario unbounded_munmap")).lowerBound
  let spec = try SpecLoader.load(
    path: path, text: String(text[..<driver]) + String(rstText[scenario...]))
  let lowered = try #require(spec.scenarios.first)
  #expect(lowered.model.threads.map(\.name) == rst.model.threads.map(\.name))
  #expect(!lowered.model.variables.contains { $0.name == "pte[1]" })
  return lowered.model
}

private let repositoryRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

@Suite("unbounded proof: the repeating model")
struct RepeatingModelTests {
  @Test("each thread gets a repeat action from its final pc that resets its locals")
  func repeatActions() throws {
    let model = try shippedScenario("Specs/hmm-rst-unbounded.hmm", "unbounded_munmap").model
    let repeating = RepeatingModel(model, seeds: sequenceCounters)
    #expect(repeating.model.actions.count == model.actions.count + model.threads.count)
    for (thread, index) in repeating.repeatActions.enumerated() {
      let action = repeating.model.actions[index]
      #expect(action.thread == thread)
      #expect(action.fromPC == model.threads[thread].finalPC)
      let pc = model.threads[thread].pc
      #expect(
        action.effects.contains(.assign(.variable(pc), .int(model.threads[thread].initialPC))))
      for (v, variable) in model.variables.enumerated()
      where variable.owner == thread && VarID(v) != pc
        && repeating.relevant.contains(VarID(v))
      {
        #expect(action.effects.contains(.assign(.variable(VarID(v)), .int(variable.initial))))
      }
    }
  }

  @Test("the sequence counters and their copies are unbounded, nothing else")
  func unboundedClosure() throws {
    let model = try shippedScenario("Specs/hmm-rst-unbounded.hmm", "unbounded_munmap").model
    let repeating = RepeatingModel(model, seeds: sequenceCounters)
    let names = Set(repeating.unboundedAbove.map { model.variables[$0.index].name })
    #expect(names.contains("invalidate_seq"))
    #expect(names.contains("interval_sub.invalidate_seq"))
    #expect(names.contains("driver_populate_range#1.range.notifier_seq"))
    #expect(names.contains("munmap#1.invalidate.cur_seq"))
    #expect(!names.contains("active_invalidate_ranges"))
    #expect(!names.contains("driver_populate_range#1.ret"))
  }

}

/// One thread adds `step` to `x` (domain 0...4, start 0) once and finishes; P1 is `property`.
private func adder(step: Int, property: IRExpr) -> IRModel {
  typealias M = SymbolicTestModels
  return IRModel(
    name: "adder",
    variables: [
      IRVariable(name: "x", type: .int(lo: 0, hi: 4), initial: 0),
      IRVariable(name: "t.pc", type: .int(lo: 0, hi: 1), initial: 0, owner: 0),
    ],
    threads: [IRThread(name: "t", pc: VarID(1), pcCount: 2, initialPC: 0, finalPC: 1)],
    actions: [
      M.action(
        "add", thread: 0, from: 0,
        [M.assign(0, .binary(.add, M.variable(0), .int(step))), M.setPC(1, 1)])
    ],
    properties: [M.property("P1", "the property", property)],
    checkDeadlock: false)
}

@Suite("unbounded proof (Spacer) on toy models")
struct UnboundedToyTests {
  @Test("x grows by 2 on every repetition: x even is proved (unbounded)")
  func evenProved() {
    let even = IRExpr.binary(.eq, .binary(.mod, .variable(VarID(0)), .int(2)), .int(0))
    let outcome = UnboundedProof(model: adder(step: 2, property: even), seeds: ["x"]).run()
    #expect(outcome.verdict == .holds, "\(outcome.verdict) \(outcome.solver?.notes ?? [])")
    guard case .unbounded(_, _, 1, 1)? = outcome.solver?.proof else {
      Issue.record("\(String(describing: outcome.solver?.proof))")
      return
    }
  }

  @Test("x ≤ 1 holds when the thread runs once but not when it repeats")
  func boundedOnlyRefuted() {
    let model = adder(step: 1, property: .binary(.le, .variable(VarID(0)), .int(1)))
    #expect(ExplicitExplorer(model: model).run().verdict == .holds)
    let outcome = UnboundedProof(model: model, seeds: ["x"]).run()
    #expect(
      outcome.verdict == .inconclusive(reason: "not proved (unbounded): a failure is reachable"))
  }

  @Test("a bound that repetition exceeds without a seed is a model error, so not proved")
  func domainStillChecked() {
    // The property reads x, so the slice keeps it (and its domain check).
    let model = adder(step: 1, property: .binary(.ge, .variable(VarID(0)), .int(0)))
    #expect(ExplicitExplorer(model: model).run().verdict == .holds)
    let outcome = UnboundedProof(model: model, seeds: []).run()
    guard case .inconclusive = outcome.verdict else {
      Issue.record("\(outcome.verdict)")
      return
    }
  }
}

/// Known-bad drivers whose bug the small configuration shows.
private let brokenDrivers = [
  "Specs/broken/no-set-seq.hmm", "Specs/broken/no-read-retry.hmm",
  "Specs/broken/retry-without-lock.hmm",
]

/// The unbounded proof of a shipped scenario takes minutes in a debug build: these run when
/// `HMM_SLOW_TESTS` is set (`Scripts/crosscheck.sh` sets it).
@Suite(
  "unbounded proof on the hmm.rst pattern",
  .enabled(if: ProcessInfo.processInfo.environment["HMM_SLOW_TESTS"] != nil))
struct UnboundedProofTests {
  @Test("hmm.rst with 1 page, 1 fault and 1 munmap, all repeating: proved (unbounded)")
  func hmmRstProved() throws {
    let model = try shippedScenario("Specs/hmm-rst-unbounded.hmm", "unbounded_munmap").model
    let outcome = UnboundedProof(
      model: model, options: SymbolicOptions(solverTimeoutSeconds: 900), seeds: sequenceCounters
    ).run()
    // Never proved wrongly: anything but `holds` is inconclusive, not a failure.
    #expect(outcome.verdict.failure == nil, "\(outcome.verdict)")
    withKnownIssue(
      "the unbounded proof of unbounded_munmap does not complete yet (Docs/Z3Engine.md)"
    ) {
      #expect(outcome.verdict == .holds, "\(outcome.verdict) \(outcome.solver?.notes ?? [])")
    }
    guard case .unbounded(let lemmas, _, let threads, let variables)? = outcome.solver?.proof
    else { return }
    #expect(lemmas > 0)
    #expect(threads == 2)
    #expect(variables > 2)
    #expect(outcome.solver?.z3Version == Z3Context.version)
  }

  @Test(
    "a broken driver in the same configuration: the unbounded method alone does not prove it",
    arguments: brokenDrivers)
  func brokenNotProved(path: String) throws {
    let model = try unboundedVariant(path)
    #expect(ExplicitExplorer(model: model).run().verdict.failure != nil)
    var proof = UnboundedProof(
      model: model, options: SymbolicOptions(solverTimeoutSeconds: 300), seeds: sequenceCounters)
    proof.explicitFirst = false
    let outcome = proof.run()
    #expect(outcome.verdict != .holds, "\(path) proved: \(outcome.solver?.notes ?? [])")
    #expect(outcome.solver?.proof == ProofStrength.none)
  }
}

@Suite("unbounded proof: broken drivers are refuted")
struct UnboundedRefutationTests {
  @Test(
    "a broken driver in the same configuration: refuted with the explicit engine's trace",
    arguments: brokenDrivers)
  func brokenRefuted(path: String) throws {
    let model = try unboundedVariant(path)
    let outcome = UnboundedProof(model: model, seeds: sequenceCounters).run()
    #expect(outcome.verdict.failure != nil, "\(path): \(outcome.verdict)")
    let trace = try #require(outcome.trace)
    let failure = try #require(outcome.verdict.failure)
    #expect(try TraceValidator(model: model).validate(trace, failure: failure) == .valid)
    #expect(outcome.solver?.proof == ProofStrength.none)
  }
}
