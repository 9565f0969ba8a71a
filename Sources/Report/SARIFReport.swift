import Explorer
import HMMModel

/// SARIF 2.1.0 for code-scanning services: one result per violated property (or deadlock)
/// per scenario, located at the spec line of the failing step, with a `codeFlow` holding one
/// `threadFlow` per thread whose `executionOrder` gives the interleaving.
///
/// A failure the scenario expects (a known-bad spec) is a `note`; an unexpected one an
/// `error`. Kernel steps are located at the spec line that called into the kernel, or at the
/// scenario, and their kernel and Linux lines are in the step's message.
package enum SARIFReport {
  /// Renders `results` as one SARIF run.
  package static func render(_ results: [ScenarioResult], version: String) -> String {
    var ruleIDs: [String] = []
    var rules: [JSONValue] = []
    var out: [JSONValue] = []
    for r in results {
      guard let name = r.failureName, let summary = r.failureSummary else { continue }
      if !ruleIDs.contains(name) {
        ruleIDs.append(name)
        rules.append(
          .object([
            ("id", .string(name)), ("name", .string(name)),
            ("shortDescription", .object([("text", .string(summary))])),
          ]))
      }
      out.append(result(r, ruleIndex: ruleIDs.firstIndex(of: name) ?? 0))
    }
    return JSONValue.object([
      ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
      ("version", .string("2.1.0")),
      (
        "runs",
        .array([
          .object([
            (
              "tool",
              .object([
                (
                  "driver",
                  .object([
                    ("name", .string("hmm-check")), ("version", .string(version)),
                    ("informationUri", .string("https://docs.kernel.org/mm/hmm.html")),
                    ("rules", .array(rules)),
                  ])
                )
              ])
            ),
            ("results", .array(out)),
          ])
        ])
      ),
    ]).rendered() + "\n"
  }

  static func location(_ uri: String, _ line: Int, message: String? = nil) -> JSONValue {
    var fields: [(String, JSONValue)] = [
      (
        "physicalLocation",
        .object([
          (
            "artifactLocation",
            .object([("uri", .string(uri.hasPrefix("/") ? "file://" + uri : uri))])
          ),
          ("region", .object([("startLine", .int(max(1, line)))])),
        ])
      )
    ]
    if let message { fields.append(("message", .object([("text", .string(message))]))) }
    return .object(fields)
  }

  static func result(_ r: ScenarioResult, ruleIndex: Int) -> JSONValue {
    let steps = r.outcome.trace.map { TraceSteps(model: r.scenario.model, trace: $0) }
    let anchor = r.failureAnchor(steps)
    var text = "\(r.scenario.name): \(r.failureSummary ?? "")"
    if let steps, case .failed(.property(let i)) = r.outcome.verdict {
      let d = TraceDiagnosis(steps, property: r.scenario.model.properties[i].name)
      if let k = d.staleStep { text += "; stale device PTE committed at step \(k + 1)" }
      if let f = d.freeStep {
        text += d.freed ? ", frame freed at step \(f + 1)" : ", CPU PTE changed at step \(f + 1)"
      }
      if !d.causes.isEmpty { text += ". Likely cause: " + d.causes.joined(separator: "; ") }
    }
    text +=
      r.status == .met
      ? " (expected by the scenario)" : " (unexpected: the scenario expects \(r.expectationText))"
    var fields: [(String, JSONValue)] = [
      ("ruleId", .string(r.failureName ?? "failure")), ("ruleIndex", .int(ruleIndex)),
      ("level", .string(r.status == .met ? "note" : "error")),
      ("message", .object([("text", .string(text))])),
      ("locations", .array([location(anchor.file, anchor.line)])),
    ]
    if let steps {
      fields.append(("codeFlows", .array([codeFlow(steps, scenario: r.scenario)])))
    }
    fields.append(
      (
        "partialFingerprints",
        .object([
          (
            "hmmCheckScenario/v1",
            .string("\(r.specPath)#\(r.scenario.name)#\(r.failureName ?? "")")
          )
        ])
      ))
    return .object(fields)
  }

  static func codeFlow(_ steps: TraceSteps, scenario: LoweredScenario) -> JSONValue {
    var threads: [Int] = []
    for s in steps.steps where !threads.contains(s.thread) { threads.append(s.thread) }
    let flows = threads.map { t -> JSONValue in
      let locations = steps.steps.filter { $0.thread == t }.map { s -> JSONValue in
        let anchor = s.specAnchor ?? scenario.anchor
        var message = "step \(s.number): \(s.actionName)"
        if let k = s.kernelAnchor { message += " (\(k.file):\(k.line))" }
        if let linux = s.linux { message += " [linux \(linux)]" }
        var fields: [(String, JSONValue)] = [
          ("location", location(anchor.file, anchor.line, message: message)),
          ("executionOrder", .int(s.number)),
        ]
        if !s.changes.isEmpty {
          fields.append(
            (
              "state",
              .object(
                s.changes.map {
                  ($0.name, .object([("text", .string("\($0.before) → \($0.after)"))]))
                })
            ))
        }
        return .object(fields)
      }
      return .object([
        ("id", .string(steps.model.threads[t].name)),
        ("message", .object([("text", .string(steps.model.threads[t].name))])),
        ("locations", .array(locations)),
      ])
    }
    return .object([
      (
        "message",
        .object([("text", .string("\(steps.steps.count) steps over \(threads.count) threads"))])
      ),
      ("threadFlows", .array(flows)),
    ])
  }
}
