/// A readable listing of a model, for `hmm-check ir` and for debugging lowering.
extension IRModel {
  package func expressionText(_ e: IRExpr) -> String {
    switch e {
    case .int(let v): return String(v)
    case .bool(let b): return b ? "true" : "false"
    case .variable(let v): return variables[v.index].name
    case .element(let vs, let i):
      let base = vs.first.map { variables[$0.index].name } ?? "?"
      let name = base.hasSuffix("[0]") ? String(base.dropLast(3)) : base
      return "\(name)[\(expressionText(i))]"
    case .unary(let op, let a):
      let sym = op == .not ? "!" : op == .negate ? "-" : "~"
      return sym + "(" + expressionText(a) + ")"
    case .binary(let op, let a, let b):
      return "(\(expressionText(a)) \(op.symbol) \(expressionText(b)))"
    case .ite(let c, let a, let b):
      return "(\(expressionText(c)) ? \(expressionText(a)) : \(expressionText(b)))"
    }
  }

  package func statementText(_ s: IRStmt, indent: String = "") -> String {
    switch s {
    case .assign(let target, let value):
      let t: String
      switch target {
      case .variable(let v): t = variables[v.index].name
      case .element(let vs, let i): t = expressionText(.element(vs, i))
      }
      return "\(indent)\(t) := \(expressionText(value))"
    case .ifElse(let c, let a, let b):
      var out = "\(indent)if \(expressionText(c)) {\n"
      out += a.map { statementText($0, indent: indent + "  ") + "\n" }.joined()
      if !b.isEmpty {
        out += "\(indent)} else {\n"
        out += b.map { statementText($0, indent: indent + "  ") + "\n" }.joined()
      }
      return out + "\(indent)}"
    case .assert(let c, let message):
      return "\(indent)assert \(expressionText(c)) \"\(message)\""
    }
  }

  /// Every variable, action and property of the model.
  package var listing: String {
    var out = "model \(name): \(variables.count) variables, \(threads.count) threads, \(actions.count) actions\n"
    for (i, v) in variables.enumerated() {
      out += "  v\(i) \(v.name): \(v.type.lowerBound)..\(v.type.upperBound) = \(v.render(v.initial))\(v.isGhost ? " (ghost)" : "")\n"
    }
    for (i, a) in actions.enumerated() {
      let t = threads[a.thread]
      out += "action \(i) [\(t.name) pc \(a.fromPC)] \(a.name) @ \(a.origin.site)\(a.origin.linux.map { " linux \($0)" } ?? "")\n"
      if a.guardExpr != .true { out += "  guard \(expressionText(a.guardExpr))\n" }
      for s in a.effects { out += statementText(s, indent: "  ") + "\n" }
    }
    for p in properties {
      out += "property \(p.name): \(expressionText(p.expr))\n"
    }
    return out
  }
}

extension IRBinaryOp {
  package var symbol: String {
    switch self {
    case .add: "+"
    case .sub: "-"
    case .mul: "*"
    case .div: "/"
    case .mod: "%"
    case .bitAnd: "&"
    case .bitOr: "|"
    case .bitXor: "^"
    case .eq: "=="
    case .ne: "!="
    case .lt: "<"
    case .le: "<="
    case .gt: ">"
    case .ge: ">="
    case .and: "&&"
    case .or: "||"
    case .implies: "==>"
    }
  }
}
