/// An assignable place.
enum LRef {
  case binding(Binding)
  /// An element of an array of scalars chosen by a run-time index.
  case element([VarID], IRExpr, SType)
}

extension Lowerer {
  // MARK: Names

  /// Resolves a name in `ctx`, then globals, constants, enum cases and `self`.
  func lookup(_ name: String, _ anchor: SourceAnchor, _ ctx: BuildContext) -> Binding? {
    if let b = ctx.lookup(name) { return b }
    if let b = globals[name] { return b }
    if let c = constants[name] { return .constant(c.0, c.1) }
    if let (e, v) = program.enumCases[name] { return .constant(v, .enumeration(e)) }
    if name == "self" {
      if let t = ctx.thread { return .constant(t + 1, .int) }
      diagnostics.error(anchor, "'self' is only meaningful inside a thread's code")
      return nil
    }
    var candidates = Set(globals.keys).union(constants.keys).union(program.enumCases.keys)
    for scope in ctx.scopes { candidates.formUnion(scope.keys) }
    var message = "unknown name '\(name)'"
    if program.functions[name] != nil || program.externs[name] != nil {
      message = "'\(name)' is a function; call it with '\(name)(...)'"
    } else if let s = suggestion(for: name, among: candidates) {
      message += "; did you mean '\(s)'?"
    }
    diagnostics.error(anchor, message)
    return nil
  }

  // MARK: Places

  func lvalue(_ e: Expr, _ ctx: BuildContext) -> LRef? {
    switch e {
    case .name(let n, let a):
      guard let b = lookup(n, a, ctx) else { return nil }
      if case .constant(_, .error) = b { return nil }
      if case .constant = b {
        diagnostics.error(a, "cannot assign to the constant '\(n)'")
        return nil
      }
      return .binding(b)
    case .unary("&", let inner, _), .unary("*", let inner, _):
      return lvalue(inner, ctx)
    case .member(let base, let field, let a):
      guard case .binding(let b)? = lvalue(base, ctx) else { return nil }
      guard case .structure(let sname, let fields) = b else {
        diagnostics.error(a, "'\(base.text)' is not a struct, it has type \(b.type)")
        return nil
      }
      guard let f = fields.first(where: { $0.0 == field }) else {
        var message = "struct \(sname) has no field '\(field)'"
        if let s = suggestion(for: field, among: fields.map(\.0)) { message += "; did you mean '\(s)'?" }
        diagnostics.error(a, message)
        return nil
      }
      return .binding(f.1)
    case .index(let base, let index, let a):
      guard case .binding(let b)? = lvalue(base, ctx) else { return nil }
      guard case .array(let elementType, let items) = b else {
        diagnostics.error(a, "'\(base.text)' is not an array, it has type \(b.type)")
        return nil
      }
      let i = rvalue(index, ctx)
      guard i.type.isNumeric else {
        diagnostics.error(index.anchor, "an array index must be an integer, found \(i.type)")
        return nil
      }
      if let k = fold(i.asInteger).constantValue {
        guard items.indices.contains(k) else {
          diagnostics.error(index.anchor, "index \(k) is out of range 0..<\(items.count) of '\(base.text)'")
          return nil
        }
        return .binding(items[k])
      }
      guard elementType.isScalar else {
        diagnostics.error(index.anchor, "an array of \(elementType) can only be indexed by a constant")
        return nil
      }
      return .element(items.flatMap(\.variables), i.asInteger, elementType)
    case .call:
      diagnostics.error(e.anchor, "a function result is not assignable")
      return nil
    default:
      diagnostics.error(e.anchor, "'\(e.text)' is not assignable")
      return nil
    }
  }

  // MARK: Values

