/// Where a run's reports go, besides the text report on stdout.
package struct ReportOutputs: Sendable {
  /// The machine-readable formats of `--format`.
  package enum Format: String, Sendable, CaseIterable {
    case text, json, sarif, junit
  }

  /// The format of the main report.
  package var format: Format = .text
  /// The file the main report goes to (stdout when nil). With a file, the text report is
  /// still printed.
  package var outputPath: String?
  /// The swim-lane HTML report of every counterexample.
  package var htmlPath: String?
  /// The first counterexample as ITF JSON; further ones go to `NAME.SCENARIO.itf.json`.
  package var itfPath: String?
  /// A complete search in which a driver statement never ran fails with exit 14.
  package var strict = false
  /// hmm-check's version, for SARIF.
  package var version = "0.1"

  package init() {}
}
