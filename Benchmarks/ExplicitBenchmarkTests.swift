import Foundation
import HMMModel
import Testing

@testable import Explorer

/// Throughput of the explicit engine on the biggest toy models. Off by default (it is a
/// measurement, not a test); run in release with
/// `HMM_EXPLICIT_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ExplicitBenchmark`.
@Suite(
  "Explicit engine: benchmark",
  .enabled(if: ProcessInfo.processInfo.environment["HMM_EXPLICIT_BENCH"] != nil))
struct ExplicitBenchmarkTests {
  @Test(arguments: [(7, 6, 0), (6, 9, 0), (6, 9, 3)], [false, true])
  func counters(shape: (threads: Int, k: Int, ballastWords: Int), exact: Bool) {
    var model = ExplicitToys.counters(threads: shape.threads, upTo: shape.k)
    // Constant 63-bit variables, one word each, to measure wider states.
    for i in 0..<shape.ballastWords {
      model.variables.append(
        IRVariable(name: "ballast\(i)", type: .int(lo: 0, hi: Int.max >> 1), initial: 12345))
    }
    let explorer = ExplicitExplorer(model: model, options: ExplorationOptions(exact: exact))
    let cpuStart = threadCPUSeconds()
    let outcome = explorer.run()
    let cpu = threadCPUSeconds() - cpuStart
    let s = outcome.statistics
    print(
      "BENCH counters \(shape) exact=\(exact) words=\(explorer.wordsPerState): states=\(s.states) "
        + "transitions=\(s.transitions) sec=\(String(format: "%.3f", s.seconds)) "
        + "states/s=\(Int(s.statesPerSecond)) transitions/s=\(Int(Double(s.transitions) / s.seconds)) "
        + "peakMB=\(s.peakMemoryBytes >> 20) collision=\(s.collisionProbability) "
        + "cpu=\(String(format: "%.3f", cpu)) states/cpu-s=\(Int(Double(s.states) / cpu))")
    #expect(outcome.verdict == .holds)
    #expect(s.states == ExplicitToys.countersStateCount(threads: shape.threads, upTo: shape.k))
  }
}

/// CPU time of the calling thread (wall time is unreliable on a shared machine).
private func threadCPUSeconds() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}
