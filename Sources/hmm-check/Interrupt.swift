import Foundation
import Synchronization

/// Set by the SIGINT handler; polled by the search through `shouldStop`.
private let interruptRequested = Atomic<Bool>(false)

/// Ctrl-C handling: the first SIGINT asks the search to stop (it then prints the statistics
/// so far and exits 130); a second one exits at once with 130.
enum Interrupt {
  /// Installs the SIGINT handler and returns the `shouldStop` predicate to poll.
  static func install() -> @Sendable () -> Bool {
    signal(SIGINT) { _ in
      if interruptRequested.exchange(true, ordering: .relaxed) { _exit(130) }
    }
    return { interruptRequested.load(ordering: .relaxed) }
  }
}
