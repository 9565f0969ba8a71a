/// A recursive-descent parser for `.hmm` files.
///
/// On a syntax error it reports a diagnostic and resynchronises at the next `;` or `}` so that
/// one run reports as many errors as possible.
package struct Parser {
  private var tokens: [Token]
  private var position = 0
  private var diagnostics = DiagnosticBag()
  private let path: String

  /// Names that start a type in a declaration.
  private static let typeWords: Set<String> = [
    "int", "long", "unsigned", "signed", "bool", "void", "mutex", "struct", "enum", "const",
    "static", "u64", "u32", "ulong",
  ]

  /// Parses `file`.
  ///
  /// - Returns: the syntax tree (possibly partial) and every diagnostic found.
  package static func parse(_ file: SourceFile) -> (SpecFile, DiagnosticBag) {
    var lexDiagnostics = DiagnosticBag()
    let tokens = Lexer.tokenize(file, diagnostics: &lexDiagnostics)
    var parser = Parser(tokens: tokens, path: file.path)
    parser.diagnostics = lexDiagnostics
    let declarations = parser.parseFile()
    return (SpecFile(path: file.path, declarations: declarations), parser.diagnostics)
  }

  private init(tokens: [Token], path: String) {
    self.tokens = tokens
    self.path = path
  }

  private struct SyntaxError: Error {}

  // MARK: Token helpers

  private var current: Token { tokens[position] }
  private var anchor: SourceAnchor { current.anchor }

  private func peek(_ offset: Int = 0) -> Token {
    tokens[min(position + offset, tokens.count - 1)]
  }
  private func isSymbol(_ s: String, _ offset: Int = 0) -> Bool {
    peek(offset).kind == .symbol(s)
  }
  private func isWord(_ s: String, _ offset: Int = 0) -> Bool {
    peek(offset).kind == .identifier(s)
  }
  private mutating func advance() {
    if position < tokens.count - 1 { position += 1 }
  }
  private mutating func accept(_ symbol: String) -> Bool {
    if isSymbol(symbol) {
      advance()
      return true
    }
    return false
  }
  private mutating func acceptWord(_ word: String) -> Bool {
    if isWord(word) {
      advance()
      return true
    }
    return false
  }
  private mutating func fail(_ message: String, at where_: SourceAnchor? = nil) -> SyntaxError {
    diagnostics.error(where_ ?? anchor, message)
    return SyntaxError()
  }
  /// Where the previous token ends: a missing `;` or `)` is reported there, as compilers do.
  private var previousEnd: SourceAnchor {
    guard position > 0 else { return anchor }
    let t = tokens[position - 1]
    var a = t.anchor
    a.column += t.text.count
    return a
  }

  private mutating func expect(_ symbol: String, _ context: String) throws {
    if !accept(symbol) {
      let at = [";", ")", "]"].contains(symbol) && previousEnd.line < anchor.line ? previousEnd : anchor
      throw fail("expected '\(symbol)' \(context), found '\(current.text)'", at: at)
    }
  }
  private mutating func identifier(_ context: String) throws -> (String, SourceAnchor) {
    if case .identifier(let s) = current.kind {
      let a = anchor
      advance()
      return (s, a)
    }
    throw fail("expected \(context), found '\(current.text)'")
  }
  private mutating func stringLiteral(_ context: String) throws -> String {
    if case .string(let s) = current.kind {
      advance()
      return s
    }
    throw fail("expected \(context), found '\(current.text)'")
  }

  /// Skips to just after the next `;` at this nesting level, or to a `}` that closes it.
  private mutating func synchronize() {
    var depth = 0
    while current.kind != .endOfFile {
      if isSymbol("{") { depth += 1 }
      if isSymbol("}") {
        if depth == 0 { return }
        depth -= 1
        advance()
        if depth == 0 { return }
        continue
      }
      if isSymbol(";") && depth == 0 {
        advance()
        return
      }
      advance()
    }
  }

  // MARK: Declarations

  private mutating func parseFile() -> [Declaration] {
    var out: [Declaration] = []
    while current.kind != .endOfFile {
      let start = position
      do {
        if let d = try parseTopLevel() { out.append(d) }
      } catch {
        synchronize()
        if isSymbol("}") { advance() }
      }
      if position == start { advance() }
    }
    return out
  }

  private mutating func parseCitation() throws -> Citation? {
    guard isSymbol("@") else { return nil }
    let a = anchor
    advance()
    let (name, nameAnchor) = try identifier("an attribute name after '@'")
    guard name == "linux" else {
      throw fail("unknown attribute '@\(name)'; the only attribute is @linux(\"file:line\")", at: nameAnchor)
    }
    try expect("(", "after '@linux'")
    let text = try stringLiteral("a kernel source location such as \"mm/hmm.c:582-608\"")
    try expect(")", "after the kernel source location")
    return Citation(text: text, anchor: a)
  }

  private mutating func parseTopLevel() throws -> Declaration? {
    let citation = try parseCitation()
    let a = anchor
    if acceptWord("driver") {
      return .driver(try parseDriver(a))
    }
    if acceptWord("scenario") {
      return .scenario(try parseScenario(a))
    }
    if acceptWord("property") {
      let (name, _) = try identifier("a property name")
      let summary = try stringLiteral("a one-line summary of the property")
      if accept(";") {
        return .property(PropertyDecl(name: name, summary: summary, expr: nil, anchor: a))
      }
      var requires: String?
      if acceptWord("requires") {
        requires = try identifier("the option the property requires").0
      }
      try expect(":", "after the property summary")
      let e = try parseExpr()
      try expect(";", "after the property")
      return .property(PropertyDecl(name: name, summary: summary, expr: e, requires: requires, anchor: a))
    }
    if acceptWord("option") {
      return .option(try parseOption(a))
    }
    if isWord("const") && !isWord("struct", 1) && !isWord("enum", 1) {
      advance()
      _ = acceptWord("int") || acceptWord("long")
      let (name, _) = try identifier("a constant name")
      try expect("=", "after the constant name")
      let e = try parseExpr()
      try expect(";", "after the constant")
      return .constant(ConstDecl(name: name, value: e, anchor: a))
    }
    if isWord("struct") && peek(2).kind == .symbol("{") {
      advance()
      let (name, _) = try identifier("a struct name")
      try expect("{", "to open the struct")
      var fields: [VarDecl] = []
      while !isSymbol("}") && current.kind != .endOfFile {
        do {
          fields += try parseVarDecl(isGhost: acceptWord("ghost"))
        } catch { synchronize() }
      }
      try expect("}", "to close the struct")
      _ = accept(";")
      return .structure(StructDecl(name: name, fields: fields, anchor: a))
    }
    if isWord("enum") && peek(2).kind == .symbol("{") {
      advance()
      let (name, _) = try identifier("an enum name")
      try expect("{", "to open the enum")
      var cases: [(String, SourceAnchor)] = []
      repeat {
        if isSymbol("}") { break }
        cases.append(try identifier("an enum case"))
      } while accept(",")
      try expect("}", "to close the enum")
      _ = accept(";")
      return .enumeration(EnumDecl(name: name, cases: cases, anchor: a))
    }
    if acceptWord("init") {
      let body = try parseBlock()
      return .initializer(body)
    }
    if isWord("operation") || isWord("extern") {
      let kind: FunctionDecl.Kind = isWord("operation") ? .operation : .external
      advance()
      let optional = kind == .external && acceptWord("optional")
      let type: TypeRef
      if kind == .operation {
        type = TypeRef(base: .void, anchor: a)
      } else {
        type = try parseType()
      }
      var f = try parseFunction(kind: kind, returnType: type, citation: citation, a)
      f.isOptional = optional
      return .function(f)
    }
    if isWord("ghost") {
      advance()
      return try parseGlobalOrFunction(isGhost: true, citation: citation, a)
    }
    if isTypeStart() {
      return try parseGlobalOrFunction(isGhost: false, citation: citation, a)
    }
    throw fail(
      "expected a declaration (driver, scenario, struct, enum, const, option, property, a variable or a function), found '\(current.text)'"
    )
  }

  private mutating func parseOption(_ a: SourceAnchor) throws -> OptionSetting {
    var type: TypeRef?
    if isTypeStart() && peek(1).kind != .symbol("=") { type = try parseType() }
    let (name, _) = try identifier("an option name")
    try expect("=", "after the option name")
    let e = try parseExpr()
    try expect(";", "after the option")
    return OptionSetting(name: name, type: type, value: e, anchor: a)
  }

  private mutating func parseGlobalOrFunction(
    isGhost: Bool, citation: Citation?, _ a: SourceAnchor
  ) throws -> Declaration? {
    // Look ahead: type name '(' is a function.
    let save = position
    let saveDiagnostics = diagnostics
    let type = try parseType()
    let pointer = skipStars()
    if case .identifier = current.kind, isSymbol("(", 1) {
      _ = pointer
      return .function(try parseFunction(kind: .function, returnType: type, citation: citation, a))
    }
    position = save
    diagnostics = saveDiagnostics
    let decls = try parseVarDecl(isGhost: isGhost)
    guard decls.count == 1, let d = decls.first else {
      throw fail("declare one global variable per statement", at: a)
    }
    return .variable(d)
  }

  private mutating func skipStars() -> Bool {
    var any = false
    while accept("*") { any = true }
    return any
  }

  private func isTypeStart() -> Bool {
    if case .identifier(let s) = current.kind {
      if Parser.typeWords.contains(s) { return true }
      // `name name` or `name *name`: a type written by its struct/enum name.
      if case .identifier = peek(1).kind { return true }
      if isSymbol("*", 1), case .identifier = peek(2).kind { return true }
    }
    return false
  }

  private mutating func parseType() throws -> TypeRef {
    let a = anchor
    while acceptWord("const") || acceptWord("static") {}
    if acceptWord("unsigned") || acceptWord("signed") {
      _ = acceptWord("long") || acceptWord("int")
      _ = acceptWord("long")
      return TypeRef(base: .int(range: nil), anchor: a)
    }
    if acceptWord("int") || acceptWord("long") || acceptWord("u64") || acceptWord("u32")
      || acceptWord("ulong")
    {
      _ = acceptWord("long")
      if accept("<") {
        let lo = try parseAdditive()
        try expect("..", "in an integer range such as int<0..7>")
        let hi = try parseAdditive()
        try expect(">", "to close the integer range")
        return TypeRef(base: .int(range: (lo, hi)), anchor: a)
      }
      return TypeRef(base: .int(range: nil), anchor: a)
    }
    if acceptWord("bool") { return TypeRef(base: .bool, anchor: a) }
    if acceptWord("void") { return TypeRef(base: .void, anchor: a) }
    if acceptWord("mutex") { return TypeRef(base: .mutex, anchor: a) }
    if acceptWord("struct") || acceptWord("enum") {
      let (name, _) = try identifier("a type name")
      return TypeRef(base: .named(name), anchor: a)
    }
    let (name, _) = try identifier("a type")
    return TypeRef(base: .named(name), anchor: a)
  }

  /// `type a [N] = init, b;`
  private mutating func parseVarDecl(isGhost: Bool) throws -> [VarDecl] {
    let type = try parseType()
    var out: [VarDecl] = []
    repeat {
      _ = skipStars()
      let (name, a) = try identifier("a variable name")
      var counts: [Expr] = []
      while accept("[") {
        counts.append(try parseExpr())
        try expect("]", "after the array length")
      }
      var initializer: Expr?
      if accept("=") { initializer = try parseExpr() }
      out.append(
        VarDecl(
          type: type, name: name, counts: counts, initializer: initializer, isGhost: isGhost,
          anchor: a))
    } while accept(",")
    try expect(";", "after the declaration")
    return out
  }

  private mutating func parseFunction(
    kind: FunctionDecl.Kind, returnType: TypeRef, citation: Citation?, _ a: SourceAnchor
  ) throws -> FunctionDecl {
    _ = skipStars()
    let (name, nameAnchor) = try identifier("a function name")
    try expect("(", "to open the parameter list")
    var params: [Param] = []
    if !isSymbol(")") {
      if isWord("void") && isSymbol(")", 1) {
        advance()
      } else {
        repeat {
          let pa = anchor
          // A parameter may be written without a type (`invalidate(range, cur_seq)`).
          var type = TypeRef(base: .int(range: nil), anchor: pa)
          var untyped = false
          if case .identifier = current.kind, isSymbol(",", 1) || isSymbol(")", 1) {
            untyped = true
          } else {
            type = try parseType()
          }
          let pointer = skipStars()
          let (pname, panchor) = try identifier("a parameter name")
          if untyped {
            type = TypeRef(base: .named("?"), anchor: panchor)
          }
          params.append(Param(type: type, name: pname, isPointer: pointer, anchor: panchor))
        } while accept(",")
      }
    }
    try expect(")", "to close the parameter list")
    var body: Stmt?
    if kind == .external {
      try expect(";", "after the prototype")
    } else if accept(";") {
      throw fail("function '\(name)' needs a body", at: nameAnchor)
    } else {
      body = try parseBlock()
    }
    return FunctionDecl(
      kind: kind, returnType: returnType, name: name, params: params, body: body,
      citation: citation, anchor: nameAnchor)
  }

  private mutating func parseDriver(_ a: SourceAnchor) throws -> DriverDecl {
    let (name, _) = try identifier("a driver name")
    try expect("{", "to open the driver")
    var variables: [VarDecl] = []
    var functions: [FunctionDecl] = []
    while !isSymbol("}") && current.kind != .endOfFile {
      let start = position
      do {
        let citation = try parseCitation()
        let da = anchor
        switch try parseGlobalOrFunction(isGhost: false, citation: citation, da) {
        case .function(let f)?: functions.append(f)
        case .variable(let v)?: variables.append(v)
        default: break
        }
      } catch {
        synchronize()
      }
      if position == start { advance() }
    }
    try expect("}", "to close the driver")
    return DriverDecl(name: name, variables: variables, functions: functions, anchor: a)
  }

  private mutating func parseScenario(_ a: SourceAnchor) throws -> ScenarioDecl {
    let (name, _) = try identifier("a scenario name")
    var s = ScenarioDecl(
      name: name, pages: nil, faults: [], operations: [], checks: nil, expectation: nil,
      options: [], anchor: a)
    try expect("{", "to open the scenario")
    while !isSymbol("}") && current.kind != .endOfFile {
      let start = position
      do {
        try parseScenarioItem(&s)
      } catch {
        synchronize()
      }
      if position == start { advance() }
    }
    try expect("}", "to close the scenario")
    return s
  }

  private mutating func parseScenarioItem(_ s: inout ScenarioDecl) throws {
    let a = anchor
    let (word, wordAnchor) = try identifier("a scenario item (pages, interval, fault, thread, cpu, check, expect, option)")
    switch word {
    case "pages":
      s.pages = try parseExpr()
    case "interval":
      let (name, na) = try identifier("the name of a driver subscription")
      let first = try parseUnary()
      try expect("..", "in 'interval NAME FIRST .. LAST'")
      let last = try parseUnary()
      s.intervals.append(.init(name: name, first: first, last: last, anchor: na))
    case "fault", "thread", "cpu":
      let (proc, pa) = try identifier("a procedure name")
      var count: Expr = .number(1, pa)
      if accept("*") { count = try parseUnary() }
      let spec = ScenarioDecl.ThreadSpec(procedure: proc, count: count, anchor: pa)
      if word == "cpu" { s.operations.append(spec) } else { s.faults.append(spec) }
    case "check":
      var names: [(String, SourceAnchor)] = []
      repeat { names.append(try identifier("a property name or 'deadlock'")) } while accept(",")
      s.checks = (s.checks ?? []) + names
    case "expect":
      let (kind, ka) = try identifier("holds, violates PROPERTY or deadlock")
      switch kind {
      case "holds": s.expectation = (.holds, ka)
      case "deadlock": s.expectation = (.deadlock, ka)
      case "violates":
        let (p, _) = try identifier("the property expected to be violated")
        s.expectation = (.violates(p), ka)
      default:
        throw fail("expected 'holds', 'violates PROPERTY' or 'deadlock', found '\(kind)'", at: ka)
      }
    case "option":
      s.options.append(try parseOption(a))
      return
    default:
      throw fail(
        "unknown scenario item '\(word)'; expected pages, interval, fault, thread, cpu, check, expect or option",
        at: wordAnchor)
    }
    try expect(";", "after the scenario item")
  }

  // MARK: Statements

  private mutating func parseBlock() throws -> Stmt {
    let a = anchor
    try expect("{", "to open a block")
    var items: [Stmt] = []
    while !isSymbol("}") && current.kind != .endOfFile {
      let start = position
      do {
        items.append(try parseStatement())
      } catch {
        synchronize()
      }
      if position == start { advance() }
    }
    try expect("}", "to close the block")
    return .block(items, a)
  }

  private mutating func parseStatement() throws -> Stmt {
    if let citation = try parseCitation() {
      return .cited(citation, try parseStatement())
    }
    let a = anchor
    if isSymbol("{") { return try parseBlock() }
    if accept(";") { return .empty(a) }
    if case .identifier(let word) = current.kind {
      if isSymbol(":", 1) {
        advance()
        advance()
        if isSymbol("}") { return .label(word, .empty(a), a) }
        return .label(word, try parseStatement(), a)
      }
      switch word {
      case "if":
        advance()
        try expect("(", "after 'if'")
        let c = try parseExpr()
        try expect(")", "after the condition")
        let then = try parseStatement()
        var els: Stmt?
        if acceptWord("else") { els = try parseStatement() }
        return .ifElse(c, then, els, a)
      case "while":
        advance()
        try expect("(", "after 'while'")
        let c = try parseExpr()
        try expect(")", "after the condition")
        return .whileLoop(c, try parseStatement(), a)
      case "for":
        advance()
        try expect("(", "after 'for'")
        let (v, _) = try identifier("a loop variable")
        guard acceptWord("in") else { throw fail("expected 'in' in 'for (v in lo .. hi)'") }
        let lo = try parseAdditive()
        try expect("..", "in 'for (v in lo .. hi)'")
        let hi = try parseAdditive()
        try expect(")", "after the range")
        return .forRange(v, lo, hi, try parseStatement(), a)
      case "goto":
        advance()
        let (l, _) = try identifier("a label")
        try expect(";", "after goto")
        return .goto(l, a)
      case "return":
        advance()
        if accept(";") { return .returnValue(nil, a) }
        let e = try parseExpr()
        try expect(";", "after return")
        return .returnValue(e, a)
      case "break":
        advance()
        try expect(";", "after break")
        return .breakLoop(a)
      case "continue":
        advance()
        try expect(";", "after continue")
        return .continueLoop(a)
      case "atomic":
        advance()
        var label: String?
        if case .string(let s) = current.kind {
          label = s
          advance()
        }
        return .atomic(label, try parseStatement(), a)
      case "await":
        advance()
        try expect("(", "after 'await'")
        let c = try parseExpr()
        try expect(")", "after the condition")
        try expect(";", "after await")
        return .await(c, a)
      case "assert":
        advance()
        try expect("(", "after 'assert'")
        let c = try parseExpr()
        var message: String?
        if accept(",") { message = try stringLiteral("an assertion message") }
        try expect(")", "after the assertion")
        try expect(";", "after assert")
        return .assert(c, message, a)
      case "choose":
        advance()
        let target = try parsePostfix()
        guard acceptWord("in") else { throw fail("expected 'in' in 'choose v in lo .. hi'") }
        let lo = try parseAdditive()
        try expect("..", "in 'choose v in lo .. hi'")
        let hi = try parseAdditive()
        try expect(";", "after choose")
        return .choose(target, lo, hi, a)
      case "ghost":
        advance()
        let d = try parseVarDecl(isGhost: true)
        return d.count == 1 ? .variable(d[0]) : .block(d.map { .variable($0) }, a)
      default:
        if isTypeStart() && !isSymbol("(", 1) {
          let d = try parseVarDecl(isGhost: false)
          return d.count == 1 ? .variable(d[0]) : .block(d.map { .variable($0) }, a)
        }
      }
    }
    let e = try parseExpr()
    for op in ["=", "+=", "-=", "|=", "&="] where isSymbol(op) {
      advance()
      let v = try parseExpr()
      try expect(";", "after the assignment")
      return .assign(target: e, op: op, value: v, a)
    }
    if isSymbol("++") || isSymbol("--") {
      let op = isSymbol("++") ? "+=" : "-="
      advance()
      try expect(";", "after the statement")
      return .assign(target: e, op: op, value: .number(1, a), a)
    }
    try expect(";", "after the statement")
    return .expression(e, a)
  }

  // MARK: Expressions (C precedence, plus `==>` below `||`)

  package mutating func parseExpr() throws -> Expr {
    try parseImplication()
  }

  private mutating func parseImplication() throws -> Expr {
    let lhs = try parseConditional()
    if isSymbol("==>") {
      let a = anchor
      advance()
      return .binary("==>", lhs, try parseImplication(), a)
    }
    return lhs
  }

  private mutating func parseConditional() throws -> Expr {
    let c = try parseBinary(0)
    if isSymbol("?") {
      let a = anchor
      advance()
      let t = try parseExpr()
      try expect(":", "in a conditional expression")
      let f = try parseConditional()
      return .conditional(c, t, f, a)
    }
    return c
  }

  private static let levels: [[String]] = [
    ["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<", "<=", ">", ">="], ["<<", ">>"],
    ["+", "-"], ["*", "/", "%"],
  ]

  private mutating func parseAdditive() throws -> Expr { try parseBinary(8) }

  private mutating func parseBinary(_ level: Int) throws -> Expr {
    if level == Parser.levels.count { return try parseUnary() }
    var lhs = try parseBinary(level + 1)
    while case .symbol(let s) = current.kind, Parser.levels[level].contains(s) {
      let a = anchor
      advance()
      let rhs = try parseBinary(level + 1)
      lhs = .binary(s, lhs, rhs, a)
    }
    return lhs
  }

  private mutating func parseUnary() throws -> Expr {
    let a = anchor
    for op in ["!", "-", "~", "&", "*"] where isSymbol(op) {
      advance()
      return .unary(op, try parseUnary(), a)
    }
    return try parsePostfix()
  }

  private mutating func parsePostfix() throws -> Expr {
    var e = try parsePrimary()
    while true {
      let a = anchor
      if accept(".") || accept("->") {
        let (f, _) = try identifier("a field name")
        e = .member(e, f, a)
      } else if accept("[") {
        let i = try parseExpr()
        try expect("]", "after the index")
        e = .index(e, i, a)
      } else if isSymbol("(") {
        guard case .name(let f, let fa) = e else {
          throw fail("only named functions can be called")
        }
        advance()
        var args: [Expr] = []
        if !isSymbol(")") {
          repeat { args.append(try parseExpr()) } while accept(",")
        }
        try expect(")", "to close the argument list")
        e = .call(f, args, fa)
      } else {
        return e
      }
    }
  }

  private mutating func parsePrimary() throws -> Expr {
    let a = anchor
    switch current.kind {
    case .number(let n):
      advance()
      return .number(n, a)
    case .identifier(let s):
      if s == "true" || s == "false" {
        advance()
        return .boolean(s == "true", a)
      }
      if s == "NULL" {
        advance()
        return .number(0, a)
      }
      if s == "forall" || s == "exists" {
        advance()
        try expect("(", "after '\(s)'")
        let (v, _) = try identifier("a bound variable")
        guard acceptWord("in") else { throw fail("expected 'in' in '\(s) (v in lo .. hi)'") }
        let lo = try parseAdditive()
        try expect("..", "in '\(s) (v in lo .. hi)'")
        let hi = try parseAdditive()
        try expect(")", "after the range")
        let body = try parseUnary()
        return .quantifier(isForall: s == "forall", v, lo, hi, body, a)
      }
      advance()
      return .name(s, a)
    case .symbol("("):
      advance()
      let e = try parseExpr()
      try expect(")", "to close the parenthesis")
      return e
    default:
      throw fail("expected an expression, found '\(current.text)'")
    }
  }
}
