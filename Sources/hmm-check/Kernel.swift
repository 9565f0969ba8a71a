import ArgumentParser
import HMMModel
import Report

/// `hmm-check kernel`: print the kernel prelude.
struct Kernel: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the built-in kernel model (written in the spec language, with Linux 6.12 citations).")

  func run() throws {
    print(KernelPrelude.source, terminator: "")
  }
}

/// `hmm-check ir SPEC`: print the lowered model.
struct ShowIR: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ir", abstract: "Print the IR a spec's scenarios lower to.")

  @Argument(help: "A spec file.")
  var path: String

  @Option(help: "Only this scenario.")
  var scenario: String?

  func run() throws {
    let files: [String]
    do {
      files = try CheckRunner.specFiles([path])
    } catch {
      printError("hmm-check: \(error)")
      throw ExitCode(150)
    }
    for file in files {
      do {
        let spec = try CheckRunner.load(file, options: .init())
        for s in spec.scenarios where scenario == nil || scenario == s.name {
          print(s.model.listing)
        }
      } catch {
        printError("\(error)")
        throw ExitCode(150)
      }
    }
  }
}
