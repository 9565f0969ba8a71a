package import Explorer
package import HMMModel
import Foundation

/// Options of `hmm-check check`.
package struct CheckOptions: Sendable {
  package var scenario: String?
  package var exploration = ExplorationOptions()
  package var lowering = LoweringOptions()
  /// Validate every counterexample with Z3 before reporting it.
  package var validateWithZ3 = true
  /// The engine(s) to run and the options of the Z3 engines (`CheckRunner+Engines.swift`).
  package var engines = EngineSelection()
  package init() {}
}

/// Finds spec files, checks their scenarios and compares verdicts with expectations.
package enum CheckRunner {
  /// The `.hmm` files named by `paths` (directories are searched recursively), sorted.
  ///
  /// - Throws: `InputError` for a path that does not exist.
  package static func specFiles(_ paths: [String]) throws(InputError) -> [String] {
    var out: [String] = []
    let fm = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw InputError("\(path): error: no such file or directory")
      }
      if isDirectory.boolValue {
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let found = (fm.enumerator(atPath: path)?.allObjects as? [String] ?? [])
          .filter { $0.hasSuffix(".hmm") }
          .sorted()
          .map { "\(base)/\($0)" }
        if found.isEmpty { throw InputError("\(path): error: no .hmm specs in this directory") }
        out += found
      } else {
        out.append(path)
      }
    }
    return out
  }

  /// Loads a spec file.
  ///
  /// - Throws: `InputError` when it cannot be read, `SpecError` when it has errors.
  package static func load(_ path: String, options: CheckOptions) throws -> LoadedSpec {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError("\(path): error: cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw InputError("\(path): error: the file is not UTF-8 text")
    }
    return try SpecLoader.load(path: path, text: text, options: options.lowering)
  }

  /// Checks one lowered scenario.
  package static func check(
    _ scenario: LoweredScenario, specPath: String, options: CheckOptions,
    shouldStop: @escaping @Sendable () -> Bool = { false },
    progress: ((ExplorationProgress) -> Void)? = nil
  ) -> ScenarioResult {
    // A scenario that expects a failure will have its counterexample validated: the Z3
    // context for that is made while the engines run.
    let pending: PendingZ3Context? =
      options.validateWithZ3 && scenario.expectation != .holds ? PendingZ3Context() : nil
    let (outcome, disagreement) = runEngines(
      scenario.model, options: options, shouldStop: shouldStop, progress: progress)
    var status = compare(outcome.verdict, with: scenario)
    var validated = false
    if case .failed(let failure) = outcome.verdict, let trace = outcome.trace, options.validateWithZ3 {
      do {
        let validator = TraceValidator(model: scenario.model)
        let verdict =
          if let pending {
            try validator.validate(trace, failure: failure, in: pending.take())
          } else {
            try validator.validate(trace, failure: failure)
          }
        switch verdict {
        case .valid: validated = true
        case .invalid(let step, let reason):
          status = .internalError("Z3 rejects the counterexample at step \(step): \(reason)")
        }
      } catch {
        status = .internalError("Z3 failed while validating the counterexample: \(error)")
      }
    }
    if let disagreement { status = .internalError(disagreement) }
    return ScenarioResult(
      specPath: specPath, scenario: scenario, outcome: outcome, status: status, z3Validated: validated,
      maxRSSBytes: ResourceUsage.maxResidentBytes())
  }

  /// Compares a verdict with the scenario's expectation.
  package static func compare(_ verdict: Verdict, with scenario: LoweredScenario) -> ScenarioStatus {
    switch (verdict, scenario.expectation) {
    case (.inconclusive, _): return .inconclusive
    // A bounded search (BMC) meets `holds` within its depth; a failure it did not find may
    // lie deeper, so an expected failure that is not found is inconclusive, not refuted.
    case (.holdsUpTo, .holds): return .met
    case (.holdsUpTo, _): return .inconclusive
    case (.holds, .holds): return .met
    case (.holds, _): return .expectedFailureNotFound
    case (.failed(.deadlock), .deadlock): return .met
    case (.failed(.deadlock), _): return .unexpectedDeadlock
    case (.failed(.property(let index)), .violates(let name)):
      return scenario.model.properties[index].name == name ? .met : .unexpectedViolation
    case (.failed(.modelError), .violates("assert")): return .met
    case (.failed(.modelError(let message)), .violates(let name)):
      return assertionProperty(message) == name ? .met : .unexpectedViolation
    case (.failed, _): return .unexpectedViolation
    }
  }
}

/// A bad path or unreadable file given on the command line.
package struct InputError: Error, Sendable, CustomStringConvertible {
  package var description: String
  package init(_ description: String) { self.description = description }
}

/// Process resource usage.
package enum ResourceUsage {
  /// The peak resident set size of this process so far.
  package static func maxResidentBytes() -> Int {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    return Int(usage.ru_maxrss) * 1024
  }
}

/// The property an assertion checks: a message `NAME: …` (possibly after the engine's
/// "assertion failed: ") names the property; any other failed assertion is `assert`.
package func assertionProperty(_ message: String) -> String {
  var m = Substring(message)
  if m.hasPrefix("assertion failed: ") { m = m.dropFirst("assertion failed: ".count) }
  guard let colon = m.firstIndex(of: ":") else { return "assert" }
  let name = m[..<colon]
  return !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? String(name) : "assert"
}
