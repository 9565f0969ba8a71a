import Explorer
import HMMModel

extension TextReport {
  /// The counterexample as lanes: a column per thread, each step in its thread's column with
  /// its call chain (spec line → kernel line, with the Linux source) and only what it changed.
  ///
  /// A thread's own locals are shown without the thread prefix in its own column.
  func lanes(_ steps: TraceSteps) -> String {
    let threads = steps.model.threads
    let used = Set(steps.steps.map(\.thread))
    let lanes = threads.indices.filter { used.contains($0) }
    let column = Dictionary(uniqueKeysWithValues: lanes.enumerated().map { ($1, $0) })
    let width = max(14, min(26, (lanes.map { threads[$0].name.count }.max() ?? 8) + 2))
    let gutter = "       "
    var out = trimmed(gutter + lanes.map { pad(threads[$0].name, width) }.joined()) + "\n"
    out +=
      trimmed(
        gutter + lanes.map { _ in pad(String(repeating: "─", count: width - 2), width) }.joined())
      + "\n"
    for step in steps.steps {
      let c = column[step.thread] ?? 0
      let bars = String(repeating: pad("│", width), count: c)
      let prefix = threads[step.thread].name + "."
      var lines = [step.actionName, "at " + step.location]
      let changes = step.changes.map { change -> String in
        let name =
          change.name.hasPrefix(prefix) ? String(change.name.dropFirst(prefix.count)) : change.name
        return "\(name): \(change.before) → \(change.after)"
      }
      if !changes.isEmpty { lines.append(changes.joined(separator: ", ")) }
      for (i, line) in lines.enumerated() {
        let number = i == 0 ? pad(String(step.number), 5, right: true) + "  " : gutter
        out += number + bars + (i == 0 ? "● " : "  ") + line + "\n"
      }
    }
    return out
  }

  /// The closing explanation of a property violation: the property, the page and frame,
  /// the stale commit, the free (or PTE change), the missing synchronisation when known, and
  /// the variables the property reads with the step that last set each.
  func propertyExplanation(_ steps: TraceSteps, property p: IRProperty) -> String {
    let model = steps.model
    guard let last = steps.trace.states.last else { return "" }
    var out = "  why: \(p.name) (\(p.summary)) is false after the last step\n"
    let d = TraceDiagnosis(steps, property: p.name)
    let describe = { (i: Int) in
      "step \(i + 1) (\(steps.steps[i].threadName): \(steps.steps[i].actionName))"
    }
    if let page = d.page, let frame = d.frame {
      out += "    page \(page), frame \(frame)\n"
      if let k = d.staleStep {
        out += "    the device PTE of page \(page) was set to frame \(frame) at \(describe(k))\n"
      }
      if let f = d.freeStep {
        out +=
          d.freed
          ? "    frame \(frame) was freed at \(describe(f))\n"
          : "    the CPU PTE of page \(page) last changed at \(describe(f))\n"
      }
    }
    for cause in d.causes { out += "    likely cause: \(cause)\n" }
    var reads = Set<VarID>()
    p.expr.collectReads(into: &reads)
    out += "  what \(p.name) reads:\n"
    for v in reads.sorted() where last[v.index] != model.variables[v.index].initial {
      out +=
        "    \(model.variables[v.index].name) = \(model.variables[v.index].render(last[v.index]))"
      if let step = steps.lastChange(of: v.index) {
        out += ", since \(describe(step))"
      }
      out += "\n"
    }
    return out
  }
}

/// `s` without trailing spaces.
func trimmed(_ s: String) -> String {
  var t = Substring(s)
  while t.last == " " { t = t.dropLast() }
  return String(t)
}

/// Pads `s` with spaces to `width` characters, on the left when `right` is true.
func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
  guard s.count < width else { return s }
  let fill = String(repeating: " ", count: width - s.count)
  return right ? fill + s : s + fill
}
