import HMMModel

@testable import Explorer

/// Builds small IR models by hand for the explicit-engine tests.
struct ExplicitToyBuilder {
  var name: String
  var variables: [IRVariable] = []
  var threads: [IRThread] = []
  var actions: [IRAction] = []
  var properties: [IRProperty] = []
  static let anchor = SourceAnchor(file: "toy.hmm", line: 1, column: 1)

  init(_ name: String) { self.name = name }

  mutating func variable(
    _ name: String, _ type: IRType, initial: Int = 0, owner: Int? = nil
  ) -> VarID {
    variables.append(IRVariable(name: name, type: type, initial: initial, owner: owner))
    return VarID(variables.count - 1)
  }

  /// A thread whose pc variable is `name.pc` over `0..<pcCount`, starting at 0.
  mutating func thread(_ name: String, pcCount: Int, finalPC: Int) -> Int {
    let index = threads.count
    let pc = variable("\(name).pc", .int(lo: 0, hi: pcCount - 1), owner: index)
    threads.append(
      IRThread(name: name, pc: pc, pcCount: pcCount, initialPC: 0, finalPC: finalPC))
    return index
  }

  /// An action of `thread` from `from`; when `to` is given, `pc := to` is appended to the
  /// effects.
  @discardableResult
  mutating func action(
    _ name: String, thread: Int, from: Int, to: Int?, when guardExpr: IRExpr = .true,
    _ effects: [IRStmt] = []
  ) -> Int {
    var all = effects
    if let to { all.append(.assign(.variable(threads[thread].pc), .int(to))) }
    actions.append(
      IRAction(
        thread: thread, fromPC: from, name: name, guardExpr: guardExpr, effects: all,
        origin: ActionOrigin(site: Self.anchor)))
    return actions.count - 1
  }

  mutating func property(_ name: String, _ expr: IRExpr) {
    properties.append(IRProperty(name: name, summary: name, expr: expr, origin: Self.anchor))
  }

  func pc(_ thread: Int) -> IRExpr { .variable(threads[thread].pc) }

  func build(checkDeadlock: Bool = true) -> IRModel {
    IRModel(
      name: name, variables: variables, threads: threads, actions: actions,
      properties: properties, checkDeadlock: checkDeadlock)
  }
}

// Expression shorthands.
func irVar(_ id: VarID) -> IRExpr { .variable(id) }
func irInt(_ value: Int) -> IRExpr { .int(value) }
func irEq(_ a: IRExpr, _ b: IRExpr) -> IRExpr { .binary(.eq, a, b) }
func irLt(_ a: IRExpr, _ b: IRExpr) -> IRExpr { .binary(.lt, a, b) }
func irAnd(_ a: IRExpr, _ b: IRExpr) -> IRExpr { .binary(.and, a, b) }
func irOr(_ a: IRExpr, _ b: IRExpr) -> IRExpr { .binary(.or, a, b) }
func irNot(_ a: IRExpr) -> IRExpr { .unary(.not, a) }
func irAdd(_ a: IRExpr, _ b: IRExpr) -> IRExpr { .binary(.add, a, b) }
func irSub(_ a: IRExpr, _ b: IRExpr) -> IRExpr { .binary(.sub, a, b) }
func irAssign(_ target: VarID, _ value: IRExpr) -> IRStmt { .assign(.variable(target), value) }

enum ExplicitToys {
  /// `n` threads, each counting its own counter from 0 to `k`, then finishing.
  ///
  /// Thread t: at pc 0, `inc_t` (guard c_t < k: c_t += 1, stay at pc 0) or `done_t` (guard
  /// c_t == k: go to pc 1, final). A thread's local state (c_t, pc_t) is one of (0...k, 0)
  /// or (k, 1): k + 2 values, independent of the others, so there are exactly (k + 2)^n
  /// states. The deepest state (all finished) is n(k + 1) steps away. Every thread at pc 0
  /// has exactly one enabled action, so transitions = Σ over states of the threads at pc 0
  /// = n · (k + 1) · (k + 2)^(n − 1).
  static func counters(threads n: Int, upTo k: Int) -> IRModel {
    var b = ExplicitToyBuilder("counters-\(n)x\(k)")
    for t in 0..<n {
      let c = b.variable("c\(t)", .int(lo: 0, hi: k), owner: t)
      let thread = b.thread("counter\(t)", pcCount: 2, finalPC: 1)
      b.action(
        "inc\(t)", thread: thread, from: 0, to: 0, when: irLt(irVar(c), irInt(k)),
        [irAssign(c, irAdd(irVar(c), irInt(1)))])
      b.action("done\(t)", thread: thread, from: 0, to: 1, when: irEq(irVar(c), irInt(k)))
    }
    return b.build()
  }

  static func countersStateCount(threads n: Int, upTo k: Int) -> Int {
    Array(repeating: k + 2, count: n).reduce(1, *)
  }

