package import Explorer
import Foundation

/// A live progress line on a terminal: states, states/s, frontier, depth and memory,
/// redrawn in place at most every quarter second and erased when the search ends.
///
/// It is only created when the stream is a terminal (`isatty`), so redirected or piped
/// output never contains it.
package final class ProgressLine {
  private let write: (String) -> Void
  private var lastDraw = -1.0
  private var drawn = false

  /// A progress line on stderr, or nil when stderr is not a terminal.
  package static func onStandardErrorIfTerminal() -> ProgressLine? {
    guard isatty(STDERR_FILENO) == 1 else { return nil }
    return ProgressLine { text in FileHandle.standardError.write(Data(text.utf8)) }
  }

  package init(write: @escaping (String) -> Void) { self.write = write }

  /// Redraws the line for `p` unless it was drawn less than 0.25 s ago.
  package func update(_ p: ExplorationProgress, label: String) {
    guard p.seconds - lastDraw >= 0.25 else { return }
    lastDraw = p.seconds
    write("\r\u{1B}[K" + Self.text(p, label: label))
    drawn = true
  }

  /// Erases the line (before the report is printed).
  package func clear() {
    if drawn { write("\r\u{1B}[K") }
    drawn = false
    lastDraw = -1
  }

  /// The line's text.
  package static func text(_ p: ExplorationProgress, label: String) -> String {
    let rate = p.seconds > 0 ? Int(Double(p.states) / p.seconds) : p.states
    return "\(label): states \(grouped(p.states)) · \(grouped(rate)) states/s · frontier "
      + "\(grouped(p.frontier)) · depth \(p.depth) · memory \(mebibytes(p.memoryBytes))"
  }
}
