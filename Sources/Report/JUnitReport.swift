import Explorer
import HMMModel

/// JUnit XML: a test suite per spec file and a test case per scenario and property (and
/// deadlock freedom when the scenario checks it).
///
/// A property passes when its outcome is what the scenario expects; it fails when it is
/// violated unexpectedly or an expected violation is not found; it is skipped when the
/// search stopped at another property's violation first; an inconclusive run or an internal
/// error is an `error`.
package enum JUnitReport {
  package static func render(_ results: [ScenarioResult], text: (ScenarioResult) -> String)
    -> String
  {
    var files: [String] = []
    for r in results where !files.contains(r.specPath) { files.append(r.specPath) }
    var suites = ""
    var total = (tests: 0, failures: 0, errors: 0, skipped: 0, time: 0.0)
    for file in files {
      var cases = ""
      var count = (tests: 0, failures: 0, errors: 0, skipped: 0, time: 0.0)
      for r in results where r.specPath == file {
        var names = r.scenario.model.properties.map(\.name)
        if r.scenario.model.checkDeadlock { names.append("deadlock") }
        if let f = r.failureName, !names.contains(f) { names.append(f) }
        if case .violates(let p) = r.scenario.expectation, !names.contains(p) { names.append(p) }
        let seconds = r.outcome.statistics.seconds / Double(max(1, names.count))
        for name in names {
          count.tests += 1
          count.time += seconds
          var body = ""
          switch outcome(of: name, in: r) {
          case .passed: break
          case .failed(let message):
            count.failures += 1
            body =
              "<failure message=\"\(escape(message))\" type=\"\(r.statusWord)\">\(escape(text(r)))</failure>"
          case .error(let message):
            count.errors += 1
            body =
              "<error message=\"\(escape(message))\" type=\"\(r.statusWord)\">\(escape(text(r)))</error>"
          case .skipped(let message):
            count.skipped += 1
            body = "<skipped message=\"\(escape(message))\"/>"
          }
          let open =
            "    <testcase classname=\"\(escape(file))\" name=\"\(escape("\(r.scenario.name) · \(name)"))\" time=\"\(String(format: "%.3f", seconds))\""
          cases += body.isEmpty ? open + "/>\n" : open + ">\n      " + body + "\n    </testcase>\n"
        }
      }
      suites +=
        "  <testsuite name=\"\(escape(file))\" tests=\"\(count.tests)\" failures=\"\(count.failures)\" errors=\"\(count.errors)\" skipped=\"\(count.skipped)\" time=\"\(String(format: "%.3f", count.time))\">\n"
        + cases + "  </testsuite>\n"
      total.tests += count.tests
      total.failures += count.failures
      total.errors += count.errors
      total.skipped += count.skipped
      total.time += count.time
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      + "<testsuites name=\"hmm-check\" tests=\"\(total.tests)\" failures=\"\(total.failures)\" errors=\"\(total.errors)\" skipped=\"\(total.skipped)\" time=\"\(String(format: "%.3f", total.time))\">\n"
      + suites + "</testsuites>\n"
  }

  enum CaseOutcome: Equatable {
    case passed
    case failed(String)
    case error(String)
    case skipped(String)
  }

  /// The outcome of the test case for property `name` of scenario `r`.
  static func outcome(of name: String, in r: ScenarioResult) -> CaseOutcome {
    let expected: Bool
    switch r.scenario.expectation {
    case .violates(let p): expected = p == name
    case .deadlock: expected = name == "deadlock"
    case .holds: expected = false
    }
    switch r.status {
    case .inconclusive:
      if case .inconclusive(let reason) = r.outcome.verdict {
        return .error("inconclusive: \(reason)")
      }
      return .error("inconclusive")
    case .internalError(let message): return .error("internal error: \(message)")
    default: break
    }
    if let failure = r.failureName {
      if failure == name {
        return expected
          ? .passed : .failed("\(name) violated (the scenario expects \(r.expectationText))")
      }
      return expected
        ? .failed("expected \(r.expectationText), but \(failure) failed first")
        : .skipped("not fully checked: the search stopped at \(failure)")
    }
    if case .holds = r.outcome.verdict {
      return expected ? .failed("expected \(r.expectationText), but \(name) holds") : .passed
    }
    return .skipped("checked only up to a bound")
  }

  /// `s` with the five XML special characters escaped, and control characters dropped.
  static func escape(_ s: String) -> String {
    var out = ""
    for ch in s.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\n", "\t": out.unicodeScalars.append(ch)
      case _ where ch.value < 0x20: continue
      default: out.unicodeScalars.append(ch)
      }
    }
    return out
  }
}