  func value(of b: Binding, _ anchor: SourceAnchor) -> Value {
    switch b {
    case .scalar(let v, let t): Value(ir: .variable(v), type: t)
    case .constant(let c, let t): t == .bool ? Value(ir: .bool(c != 0), type: .bool) : Value(ir: .int(c), type: t)
    // A subscription used as a value (`range.notifier = &bo->notifier;`) is its id.
    case .structure("mmu_interval_notifier", let fields):
      fields.first { $0.0 == "id" }.map { value(of: $0.1, anchor) } ?? Value(ir: .int(0), type: b.type)
    default: Value(ir: .int(0), type: b.type)
    }
  }

  func rvalue(_ e: Expr, _ ctx: BuildContext) -> Value {
    switch e {
    case .number(let n, _): return Value(ir: .int(n), type: .int)
    case .boolean(let b, _): return Value(ir: .bool(b), type: .bool)
    case .name, .member, .index, .unary("&", _, _), .unary("*", _, _):
      guard let place = lvalueQuiet(e, ctx) else { return .error }
      switch place {
      case .binding(let b): return value(of: b, e.anchor)
      case .element(let vars, let index, let t): return Value(ir: .element(vars, index), type: t)
      }
    case .unary(let op, let inner, let a):
      let v = rvalue(inner, ctx)
      switch op {
      case "!":
        requireScalar(v, "operand of '!'", a)
        return Value(ir: .unary(.not, v.asCondition), type: .bool)
      case "-":
        requireNumeric(v, "operand of '-'", a)
        return Value(ir: .unary(.negate, v.asInteger), type: .int)
      default:
        requireNumeric(v, "operand of '~'", a)
        return Value(ir: .unary(.complement, v.asInteger), type: .int)
      }
    case .binary(let op, let l, let r, let a):
      return binary(op, rvalue(l, ctx), rvalue(r, ctx), a, l, r)
    case .conditional(let c, let t, let f, let a):
      let cv = rvalue(c, ctx)
      requireScalar(cv, "condition", c.anchor)
      let tv = rvalue(t, ctx)
      let fv = rvalue(f, ctx)
      if tv.type == .bool && fv.type == .bool {
        return Value(ir: .ite(cv.asCondition, tv.ir, fv.ir), type: .bool)
      }
      requireNumeric(tv, "branch of '?:'", a)
      requireNumeric(fv, "branch of '?:'", a)
      return Value(ir: .ite(cv.asCondition, tv.asInteger, fv.asInteger), type: tv.type == fv.type ? tv.type : .int)
    case .call("lock_class", let args, let a):
      guard args.count == 1 else {
        diagnostics.error(a, "'lock_class' takes 1 argument, but \(args.count) were given")
        return .error
      }
      guard case .binding(let b)? = lvalue(args[0], ctx) else { return .error }
      guard let first = b.variables.first, let lockClass = lockClassOf[first] else {
        diagnostics.error(args[0].anchor, "'\(args[0].text)' is not a lock of the driver (a mutex or struct rw_semaphore declared in the driver)")
        return .error
      }
      return Value(ir: .int(lockClass), type: .enumeration("lock_class"))
    case .call(let name, _, let a):
      if let b = ctx.callResults[a] { return value(of: b, a) }
      if program.functions[name] == nil && program.externs[name] == nil {
        _ = unknownFunction(name, a)
      } else if ctx.thread == nil {
        diagnostics.error(a, "a function cannot be called here; properties and initializers are expressions over the state")
      } else {
        diagnostics.error(a, "the result of '\(name)' is used in a position where calls are not supported")
      }
      return .error
    case .quantifier(let isForall, let v, let lo, let hi, let body, let a):
      guard let l = constant(lo, ctx), let h = constant(hi, ctx) else { return .error }
      guard h - l < 4096 else {
        diagnostics.error(a, "quantifier range \(l)..\(h) is too large")
        return .error
      }
      var parts: [IRExpr] = []
      if l <= h {
        for i in l...h {
          ctx.push([v: .constant(i, .int)])
          let b = rvalue(body, ctx)
          ctx.pop()
          requireScalar(b, "quantifier body", body.anchor)
          parts.append(b.asCondition)
        }
      }
      let combined = parts.reduce(nil as IRExpr?) { acc, p in
        acc.map { .binary(isForall ? .and : .or, $0, p) } ?? p
      }
      return Value(ir: combined ?? .bool(isForall), type: .bool)
    }
  }

