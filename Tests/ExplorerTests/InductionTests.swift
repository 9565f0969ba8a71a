import HMMModel
import Testing

@testable import Explorer

@Suite("k-induction")
struct InductionTests {
  @Test("the hmm.rst pattern as lowered (1 page, 1 fault, 1 munmap): proved for all depths by the abstraction of its sequence numbers")
  func hmmRstByAbstraction() throws {
    let model = try shippedScenario("Specs/hmm-rst-unbounded.hmm", "unbounded_munmap").model
    var options = SymbolicOptions()
    options.sequenceCounters = ["invalidate_seq", "interval_sub.invalidate_seq"]
    let outcome = KInduction(model: model, options: options).run()
    #expect(outcome.verdict == .holds, "\(outcome.verdict) \(outcome.solver?.notes ?? [])")
    guard case .allDepths(.abstraction(let states, let window))? = outcome.solver?.proof else {
      Issue.record("\(String(describing: outcome.solver?.proof))")
      return
    }
    #expect(states > 100)
    #expect(window == 4)
  }

  @Test("Peterson's algorithm (looping forever) is proved for all depths with mined invariants")
  func petersonProved() {
    let outcome = KInduction(model: ExplicitToys.peterson(), options: SymbolicOptions(depth: 6))
      .run()
    #expect(outcome.verdict == .holds, "\(outcome.verdict) \(outcome.solver?.notes ?? [])")
    guard case .allDepths(.kInduction(let k, let invariants))? = outcome.solver?.proof else {
      Issue.record("no proof recorded: \(String(describing: outcome.solver))")
      return
    }
    #expect(k >= 1 && k <= 6)
    #expect(invariants > 0)
    #expect(outcome.solver?.z3Version == Z3Context.version)
  }

  @Test("without auxiliary invariants and with k ≤ 1, Peterson is not proved, and says why")
  func petersonNotProvedWithoutInvariants() {
    let outcome = KInduction(
      model: ExplicitToys.peterson(), options: SymbolicOptions(depth: 1), miningStates: 0
    ).run()
    guard case .inconclusive(let reason) = outcome.verdict else {
      Issue.record("expected inconclusive, got \(outcome.verdict)")
      return
    }
    #expect(reason.contains("not proved"))
    let notes = outcome.solver?.notes ?? []
    #expect(notes.contains { $0.contains("counterexample to induction (k = 1)") }, "\(notes)")
    #expect(notes.contains { $0.contains("mutex") }, "\(notes)")
  }

  @Test("a broken lock: the base case reports the explicit engine's shortest violation")
  func brokenLockRefuted() throws {
    let model = ExplicitToys.lockMutex(broken: true)
    let explicit = ExplicitExplorer(model: model).run()
    let outcome = KInduction(model: model, options: SymbolicOptions(depth: 8)).run()
    #expect(outcome.verdict == explicit.verdict)
    let trace = try #require(outcome.trace)
    #expect(trace.actions.count == explicit.trace?.actions.count)
    let failure = try #require(outcome.verdict.failure)
    #expect(try TraceValidator(model: model).validate(trace, failure: failure) == .valid)
  }

  @Test("a solver timeout ends in inconclusive, never in holds")
  func timeoutIsInconclusive() {
    var options = SymbolicOptions(depth: 6)
    options.solverTimeoutSeconds = 0.000_001
    let outcome = BoundedModelChecker(model: ExplicitToys.peterson(), options: options).run()
    if case .inconclusive = outcome.verdict {
      #expect(outcome.solver?.seed == 0)
    } else {
      // Z3 may answer trivial checks before looking at the clock; it must never claim more
      // than the bounded result.
      #expect(outcome.verdict == .holdsUpTo(depth: 6))
    }
  }
}
