import Explorer
import HMMModel
import Foundation

/// Renders results as text for people.
package struct TextReport {
  package var z3Version: String
  package init(z3Version: String) { self.z3Version = z3Version }

  /// The verdict line, statistics and, for a failure, the counterexample.
  package func render(_ r: ScenarioResult) -> String {
    var out = "\(r.specPath) · \(r.scenario.name): \(verdictText(r)), \(statusText(r))\n"
    let s = r.outcome.statistics
    out += "  states \(grouped(s.states)) · transitions \(grouped(s.transitions)) · depth \(s.depth)"
    out += " · \(String(format: "%.2f", s.seconds)) s · \(grouped(Int(s.statesPerSecond))) states/s"
    out += " · peak memory \(mebibytes(r.maxRSSBytes)) (engine \(mebibytes(s.peakMemoryBytes)))\n"
    if s.collisionProbability > 0 {
      out += "  fingerprint collision probability \(String(format: "%.1e", s.collisionProbability))\n"
    }
    if case .internalError(let message) = r.status {
      out += "  internal error: \(message)\n"
    }
    if let trace = r.outcome.trace, case .failed(let failure) = r.outcome.verdict {
      out += counterexample(trace, failure: failure, result: r)
    }
    return out
  }

  func verdictText(_ r: ScenarioResult) -> String {
    switch r.outcome.verdict {
    case .holds: return "holds"
    case .inconclusive(let reason): return "inconclusive (\(reason))"
    case .failed(.deadlock): return "deadlock"
    case .failed(.property(let i)):
      let p = r.scenario.model.properties[i]
      return "violates \(p.name) (\(p.summary))"
    case .failed(.modelError(let message)):
      let name = assertionProperty(message)
      return name == "assert" ? "model error: \(message)" : "violates \(name) (\(message))"
    }
  }

  func statusText(_ r: ScenarioResult) -> String {
    let expected: String
    switch r.scenario.expectation {
    case .holds: expected = "holds"
    case .deadlock: expected = "deadlock"
    case .violates(let p): expected = "violates \(p)"
    }
    switch r.status {
    case .met: return "as expected"
    case .inconclusive: return "expected \(expected): limit reached"
    case .internalError: return "INTERNAL ERROR"
    default: return "UNEXPECTED (expected \(expected))"
    }
  }

  // MARK: Counterexample

  func counterexample(_ trace: Trace, failure: Failure, result r: ScenarioResult) -> String {
    let model = r.scenario.model
    let validation = r.z3Validated ? ", validated with Z3 \(z3Version)" : ""
    var out = "  counterexample: \(trace.actions.count) steps\(validation)\n"
    let width = min(28, model.threads.map(\.name.count).max() ?? 8)
    for (i, a) in trace.actions.enumerated() {
      let action = model.actions[a]
      let thread = model.threads[action.thread].name
      out += String(format: "  %3d  ", i + 1) + pad(thread, width) + "  " + action.name + "\n"
      out += "         at " + location(action.origin) + "\n"
      let before = trace.states[i]
      let after = trace.states[i + 1]
      let changes = changedVariables(model, before, after, action: action)
      if !changes.isEmpty {
        out += "         " + changes.joined(separator: ", ") + "\n"
      }
    }
    out += explanation(trace, failure: failure, result: r)
    return out
  }

  /// The call chain that led to the action, outermost first (`Specs/x.hmm:22 →
  /// <kernel>/prelude.hmm:390 → ...`), and the Linux source a kernel action models.
  func location(_ origin: ActionOrigin) -> String {
    var steps: [String] = []
    for (i, anchor) in origin.callers.enumerated() {
      let callee = i < origin.callees.count ? " \(origin.callees[i])()" : ""
      steps.append("\(anchor.file):\(anchor.line)\(callee)")
    }
    steps.append("\(origin.site.file):\(origin.site.line)")
    var text = steps.joined(separator: " → ")
    if let linux = origin.linux { text += "  [linux \(linux)]" }
    return text
  }

  /// The variables an action changed, as `name: old → new`. Program counters, call
  /// temporaries and the resets of a returning function's locals are left out.
  func changedVariables(_ model: IRModel, _ before: [Int], _ after: [Int], action: IRAction) -> [String] {
    var out: [String] = []
    let pcs = Set(model.threads.map(\.pc.index))
    let returning = action.name.hasPrefix("return from ")
    for i in model.variables.indices where before[i] != after[i] && !pcs.contains(i) {
      let v = model.variables[i]
      if v.name.contains("()") || v.name.hasSuffix(".return") { continue }
      if let owner = v.owner, let scope = v.scope, !model.threads[owner].name.hasPrefix(scope + "#") {
        continue
      }
      if v.owner != nil && returning && after[i] == v.initial { continue }
      out.append("\(v.name): \(v.render(before[i])) → \(v.render(after[i]))")
    }
    return out
  }

  /// Why the last state fails: for a property, the variables it reads with the step that
  /// last set each; for a deadlock, what every thread waits for and who holds the locks.
  func explanation(_ trace: Trace, failure: Failure, result r: ScenarioResult) -> String {
    let model = r.scenario.model
    guard let last = trace.states.last else { return "" }
    switch failure {
    case .property(let index):
      let p = model.properties[index]
      var reads = Set<VarID>()
      p.expr.collectReads(into: &reads)
      var out = "  \(p.name) is false in the last state; what it reads:\n"
      for v in reads.sorted() where last[v.index] != model.variables[v.index].initial {
        out += "    \(model.variables[v.index].name) = \(model.variables[v.index].render(last[v.index]))"
        if let step = lastChange(of: v.index, in: trace) {
          let a = model.actions[trace.actions[step]]
          out += ", since step \(step + 1) (\(model.threads[a.thread].name): \(a.name))"
        }
        out += "\n"
      }
      return out
    case .deadlock:
      var out = "  no thread can move:\n"
      for b in r.outcome.blocked {
        let names = b.waitingActions.map { model.actions[$0].name }
        let origin = b.waitingActions.first.map { location(model.actions[$0].origin) } ?? ""
        out += "    \(model.threads[b.thread].name) waits in \(names.joined(separator: " / ")) at \(origin)\n"
      }
      for (i, v) in model.variables.enumerated() where v.valueNames?.first == "unlocked" && last[i] != 0 {
        out += "    \(v.name) is \(v.render(last[i]))\n"
      }
      return out
    case .modelError(let message):
      return "  the last step fails: \(message)\n"
    }
  }

  func lastChange(of variable: Int, in trace: Trace) -> Int? {
    for i in stride(from: trace.actions.count - 1, through: 0, by: -1)
    where trace.states[i][variable] != trace.states[i + 1][variable] {
      return i
    }
    return nil
  }
}

func grouped(_ n: Int) -> String {
  let s = String(n)
  var out = ""
  for (i, ch) in s.reversed().enumerated() {
    if i > 0 && i % 3 == 0 && ch != "-" { out.append(",") }
    out.append(ch)
  }
  return String(out.reversed())
}

func mebibytes(_ bytes: Int) -> String {
  String(format: "%.1f MiB", Double(bytes) / 1_048_576)
}

func pad(_ s: String, _ width: Int) -> String {
  s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}
