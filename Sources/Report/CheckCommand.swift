import Explorer
import HMMModel

/// The body of `check`, apart from argument parsing.
package enum CheckCommand {
  /// Checks every scenario of the specs at `paths`, prints a report and writes the files
  /// `outputs` asks for.
  ///
  /// - Parameters:
  ///   - outputs: report formats and files (see `ReportOutputs`).
  ///   - output: receives the report (stdout in the CLI).
  ///   - errors: receives diagnostics and errors (stderr in the CLI).
  ///   - shouldStop: polled during each search; once true, the run stops, prints the
  ///     statistics so far, writes no report file and returns `.interrupted`.
  ///   - progress: a live progress line, if any (only on a terminal).
  /// - Returns: the exit status for the whole run.
  package static func run(
    paths: [String], options: CheckOptions, z3Version: String,
    outputs: ReportOutputs = .init(),
    output: (String) -> Void, errors: (String) -> Void,
    shouldStop: @escaping @Sendable () -> Bool = { false },
    progress: ProgressLine? = nil
  ) -> CheckExit {
    let files: [String]
    do {
      files = try CheckRunner.specFiles(paths)
    } catch {
      errors("hmm-check: \(error)")
      return .specError
    }
    let report = TextReport(z3Version: z3Version)
    // Text goes to stdout unless stdout carries a machine-readable report.
    let printText = outputs.format == .text || outputs.outputPath != nil
    var worst = CheckExit.success
    var counts: [String: Int] = [:]
    var matched = false
    var results: [ScenarioResult] = []
    files: for file in files {
      let spec: LoadedSpec
      do {
        spec = try CheckRunner.load(file, options: options)
      } catch let error as SpecError {
        errors(error.description)
        worst = max(worst, .specError)
        counts["spec errors", default: 0] += 1
        continue
      } catch {
        errors("hmm-check: \(error)")
        worst = max(worst, .specError)
        continue
      }
      for scenario in spec.scenarios
      where options.scenario == nil || options.scenario == scenario.name {
        matched = true
        let label = "\(file) · \(scenario.name)"
        let result = CheckRunner.check(
          scenario, specPath: file, options: options, shouldStop: shouldStop,
          progress: progress.map { line in { line.update($0, label: label) } })
        progress?.clear()
        if shouldStop() {
          errors(
            report.render(result)
              + "interrupted: the statistics above are those of the search so far")
          return .interrupted
        }
        var status = CheckExit(result.status)
        var text = report.render(result)
        let coverage = Coverage(model: scenario.model, outcome: result.outcome)
        if let coverage { text += coverage.text() }
        if outputs.strict, let coverage, coverage.complete, !coverage.driverStatements.isEmpty,
          status == .success
        {
          text += "  strict: \(coverage.driverStatements.count) driver statements never ran\n"
          status = .expectedViolationNotFound
        }
        if printText { output(text) }
        results.append(result)
        worst = max(worst, status)
        counts[status == .success ? "met" : "not met", default: 0] += 1
        if case .interrupted = status { break files }
      }
    }
    if let name = options.scenario, !matched, worst == .success {
      errors("hmm-check: error: no scenario named '\(name)' in \(paths.joined(separator: " "))")
      return .specError
    }
    if printText {
      output(
        "\(counts["met", default: 0]) expectations met, \(counts["not met", default: 0]) not met"
          + (counts["spec errors"].map { ", \($0) specs with errors" } ?? "") + "\n")
    }
    do {
      try writeReports(
        results, exit: worst, outputs: outputs, report: report, output: output, errors: errors)
    } catch {
      errors("hmm-check: \(error)")
      return max(worst, .specError)
    }
    return worst
  }

  /// Writes the reports `outputs` asks for, each atomically.
  static func writeReports(
    _ results: [ScenarioResult], exit: CheckExit, outputs: ReportOutputs, report: TextReport,
    output: (String) -> Void, errors: (String) -> Void
  ) throws(InputError) {
    let main: String? =
      switch outputs.format {
      case .text: outputs.outputPath == nil ? nil : results.map(report.render).joined()
      case .json: JSONReport.render(results, exit: exit)
      case .sarif: SARIFReport.render(results, version: outputs.version)
      case .junit: JUnitReport.render(results, text: report.render)
      }
    if let main {
      if let path = outputs.outputPath {
        try AtomicFile.write(main, to: path)
      } else {
        output(main)
      }
    }
    if let path = outputs.htmlPath {
      try AtomicFile.write(HTMLReport.render(results, z3Version: report.z3Version), to: path)
    }
    if let path = outputs.itfPath {
      let traces = results.compactMap { r in ITFTrace.render(r).map { (r, $0) } }
      if traces.isEmpty {
        errors("hmm-check: no counterexample, so no ITF trace was written to \(path)")
      }
      for (i, (r, text)) in traces.enumerated() {
        try AtomicFile.write(
          text, to: i == 0 ? path : itfPath(path, scenario: r.scenario.name, index: i))
      }
      if traces.count > 1 {
        errors(
          "hmm-check: \(path) holds the counterexample of \(traces[0].0.scenario.name); the other "
            + "\(traces.count - 1) are in \(itfPath(path, scenario: "SCENARIO", index: 0).replacingOccurrences(of: ".0.", with: ".N."))"
        )
      }
    }
  }

  /// `out.itf.json` → `out.SCENARIO.itf.json` (with the index when names repeat).
  static func itfPath(_ path: String, scenario: String, index: Int) -> String {
    let safe = String(
      scenario.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
    let suffix = ".itf.json"
    let base = path.hasSuffix(suffix) ? String(path.dropLast(suffix.count)) : path
    return "\(base).\(index).\(safe)\(suffix)"
  }
}
