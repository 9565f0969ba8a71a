import Explorer
import Foundation

extension TextReport {
  /// The solver report of a Z3 engine: what was proved, statistics, Z3 version and seed, and
  /// the engine's notes (a counterexample to induction, the engines compared by `all`).
  func solverText(_ solver: SolverReport, result r: ScenarioResult) -> String {
    var out = ""
    switch (solver.proof, r.outcome.verdict) {
    case (.allDepths(let certificate), .holds):
      out += "  proved for all depths of the model as lowered (\(certificate.summary)): bounded"
      out += " sequence numbers, each thread runs once\n"
    case (.unbounded(let certificate, let threads, let variables), .holds):
      out += "  proved (unbounded): runs of any length in which each of the \(threads)"
      out += " threads repeats any number of times, \(variables) sequence variables unbounded;"
      out += " inductive invariant: \(certificate.summary)\n"
    case (_, .holdsUpTo(let depth)):
      out += "  bounded: every run of at most \(depth) steps checked; longer runs not examined\n"
    default:
      break
    }
    out += "  \(solver.engine) · depth \(solver.depth) · \(solver.checks) solver checks"
    out += " · \(String(format: "%.2f", solver.seconds)) s"
    out += " · Z3 memory \(String(format: "%.1f", solver.memoryMiB)) MiB"
    out +=
      " · peak memory \(mebibytes(r.maxRSSBytes)) · Z3 \(solver.z3Version) · seed \(solver.seed)\n"
    for note in solver.notes { out += "  \(note)\n" }
    return out
  }
}
