internal import Dispatch

/// One worker of the search: its own copy of the model and its own successor batch.
///
/// A worker is used by one thread at a time (the search hands each worker its own slice of a
/// level and waits for all of them), which is what makes the unchecked `Sendable` sound.
final class SearchWorker: @unchecked Sendable {
  var machine: ExecutableModel
  var batch: SuccessorBatch

  init(_ compiled: CompiledModel, canonicalizer: SymmetryCanonicalizer?, precheck: Bool) {
    machine = ExecutableModel(compiled)
    batch = SuccessorBatch(
      words: compiled.layout.words, maxCandidates: compiled.maxCandidates,
      canonicalizer: canonicalizer, precheck: precheck)
  }

  /// Generates the successors of `count` consecutive states (see `SuccessorBatch.generate`).
  func generate(from sources: UnsafeMutablePointer<UInt64>, count: Int) {
    batch.generate(from: sources, count: count, &machine)
  }
}

/// The workers that generate the successors of a *round* of a level — consecutive slices of
/// `maxSources` states, one per worker — at the same time.
///
/// Only successor generation (the transitions, fingerprints, symmetry representatives and,
/// with more than one worker, the property checks of the successors) runs in parallel. The
/// search then reads the workers' batches in order, slice after slice, exactly as a
/// one-worker search reads its batches, so the visited set, the state numbers, the verdict
/// and the counterexample do not depend on the number of workers.
struct SearchWorkers {
  /// One per slice of a round; thread `t` generates slices `t · slicesPerThread ..<
  /// (t + 1) · slicesPerThread`.
  let workers: [SearchWorker]
  /// States per slice.
  let maxSources: Int
  let words: Int
  let threads: Int
  /// Slices per thread per round: several, so that the cost of starting the threads is
  /// spread over more work.
  let slicesPerThread: Int

  /// - Parameter count: the number of threads, at least 1.
  init(count: Int, _ compiled: CompiledModel, canonicalizer: SymmetryCanonicalizer?) {
    threads = max(1, count)
    slicesPerThread = threads > 1 ? 8 : 1
    let precheck = threads > 1
    workers = (0..<threads * slicesPerThread).map { _ in
      SearchWorker(compiled, canonicalizer: canonicalizer, precheck: precheck)
    }
    maxSources = workers[0].batch.maxSources
    words = compiled.layout.words
  }

  /// States per round.
  var roundSize: Int { maxSources &* workers.count }

  /// Bytes the workers' batches allocate.
  var memoryBytes: Int { workers.reduce(0) { $0 + $1.batch.memoryBytes } }

  /// Generates the successors of `count` consecutive states (at most `roundSize`): worker `w`
  /// takes slice `w`, states `w · maxSources ..< (w + 1) · maxSources`.
  ///
  /// - Returns: the number of slices.
  /// - Complexity: O(candidate actions · (action size + words)) per state, spread over the
  ///   threads.
  func generate(from sources: UnsafeMutablePointer<UInt64>, count: Int) -> Int {
    let slices = (count &+ maxSources &- 1) / maxSources
    if slices <= 1 {
      workers[0].generate(from: sources, count: count)
      return slices
    }
    let shared = SharedWords(base: sources)
    let (workers, maxSources, words) = (self.workers, self.maxSources, self.words)
    let perThread = (slices &+ threads &- 1) / threads
    DispatchQueue.concurrentPerform(iterations: (slices &+ perThread &- 1) / perThread) { t in
      for w in (t &* perThread)..<min(slices, (t &+ 1) &* perThread) {
        let first = w &* maxSources
        workers[w].generate(
          from: shared.base + first &* words, count: min(maxSources, count &- first))
      }
    }
    return slices
  }
}

/// A pointer to the states of a level, read (never written) by every worker of a round.
private struct SharedWords: @unchecked Sendable {
  let base: UnsafeMutablePointer<UInt64>
}
