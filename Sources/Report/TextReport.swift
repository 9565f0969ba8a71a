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
    if let solver = r.outcome.solver { out += solverText(solver, result: r) }
    if r.outcome.solver.map({ $0.engine.hasPrefix("all") }) ?? true {
      out += "  states \(grouped(s.states)) · transitions \(grouped(s.transitions)) · depth \(s.depth)"
      out += " · \(String(format: "%.2f", s.seconds)) s · \(grouped(Int(s.statesPerSecond))) states/s"
      out += " · peak memory \(mebibytes(r.maxRSSBytes)) (engine \(mebibytes(s.peakMemoryBytes)))\n"
      if s.collisionProbability > 0 {
        out += "  fingerprint collision probability \(String(format: "%.1e", s.collisionProbability))"
        if s.states > 0 && s.storeBytes > 0 {
          let perState = Double(s.storeBytes) / Double(s.states)
          out += " · visited set \(String(format: "%.1f", perState)) bytes/state"
        }
        out += "\n"
      }
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
    case .holds:
      switch r.outcome.solver?.proof {
      case .unbounded?: return "proved (unbounded)"
      case .allDepths?: return "proved for all depths of the model as lowered"
      default: return "holds"
      }
    case .holdsUpTo(let depth): return "no violation up to depth \(depth)"
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
    case .inconclusive:
      if case .inconclusive(let reason) = r.outcome.verdict, reason == "stopped on request" {
        return "expected \(expected): interrupted"
      }
      return "expected \(expected): limit reached"
    case .internalError: return "INTERNAL ERROR"
    default: return "UNEXPECTED (expected \(expected))"
    }
  }

  // MARK: Counterexample

  func counterexample(_ trace: Trace, failure: Failure, result r: ScenarioResult) -> String {
    let model = r.scenario.model
    let validation = r.z3Validated ? ", validated with Z3 \(z3Version)" : ""
    var out = "  counterexample: \(trace.actions.count) steps\(validation)\n"
    let steps = TraceSteps(model: model, trace: trace)
    out += lanes(steps)
    out += explanation(steps, failure: failure, result: r)
    return out
  }

  /// Why the last state fails: for a property, see `propertyExplanation`; for a deadlock,
  /// what every thread waits for and who holds the locks.
  func explanation(_ steps: TraceSteps, failure: Failure, result r: ScenarioResult) -> String {
    let model = r.scenario.model
    guard let last = steps.trace.states.last else { return "" }
    switch failure {
    case .property(let index):
      return propertyExplanation(steps, property: model.properties[index])
    case .deadlock:
      var out = "  no thread can move:\n"
      for b in r.outcome.blocked {
        let names = b.waitingActions.map { model.actions[$0].name }
        let origin = b.waitingActions.first.map { TraceSteps.location(model.actions[$0].origin) } ?? ""
        out += "    \(model.threads[b.thread].name) waits in \(names.joined(separator: " / ")) at \(origin)\n"
      }
      for i in steps.mutexes where last[i] != 0 {
        out += "    \(model.variables[i].name) is \(model.variables[i].render(last[i]))\n"
      }
      return out
    case .modelError(let message):
      return "  the last step fails: \(message)\n"
    }
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
