import HMMModel

@testable import Explorer

/// A deliberately naive explicit-state checker used as an oracle for the engine: it walks the
/// IR trees directly over `[Int]` valuations and keeps visited states in a `Dictionary`.
///
/// It follows the documented search order of `breadthFirstSearch` (states in discovery
/// order, actions ascending, properties at discovery, a later deadlock in the same level
/// beats a one-step-longer failure), so its counterexample must be the engine's exactly.
struct ExplicitReferenceChecker {
  struct Fault: Error { var text: String }

  enum Result: Equatable {
    case holds
    case property(Int, actions: [Int])
    case deadlock(actions: [Int])
    case modelError(actions: [Int])
  }

  let model: IRModel

  func eval(_ e: IRExpr, _ s: [Int]) throws(Fault) -> Int {
    switch e {
    case .int(let x): return x
    case .bool(let b): return b ? 1 : 0
    case .variable(let id): return s[id.index]
    case .element(let vs, let index):
      let i = try eval(index, s)
      guard vs.indices.contains(i) else { throw Fault(text: "index \(i)") }
      return s[vs[i].index]
    case .unary(let op, let a):
      let x = try eval(a, s)
      switch op {
      case .not: return x == 0 ? 1 : 0
      case .negate: return 0 &- x
      case .complement: return ~x
      }
    case .binary(.and, let a, let b):
      return try eval(a, s) == 0 ? 0 : eval(b, s)
    case .binary(.or, let a, let b):
      return try eval(a, s) != 0 ? 1 : eval(b, s)
    case .binary(.implies, let a, let b):
      return try eval(a, s) == 0 ? 1 : eval(b, s)
    case .binary(let op, let a, let b):
      let x = try eval(a, s)
      let y = try eval(b, s)
      switch op {
      case .add: return x &+ y
      case .sub: return x &- y
      case .mul: return x &* y
      case .div:
        guard y != 0 else { throw Fault(text: "div") }
        return x.dividedReportingOverflow(by: y).partialValue
      case .mod:
        guard y != 0 else { throw Fault(text: "mod") }
        return x.remainderReportingOverflow(dividingBy: y).partialValue
      case .bitAnd: return x & y
      case .bitOr: return x | y
      case .bitXor: return x ^ y
      case .eq: return x == y ? 1 : 0
      case .ne: return x != y ? 1 : 0
      case .lt: return x < y ? 1 : 0
      case .le: return x <= y ? 1 : 0
      case .gt: return x > y ? 1 : 0
      case .ge: return x >= y ? 1 : 0
      case .and, .or, .implies: fatalError("handled above")
      }
    case .ite(let c, let a, let b):
      return try eval(c, s) != 0 ? eval(a, s) : eval(b, s)
    }
  }

  func exec(_ statement: IRStmt, _ s: inout [Int]) throws(Fault) {
    switch statement {
    case .assign(.variable(let id), let value):
      try store(id, try eval(value, s), &s)
    case .assign(.element(let vs, let index), let value):
      let i = try eval(index, s)
      let x = try eval(value, s)
      guard vs.indices.contains(i) else { throw Fault(text: "index \(i)") }
      try store(vs[i], x, &s)
    case .ifElse(let c, let a, let b):
      for st in try eval(c, s) != 0 ? a : b { try exec(st, &s) }
    case .assert(let c, let message):
      if try eval(c, s) == 0 { throw Fault(text: message) }
    }
  }

  private func store(_ id: VarID, _ x: Int, _ s: inout [Int]) throws(Fault) {
    guard model.variables[id.index].type.contains(x) else { throw Fault(text: "range \(x)") }
    s[id.index] = x
  }

  /// nil: not enabled; throws: the guard faults.
  func fire(_ a: Int, _ s: [Int]) throws(Fault) -> [Int]? {
    let action = model.actions[a]
    guard s[model.threads[action.thread].pc.index] == action.fromPC else { return nil }
    guard try eval(action.guardExpr, s) != 0 else { return nil }
    var t = s
    for st in action.effects { try exec(st, &t) }
    return t
  }

  func deadlocked(_ s: [Int]) -> Bool {
    guard model.checkDeadlock else { return false }
    for a in model.actions.indices {
      do { if try fire(a, s) != nil { return false } } catch { return false }
    }
    return model.threads.contains { s[$0.pc.index] != $0.finalPC }
  }

  /// The first violated property, -1, or nil on a fault.
  func violated(_ s: [Int]) -> Int? {
    for (i, p) in model.properties.enumerated() {
      do { if try eval(p.expr, s) == 0 { return i } } catch { return nil }
    }
    return -1
  }

  /// Explores everything; returns the verdict, the distinct states and transitions.
  func check() -> (result: Result, states: Int, transitions: Int) {
    let initial = model.initialValues
    var index: [[Int]: Int] = [initial: 0]
    var states = [initial]
    var parent: [(Int, Int)] = [(-1, -1)]
    var transitions = 0
    func path(_ i: Int) -> [Int] {
      var out: [Int] = []
      var j = i
      while parent[j].0 >= 0 {
        out.append(parent[j].1)
        j = parent[j].0
      }
      return out.reversed()
    }
    switch violated(initial) {
    case nil: return (.modelError(actions: []), 1, 0)
    case let p? where p >= 0: return (.property(p, actions: []), 1, 0)
    default: break
    }
    var levelStart = 0
    while levelStart < states.count {
      let levelEnd = states.count
      var pending: Result? = nil
      for i in levelStart..<levelEnd {
        let s = states[i]
        if pending != nil {
          if deadlocked(s) { return (.deadlock(actions: path(i)), states.count, transitions) }
          continue
        }
        var enabled = false
        for a in model.actions.indices {
          let t: [Int]
          do {
            guard let fired = try fire(a, s) else { continue }
            t = fired
          } catch {
            pending = .modelError(actions: path(i) + [a])
            enabled = true
            break
          }
          enabled = true
          transitions += 1
          if index[t] != nil { continue }
          index[t] = states.count
          states.append(t)
          parent.append((i, a))
          switch violated(t) {
          case nil: pending = .modelError(actions: path(states.count - 1))
          case let p? where p >= 0: pending = .property(p, actions: path(states.count - 1))
          default: break
          }
          if pending != nil { break }
        }
        if !enabled && deadlocked(s) {
          return (.deadlock(actions: path(i)), states.count, transitions)
        }
      }
      if let pending { return (pending, states.count, transitions) }
      levelStart = levelEnd
    }
    return (.holds, states.count, transitions)
  }
}

extension ExplicitReferenceChecker.Result {
  /// The engine's outcome in the reference's terms.
  init(_ outcome: Outcome) {
    let actions = outcome.trace?.actions ?? []
    switch outcome.verdict {
    case .holds: self = .holds
    case .failed(.property(let p)): self = .property(p, actions: actions)
    case .failed(.deadlock): self = .deadlock(actions: actions)
    case .failed(.modelError): self = .modelError(actions: actions)
    case .inconclusive(let reason): fatalError("inconclusive: \(reason)")
    case .holdsUpTo(let depth): fatalError("bounded result up to depth \(depth)")
    }
  }
}

extension ExplicitReferenceChecker.Result {
  /// The kind of verdict, for counting what a batch of random models exercised.
  var kind: String {
    switch self {
    case .holds: "holds"
    case .property: "property"
    case .deadlock: "deadlock"
    case .modelError: "modelError"
    }
  }
}
