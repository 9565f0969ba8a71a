import Explorer
import HMMModel

/// A counterexample in the Informal Trace Format of Apalache (ITF): `#meta`, `vars` and
/// `states`, integers as `{"#bigint": "…"}`, booleans as JSON booleans, enumeration values as
/// their names. Each state after the first carries in its `#meta` the step that led to it:
/// thread, action (name and index), spec, kernel and Linux lines.
package enum ITFTrace {
  /// The ITF text of `r`'s counterexample, or nil when it has none.
  package static func render(_ r: ScenarioResult) -> String? {
    guard let trace = r.outcome.trace else { return nil }
    let model = r.scenario.model
    let steps = TraceSteps(model: model, trace: trace)
    var meta: [(String, JSONValue)] = [
      ("format", .string("ITF")),
      ("format-description", .string("https://apalache-mc.org/docs/adr/015adr-trace.html")),
      ("source", .string(r.specPath)), ("scenario", .string(r.scenario.name)),
      ("generator", .string("hmm-check")),
    ]
    if let name = r.failureName { meta.append(("violation", .string(name))) }
    if let summary = r.failureSummary { meta.append(("description", .string(summary))) }
    var states: [JSONValue] = []
    for (i, state) in trace.states.enumerated() {
      var stateMeta: [(String, JSONValue)] = [("index", .int(i))]
      if i > 0 {
        let s = steps.steps[i - 1]
        stateMeta += [
          ("step", .int(s.number)), ("thread", .string(s.threadName)),
          ("action", .string(s.actionName)),
          ("actionIndex", .int(s.action)),
          ("spec", s.specAnchor.map { .string("\($0.file):\($0.line)") } ?? .null),
          ("kernel", s.kernelAnchor.map { .string("\($0.file):\($0.line)") } ?? .null),
          ("linux", s.linux.map(JSONValue.string) ?? .null),
        ]
      }
      var fields: [(String, JSONValue)] = [("#meta", .object(stateMeta))]
      for (v, variable) in model.variables.enumerated() {
        fields.append((variable.name, value(variable, state[v])))
      }
      states.append(.object(fields))
    }
    return JSONValue.object([
      ("#meta", .object(meta)),
      ("vars", .array(model.variables.map { .string($0.name) })),
      ("states", .array(states)),
    ]).rendered() + "\n"
  }

  /// A variable's value in ITF.
  static func value(_ variable: IRVariable, _ v: Int) -> JSONValue {
    if variable.type == .bool { return .bool(v != 0) }
    if let names = variable.valueNames, names.indices.contains(v - variable.type.lowerBound) {
      return .string(names[v - variable.type.lowerBound])
    }
    return .object([("#bigint", .string(String(v)))])
  }
}
