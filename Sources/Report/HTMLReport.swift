import Explorer
import HMMModel

/// One self-contained HTML page (inline CSS and SVG; no script, font or network access)
/// with, for every counterexample, a swim-lane diagram (see `SwimLaneSVG`), the step table
/// and the explanation; and a summary row for every other scenario.
///
/// Every name that comes from a spec (threads, actions, variables, files) is HTML-escaped.
package enum HTMLReport {
  package static func render(_ results: [ScenarioResult], z3Version: String) -> String {
    let text = TextReport(z3Version: z3Version)
    var body =
      "<h1>hmm-check report</h1>\n<table class=\"summary\"><tr><th>spec</th><th>scenario</th>"
      + "<th>verdict</th><th>expectation</th><th>status</th><th>states</th></tr>\n"
    for r in results {
      body +=
        "<tr class=\"\(r.status == .met ? "met" : "notmet")\"><td>\(escape(r.specPath))</td>"
        + "<td>\(escape(r.scenario.name))</td><td>\(escape(text.verdictText(r)))</td>"
        + "<td>\(escape(r.expectationText))</td><td>\(escape(r.statusWord))</td>"
        + "<td>\(grouped(r.outcome.statistics.states))</td></tr>\n"
    }
    body += "</table>\n"
    for r in results {
      guard let trace = r.outcome.trace, case .failed(let failure) = r.outcome.verdict else {
        continue
      }
      let steps = TraceSteps(model: r.scenario.model, trace: trace)
      body +=
        "<section>\n<h2>\(escape(r.specPath)) · \(escape(r.scenario.name)): "
        + "\(escape(text.verdictText(r)))</h2>\n"
      body +=
        "<p>\(steps.steps.count) steps\(r.z3Validated ? ", validated with Z3 \(escape(z3Version))" : "")."
        + " Red outline: the failing step; orange: the stale commit and the free (or CPU PTE change); bold cells: what the step changed. Hover over a box for its full call chain and changes.</p>\n"
      body += SwimLaneSVG(steps, failure: failure).render() + "\n"
      body +=
        "<pre class=\"why\">\(escape(text.explanation(steps, failure: failure, result: r)))</pre>\n"
      body += stepTable(steps) + "</section>\n"
    }
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <title>hmm-check report</title>
      <style>
      body { font-family: sans-serif; margin: 1.5em; color: #111; background: #fff; }
      table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
      td, th { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
      tr.notmet td { background: #fde8e8; }
      tr.met td { background: #eef8ee; }
      pre.why { background: #f6f6f6; padding: .8em; white-space: pre-wrap; }
      td.mono, pre { font-family: monospace; font-size: 12px; }
      svg { border: 1px solid #ddd; }
      </style></head><body>
      \(body)</body></html>

      """
  }

  static func stepTable(_ steps: TraceSteps) -> String {
    var out =
      "<table><tr><th>step</th><th>thread</th><th>action</th><th>where</th><th>changed</th></tr>\n"
    for s in steps.steps {
      let changes = s.changes.map { "\($0.name): \($0.before) → \($0.after)" }.joined(
        separator: "\n")
      out +=
        "<tr><td>\(s.number)</td><td>\(escape(s.threadName))</td><td>\(escape(s.actionName))</td>"
        + "<td class=\"mono\">\(escape(s.location))</td><td class=\"mono\">\(escape(changes).replacingOccurrences(of: "\n", with: "<br>"))</td></tr>\n"
    }
    return out + "</table>\n"
  }

  /// `s` with `&`, `<`, `>`, `"` and `'` escaped, for HTML text and attribute values.
  package static func escape(_ s: String) -> String {
    var out = ""
    for ch in s {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(ch)
      }
    }
    return out
  }
}
