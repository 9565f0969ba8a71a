/// A lexical token of the spec language.
package struct Token: Sendable, Equatable {
  package enum Kind: Sendable, Equatable {
    case identifier(String)
    case number(Int)
    case string(String)
    /// Punctuation and operators: `{`, `==>`, `->`, `..`, `++`, ...
    case symbol(String)
    case endOfFile
  }
  package var kind: Kind
  package var anchor: SourceAnchor

  package var text: String {
    switch kind {
    case .identifier(let s): s
    case .number(let n): String(n)
    case .string(let s): "\"\(s)\""
    case .symbol(let s): s
    case .endOfFile: "end of file"
    }
  }
}

/// Splits a spec into tokens. `//` and `/* */` comments and whitespace are skipped.
///
/// Works on the UTF-8 bytes of the text: every character of the language is ASCII, and any
/// other character can only occur in a comment, a string literal or an error. Columns count
/// Unicode scalars, not bytes (a continuation byte does not move the column).
package struct Lexer {
  /// Longest first, so the first match is the longest symbol.
  private static let symbols: [String] = [
    "==>", "...", "<<=", ">>=",
    "==", "!=", "<=", ">=", "&&", "||", "->", "..", "++", "--", "+=", "-=", "|=", "&=", "<<", ">>",
    "{", "}", "(", ")", "[", "]", ";", ",", ":", ".", "=", "<", ">", "+", "-", "*", "/", "%",
    "!", "~", "&", "|", "^", "?", "@",
  ]
  /// `symbols` as UTF-8 bytes, in the same order.
  private static let symbolBytes: [[UInt8]] = symbols.map { Array($0.utf8) }

  /// Tokenizes `file`, reporting malformed input to `diagnostics`.
  ///
  /// - Complexity: O(n) in the length of the text.
  package static func tokenize(_ file: SourceFile, diagnostics: inout DiagnosticBag) -> [Token] {
    var text = file.text
    return text.withUTF8 { bytes in tokenize(bytes, file: file, diagnostics: &diagnostics) }
  }

  private static func tokenize(
    _ bytes: UnsafeBufferPointer<UInt8>, file: SourceFile, diagnostics: inout DiagnosticBag
  ) -> [Token] {
    var tokens: [Token] = []
    let count = bytes.count
    var i = 0
    var line = 1
    var col = 1
    func anchor() -> SourceAnchor { SourceAnchor(file: file.path, line: line, column: col) }
    func advance() {
      let b = bytes[i]
      if b == UInt8(ascii: "\n") {
        line += 1
        col = 1
      } else if b & 0xC0 != 0x80 {
        col += 1
      }
      i += 1
    }
    /// Advances over the rest of a run of ASCII bytes that `belongs` accepts (none of them
    /// a newline), which moves the column by one per byte.
    func advance(while belongs: (UInt8) -> Bool) {
      let first = i
      while i < count && belongs(bytes[i]) { i += 1 }
      col += i - first
    }
    func isIdentStart(_ c: UInt8) -> Bool {
      (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
        || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "_")
    }
    func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    func isIdentPart(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }
    func text(from start: Int) -> String {
      String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    }
    while i < count {
      let c = bytes[i]
      if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n")
        || c == UInt8(ascii: "\r")
      {
        advance()
        continue
      }
      if c == UInt8(ascii: "/") && i + 1 < count && bytes[i + 1] == UInt8(ascii: "/") {
        while i < count && bytes[i] != UInt8(ascii: "\n") { advance() }
        continue
      }
      if c == UInt8(ascii: "/") && i + 1 < count && bytes[i + 1] == UInt8(ascii: "*") {
        let start = anchor()
        advance()
        advance()
        var closed = false
        while i < count {
          if bytes[i] == UInt8(ascii: "*") && i + 1 < count && bytes[i + 1] == UInt8(ascii: "/") {
            advance()
            advance()
            closed = true
            break
          }
          advance()
        }
        if !closed { diagnostics.error(start, "unterminated comment") }
        continue
      }
      let start = anchor()
      if isIdentStart(c) {
        let first = i
        advance(while: isIdentPart)
        tokens.append(Token(kind: .identifier(text(from: first)), anchor: start))
        continue
      }
      if isDigit(c) {
        let first = i
        advance(while: isIdentPart)
        let s = text(from: first)
        let value: Int?
        if s.hasPrefix("0x") || s.hasPrefix("0X") {
          value = Int(s.dropFirst(2), radix: 16)
        } else {
          value = Int(s.trimmingSuffix(["U", "L", "u", "l"]))
        }
        if let value, value <= 1 << 40 {
          tokens.append(Token(kind: .number(value), anchor: start))
        } else {
          diagnostics.error(start, "malformed or too large number '\(s)'")
          tokens.append(Token(kind: .number(0), anchor: start))
        }
        continue
      }
      if c == UInt8(ascii: "\"") {
        advance()
        var s: [UInt8] = []
        var closed = false
        while i < count && bytes[i] != UInt8(ascii: "\n") {
          if bytes[i] == UInt8(ascii: "\"") {
            advance()
            closed = true
            break
          }
          if bytes[i] == UInt8(ascii: "\\") && i + 1 < count {
            advance()
          }
          // A multi-byte scalar is taken byte by byte: its continuation bytes are neither a
          // quote, a backslash nor a newline.
          s.append(bytes[i])
          advance()
        }
        if !closed { diagnostics.error(start, "unterminated string literal") }
        tokens.append(Token(kind: .string(String(decoding: s, as: UTF8.self)), anchor: start))
        continue
      }
      if let match = symbolBytes.firstIndex(where: { sym in
        i + sym.count <= count && sym.indices.allSatisfy { bytes[i + $0] == sym[$0] }
      }) {
        for _ in symbolBytes[match] { advance() }
        tokens.append(Token(kind: .symbol(symbols[match]), anchor: start))
        continue
      }
      // One scalar, ASCII or the whole UTF-8 sequence of a wider one.
      let first = i
      advance()
      while i < count && bytes[i] & 0xC0 == 0x80 { advance() }
      let scalar = text(from: first).unicodeScalars.first!
      diagnostics.error(start, "unexpected character '\(scalar.escaped(asASCII: true))'")
    }
    tokens.append(Token(kind: .endOfFile, anchor: anchor()))
    return tokens
  }
}

extension String {
  fileprivate func trimmingSuffix(_ letters: Set<Character>) -> Substring {
    var s = Substring(self)
    while let last = s.last, letters.contains(last) { s = s.dropLast() }
    return s
  }
}
