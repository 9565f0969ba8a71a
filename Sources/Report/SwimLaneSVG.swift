import Explorer
import HMMModel

/// The swim-lane diagram of a counterexample as inline SVG: a lane per thread with a box per
/// step (action, spec line, kernel line), then a column per mutex with its owner over time,
/// and a column per page (CPU and device PTE) and per frame (its state). The failing step is
/// outlined in red; the stale commit and the free (or PTE change) in orange.
struct SwimLaneSVG {
  let steps: TraceSteps
  let failure: Failure
  static let laneWidth = 250
  static let stateWidth = 120
  static let rowHeight = 52
  static let top = 56
  static let left = 44

  init(_ steps: TraceSteps, failure: Failure) {
    self.steps = steps
    self.failure = failure
  }

  /// A fill colour per lane.
  static let palette = [
    "#dbeafe", "#dcfce7", "#fef3c7", "#fce7f3", "#e0e7ff", "#ccfbf1", "#f3e8ff", "#ffedd5",
  ]

  func render() -> String {
    let model = steps.model
    var lanes: [Int] = []
    for s in steps.steps where !lanes.contains(s.thread) { lanes.append(s.thread) }
    let mutexes = steps.mutexes
    let pages = pageColumns()
    let frames = frameColumns()
    let columns: [(title: String, value: ([Int]) -> (String, String))] =
      mutexes.map { m in
        (
          model.variables[m].name,
          { state in
            let v = state[m]
            let owner = model.variables[m].render(v)
            return (
              v == 0 ? "free" : owner.replacingOccurrences(of: "held by ", with: ""),
              v == 0 ? "#ffffff" : Self.laneColor(owner, lanes, model)
            )
          }
        )
      } + pages + frames
    let n = steps.steps.count
    let width = Self.left + lanes.count * Self.laneWidth + columns.count * Self.stateWidth + 10
    let height = Self.top + n * Self.rowHeight + 20
    var marks: [Int: String] = [n - 1: "#dc2626"]
    if case .property(let i) = failure {
      let d = TraceDiagnosis(steps, property: model.properties[i].name)
      if let k = d.staleStep, k != n - 1 { marks[k] = "#f97316" }
      if let f = d.freeStep, f != n - 1 { marks[f] = "#f97316" }
    }
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
      + "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"11\">\n"
      + "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>\n"
    // Lane headers and guides.
    for (c, t) in lanes.enumerated() {
      let x = Self.left + c * Self.laneWidth
      svg +=
        "<rect x=\"\(x)\" y=\"\(Self.top - 4)\" width=\"\(Self.laneWidth - 4)\" height=\"\(n * Self.rowHeight + 4)\" fill=\"\(Self.palette[c % Self.palette.count])\" opacity=\"0.25\"/>\n"
      svg += text(x + 4, 20, model.threads[t].name, weight: "bold", size: 13)
      svg += text(x + 4, 36, "thread", size: 10, fill: "#555")
    }
    let stateLeft = Self.left + lanes.count * Self.laneWidth
    for (c, column) in columns.enumerated() {
      let x = stateLeft + c * Self.stateWidth
      svg += text(x + 4, 20, column.title, weight: "bold", size: 12)
      svg += text(
        x + 4, 36,
        c < mutexes.count
          ? "mutex owner" : (c < mutexes.count + pages.count ? "CPU / device PTE" : "frame"),
        size: 10, fill: "#555")
    }
    // Rows.
    for (i, s) in steps.steps.enumerated() {
      let y = Self.top + i * Self.rowHeight
      svg += text(6, y + 26, String(s.number), weight: "bold", size: 12)
      let c = lanes.firstIndex(of: s.thread) ?? 0
      let x = Self.left + c * Self.laneWidth
      let stroke = marks[i] ?? "#64748b"
      let strokeWidth = marks[i] == nil ? 1 : 3
      let tip =
        ([s.threadName + ": " + s.actionName, s.location]
        + s.changes.map { "\($0.name): \($0.before) → \($0.after)" })
        .joined(separator: "\n")
      svg += "<g><title>\(HTMLReport.escape(tip))</title>"
      svg +=
        "<rect x=\"\(x + 2)\" y=\"\(y + 3)\" width=\"\(Self.laneWidth - 10)\" height=\"\(Self.rowHeight - 6)\" rx=\"5\" fill=\"\(Self.palette[c % Self.palette.count])\" stroke=\"\(stroke)\" stroke-width=\"\(strokeWidth)\"/>"
      svg += text(x + 8, y + 17, clip(s.actionName, 38), weight: "bold")
      svg += text(
        x + 8, y + 31, clip(s.specAnchor.map { "\(short($0.file)):\($0.line)" } ?? "(kernel)", 40),
        size: 10, fill: "#1e3a8a")
      if let k = s.kernelAnchor {
        svg += text(
          x + 8, y + 44, clip("kernel \(k.line)" + (s.linux.map { " · \($0)" } ?? ""), 44), size: 9,
          fill: "#555")
      }
      svg += "</g>\n"
      let state = steps.trace.states[i + 1]
      let before = steps.trace.states[i]
      for (k, column) in columns.enumerated() {
        let (label, fill) = column.value(state)
        let changed = column.value(before).0 != label
        let cx = stateLeft + k * Self.stateWidth
        svg +=
          "<rect x=\"\(cx + 2)\" y=\"\(y + 3)\" width=\"\(Self.stateWidth - 6)\" height=\"\(Self.rowHeight - 6)\" fill=\"\(fill)\" stroke=\"\(changed ? "#111" : "#d4d4d4")\" stroke-width=\"\(changed ? 2 : 1)\"/>"
        svg +=
          text(cx + 6, y + 30, clip(label, 18), weight: changed ? "bold" : "normal", size: 10)
          + "\n"
      }
    }
    return svg + "</svg>"
  }

