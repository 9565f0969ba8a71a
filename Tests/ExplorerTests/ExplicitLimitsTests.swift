import HMMModel
import Testing

@testable import Explorer

@Suite("Explicit engine: limits end in inconclusive, never holds")
struct ExplicitLimitsTests {
  /// 11^4 = 14641 states.
  static let model = ExplicitToys.counters(threads: 4, upTo: 9)

  @Test(arguments: [false, true])
  func stateLimit(exact: Bool) throws {
    let outcome = exploreExplicitly(Self.model, exact: exact, limits: .init(maxStates: 1000))
    guard case .inconclusive(let reason) = outcome.verdict else {
      Issue.record("expected inconclusive, got \(outcome.verdict)")
      return
    }
    #expect(reason.contains("1000"))
    #expect(outcome.statistics.states == 1000)
    #expect(outcome.statistics.depth > 0 && outcome.statistics.depth < 40)
    #expect(outcome.trace == nil)
  }

  @Test func stateLimitEqualToTheStateCountStillHolds() {
    let exactCount = ExplicitToys.countersStateCount(threads: 4, upTo: 9)
    let outcome = exploreExplicitly(Self.model, exact: false, limits: .init(maxStates: exactCount))
    #expect(outcome.verdict == .holds)
    #expect(outcome.statistics.states == exactCount)
  }

  @Test func timeLimit() {
    // 8^7 ≈ 2.1 million states: far more than the 2048 expanded before the first clock check.
    let big = ExplicitToys.counters(threads: 7, upTo: 6)
    let outcome = exploreExplicitly(big, exact: false, limits: .init(timeLimitSeconds: 0))
    #expect(outcome.verdict == .inconclusive(reason: "time limit reached (0.0 s)"))
    #expect(outcome.statistics.states < ExplicitToys.countersStateCount(threads: 7, upTo: 6))
    #expect(outcome.statistics.states > 2048)
  }

  @Test func stopRequest() {
    let outcome = exploreExplicitly(Self.model, exact: false, shouldStop: { true })
    #expect(outcome.verdict == .inconclusive(reason: "stopped on request"))
    #expect(outcome.statistics.states < 14641)
  }

  @Test(arguments: [false, true])
  func memoryLimit(exact: Bool) {
    let limit = 200_000
    let outcome = exploreExplicitly(Self.model, exact: exact, limits: .init(maxMemoryBytes: limit))
    guard case .inconclusive(let reason) = outcome.verdict else {
      Issue.record("expected inconclusive, got \(outcome.verdict)")
      return
    }
    #expect(reason.hasPrefix("memory limit reached"))
    #expect(outcome.statistics.states < 14641)
    // Stopped before the growth that would pass the limit, not long before it.
    #expect(outcome.statistics.peakMemoryBytes <= limit)
    #expect(outcome.statistics.peakMemoryBytes > limit / 4)
    #expect(outcome.statistics.states > 1000)
  }

  @Test func memoryLimitBelowTheFirstAllocations() {
    let outcome = exploreExplicitly(Self.model, exact: false, limits: .init(maxMemoryBytes: 1000))
    #expect(outcome.verdict.isInconclusive)
    #expect(outcome.statistics.states == 1)
  }

  @Test func aFailureFoundBeforeALimitIsStillReported() {
    let outcome = exploreExplicitly(
      ExplicitToys.lockMutex(broken: true), exact: false, limits: .init(maxStates: 1_000))
    #expect(outcome.verdict == .failed(.property(index: 0)))
  }
}

private extension Verdict {
  var isInconclusive: Bool {
    if case .inconclusive = self { return true }
    return false
  }
}
