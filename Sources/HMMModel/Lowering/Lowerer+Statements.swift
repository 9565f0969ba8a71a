extension Lowerer {
  // MARK: Atomic blocks

  /// Lowers the body of an `atomic` block (or an initializer) to IR statements.
  ///
  /// - Parameter guardExpr: receives the condition of a leading `await`.
  func atomicBody(_ s: Stmt, _ ctx: BuildContext, guardExpr: inout IRExpr?, first: inout Bool) -> [IRStmt] {
    defer { first = false }
    switch s {
    case .block(let items, _):
      ctx.push()
      defer { ctx.pop() }
      var out: [IRStmt] = []
      var isFirst = first
      for item in items {
        out += atomicBody(item, ctx, guardExpr: &guardExpr, first: &isFirst)
      }
      return out
    case .variable(let d):
      guard let b = declareLocal(d, ctx) else { return [] }
      guard let initializer = d.initializer else { return [] }
      if rejectCalls(in: initializer, "inside an atomic block") { return [] }
      return assignment(.binding(b), "=", rvalue(initializer, ctx), d.anchor)
    case .assign(let target, let op, let valueExpr, let a):
      if rejectCalls(in: valueExpr, "inside an atomic block") { return [] }
      let v = rvalue(valueExpr, ctx)
      guard let place = lvalue(target, ctx) else { return [] }
      return assignment(place, op, v, a)
    case .ifElse(let c, let then, let other, _):
      if rejectCalls(in: c, "inside an atomic block") { return [] }
      let cv = rvalue(c, ctx)
      requireScalar(cv, "condition", c.anchor)
      var noFirst = false
      let cond = fold(cv.asCondition)
      let a = atomicBody(then, ctx, guardExpr: &guardExpr, first: &noFirst)
      let b = other.map { atomicBody($0, ctx, guardExpr: &guardExpr, first: &noFirst) } ?? []
      if let k = cond.constantValue { return k != 0 ? a : b }
      return [.ifElse(cond, a, b)]
    case .forRange(let v, let lo, let hi, let body, let a):
      guard let l = constant(lo, ctx), let h = constant(hi, ctx) else { return [] }
      guard h - l < 4096 else {
        diagnostics.error(a, "loop range \(l)..\(h) is too large to unroll")
        return []
      }
      var out: [IRStmt] = []
      if l <= h {
        for i in l...h {
          ctx.push([v: .constant(i, .int)])
          var noFirst = false
          out += atomicBody(body, ctx, guardExpr: &guardExpr, first: &noFirst)
          ctx.pop()
        }
      }
      return out
    case .assert(let c, let message, let a):
      if rejectCalls(in: c, "inside an atomic block") { return [] }
      let cv = rvalue(c, ctx)
      requireScalar(cv, "assertion", c.anchor)
      if isUncheckedPropertyAssertion(message) { return [] }
      return [.assert(fold(cv.asCondition), message: message ?? "assertion '\(c.text)' failed at \(a)")]
    case .await(let c, let a):
      if rejectCalls(in: c, "inside await") { return [] }
      let cv = rvalue(c, ctx)
      requireScalar(cv, "condition of await", c.anchor)
      if first && guardExpr == nil {
        guardExpr = fold(cv.asCondition)
      } else {
        diagnostics.error(a, "await must be the first statement of an atomic block")
      }
      return []
    case .cited(_, let inner):
      return atomicBody(inner, ctx, guardExpr: &guardExpr, first: &first)
    case .atomic(_, let inner, _):
      return atomicBody(inner, ctx, guardExpr: &guardExpr, first: &first)
    case .empty:
      return []
    case .expression(let e, let a):
      if rejectCalls(in: e, "inside an atomic block") { return [] }
      _ = rvalue(e, ctx)
      diagnostics.error(a, "this statement has no effect")
      return []
    case .goto(_, let a), .label(_, _, let a), .whileLoop(_, _, let a), .returnValue(_, let a),
      .breakLoop(let a), .continueLoop(let a), .choose(_, _, _, let a):
      diagnostics.error(a, "\(s.keyword) is not allowed inside an atomic block")
      return []
    }
  }

  /// Reports calls in `e`; returns true if there were any.
  func rejectCalls(in e: Expr, _ position: String) -> Bool {
    var calls: [Expr] = []
    collectCalls(e, into: &calls, conditional: false)
    for c in calls {
      diagnostics.error(c.anchor, "calls are not allowed \(position)")
    }
    return !calls.isEmpty
  }

  // MARK: Control flow

  /// Lowers `s`, entering at node `from`.
  ///
  /// - Returns: the node where control continues after `s`.
  func build(_ s: Stmt, from: Int, _ g: ThreadGraph, _ ctx: BuildContext) -> Int {
    switch s {
    case .block(let items, _):
      ctx.push()
      defer { ctx.pop() }
      var n = from
      for item in items { n = build(item, from: n, g, ctx) }
      return n
    case .variable(let d):
      guard let b = declareLocal(d, ctx) else { return from }
      guard let initializer = d.initializer else { return from }
      let n = hoistCalls([initializer], from: from, g, ctx)
      let body = assignment(.binding(b), "=", rvalue(initializer, ctx), d.anchor)
      return step(n, body, "\(d.name) = \(initializer.text)", d.anchor, g, ctx)
    case .expression(let e, let a):
      guard case .call(let name, let args, let ca) = e else {
        _ = rvalue(e, ctx)
        diagnostics.error(a, "this statement has no effect")
        return from
      }
      let n = hoistCalls(args, from: from, g, ctx)
      return call(name, args, ca, result: nil, from: n, g, ctx)
    case .assign(let target, let op, let valueExpr, let a):
      var indices: [Expr] = []
      collectIndexExprs(target, into: &indices)
      let n = hoistCalls(indices + [valueExpr], from: from, g, ctx)
      let v = rvalue(valueExpr, ctx)
      guard let place = lvalue(target, ctx) else { return n }
      let body = assignment(place, op, v, a)
      return step(n, body, "\(target.text) \(op) \(valueExpr.text)", a, g, ctx)
    case .ifElse(let c, let then, let other, let a):
      let n = hoistCalls([c], from: from, g, ctx)
      let cv = rvalue(c, ctx)
      requireScalar(cv, "condition", c.anchor)
      let cond = fold(cv.asCondition)
      if let k = cond.constantValue {
        if k != 0 { return build(then, from: n, g, ctx) }
        return other.map { build($0, from: n, g, ctx) } ?? n
      }
      let t = g.newNode()
      let f = g.newNode()
      branch(n, cond, t, f, "if (\(c.text))", a, g, ctx)
      let te = build(then, from: t, g, ctx)
      let fe = other.map { build($0, from: f, g, ctx) } ?? f
      let join = g.newNode()
      g.alias(te, to: join)
      g.alias(fe, to: join)
      return join
    case .whileLoop(let c, let body, let a):
      let head = g.newNode()
      g.alias(from, to: head)
      let n = hoistCalls([c], from: head, g, ctx)
      let cv = rvalue(c, ctx)
      requireScalar(cv, "condition", c.anchor)
      let cond = fold(cv.asCondition)
      let exit = g.newNode()
      let entry = g.newNode()
      if let k = cond.constantValue {
        if k == 0 { return n }
        g.addStep(from: n, .init(guardExpr: .true, body: [], to: entry, name: "while (\(c.text))", origin: ctx.origin(a)))
      } else {
        branch(n, cond, entry, exit, "while (\(c.text))", a, g, ctx)
      }
      ctx.loops.append((exit, head))
      let end = build(body, from: entry, g, ctx)
      ctx.loops.removeLast()
      g.alias(end, to: head)
      return exit
    case .forRange(let v, let lo, let hi, let body, let a):
      guard let l = constant(lo, ctx), let h = constant(hi, ctx) else { return from }
      guard h - l < 256 else {
        diagnostics.error(a, "loop range \(l)..\(h) is too large to unroll")
        return from
      }
      let exit = g.newNode()
      var n = from
      if l <= h {
        for i in l...h {
          let next = g.newNode()
          ctx.push([v: .constant(i, .int)])
          ctx.loops.append((exit, next))
          let end = build(body, from: n, g, ctx)
          ctx.loops.removeLast()
          ctx.pop()
          g.alias(end, to: next)
          n = next
        }
      }
      g.alias(n, to: exit)
      return exit
    case .goto(let label, let a):
      if let target = ctx.labels[label] {
        g.alias(from, to: target)
      } else {
        var message = "no label '\(label)' in this function"
        if let s = suggestion(for: label, among: ctx.labels.keys) { message += "; did you mean '\(s)'?" }
        diagnostics.error(a, message)
      }
      return g.newNode()
    case .label(let label, let inner, let a):
      guard let node = ctx.labels[label], ctx.placedLabels.insert(label).inserted, ctx.labelAnchors[label] == a else {
        return build(inner, from: from, g, ctx)
      }
      g.alias(from, to: node)
      return build(inner, from: node, g, ctx)
    case .returnValue(let e, let a):
      let returnsValue = ctx.returnBinding != nil
      guard let e else {
        if returnsValue {
          diagnostics.error(a, "'\(ctx.function?.name ?? "")' must return a value")
        }
        g.alias(from, to: ctx.exitNode)
        return g.newNode()
      }
      let n = hoistCalls([e], from: from, g, ctx)
      let v = rvalue(e, ctx)
      guard let r = ctx.returnBinding else {
        diagnostics.error(a, "'\(ctx.function?.name ?? "this function")' returns void; it cannot return a value")
        g.alias(n, to: ctx.exitNode)
        return g.newNode()
      }
      let body = assignment(.binding(r), "=", v, a)
      g.addStep(from: n, .init(guardExpr: .true, body: body, to: ctx.exitNode, name: "return \(e.text)", origin: ctx.origin(a)))
      return g.newNode()
    case .breakLoop(let a), .continueLoop(let a):
      guard let loop = ctx.loops.last else {
        diagnostics.error(a, "\(s.keyword) outside a loop")
        return from
      }
      if case .breakLoop = s { g.alias(from, to: loop.breakNode) } else { g.alias(from, to: loop.continueNode) }
      return g.newNode()
    case .atomic(let label, let inner, let a):
      var guardExpr: IRExpr?
      var first = true
      let body = atomicBody(inner, ctx, guardExpr: &guardExpr, first: &first)
      let to = g.newNode()
      g.addStep(from: from, .init(guardExpr: guardExpr ?? .true, body: body, to: to, name: actionName(label ?? "atomic", ctx), origin: ctx.origin(a)))
      return to
    case .await(let c, let a):
      if rejectCalls(in: c, "inside await") { return from }
      let cv = rvalue(c, ctx)
      requireScalar(cv, "condition of await", c.anchor)
      let to = g.newNode()
      g.addStep(from: from, .init(guardExpr: fold(cv.asCondition), body: [], to: to, name: actionName("await(\(c.text))", ctx), origin: ctx.origin(a)))
      return to
    case .assert(let c, let message, let a):
      if rejectCalls(in: c, "inside assert") { return from }
      let cv = rvalue(c, ctx)
      requireScalar(cv, "assertion", c.anchor)
      if isUncheckedPropertyAssertion(message) { return from }
      let body: [IRStmt] = [.assert(fold(cv.asCondition), message: message ?? "assertion '\(c.text)' failed at \(a)")]
      return step(from, body, "assert(\(c.text))", a, g, ctx)
    case .choose(let target, let lo, let hi, let a):
      guard let l = constant(lo, ctx), let h = constant(hi, ctx), let place = lvalue(target, ctx) else { return from }
      guard l <= h, h - l < 64 else {
        diagnostics.error(a, "choose needs a non-empty range of at most 64 values, found \(l)..\(h)")
        return from
      }
      let to = g.newNode()
      let edges = (l...h).map { i in
        ThreadGraph.Edge(
          guardExpr: .true, body: assignment(place, "=", Value(ir: .int(i), type: .int), a), to: to,
          name: actionName("choose \(target.text) = \(i)", ctx), origin: ctx.origin(a))
      }
      g.addChoice(from: from, edges)
      return to
    case .cited(let citation, let inner):
      let saved = ctx.citation
      ctx.citation = citation.text
      defer { ctx.citation = saved }
      return build(inner, from: from, g, ctx)
    case .empty:
      return from
    }
  }

  /// A one-edge step, or nothing if `body` is empty.
  func step(_ from: Int, _ body: [IRStmt], _ text: String, _ a: SourceAnchor, _ g: ThreadGraph, _ ctx: BuildContext) -> Int {
    let to = g.newNode()
    g.addStep(from: from, .init(guardExpr: .true, body: body, to: to, name: actionName(text, ctx), origin: ctx.origin(a)))
    return to
  }

  func branch(_ from: Int, _ cond: IRExpr, _ t: Int, _ f: Int, _ text: String, _ a: SourceAnchor, _ g: ThreadGraph, _ ctx: BuildContext) {
    let name = actionName(text, ctx)
    g.addBranch(
      from: from,
      then: .init(guardExpr: cond, body: [], to: t, name: name, origin: ctx.origin(a)),
      else: .init(guardExpr: fold(.unary(.not, cond)), body: [], to: f, name: name + " is false", origin: ctx.origin(a)))
  }

  /// Kernel actions are named after their function; driver actions after their statement.
  func actionName(_ text: String, _ ctx: BuildContext) -> String {
    if ctx.isPrelude, let f = ctx.function {
      return text == "atomic" || text == f.name ? f.name : "\(f.name): \(text)"
    }
    return text
  }

  /// Index expressions inside an assignment target (they may contain calls).
  func collectIndexExprs(_ e: Expr, into out: inout [Expr]) {
    switch e {
    case .index(let base, let i, _):
      collectIndexExprs(base, into: &out)
      out.append(i)
    case .member(let base, _, _), .unary(_, let base, _):
      collectIndexExprs(base, into: &out)
    default: break
    }
  }
}

extension Stmt {
  var keyword: String {
    switch self {
    case .goto: "'goto'"
    case .label: "a label"
    case .whileLoop: "'while'"
    case .returnValue: "'return'"
    case .breakLoop: "'break'"
    case .continueLoop: "'continue'"
    case .choose: "'choose'"
    default: "this statement"
    }
  }
}

extension Lowerer {
  /// An assertion whose message names a property (`"P7: ..."`) checks that property; it is
  /// left out when the scenario checks a list of properties without it.
  func isUncheckedPropertyAssertion(_ message: String?) -> Bool {
    guard let checked = checkedProperties, let message, let colon = message.firstIndex(of: ":") else { return false }
    let name = String(message[..<colon])
    return program.properties.contains { $0.name == name } && !checked.contains(name)
  }
}
