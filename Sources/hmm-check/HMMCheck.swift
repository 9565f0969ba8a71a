import ArgumentParser

/// `hmm-check`: model checking of HMM mirror drivers against the kernel's notifier protocol.
@main
struct HMMCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hmm-check",
    abstract: "Check a driver's HMM populate path and invalidate callback against the kernel.",
    discussion: """
      Exit codes: 0 every expectation met; 11 unexpected deadlock; 12 unexpected violation;
      14 an expected violation or deadlock not found; 150 spec error or bad input;
      153 a limit was reached (inconclusive); 255 internal error.
      """,
    subcommands: [Check.self, Kernel.self, ShowIR.self, Replay.self, Export.self],
    defaultSubcommand: Check.self
  )
}
