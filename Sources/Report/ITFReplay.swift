import Explorer
import Foundation
package import HMMModel

/// Replays an ITF trace against a spec's scenario: every state must follow from the one
/// before by one enabled action of the model, and the last must fail as the trace says.
package enum ITFReplay {
  /// What a replay found.
  package enum Result: Sendable, Equatable {
    /// The trace fits the model and ends in `failure`; `confirmedByZ3` for a property
    /// violation re-checked by the Z3 validator.
    case reproduced(steps: Int, failure: String, confirmedByZ3: Bool)
    /// The trace fits the model, but its last state does not fail.
    case noFailure(steps: Int)
    /// The trace stops fitting at `step` (0 = the initial state): `message` names the
    /// variable and the values.
    case mismatch(step: Int, message: String)
  }

  /// A parsed ITF trace: variable names and states as valuations by name.
  package struct Parsed: Sendable {
    package var meta: [String: String]
    package var vars: [String]
    /// Per state, the raw JSON values by variable name.
    package var states: [[String: ITFValue]]
    /// Per state, the `actionIndex` of its `#meta`, if any.
    package var actionIndices: [Int?]
  }

  /// An ITF value as far as hmm-check writes them.
  package enum ITFValue: Sendable, Equatable, CustomStringConvertible {
    case bool(Bool)
    case int(Int)
    case name(String)
    package var description: String {
      switch self {
      case .bool(let b): b ? "true" : "false"
      case .int(let i): String(i)
      case .name(let s): s
      }
    }
  }

  /// Parses ITF text.
  ///
  /// - Throws: `InputError` when it is not ITF JSON.
  package static func parse(_ text: String) throws -> Parsed {
    let data = Data(text.utf8)
    guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw InputError("the trace is not a JSON object")
    }
    guard let vars = root["vars"] as? [String], let states = root["states"] as? [[String: Any]]
    else {
      throw InputError("the trace has no \"vars\" list or no \"states\" list (not ITF)")
    }
    var meta: [String: String] = [:]
    for (k, v) in root["#meta"] as? [String: Any] ?? [:] { if let s = v as? String { meta[k] = s } }
    var parsed = Parsed(meta: meta, vars: vars, states: [], actionIndices: [])
    for (i, state) in states.enumerated() {
      var values: [String: ITFValue] = [:]
      for name in vars {
        guard let raw = state[name] else { throw InputError("state \(i) has no value for \(name)") }
        if let b = raw as? Bool, type(of: raw) == type(of: NSNumber(value: true)) {
          values[name] = .bool(b)
        } else if let o = raw as? [String: Any], let s = o["#bigint"] as? String, let n = Int(s) {
          values[name] = .int(n)
        } else if let s = raw as? String {
          values[name] = .name(s)
        } else if let n = raw as? Int {
          values[name] = .int(n)
        } else {
          throw InputError("state \(i): \(name) has a value hmm-check does not understand")
        }
      }
      parsed.states.append(values)
      parsed.actionIndices.append((state["#meta"] as? [String: Any])?["actionIndex"] as? Int)
    }
    return parsed
  }

  /// Replays `trace` on `scenario`.
  ///
  /// - Complexity: O(steps² · (actions + variables)) (each step replays its prefix).
  package static func replay(_ trace: Parsed, on scenario: LoweredScenario) -> Result {
    let model = scenario.model
    let names = Set(trace.vars)
    if let missing = model.variables.first(where: { !names.contains($0.name) }) {
      return .mismatch(step: 0, message: "the trace has no variable \(missing.name) of the spec")
    }
    if let extra = trace.vars.first(where: { name in !model.variables.contains { $0.name == name } }
    ) {
      return .mismatch(step: 0, message: "the spec has no variable \(extra)")
    }
    guard !trace.states.isEmpty else {
      return .mismatch(step: 0, message: "the trace has no states")
    }
    let explorer = ExplicitExplorer(model: model)
    if let diff = difference(model, model.initialValues, trace.states[0]) {
      return .mismatch(step: 0, message: "the initial state differs: \(diff)")
    }
    var actions: [Int] = []
    var current = model.initialValues
    for i in 1..<trace.states.count {
      let wanted = trace.states[i]
      var candidates = explorer.enabledActions(in: current)
      if let hint = trace.actionIndices[i], let at = candidates.firstIndex(of: hint) {
        candidates.remove(at: at)
        candidates.insert(hint, at: 0)
      }
      var best: (action: Int, diff: String, count: Int)?
      var next: [Int]?
      for a in candidates {
        guard case .success(let t) = explorer.replay(actions + [a]), let s = t.states.last else {
          continue
        }
        let diffs = differences(model, s, wanted)
        if diffs.isEmpty {
          next = s
          actions.append(a)
          break
        }
        let preferred = a == trace.actionIndices[i] && best == nil
        if preferred || best == nil || diffs.count < best!.count {
          best = (a, diffs[0], preferred ? -1 : diffs.count)
        }
      }
      guard let state = next else {
        let hint = trace.actionIndices[i].map { " (the trace says action \($0))" } ?? ""
        guard let best else {
          return .mismatch(
            step: i, message: "no action of the spec is enabled after step \(i - 1)\(hint)")
        }
        let action = model.actions[best.action]
        return .mismatch(
          step: i,
          message: "no enabled action of the spec leads to state \(i)\(hint); the closest, "
            + "\(model.threads[action.thread].name) \(action.name), gives \(best.diff)")
      }
      current = state
    }
    let steps = actions.count
    guard let last = current as [Int]? else { return .noFailure(steps: steps) }
    if explorer.enabledActions(in: last).isEmpty,
      model.threads.contains(where: { last[$0.pc.index] != $0.finalPC })
    {
      return .reproduced(steps: steps, failure: "deadlock", confirmedByZ3: false)
    }
    guard case .success(let replayed) = explorer.replay(actions) else {
      return .noFailure(steps: steps)
    }
    for (index, property) in model.properties.enumerated() {
      if let verdict = try? TraceValidator(model: model).validate(
        replayed, failure: .property(index: index)),
        verdict == .valid
      {
        return .reproduced(steps: steps, failure: property.name, confirmedByZ3: true)
      }
    }
    return .noFailure(steps: steps)
  }

  static func differences(_ model: IRModel, _ state: [Int], _ wanted: [String: ITFValue])
    -> [String]
  {
    var out: [String] = []
    for (v, variable) in model.variables.enumerated() {
      guard let w = wanted[variable.name] else { continue }
      if ITFTrace.parsedValue(variable, state[v]) != w {
        out.append("\(variable.name) = \(variable.render(state[v])) where the trace has \(w)")
      }
    }
    return out
  }

  static func difference(_ model: IRModel, _ state: [Int], _ wanted: [String: ITFValue]) -> String?
  {
    differences(model, state, wanted).first
  }
}

extension ITFTrace {
  /// A variable's value as `ITFReplay` parses it back.
  static func parsedValue(_ variable: IRVariable, _ v: Int) -> ITFReplay.ITFValue {
    switch value(variable, v) {
    case .bool(let b): .bool(b)
    case .string(let s): .name(s)
    default: .int(v)
    }
  }
}
