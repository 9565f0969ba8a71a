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
package struct Lexer {
  private static let symbols: [String] = [
    "==>", "...", "<<=", ">>=",
    "==", "!=", "<=", ">=", "&&", "||", "->", "..", "++", "--", "+=", "-=", "|=", "&=", "<<", ">>",
    "{", "}", "(", ")", "[", "]", ";", ",", ":", ".", "=", "<", ">", "+", "-", "*", "/", "%",
    "!", "~", "&", "|", "^", "?", "@",
  ]

  /// Tokenizes `file`, reporting malformed input to `diagnostics`.
  ///
  /// - Complexity: O(n) in the length of the text.
  package static func tokenize(_ file: SourceFile, diagnostics: inout DiagnosticBag) -> [Token] {
    var tokens: [Token] = []
    let chars = Array(file.text.unicodeScalars)
    var i = 0
    var line = 1
    var col = 1
    func anchor() -> SourceAnchor { SourceAnchor(file: file.path, line: line, column: col) }
    func advance() {
      if chars[i] == "\n" {
        line += 1
        col = 1
      } else {
        col += 1
      }
      i += 1
    }
    func isIdentStart(_ c: Unicode.Scalar) -> Bool {
      (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }
    func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    while i < chars.count {
      let c = chars[i]
      if c == " " || c == "\t" || c == "\n" || c == "\r" {
        advance()
        continue
      }
      if c == "/" && i + 1 < chars.count && chars[i + 1] == "/" {
        while i < chars.count && chars[i] != "\n" { advance() }
        continue
      }
      if c == "/" && i + 1 < chars.count && chars[i + 1] == "*" {
        let start = anchor()
        advance()
        advance()
        var closed = false
        while i < chars.count {
          if chars[i] == "*" && i + 1 < chars.count && chars[i + 1] == "/" {
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
        var s = ""
        while i < chars.count && (isIdentStart(chars[i]) || isDigit(chars[i])) {
          s.unicodeScalars.append(chars[i])
          advance()
        }
        tokens.append(Token(kind: .identifier(s), anchor: start))
        continue
      }
      if isDigit(c) {
        var s = ""
        while i < chars.count && (isIdentStart(chars[i]) || isDigit(chars[i])) {
          s.unicodeScalars.append(chars[i])
          advance()
        }
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
      if c == "\"" {
        advance()
        var s = ""
        var closed = false
        while i < chars.count && chars[i] != "\n" {
          if chars[i] == "\"" {
            advance()
            closed = true
            break
          }
          if chars[i] == "\\" && i + 1 < chars.count {
            advance()
          }
          s.unicodeScalars.append(chars[i])
          advance()
        }
        if !closed { diagnostics.error(start, "unterminated string literal") }
        tokens.append(Token(kind: .string(s), anchor: start))
        continue
      }
      if let symbol = symbols.first(where: { sym in
        let u = Array(sym.unicodeScalars)
        return i + u.count <= chars.count && Array(chars[i..<(i + u.count)]) == u
      }) {
        for _ in symbol.unicodeScalars { advance() }
        tokens.append(Token(kind: .symbol(symbol), anchor: start))
        continue
      }
      diagnostics.error(start, "unexpected character '\(c.escaped(asASCII: true))'")
      advance()
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
