/// A source text with a name, split into lines for diagnostics.
package struct SourceFile: Sendable {
  /// The path shown in diagnostics (`Specs/hmm-rst.hmm`, `<kernel>/prelude.hmm`).
  package var path: String
  package var text: String
  package var lines: [Substring]

  package init(path: String, text: String) {
    self.path = path
    self.text = text
    self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
  }

  /// The text of a 1-based line, without its newline.
  package func line(_ number: Int) -> String {
    guard number >= 1 && number <= lines.count else { return "" }
    var s = String(lines[number - 1])
    if s.hasSuffix("\r") { s.removeLast() }
    return s
  }
}

/// A located error or note about a spec.
package struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
  package enum Severity: String, Sendable { case error, warning, note }
  package var severity: Severity
  package var anchor: SourceAnchor
  package var message: String

  package init(_ severity: Severity = .error, _ anchor: SourceAnchor, _ message: String) {
    self.severity = severity
    self.anchor = anchor
    self.message = message
  }

  /// `file:line:col: error: message`.
  package var description: String {
    "\(anchor.file):\(anchor.line):\(anchor.column): \(severity.rawValue): \(message)"
  }

  /// The diagnostic in the Swift compiler's style: the header line, the source line and a caret.
  package func rendered(in files: [String: SourceFile]) -> String {
    var out = description
    if let file = files[anchor.file], anchor.line >= 1, anchor.line <= file.lines.count {
      let text = file.line(anchor.line)
      out += "\n" + text + "\n"
      var caret = ""
      for (i, ch) in text.enumerated() where i < anchor.column - 1 {
        caret.append(ch == "\t" ? "\t" : " ")
      }
      out += caret + "^"
    }
    return out
  }
}

/// Collects diagnostics in the order they are found.
package struct DiagnosticBag: Sendable {
  package private(set) var items: [Diagnostic] = []
  package init() {}
  package var hasErrors: Bool { items.contains { $0.severity == .error } }
  package mutating func error(_ anchor: SourceAnchor, _ message: String) {
    items.append(Diagnostic(.error, anchor, message))
  }
  package mutating func append(contentsOf other: DiagnosticBag) { items += other.items }
  /// Sorted by file, line and column, with exact duplicates removed.
  package var sorted: [Diagnostic] {
    var seen = Set<String>()
    return items.enumerated().sorted { a, b in
      let x = a.element.anchor
      let y = b.element.anchor
      if x.file != y.file { return x.file < y.file }
      if x.line != y.line { return x.line < y.line }
      if x.column != y.column { return x.column < y.column }
      return a.offset < b.offset
    }.map(\.element).filter { seen.insert($0.description).inserted }
  }
}

/// Thrown when a spec has errors; carries every diagnostic found.
package struct SpecError: Error, Sendable, CustomStringConvertible {
  package var diagnostics: [Diagnostic]
  package var files: [String: SourceFile]
  package init(diagnostics: [Diagnostic], files: [String: SourceFile]) {
    self.diagnostics = diagnostics
    self.files = files
  }
  package var description: String {
    diagnostics.map { $0.rendered(in: files) }.joined(separator: "\n")
  }
}
