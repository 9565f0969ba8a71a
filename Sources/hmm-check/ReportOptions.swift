import ArgumentParser
import Report

extension ReportOutputs.Format: ExpressibleByArgument {}

/// The report options of `check`: formats, output files, coverage strictness.
struct ReportOptions: ParsableArguments {
  @Option(help: "Report format on stdout or in --output: text, json, sarif or junit.")
  var format: ReportOutputs.Format = .text

  @Option(
    help: ArgumentHelp(
      "Write the --format report to this file (written atomically).", valueName: "file"))
  var output: String?

  @Option(
    help: ArgumentHelp(
      "Write the counterexamples as one self-contained HTML page with swim lanes.",
      valueName: "file"))
  var html: String?

  @Option(
    help: ArgumentHelp(
      "Write the counterexample as an ITF JSON trace (Apalache format).", valueName: "file"))
  var itf: String?

  @Flag(
    help: "Exit 14 when a complete search never ran some driver statement (a vacuous scenario).")
  var strict = false

  /// The options as the Report library takes them.
  var outputs: ReportOutputs {
    var o = ReportOutputs()
    o.format = format
    o.outputPath = output
    o.htmlPath = html
    o.itfPath = itf
    o.strict = strict
    return o
  }
}
