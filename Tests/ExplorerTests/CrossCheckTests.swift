import Foundation
import HMMModel
import Testing

@testable import Explorer

/// How a cross-check run is configured: the `swift test` default is small; the environment
/// (`Scripts/crosscheck.sh`) asks for the full run.
struct CrossCheckConfiguration {
  var models = 12
  var seed: UInt64 = 2026
  var depth = 6
  /// Every `inductionEvery`-th model is also given to k-induction.
  var inductionEvery = 3

  static var fromEnvironment: CrossCheckConfiguration {
    var configuration = CrossCheckConfiguration()
    let environment = ProcessInfo.processInfo.environment
    if let value = environment["HMM_CROSSCHECK_MODELS"].flatMap(Int.init) {
      configuration.models = value
    }
    if let value = environment["HMM_CROSSCHECK_SEED"].flatMap(UInt64.init) {
      configuration.seed = value
    }
    if let value = environment["HMM_CROSSCHECK_DEPTH"].flatMap(Int.init) {
      configuration.depth = value
    }
    if let value = environment["HMM_CROSSCHECK_INDUCTION_EVERY"].flatMap(Int.init), value > 0 {
      configuration.inductionEvery = value
    }
    return configuration
  }
}

/// What one model's cross-check found.
struct CrossCheckFinding: CustomStringConvertible {
  var model: Int
  var problem: String
  var description: String { "model \(model): \(problem)" }
}

/// Runs the explicit engine, BMC and (for some models) k-induction on seeded random models
/// and compares them.
///
/// Per model: the explicit engine's shortest failure of n steps must be BMC's shortest failure
/// (n steps) when n ≤ depth, and BMC must find nothing up to the depth otherwise; since BMC asks
/// for a failure at every depth 0, 1, …, depth in turn, agreeing on the shortest length is
/// agreeing at every depth. Every trace either engine reports must replay in the other: the
/// explicit engine's is validated with Z3 (`TraceValidator`), BMC's is replayed by the
/// explicit engine (`ExplicitExplorer.replay`) and validated with Z3 too. k-induction must not
/// prove a model the explicit engine refutes, nor fail one it proves.
struct CrossCheck {
  var configuration: CrossCheckConfiguration
  private(set) var verdicts: [String: Int] = [:]
  private(set) var proved = 0
  private(set) var inductionRuns = 0

  init(_ configuration: CrossCheckConfiguration) { self.configuration = configuration }

  mutating func run() -> [CrossCheckFinding] {
    var generator = ExplicitRandomModels(seed: configuration.seed)
    var findings: [CrossCheckFinding] = []
    for index in 0..<configuration.models {
      let model = generator.model(index)
      findings += check(model, index: index)
    }
    return findings
  }

