import Explorer
import HMMModel

/// The body of `check`, apart from argument parsing.
package enum CheckCommand {
  /// Checks every scenario of the specs at `paths` and prints a report.
  ///
  /// - Parameters:
  ///   - output: receives the report (stdout in the CLI).
  ///   - errors: receives diagnostics and errors (stderr in the CLI).
  /// - Returns: the exit status for the whole run.
  package static func run(
    paths: [String], options: CheckOptions, z3Version: String,
    output: (String) -> Void, errors: (String) -> Void
  ) -> CheckExit {
    let files: [String]
    do {
      files = try CheckRunner.specFiles(paths)
    } catch {
      errors("hmm-check: \(error)")
      return .specError
    }
    let report = TextReport(z3Version: z3Version)
    var worst = CheckExit.success
    var counts: [String: Int] = [:]
    var matched = false
    for file in files {
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
      for scenario in spec.scenarios where options.scenario == nil || options.scenario == scenario.name {
        matched = true
        let result = CheckRunner.check(scenario, specPath: file, options: options)
        output(report.render(result))
        let status = CheckExit(result.status)
        worst = max(worst, status)
        counts[status == .success ? "met" : "not met", default: 0] += 1
      }
    }
    if let name = options.scenario, !matched, worst == .success {
      errors("hmm-check: error: no scenario named '\(name)' in \(paths.joined(separator: " "))")
      return .specError
    }
    output("\(counts["met", default: 0]) expectations met, \(counts["not met", default: 0]) not met"
      + (counts["spec errors"].map { ", \($0) specs with errors" } ?? "") + "\n")
    return worst
  }
}