  /// `lvalue` for reading: constants are allowed.
  private func lvalueQuiet(_ e: Expr, _ ctx: BuildContext) -> LRef? {
    if case .name(let n, let a) = e {
      guard let b = lookup(n, a, ctx) else { return nil }
      return .binding(b)
    }
    return lvalue(e, ctx)
  }

  private func binary(_ op: String, _ l: Value, _ r: Value, _ a: SourceAnchor, _ le: Expr, _ re: Expr) -> Value {
    switch op {
    case "&&", "||", "==>":
      requireScalar(l, "left operand of '\(op)'", le.anchor)
      requireScalar(r, "right operand of '\(op)'", re.anchor)
      let o: IRBinaryOp = op == "&&" ? .and : op == "||" ? .or : .implies
      return Value(ir: .binary(o, l.asCondition, r.asCondition), type: .bool)
    case "==", "!=":
      requireScalar(l, "left operand of '\(op)'", le.anchor)
      requireScalar(r, "right operand of '\(op)'", re.anchor)
      if case .enumeration(let x) = l.type, case .enumeration(let y) = r.type, x != y {
        diagnostics.error(a, "cannot compare enum \(x) with enum \(y)")
      }
      let o: IRBinaryOp = op == "==" ? .eq : .ne
      if l.type == .bool && r.type == .bool { return Value(ir: .binary(o, l.ir, r.ir), type: .bool) }
      return Value(ir: .binary(o, l.asInteger, r.asInteger), type: .bool)
    case "<", "<=", ">", ">=":
      requireNumeric(l, "left operand of '\(op)'", le.anchor)
      requireNumeric(r, "right operand of '\(op)'", re.anchor)
      let o: IRBinaryOp = op == "<" ? .lt : op == "<=" ? .le : op == ">" ? .gt : .ge
      return Value(ir: .binary(o, l.asInteger, r.asInteger), type: .bool)
    case "+", "-", "*", "/", "%", "&", "|", "^":
      requireNumeric(l, "left operand of '\(op)'", le.anchor)
      requireNumeric(r, "right operand of '\(op)'", re.anchor)
      let table: [String: IRBinaryOp] = [
        "+": .add, "-": .sub, "*": .mul, "/": .div, "%": .mod, "&": .bitAnd, "|": .bitOr, "^": .bitXor,
      ]
      return Value(ir: .binary(table[op]!, l.asInteger, r.asInteger), type: .int)
    default:
      diagnostics.error(a, "operator '\(op)' is not supported")
      return .error
    }
  }

  func requireScalar(_ v: Value, _ what: String, _ a: SourceAnchor) {
    if !v.type.isScalar && v.type != .error {
      diagnostics.error(a, "\(what) must be a scalar value, found \(v.type)")
    }
  }
  func requireNumeric(_ v: Value, _ what: String, _ a: SourceAnchor) {
    if !v.type.isNumeric {
      diagnostics.error(a, "\(what) must be an integer, found \(v.type)")
    }
  }

  /// Evaluates a compile-time constant expression.
  func constant(_ e: Expr, _ ctx: BuildContext? = nil) -> Int? {
    let before = diagnostics.items.count
    let v = rvalue(e, ctx ?? BuildContext(thread: nil, function: nil, isPrelude: true, callers: [], citation: nil, stack: []))
    if diagnostics.items.count > before { return nil }
    if let c = fold(v.asInteger).constantValue { return c }
    diagnostics.error(e.anchor, "'\(e.text)' must be a constant expression")
    return nil
  }

  // MARK: Assignment

