package import Explorer
package import HMMModel

/// The engine `hmm-check check --engine` selects.
package enum EngineChoice: String, Sendable, CaseIterable {
  /// Breadth-first search over every reachable state (the default).
  case explicit
  /// Bounded model checking with Z3 up to `--depth` steps.
  case bmc
  /// k-induction with Z3, strengthened by automatically found invariants; with
  /// `--unbounded`, Spacer on the repeating model with unbounded sequence numbers.
  case induction
  /// All three; a disagreement between them is an internal error.
  case all
}

/// The engine selection and the options of the Z3 engines.
package struct EngineSelection: Sendable {
  /// The kernel model's sequence counters: `subs->invalidate_seq` and the subscription's
  /// `invalidate_seq`. `--unbounded` removes their upper bound and that of every variable
  /// that copies them (a fault's `range.notifier_seq`, a callback's `cur_seq`, …), and the
  /// abstraction that k-induction and `--unbounded` try first is relative to the first.
  package static let sequenceCounters = ["invalidate_seq", "interval_sub.invalidate_seq"]

  package var engine: EngineChoice = .explicit
  package var symbolic = SymbolicOptions()
  package init() {}
}

extension CheckRunner {
  /// Runs the engine(s) `options.engines` selects on `model`.
  ///
  /// - Returns: the outcome to report and, for `.all`, a description of a disagreement
  ///   between the engines (an internal error), with both traces.
  package static func runEngines(
    _ model: IRModel, options: CheckOptions, shouldStop: @escaping @Sendable () -> Bool,
    progress: ((ExplorationProgress) -> Void)? = nil
  ) -> (outcome: Outcome, disagreement: String?) {
    let symbolic = options.engines.symbolic
    switch options.engines.engine {
    case .explicit:
      return (
        ExplicitExplorer(model: model, options: options.exploration).run(
          shouldStop: shouldStop, progress: progress), nil
      )
    case .bmc:
      return (BoundedModelChecker(model: model, options: symbolic).run(), nil)
    case .induction:
      if let seeds = symbolic.unboundedSeeds {
        return (UnboundedProof(model: model, options: symbolic, seeds: seeds).run(), nil)
      }
      return (KInduction(model: model, options: symbolic).run(), nil)
    case .all:
      let explicit = ExplicitExplorer(model: model, options: options.exploration).run(
        shouldStop: shouldStop, progress: progress)
      let bmc = BoundedModelChecker(model: model, options: symbolic).run()
      let induction = KInduction(model: model, options: symbolic).run()
      var combined = explicit
      var report =
        induction.solver ?? SolverReport(engine: "all", z3Version: "", seed: symbolic.seed)
      report.engine = "all (explicit, bmc, k-induction)"
      report.notes.insert(
        contentsOf: [
          "explicit: \(summary(explicit, model))",
          "bmc: \(summary(bmc, model))",
          "k-induction: \(summary(induction, model))",
        ], at: 0)
      if let bmcReport = bmc.solver {
        report.seconds += bmcReport.seconds
        report.memoryMiB = max(report.memoryMiB, bmcReport.memoryMiB)
        report.checks += bmcReport.checks
      }
      if case .inconclusive = explicit.verdict, induction.verdict == .holds {
        combined = induction
      }
      combined.solver = report
      let disagreement = EngineAgreement.disagreement(
        model, explicit: explicit, bmc: bmc, bmcDepth: symbolic.depth, induction: induction)
      return (combined, disagreement)
    }
  }

  /// The verdict in a few words, with the trace length.
  static func summary(_ outcome: Outcome, _ model: IRModel) -> String {
    let seconds = outcome.solver?.seconds ?? outcome.statistics.seconds
    let time = " (\((seconds * 100).rounded() / 100) s)"
    switch outcome.verdict {
    case .holds:
      switch outcome.solver?.proof {
      case .allDepths(let certificate)?:
        return "proved for all depths of the model as lowered (\(certificate.summary))" + time
      case .unbounded(let certificate, _, _)?:
        return "proved (unbounded) (\(certificate.summary))" + time
      default: break
      }
      return "holds" + time
    case .holdsUpTo(let depth): return "no violation up to depth \(depth)" + time
    case .inconclusive(let reason): return "inconclusive: \(reason)" + time
    case .failed(let failure):
      let steps = outcome.trace.map { " in \($0.actions.count) steps" } ?? ""
      switch failure {
      case .property(let index): return "violates \(model.properties[index].name)\(steps)" + time
      case .deadlock: return "deadlock\(steps)" + time
      case .modelError(let message): return "model error (\(message))\(steps)" + time
      }
    }
  }
}

/// Compares the verdicts of the explicit engine, BMC and k-induction on one model.
package enum EngineAgreement {
  /// A description of the first disagreement, with the traces involved, or nil.
  ///
  /// Rules: an inconclusive engine agrees with everything; the explicit engine's shortest
  /// failure of n steps must be found by BMC with n steps when n ≤ `bmcDepth`, and BMC must
  /// find nothing when it `holds` or n > `bmcDepth`; k-induction must not prove a model the
  /// explicit engine or BMC refutes, and a failure it finds (in its base case) must be as
  /// short as the explicit engine's.
  package static func disagreement(
    _ model: IRModel, explicit: Outcome, bmc: Outcome, bmcDepth: Int, induction: Outcome
  ) -> String? {
    func length(_ o: Outcome) -> Int? {
      guard case .failed = o.verdict else { return nil }
      return o.trace?.actions.count
    }
    func describe(_ name: String, _ o: Outcome) -> String {
      var text = "\(name): \(CheckRunner.summary(o, model))"
      if let trace = o.trace {
        text += "\n    trace: "
        text += trace.actions.map { a in
          "\(model.threads[model.actions[a].thread].name) \(model.actions[a].name)"
        }.joined(separator: " · ")
      }
      return text
    }
    func conflict(_ a: (String, Outcome), _ b: (String, Outcome)) -> String {
      "engines disagree\n  " + describe(a.0, a.1) + "\n  " + describe(b.0, b.1)
    }
    let explicitDecided: Bool
    switch explicit.verdict {
    case .inconclusive, .holdsUpTo: explicitDecided = false
    default: explicitDecided = true
    }
    let bmcDecided: Bool
    if case .inconclusive = bmc.verdict { bmcDecided = false } else { bmcDecided = true }
    if explicitDecided && bmcDecided {
      let expected = length(explicit).flatMap { $0 <= bmcDepth ? $0 : nil }
      if expected != length(bmc) {
        return conflict(("explicit", explicit), ("bmc", bmc))
      }
    }
    if induction.verdict == .holds {
      if length(explicit) != nil {
        return conflict(("explicit", explicit), ("k-induction", induction))
      }
      if length(bmc) != nil { return conflict(("bmc", bmc), ("k-induction", induction)) }
    }
    if let n = length(induction) {
      if explicit.verdict == .holds || (explicitDecided && length(explicit) != n) {
        return conflict(("explicit", explicit), ("k-induction", induction))
      }
    }
    return nil
  }
}
