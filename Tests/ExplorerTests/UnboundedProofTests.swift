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
    guard case .unbounded(.abstraction, 1, 1)? = outcome.solver?.proof else {
      Issue.record("\(String(describing: outcome.solver?.proof))")
      return
    }
  }

  @Test("x ≤ 1 holds when the thread runs once but not when it repeats")
  func boundedOnlyRefuted() {
    let model = adder(step: 1, property: .binary(.le, .variable(VarID(0)), .int(1)))
    #expect(ExplicitExplorer(model: model).run().verdict == .holds)
    let outcome = UnboundedProof(model: model, seeds: ["x"]).run()
    #expect(outcome.verdict == reachableFailure)
    // By the abstraction: x = 0, 1, then "at least 2" is unsafe, and the run is real.
    #expect(
      outcome.solver?.notes.contains { $0.hasPrefix("refuted: the repeating model reaches") }
        == true, "\(outcome.solver?.notes ?? [])")
  }

  @Test("without the abstraction, Spacer proves x even (the other methods still run)")
  func spacerWithoutAbstraction() {
    let even = IRExpr.binary(.eq, .binary(.mod, .variable(VarID(0)), .int(2)), .int(0))
    var proof = UnboundedProof(model: adder(step: 2, property: even), seeds: ["x"])
    proof.abstractionWindows = []
    let outcome = proof.run()
    #expect(outcome.verdict == .holds, "\(outcome.verdict) \(outcome.solver?.notes ?? [])")
    switch outcome.solver?.proof {
    case .unbounded(.inductiveInvariants, 1, 1)?, .unbounded(.spacer, 1, 1)?: break
    default: Issue.record("\(String(describing: outcome.solver?.proof))")
    }
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

/// The verdict of an unbounded proof when the repeating model reaches a failure.
private let reachableFailure = Verdict.inconclusive(
  reason: "not proved (unbounded): a failure is reachable")

@Suite("unbounded proof on the hmm.rst pattern")
struct UnboundedProofTests {
  @Test("hmm.rst with 1 page, 1 fault and 1 munmap, all repeating: proved (unbounded)")
  func hmmRstProved() throws {
    let model = try shippedScenario("Specs/hmm-rst-unbounded.hmm", "unbounded_munmap").model
    let outcome = UnboundedProof(model: model, seeds: sequenceCounters).run()
    #expect(outcome.verdict == .holds, "\(outcome.verdict) \(outcome.solver?.notes ?? [])")
    guard case .unbounded(.abstraction(let states, let window), let threads, let variables)? =
      outcome.solver?.proof
    else {
      Issue.record("\(String(describing: outcome.solver?.proof))")
      return
    }
    #expect(states > 100)
    #expect(window == 4)
    #expect(threads == 2)
    #expect(variables > 2)
    #expect(outcome.solver?.z3Version == Z3Context.version)
    #expect(outcome.solver?.notes.contains { $0.hasPrefix("proof: the abstraction") } == true)
  }

  @Test(
    "a broken driver in the same configuration: the unbounded method alone refutes it",
    arguments: brokenDrivers)
  func brokenNotProved(path: String) throws {
    let model = try unboundedVariant(path)
    #expect(ExplicitExplorer(model: model).run().verdict.failure != nil)
    var proof = UnboundedProof(model: model, seeds: sequenceCounters)
    proof.explicitFirst = false
    let outcome = proof.run()
    #expect(outcome.verdict == reachableFailure, "\(path): \(outcome.solver?.notes ?? [])")
    #expect(outcome.solver?.proof == ProofStrength.none)
    #expect(outcome.solver?.notes.contains { $0.hasPrefix("refuted: the repeating model") } == true)
  }

  @Test("a driver that re-checks the sequence only on its first populate: holds when each thread runs once, refuted when they repeat")
  func firstRunOnlyRefuted() throws {
    let model = try shippedScenario("Specs/retry-check-first-run-only.hmm", "one_populate").model
    #expect(ExplicitExplorer(model: model).run().verdict == .holds)
    let outcome = UnboundedProof(model: model, seeds: sequenceCounters).run()
    #expect(outcome.verdict == reachableFailure, "\(outcome.solver?.notes ?? [])")
    let refutation = try #require(outcome.solver?.notes.first { $0.hasPrefix("refuted:") })
    // The run commits once, repeats the populate, and commits again after the munmap.
    #expect(refutation.contains("repeat: run driver_populate_range#1 again"))
    #expect(refutation.contains("P3 is false"))
  }
}

@Suite("unbounded proof: the abstraction of the sequence numbers")
struct SequenceAbstractionTests {
  @Test("every observed state lies in the concretization of its abstract state, and in no other")
  func concretizationContainsState() throws {
    let model = try shippedScenario("Specs/hmm-rst-unbounded.hmm", "unbounded_munmap").model
    let repeating = RepeatingModel(model, seeds: sequenceCounters)
    let reference = try #require(
      repeating.model.variables.firstIndex { $0.name == "invalidate_seq" })
    let abstraction = SequenceAbstraction(
      model: repeating.model, relevant: repeating.relevant, sequences: repeating.unboundedAbove,
      reference: VarID(reference), window: 4)
    var mining = repeating.model
    for v in repeating.unboundedAbove { mining.variables[v.index].type = .int(lo: 0, hi: 40) }
    let states = InvariantMiner.reachable(mining, maxStates: 3_000)
    #expect(states.count == 3_000)
    let context = Z3Context()
    let encoder = try SymbolicEncoder(
      model: repeating.model, context: context,
      integers: .mathematical(unboundedAbove: repeating.unboundedAbove))
    let solver = try Z3Solver(context: context)
    var abstracts = Set<SequenceAbstraction.AbstractState>()
    for state in states.prefix(300) {
      let abstract = abstraction.abstract(state)
      abstracts.insert(abstract)
      try solver.push()
      try solver.assert(encoder.state(state, at: 0))
      try solver.assert(abstraction.concretization(abstract, encoder, at: 0))
      #expect(try solver.check() == .sat)
      try solver.pop()
    }
    // Two different abstract states share no concrete state.
    let distinct = Array(abstracts.prefix(20))
    for (i, a) in distinct.enumerated() {
      for b in distinct[(i + 1)...] {
        try solver.push()
        try solver.assert(abstraction.concretization(a, encoder, at: 0))
        try solver.assert(abstraction.concretization(b, encoder, at: 0))
        #expect(try solver.check() == .unsat)
        try solver.pop()
      }
    }
    // States far apart in their sequence numbers but alike otherwise share an abstract state.
    let shifted = states.first { s in
      repeating.unboundedAbove.allSatisfy { s[$0.index] == 0 || s[$0.index] >= 1 }
        && s[reference] >= 6
    }
    if let shifted {
      var far = shifted
      for v in repeating.unboundedAbove where far[v.index] != 0 { far[v.index] += 1_000_000 }
      #expect(abstraction.abstract(far) == abstraction.abstract(shifted))
    } else {
      Issue.record("no state with the mm's sequence at 6 or more among \(states.count)")
    }
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