  /// The IR statements for `target op= value`, with type checks.
  func assignment(_ target: LRef, _ op: String, _ v: Value, _ a: SourceAnchor) -> [IRStmt] {
    let (lv, type): (IRLValue, SType)
    switch target {
    case .binding(.scalar(let id, let t)): (lv, type) = (.variable(id), t)
    case .element(let vars, let index, let t): (lv, type) = (.element(vars, index), t)
    case .binding(let b):
      diagnostics.error(a, "cannot assign to a value of type \(b.type)")
      return []
    }
    var value = v
    if op != "=" {
      let current: IRExpr
      switch lv {
      case .variable(let id): current = .variable(id)
      case .element(let vars, let index): current = .element(vars, index)
      }
      requireNumeric(value, "operand of '\(op)'", a)
      let o: IRBinaryOp = op == "+=" ? .add : op == "-=" ? .sub : op == "|=" ? .bitOr : .bitAnd
      value = Value(ir: .binary(o, type == .bool ? .ite(current, .int(1), .int(0)) : current, value.asInteger), type: .int)
    }
    switch type {
    case .bool:
      requireScalar(value, "value assigned to a bool", a)
      return [.assign(lv, fold(value.asCondition))]
    case .int, .mutex:
      requireNumeric(value, "value assigned to \(type)", a)
      return [.assign(lv, fold(value.asInteger))]
    case .enumeration(let name):
      if case .enumeration(let other) = value.type, other != name {
        diagnostics.error(a, "cannot assign enum \(other) to enum \(name)")
      } else if !value.type.isNumeric {
        diagnostics.error(a, "cannot assign \(value.type) to enum \(name)")
      }
      return [.assign(lv, fold(value.asInteger))]
    default:
      diagnostics.error(a, "cannot assign to a value of type \(type)")
      return []
    }
  }
}

/// Folds constant subexpressions. Operations that would be model errors (division by zero)
/// are left for the engines to report.
func fold(_ e: IRExpr) -> IRExpr {
  switch e {
  case .int, .bool, .variable: return e
  case .element(let vars, let index):
    let i = fold(index)
    if let k = i.constantValue, vars.indices.contains(k) { return .variable(vars[k]) }
    return .element(vars, i)
  case .unary(let op, let a):
    let x = fold(a)
    guard let v = x.constantValue else { return .unary(op, x) }
    switch op {
    case .not: return .bool(v == 0)
    case .negate: return .int(-v)
    case .complement: return .int(~v)
    }
  case .binary(let op, let a, let b):
    let x = fold(a)
    let y = fold(b)
    switch (op, x.constantValue, y.constantValue) {
    case (.and, 0?, _), (.and, _, 0?): return .false
    case (.and, 1?, _): return y
    case (.and, _, 1?): return x
    case (.or, 1?, _), (.or, _, 1?): return .true
    case (.or, 0?, _): return y
    case (.or, _, 0?): return x
    case (.implies, 0?, _): return .true
    case (.implies, 1?, _): return y
    default: break
    }
    guard let p = x.constantValue, let q = y.constantValue else { return .binary(op, x, y) }
    switch op {
    case .add: return .int(p &+ q)
    case .sub: return .int(p &- q)
    case .mul: return .int(p &* q)
    case .div: return q == 0 ? .binary(op, x, y) : .int(p / q)
    case .mod: return q == 0 ? .binary(op, x, y) : .int(p % q)
    case .bitAnd: return .int(p & q)
    case .bitOr: return .int(p | q)
    case .bitXor: return .int(p ^ q)
    case .eq: return .bool(p == q)
    case .ne: return .bool(p != q)
    case .lt: return .bool(p < q)
    case .le: return .bool(p <= q)
    case .gt: return .bool(p > q)
    case .ge: return .bool(p >= q)
    case .and: return .bool(p != 0 && q != 0)
    case .or: return .bool(p != 0 || q != 0)
    case .implies: return .bool(p == 0 || q != 0)
    }
  case .ite(let c, let a, let b):
    let x = fold(c)
    if let v = x.constantValue { return v != 0 ? fold(a) : fold(b) }
    return .ite(x, fold(a), fold(b))
  }
}
