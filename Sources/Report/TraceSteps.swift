package import Explorer
package import HMMModel

/// A counterexample prepared for people and for machine-readable reports: one entry per step
/// with its thread, action, source anchors and the variables it changed.
package struct TraceSteps: Sendable {
  /// One step of the trace.
  package struct Step: Sendable {
    /// 1-based step number.
    package var number: Int
    package var action: Int
    package var thread: Int
    package var threadName: String
    package var actionName: String
    /// The outermost line in a spec file (the driver statement), if any.
    package var specAnchor: SourceAnchor?
    /// The statement in the kernel prelude, when the action is a kernel action.
    package var kernelAnchor: SourceAnchor?
    /// The Linux source the action models.
    package var linux: String?
    /// The call chain with callee names (see `TraceSteps.location`).
    package var location: String
    /// What the step changed, in variable order.
    package var changes: [Change]
  }

  /// One variable changed by a step.
  package struct Change: Sendable {
    package var variable: Int
    package var name: String
    package var before: String
    package var after: String
  }

  package var model: IRModel
  package var trace: Trace
  package var steps: [Step]

  /// Prepares `trace` of `model`.
  ///
  /// - Complexity: O(steps · variables).
  package init(model: IRModel, trace: Trace) {
    self.model = model
    self.trace = trace
    var steps: [Step] = []
    let pcs = Set(model.threads.map(\.pc.index))
    for (i, a) in trace.actions.enumerated() {
      let action = model.actions[a]
      let origin = action.origin
      steps.append(
        Step(
          number: i + 1, action: a, thread: action.thread,
          threadName: model.threads[action.thread].name, actionName: action.name,
          specAnchor: origin.specAnchor(preludeFile: KernelPrelude.path),
          kernelAnchor: origin.site.file == KernelPrelude.path ? origin.site : nil,
          linux: origin.linux, location: Self.location(origin),
          changes: Self.changes(model, trace.states[i], trace.states[i + 1], action, pcs)))
    }
    self.steps = steps
  }

  /// The call chain that led to the action, outermost first (`Specs/x.hmm:22
  /// device_map() → <kernel>/prelude.hmm:390`), and the Linux source a kernel action models.
  package static func location(_ origin: ActionOrigin) -> String {
    var parts: [String] = []
    for (i, anchor) in origin.callers.enumerated() {
      let callee = i < origin.callees.count ? " \(origin.callees[i])()" : ""
      parts.append("\(anchor.file):\(anchor.line)\(callee)")
    }
    parts.append("\(origin.site.file):\(origin.site.line)")
    var text = parts.joined(separator: " → ")
    if let linux = origin.linux { text += "  [linux \(linux)]" }
    return text
  }

  /// The variables an action changed. Program counters, call temporaries and the resets of
  /// a returning function's locals are left out.
  static func changes(
    _ model: IRModel, _ before: [Int], _ after: [Int], _ action: IRAction, _ pcs: Set<Int>
  ) -> [Change] {
    var out: [Change] = []
    let returning = action.name.hasPrefix("return from ")
    for i in model.variables.indices where before[i] != after[i] && !pcs.contains(i) {
      let v = model.variables[i]
      if v.name.contains("()") || v.name.hasSuffix(".return") { continue }
      if let owner = v.owner, let scope = v.scope, !model.threads[owner].name.hasPrefix(scope + "#")
      {
        continue
      }
      if v.owner != nil && returning && after[i] == v.initial { continue }
      out.append(
        Change(variable: i, name: v.name, before: v.render(before[i]), after: v.render(after[i])))
    }
    return out
  }

  /// Indices of the variables that are mutexes (their first value name is `unlocked`).
  package var mutexes: [Int] {
    model.variables.indices.filter {
      model.variables[$0].valueNames?.first?.hasPrefix("unlocked") == true
    }
  }

  /// The 0-based index of the last step that changed `variable`, if any.
  package func lastChange(of variable: Int, before end: Int? = nil) -> Int? {
    let upper = min(end ?? trace.actions.count, trace.actions.count)
    for i in stride(from: upper - 1, through: 0, by: -1)
    where trace.states[i][variable] != trace.states[i + 1][variable] {
      return i
    }
    return nil
  }

  /// The index of the variable called `name`, if there is one.
  package func variable(_ name: String) -> Int? {
    model.variables.firstIndex { $0.name == name }
  }
}
