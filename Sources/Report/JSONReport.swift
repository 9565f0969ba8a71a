import Explorer
import HMMModel

/// The JSON summary of a run: every scenario's verdict, expectation, statistics, coverage
/// and counterexample, then the totals and the exit code.
package enum JSONReport {
  /// Renders `results` as pretty-printed JSON (keys in a fixed order).
  ///
  /// - Parameters:
  ///   - results: the checked scenarios, in the order they were checked.
  ///   - exit: the exit status of the whole run.
  package static func render(_ results: [ScenarioResult], exit: CheckExit) -> String {
    let met = results.filter { $0.status == .met }.count
    return JSONValue.object([
      ("tool", .object([("name", .string("hmm-check")), ("format", .int(1))])),
      ("scenarios", .array(results.map(scenario))),
      (
        "summary",
        .object([
          ("met", .int(met)), ("notMet", .int(results.count - met)),
          ("exitCode", .int(Int(exit.rawValue))),
        ])
      ),
    ]).rendered() + "\n"
  }

  static func scenario(_ r: ScenarioResult) -> JSONValue {
    let s = r.outcome.statistics
    var fields: [(String, JSONValue)] = [
      ("spec", .string(r.specPath)), ("scenario", .string(r.scenario.name)),
      ("expectation", .string(r.expectationText)), ("verdict", .string(r.verdictWord)),
      ("failure", r.failureName.map(JSONValue.string) ?? .null),
      ("status", .string(r.statusWord)), ("exitCode", .int(Int(CheckExit(r.status).rawValue))),
    ]
    if case .inconclusive(let reason) = r.outcome.verdict {
      fields.append(("reason", .string(reason)))
    }
    if case .internalError(let message) = r.status { fields.append(("error", .string(message))) }
    fields.append(
      (
        "statistics",
        .object([
          ("states", .int(s.states)), ("transitions", .int(s.transitions)),
          ("depth", .int(s.depth)),
          ("seconds", .double(s.seconds)),
          ("statesPerSecond", .double(s.statesPerSecond.rounded())),
          ("engineMemoryBytes", .int(s.peakMemoryBytes)), ("peakMemoryBytes", .int(r.maxRSSBytes)),
          ("collisionProbability", .double(s.collisionProbability)),
          ("visitedSetBytes", .int(s.storeBytes)),
        ])
      ))
    if let solver = r.outcome.solver { fields.append(("solver", Self.solver(solver))) }
    if let coverage = Coverage(model: r.scenario.model, outcome: r.outcome) {
      fields.append(("coverage", coverage.json))
    }
    if let trace = r.outcome.trace {
      let steps = TraceSteps(model: r.scenario.model, trace: trace)
      fields.append(("z3Validated", .bool(r.z3Validated)))
      fields.append(("counterexample", .array(steps.steps.map(step))))
      if case .failed(.property(let i)) = r.outcome.verdict {
        let d = TraceDiagnosis(steps, property: r.scenario.model.properties[i].name)
        fields.append(
          (
            "diagnosis",
            .object([
              ("page", d.page.map(JSONValue.int) ?? .null),
              ("frame", d.frame.map(JSONValue.int) ?? .null),
              ("staleStep", d.staleStep.map { .int($0 + 1) } ?? .null),
              (d.freed ? "freeStep" : "pteChangeStep", d.freeStep.map { .int($0 + 1) } ?? .null),
              ("causes", .array(d.causes.map(JSONValue.string))),
            ])
          ))
      }
    }
    return .object(fields)
  }

  /// A Z3 engine's report: what was proved, the statistics, the Z3 version and the seed.
  static func solver(_ solver: SolverReport) -> JSONValue {
    let proof: JSONValue
    switch solver.proof {
    case .none: proof = .null
    case .allDepths(let certificate):
      proof = .object([
        ("strength", .string("all depths of the model as lowered")),
        ("certificate", .string(certificate.summary)),
      ])
    case .unbounded(let certificate, let threads, let variables):
      proof = .object([
        ("strength", .string("unbounded")), ("certificate", .string(certificate.summary)),
        ("repeatingThreads", .int(threads)), ("unboundedVariables", .int(variables)),
      ])
    }
    return .object([
      ("engine", .string(solver.engine)), ("z3Version", .string(solver.z3Version)),
      ("seed", .int(Int(solver.seed))), ("seconds", .double(solver.seconds)),
      ("memoryMiB", .double(solver.memoryMiB)), ("checks", .int(solver.checks)),
      ("depth", .int(solver.depth)), ("proof", proof),
      ("notes", .array(solver.notes.map(JSONValue.string))),
    ])
  }

  static func step(_ s: TraceSteps.Step) -> JSONValue {
    .object([
      ("step", .int(s.number)), ("thread", .string(s.threadName)),
      ("action", .string(s.actionName)),
      ("spec", s.specAnchor.map { .string("\($0.file):\($0.line)") } ?? .null),
      ("kernel", s.kernelAnchor.map { .string("\($0.file):\($0.line)") } ?? .null),
      ("linux", s.linux.map(JSONValue.string) ?? .null),
      (
        "changes",
        .array(
          s.changes.map {
            .object([
              ("variable", .string($0.name)), ("before", .string($0.before)),
              ("after", .string($0.after)),
            ])
          })
      ),
    ])
  }
}