  private mutating func check(_ model: IRModel, index: Int) -> [CrossCheckFinding] {
    var findings: [CrossCheckFinding] = []
    func fail(_ text: String) { findings.append(CrossCheckFinding(model: index, problem: text)) }
    let depth = configuration.depth
    let explicit = ExplicitExplorer(model: model, options: ExplorationOptions(exact: true)).run()
    let options = SymbolicOptions(
      depth: depth, seed: UInt32(truncatingIfNeeded: configuration.seed))
    let bmc = BoundedModelChecker(model: model, options: options).run()
    let explicitLength = explicit.verdict.failure == nil ? nil : explicit.trace?.actions.count
    let bmcLength = bmc.verdict.failure == nil ? nil : bmc.trace?.actions.count
    verdicts[kind(explicit.verdict), default: 0] += 1
    switch (explicit.verdict, bmc.verdict) {
    case (.inconclusive(let reason), _): fail("explicit inconclusive: \(reason)")
    case (_, .inconclusive(let reason)): fail("BMC inconclusive: \(reason)")
    default:
      let expected = explicitLength.flatMap { $0 <= depth ? $0 : nil }
      if expected != bmcLength || (expected == nil && bmc.verdict != .holdsUpTo(depth: depth)) {
        fail(
          "explicit \(explicit.verdict) in \(explicitLength ?? -1) steps, BMC \(bmc.verdict) in \(bmcLength ?? -1) steps"
        )
      }
      if let e = explicit.verdict.failure, let b = bmc.verdict.failure, kind(e) != kind(b),
        !sameLengthAlternatives(e, b)
      {
        fail("explicit \(e), BMC \(b)")
      }
    }
    let validator = TraceValidator(model: model)
    for (name, outcome) in [("explicit", explicit), ("BMC", bmc)] {
      guard let failure = outcome.verdict.failure, let trace = outcome.trace else { continue }
      do {
        let validation = try validator.validate(trace, failure: failure)
        if validation != .valid { fail("\(name) trace rejected by Z3: \(validation)") }
      } catch {
        fail("\(name) trace: Z3 error \(error)")
      }
    }
    if let failure = bmc.verdict.failure, let trace = bmc.trace {
      let replay = ExplicitExplorer(model: model).replay(trace.actions)
      switch (failure, replay) {
      case (.modelError, .failure(let error)):
        if error.trace != trace { fail("BMC model-error trace replays differently: \(error)") }
      case (.modelError, .success(let replayed)):
        // A property that faults in the last state replays fine.
        if replayed != trace { fail("BMC trace replays to different states") }
      case (_, .success(let replayed)):
        if replayed != trace { fail("BMC trace replays to different states") }
      case (_, .failure(let error)):
        fail("BMC trace does not replay: \(error)")
      }
    }
    if index % configuration.inductionEvery == 0 {
      inductionRuns += 1
      let induction = KInduction(
        model: model, options: SymbolicOptions(depth: 4), miningStates: 500
      ).run()
      switch (explicit.verdict, induction.verdict) {
      case (.failed, .holds): fail("k-induction proves a model the explicit engine refutes")
      case (.holds, .failed(let f)): fail("k-induction refutes a model that holds: \(f)")
      case (.failed, .failed):
        if induction.trace?.actions.count != explicitLength {
          fail("k-induction's base case failure is not the shortest")
        }
      case (.holds, .holds): proved += 1
      default: break
      }
    }
    return findings
  }

  /// Among failures of one length the engines may pick different ones, except that both
  /// prefer a property violation or model error to a deadlock.
  private func sameLengthAlternatives(_ a: Failure, _ b: Failure) -> Bool {
    a != .deadlock && b != .deadlock
  }

  private func kind(_ verdict: Verdict) -> String {
    switch verdict {
    case .holds: "holds"
    case .holdsUpTo: "holdsUpTo"
    case .inconclusive: "inconclusive"
    case .failed(let failure): kind(failure)
    }
  }

  private func kind(_ failure: Failure) -> String {
    switch failure {
    case .property: "property"
    case .deadlock: "deadlock"
    case .modelError: "modelError"
    }
  }
}

@Suite("Cross-check: explicit engine, BMC and k-induction on random models")
struct CrossCheckTests {
  @Test("explicit and BMC agree at every depth and replay each other's traces")
  func enginesAgree() {
    let configuration = CrossCheckConfiguration.fromEnvironment
    var crossCheck = CrossCheck(configuration)
    let findings = crossCheck.run()
    let summary =
      "cross-check: \(configuration.models) models, seed \(configuration.seed), depth "
      + "\(configuration.depth), explicit verdicts \(crossCheck.verdicts.sorted { $0.key < $1.key }), "
      + "k-induction runs \(crossCheck.inductionRuns) (proved \(crossCheck.proved)), "
      + "\(findings.count) disagreements"
    print(summary)
    #expect(findings.isEmpty, "\(findings.prefix(10))")
    // Non-vacuity: the generated models exercise every kind of verdict.
    for kind in ["holds", "property", "deadlock", "modelError"] {
      #expect(crossCheck.verdicts[kind, default: 0] > 0, "no model with verdict \(kind)")
    }
  }
}
