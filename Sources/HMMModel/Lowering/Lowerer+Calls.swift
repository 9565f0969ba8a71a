extension Lowerer {
  /// Collects calls in evaluation order (arguments before the call). Calls in operands that
  /// C evaluates conditionally (`&&`, `||`, `?:`, quantifiers) are reported.
  func collectCalls(_ e: Expr, into out: inout [Expr], conditional: Bool) {
    switch e {
    case .call("lock_class", _, _):
      break
    case .call(_, let args, let a):
      for arg in args { collectCalls(arg, into: &out, conditional: conditional) }
      if conditional {
        diagnostics.error(a, "a call may not appear in an operand that is evaluated conditionally (after '&&', '||' or '?'); assign its result to a variable first")
      } else {
        out.append(e)
      }
    case .unary(_, let x, _), .member(let x, _, _):
      collectCalls(x, into: &out, conditional: conditional)
    case .index(let x, let i, _):
      collectCalls(x, into: &out, conditional: conditional)
      collectCalls(i, into: &out, conditional: conditional)
    case .binary(let op, let l, let r, _):
      collectCalls(l, into: &out, conditional: conditional)
      collectCalls(r, into: &out, conditional: conditional || ["&&", "||", "==>"].contains(op))
    case .conditional(let c, let t, let f, _):
      collectCalls(c, into: &out, conditional: conditional)
      collectCalls(t, into: &out, conditional: true)
      collectCalls(f, into: &out, conditional: true)
    case .quantifier(_, _, _, _, let body, _):
      collectCalls(body, into: &out, conditional: true)
    default: break
    }
  }

  /// Lowers the calls inside `exprs` before the statement that uses them; each result goes to
  /// a temporary that `rvalue` reads.
  func hoistCalls(_ exprs: [Expr], from: Int, _ g: ThreadGraph, _ ctx: BuildContext) -> Int {
    var calls: [Expr] = []
    for e in exprs { collectCalls(e, into: &calls, conditional: false) }
    var n = from
    for c in calls {
      guard case .call(let name, let args, let a) = c else { continue }
      var result: Binding?
      if let f = resolveFunction(name), let type = semanticType(f.returnType, isField: false), type != .void {
        result = localVariable(key: "call@\(a)", name: "\(name)()", type: type, domain: domain(f.returnType), ctx)
      }
      n = call(name, args, a, result: result, from: n, g, ctx)
      if let result {
        ctx.callResults[a] = result
      } else {
        ctx.callResults[a] = .constant(0, resolveFunction(name) == nil ? .error : .void)
      }
    }
    return n
  }

  func resolveFunction(_ name: String) -> FunctionDecl? {
    program.functions[name] ?? program.externs[name]
  }

  func unknownFunction(_ name: String, _ a: SourceAnchor) -> FunctionDecl? {
    var message = "unknown function '\(name)'"
    let candidates = Array(program.functions.keys) + Array(program.externs.keys)
    if let s = suggestion(for: name, among: candidates) { message += "; did you mean '\(s)'?" }
    diagnostics.error(a, message)
    return nil
  }

  /// Inlines a call of `name` at node `from`.
  ///
  /// - Parameter result: where the return value goes, if it is used.
  /// - Returns: the node after the call.
  func call(_ name: String, _ args: [Expr], _ a: SourceAnchor, result: Binding?, from: Int, _ g: ThreadGraph, _ ctx: BuildContext) -> Int {
    guard let thread = ctx.thread else {
      diagnostics.error(a, "a function cannot be called here")
      return from
    }
    guard let f = program.functions[name] ?? unknownFunctionOrCallback(name, a) else { return from }
    if f.kind == .operation && !ctx.stack.isEmpty {
      diagnostics.error(a, "'\(name)' is a CPU-side operation of the kernel model; run it from a scenario with 'cpu \(name);'")
      return from
    }
    var args = args
    if let ext = program.externs[name], !program.preludeFunctions.contains(name),
       ext.params.count == args.count, ext.omitsSubscription(definedWith: f.params.count) {
      args.removeFirst()
    }
    if f.params.count != args.count {
      diagnostics.error(a, "'\(name)' takes \(f.params.count) argument\(f.params.count == 1 ? "" : "s"), but \(args.count) \(args.count == 1 ? "was" : "were") given")
      return from
    }
    if ctx.stack.contains(name) {
      diagnostics.error(a, "'\(name)' calls itself (recursion is not supported)")
      return from
    }
    let isPrelude = program.preludeFunctions.contains(name)
    let callee = BuildContext(
      thread: thread, function: f, isPrelude: isPrelude,
      callers: ctx.stack.isEmpty ? ctx.callers : ctx.callers + [a],
      callees: ctx.stack.isEmpty ? ctx.callees : ctx.callees + [name],
      citation: f.citation?.text ?? (isPrelude ? nil : nil), stack: ctx.stack + [name])
    var passing: [IRStmt] = []
    // A callback's untyped parameters take their types from the kernel's prototype.
    let prototype = program.externs[name].map { Array($0.params.suffix(f.params.count)) }
    for (index, (written, arg)) in zip(f.params, args).enumerated() {
      let param = written.type.base.isUntyped ? (prototype?[index] ?? written) : written
      let declared = param.type.base.isUntyped ? nil : semanticType(param.type, isField: false)
      let byReference: Bool
      if let declared {
        byReference = param.isPointer || !declared.isScalar || declared == .mutex
      } else {
        byReference = isAggregateArgument(arg, ctx)
      }
      if byReference {
        guard case .binding(let b)? = lvalue(arg, ctx) else {
          diagnostics.error(arg.anchor, "argument \(index + 1) of '\(name)' must be a variable (it is passed by reference)")
          callee.declare(written.name, .constant(0, .error))
          continue
        }
        if let declared, declared != .error, !compatible(b.type, declared) {
          diagnostics.error(arg.anchor, "argument \(index + 1) of '\(name)' must be \(declared), found \(b.type)")
          callee.declare(written.name, .constant(0, .error))
          continue
        }
        callee.declare(written.name, b)
      } else {
        let v = rvalue(arg, ctx)
        let type = declared ?? (v.type == .error ? .int : v.type)
        guard type.isScalar else {
          diagnostics.error(arg.anchor, "argument \(index + 1) of '\(name)' must be a scalar value, found \(v.type)")
          callee.declare(written.name, .constant(0, .error))
          continue
        }
        if !v.type.isNumeric && v.type != type && v.type != .error {
          diagnostics.error(arg.anchor, "argument \(index + 1) of '\(name)' must be \(type), found \(v.type)")
          callee.declare(written.name, .constant(0, .error))
          continue
        }
        let b = localVariable(key: "param \(written.name)", name: written.name, type: type, domain: domain(param.type), callee)
        callee.declare(written.name, b)
        passing += assignment(.binding(b), "=", v, arg.anchor)
      }
    }
    var entry = from
    if !passing.isEmpty {
      entry = g.newNode()
      g.addStep(from: from, .init(guardExpr: .true, body: passing, to: entry, name: "call \(name)", origin: ctx.origin(a)))
    }
    if let returnType = semanticType(f.returnType, isField: false), returnType != .void {
      callee.returnBinding = localVariable(key: "return", name: "return", type: returnType, domain: domain(f.returnType), callee)
    }
    callee.exitNode = g.newNode()
    guard let body = f.body else { return from }
    collectLabels(body, callee, g)
    let end = build(body, from: entry, g, callee)
    g.alias(end, to: callee.exitNode)
    var exitBody: [IRStmt] = []
    if let result, let r = callee.returnBinding {
      exitBody += assignment(.binding(result), "=", value(of: r, a), a)
    }
    for v in callee.locals {
      exitBody.append(.assign(.variable(v), .int(variables[v.index].initial)))
    }
    let next = g.newNode()
    g.addStep(from: callee.exitNode, .init(guardExpr: .true, body: exitBody, to: next, name: "return from \(name)", origin: ctx.origin(a)))
    return next
  }

  private func unknownFunctionOrCallback(_ name: String, _ a: SourceAnchor) -> FunctionDecl? {
    if program.externs[name] != nil {
      diagnostics.error(a, "the driver does not define the callback '\(name)'")
      return nil
    }
    return unknownFunction(name, a)
  }

  private func isAggregateArgument(_ e: Expr, _ ctx: BuildContext) -> Bool {
    let before = diagnostics
    defer { diagnostics = before }
    if case .binding(let b)? = lvalue(e, ctx) { return !b.type.isScalar || b.type == .mutex }
    return false
  }

  private func compatible(_ actual: SType, _ declared: SType) -> Bool {
    if actual == declared || actual == .error { return true }
    return actual.isNumeric && declared.isNumeric
  }

  /// Pre-creates a node for every label of a function body, reporting duplicates.
  func collectLabels(_ s: Stmt, _ ctx: BuildContext, _ g: ThreadGraph) {
    var seen: [String: SourceAnchor] = [:]
    func walk(_ s: Stmt) {
      switch s {
      case .block(let items, _): items.forEach(walk)
      case .ifElse(_, let t, let e, _):
        walk(t)
        if let e { walk(e) }
      case .whileLoop(_, let b, _), .forRange(_, _, _, let b, _), .cited(_, let b), .atomic(_, let b, _): walk(b)
      case .label(let name, let inner, let a):
        if let previous = seen[name] {
          diagnostics.error(a, "duplicate label '\(name)' (first defined at \(previous))")
        } else {
          seen[name] = a
          ctx.labels[name] = g.newNode()
          ctx.labelAnchors[name] = a
        }
        walk(inner)
      default: break
      }
    }
    walk(s)
  }

  /// Declares a local variable of the current function in the innermost scope.
  func declareLocal(_ d: VarDecl, _ ctx: BuildContext) -> Binding? {
    guard ctx.thread != nil else {
      diagnostics.error(d.anchor, "local variables are only allowed in functions")
      return nil
    }
    guard let base = semanticType(d.type, isField: false) else { return nil }
    if base == .void {
      diagnostics.error(d.anchor, "a variable cannot have type void")
      return nil
    }
    guard let (type, _) = arrayType(base, d.counts) else { return nil }
    let b = localVariable(key: "\(d.name)@\(d.anchor)", name: d.name, type: type, domain: domain(d.type), ctx)
    ctx.declare(d.name, b)
    return b
  }

  /// The variable(s) of a function-local name of this thread, allocated on first use.
  func localVariable(key: String, name: String, type: SType, domain: IRType?, _ ctx: BuildContext) -> Binding {
    let thread = ctx.thread!
    let function = ctx.function?.name ?? ""
    let cacheKey = "\(thread)|\(function)|\(key)"
    if let b = localCache[cacheKey] {
      ctx.locals += b.variables.filter { !ctx.locals.contains($0) }
      return b
    }
    let prefix = function.isEmpty || function == threadRoots[thread] ? threadNames[thread] : "\(threadNames[thread]).\(function)"
    let b = allocate(
      name: "\(prefix).\(name)", type: type, domain: domain, owner: thread, isGhost: false,
      scope: function.isEmpty ? threadRoots[thread] : function)
    localCache[cacheKey] = b
    ctx.locals += b.variables
    return b
  }
}

extension TypeRef.Base {
  var isUntyped: Bool {
    if case .named("?") = self { return true }
    return false
  }
}