  /// A column per page: `CPU f1 / dev f1`, red when the device maps a frame the CPU does not.
  func pageColumns() -> [(title: String, value: ([Int]) -> (String, String))] {
    var out: [(title: String, value: ([Int]) -> (String, String))] = []
    var va = 0
    while let d = steps.variable("dpte_frame[\(va)]") {
      let pte = steps.variable("pte[\(va)]")
      let pf = steps.variable("pte_frame[\(va)]")
      let model = steps.model
      out.append(
        (
          "page \(va)",
          { state in
            let cpuPresent =
              pte.map { model.variables[$0].render(state[$0]) == "PTE_PRESENT" } ?? false
            let cpu = cpuPresent ? "f\(pf.map { state[$0] } ?? 0)" : "–"
            let dev = state[d] == 0 ? "–" : "f\(state[d])"
            let stale = state[d] != 0 && (!cpuPresent || pf.map { state[$0] } != state[d])
            return ("CPU \(cpu) / dev \(dev)", stale ? "#fecaca" : "#ffffff")
          }
        ))
      va += 1
    }
    return out
  }

  /// A column per frame that some state of the trace maps or changes.
  func frameColumns() -> [(title: String, value: ([Int]) -> (String, String))] {
    var out: [(title: String, value: ([Int]) -> (String, String))] = []
    var f = 1
    let model = steps.model
    while let v = steps.variable("frame[\(f)]") {
      let touched =
        steps.trace.states.contains { $0[v] != steps.trace.states[0][v] }
        || steps.trace.states.contains { state in
          (0..<8).contains { va in
            steps.variable("dpte_frame[\(va)]").map { state[$0] == f } ?? false
          }
        }
      if touched {
        out.append(
          (
            "frame \(f)",
            { state in
              let name = model.variables[v].render(state[v]).replacingOccurrences(
                of: "FRAME_", with: "")
              return (name, name == "FREED" ? "#f87171" : "#ffffff")
            }
          ))
      }
      f += 1
    }
    return out
  }

  static func laneColor(_ owner: String, _ lanes: [Int], _ model: IRModel) -> String {
    for (c, t) in lanes.enumerated() where owner.hasSuffix(model.threads[t].name) {
      return palette[c % palette.count]
    }
    return "#e5e7eb"
  }

  func text(
    _ x: Int, _ y: Int, _ s: String, weight: String = "normal", size: Int = 11,
    fill: String = "#111"
  ) -> String {
    "<text x=\"\(x)\" y=\"\(y)\" font-size=\"\(size)\" font-weight=\"\(weight)\" fill=\"\(fill)\">\(HTMLReport.escape(s))</text>"
  }

  func clip(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

  func short(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}