  /// Two threads and a test-and-set lock. Actions: 0 `lock0`, 1 `unlock0`, 2 `lock1`,
  /// 3 `unlock1`. Reachable (pc0, pc1, lock): 8 states (lock is held iff a thread is at pc 1;
  /// (1, 1) is unreachable).
  ///
  /// With `broken`, the lock is taken in two steps (test, then set): actions 0 `test0`,
  /// 1 `set0`, 2 `unlock0`, 3 `test1`, 4 `set1`, 5 `unlock1`; the critical section is pc 2.
  static func lockMutex(broken: Bool) -> IRModel {
    var b = ExplicitToyBuilder(broken ? "test-then-set" : "test-and-set")
    let lock = b.variable("lock", .bool)
    let critical = broken ? 2 : 1
    for t in 0..<2 {
      let thread = b.thread("t\(t)", pcCount: critical + 2, finalPC: critical + 1)
      if broken {
        b.action("test\(t)", thread: thread, from: 0, to: 1, when: irEq(irVar(lock), irInt(0)))
        b.action("set\(t)", thread: thread, from: 1, to: 2, [irAssign(lock, irInt(1))])
      } else {
        b.action(
          "lock\(t)", thread: thread, from: 0, to: 1, when: irEq(irVar(lock), irInt(0)),
          [irAssign(lock, irInt(1))])
      }
      b.action(
        "unlock\(t)", thread: thread, from: critical, to: critical + 1,
        [irAssign(lock, irInt(0))])
    }
    b.property(
      "mutex", irNot(irAnd(irEq(b.pc(0), irInt(critical)), irEq(b.pc(1), irInt(critical)))))
    return b.build()
  }

  /// Peterson's algorithm for two threads, each looping forever:
  /// pc 0 `flag_i := 1`, pc 1 `turn := j`, pc 2 wait until `flag_j == 0 || turn == i`,
  /// pc 3 (critical) `flag_i := 0` and back to pc 0. Property: not both at pc 3.
  /// With `broken`, the wait ignores `turn` (and so can deadlock instead).
  static func peterson(broken: Bool = false) -> IRModel {
    var b = ExplicitToyBuilder("peterson")
    let flag = [b.variable("flag[0]", .bool), b.variable("flag[1]", .bool)]
    let turn = b.variable("turn", .int(lo: 0, hi: 1))
    for i in 0..<2 {
      let j = 1 - i
      let thread = b.thread("p\(i)", pcCount: 5, finalPC: 4)
      b.action("flag\(i)", thread: thread, from: 0, to: 1, [irAssign(flag[i], irInt(1))])
      b.action("turn\(i)", thread: thread, from: 1, to: 2, [irAssign(turn, irInt(j))])
      let free = irEq(irVar(flag[j]), irInt(0))
      b.action(
        "wait\(i)", thread: thread, from: 2, to: 3,
        when: broken ? free : irOr(free, irEq(irVar(turn), irInt(i))))
      b.action("exit\(i)", thread: thread, from: 3, to: 0, [irAssign(flag[i], irInt(0))])
    }
    b.property("mutex", irNot(irAnd(irEq(b.pc(0), irInt(3)), irEq(b.pc(1), irInt(3)))))
    return b.build()
  }

  /// Two threads taking locks A and B in opposite orders. Thread 0: 0 `A0`, 1 `B0`,
  /// 2 `relB0`, 3 `relA0`; thread 1: 4 `B1`, 5 `A1`, 6 `relA1`, 7 `relB1`. After `A0`, `B1`
  /// both wait forever.
  static func lockOrderDeadlock() -> IRModel {
    var b = ExplicitToyBuilder("lock-order")
    let a = b.variable("A", .bool)
    let bLock = b.variable("B", .bool)
    for (t, order) in [(0, [a, bLock]), (1, [bLock, a])] {
      let thread = b.thread("t\(t)", pcCount: 5, finalPC: 4)
      let names = order.map { $0 == a ? "A" : "B" }
      b.action(
        "\(names[0])\(t)", thread: thread, from: 0, to: 1,
        when: irEq(irVar(order[0]), irInt(0)), [irAssign(order[0], irInt(1))])
      b.action(
        "\(names[1])\(t)", thread: thread, from: 1, to: 2,
        when: irEq(irVar(order[1]), irInt(0)), [irAssign(order[1], irInt(1))])
      b.action("rel\(names[1])\(t)", thread: thread, from: 2, to: 3, [irAssign(order[1], irInt(0))])
      b.action("rel\(names[0])\(t)", thread: thread, from: 3, to: 4, [irAssign(order[0], irInt(0))])
    }
    return b.build()
  }

  /// One thread that increments `c` (0...3) forever with no guard: the fourth `inc` stores 4.
  static func unguardedCounter() -> IRModel {
    var b = ExplicitToyBuilder("overflow")
    let c = b.variable("c", .int(lo: 0, hi: 3))
    let thread = b.thread("t", pcCount: 2, finalPC: 1)
    b.action("inc", thread: thread, from: 0, to: 0, [irAssign(c, irAdd(irVar(c), irInt(1)))])
    return b.build()
  }
}
