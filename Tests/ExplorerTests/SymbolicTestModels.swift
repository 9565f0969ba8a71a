import HMMModel

/// Small hand-built IR models for the symbolic engine's tests.
enum SymbolicTestModels {
  static func variable(_ index: Int) -> IRExpr { .variable(VarID(index)) }
  static func assign(_ index: Int, _ value: IRExpr) -> IRStmt {
    .assign(.variable(VarID(index)), value)
  }
  static func setPC(_ index: Int, _ pc: Int) -> IRStmt { assign(index, .int(pc)) }

  static func action(
    _ name: String, thread: Int, from pc: Int, guard guardExpr: IRExpr = .true,
    _ effects: [IRStmt]
  ) -> IRAction {
    IRAction(
      thread: thread, fromPC: pc, name: name, guardExpr: guardExpr, effects: effects,
      origin: ActionOrigin(site: SourceAnchor(file: "test.hmm", line: 1, column: 1)))
  }

  static func property(_ name: String, _ summary: String, _ expr: IRExpr) -> IRProperty {
    IRProperty(
      name: name, summary: summary, expr: expr,
      origin: SourceAnchor(file: "test.hmm", line: 1, column: 1))
  }

  /// `x` counts up to 3 by `inc` (guard `x < 3`); `done` finishes once `x == 3`.
  /// P1 `x <= 2` fails after three `inc`s. Variables: x (0), pc (1).
  static func counter() -> IRModel {
    IRModel(
      name: "counter",
      variables: [
        IRVariable(name: "x", type: .int(lo: 0, hi: 3), initial: 0),
        IRVariable(
          name: "counter.pc", type: .int(lo: 0, hi: 1), initial: 0, owner: 0,
          valueNames: ["loop", "end"]),
      ],
      threads: [IRThread(name: "counter", pc: VarID(1), pcCount: 2, initialPC: 0, finalPC: 1)],
      actions: [
        action(
          "inc", thread: 0, from: 0, guard: .binary(.lt, variable(0), .int(3)),
          [assign(0, .binary(.add, variable(0), .int(1))), setPC(1, 0)]),
        action(
          "done", thread: 0, from: 0, guard: .binary(.eq, variable(0), .int(3)), [setPC(1, 1)]),
      ],
      properties: [property("P1", "x stays below 3", .binary(.le, variable(0), .int(2)))],
      checkDeadlock: true)
  }

  /// Two threads take a lock with a separate test and set (`check`, then `acquire`), so both
  /// can enter. Variables: lock (0), inCS[0] (1), inCS[1] (2), t0.pc (3), t1.pc (4).
  /// Actions of thread t: check (3t), acquire (3t+1), release (3t+2). P1: mutual exclusion.
  static func brokenLock() -> IRModel {
    let inCS = [VarID(1), VarID(2)]
    var actions: [IRAction] = []
    for t in 0..<2 {
      let pc = 3 + t
      actions.append(
        action("check", thread: t, from: 0, guard: .unary(.not, variable(0)), [setPC(pc, 1)]))
      actions.append(
        action(
          "acquire", thread: t, from: 1,
          [assign(0, .true), .assign(.element(inCS, .int(t)), .true), setPC(pc, 2)]))
      actions.append(
        action(
          "release", thread: t, from: 2,
          [.assign(.element(inCS, .int(t)), .false), assign(0, .false), setPC(pc, 3)]))
    }
    return IRModel(
      name: "broken lock",
      variables: [
        IRVariable(name: "lock", type: .bool, initial: 0),
        IRVariable(name: "inCS[0]", type: .bool, initial: 0),
        IRVariable(name: "inCS[1]", type: .bool, initial: 0),
        IRVariable(name: "t0.pc", type: .int(lo: 0, hi: 3), initial: 0, owner: 0),
        IRVariable(name: "t1.pc", type: .int(lo: 0, hi: 3), initial: 0, owner: 1),
      ],
      threads: [
        IRThread(name: "t0", pc: VarID(3), pcCount: 4, initialPC: 0, finalPC: 3),
        IRThread(name: "t1", pc: VarID(4), pcCount: 4, initialPC: 0, finalPC: 3),
      ],
      actions: actions,
      properties: [
        property(
          "P1", "at most one thread in the critical section",
          .unary(.not, .binary(.and, variable(1), variable(2))))
      ],
      checkDeadlock: true)
  }

  /// Thread A takes l1 then l2, thread B takes l2 then l1; both release both at the end.
  /// Variables: l1 (0), l2 (1), A.pc (2), B.pc (3). Actions: A lock(l1) 0, lock(l2) 1,
  /// unlock 2; B lock(l2) 3, lock(l1) 4, unlock 5.
  static func opposingLocks() -> IRModel {
    var actions: [IRAction] = []
    for (t, order) in [(0, [0, 1]), (1, [1, 0])] {
      let pc = 2 + t
      for (step, lock) in order.enumerated() {
        actions.append(
          action(
            "lock(l\(lock + 1))", thread: t, from: step, guard: .unary(.not, variable(lock)),
            [assign(lock, .true), setPC(pc, step + 1)]))
      }
      actions.append(
        action("unlock", thread: t, from: 2, [assign(0, .false), assign(1, .false), setPC(pc, 3)]))
    }
    return IRModel(
      name: "opposing locks",
      variables: [
        IRVariable(name: "l1", type: .bool, initial: 0),
        IRVariable(name: "l2", type: .bool, initial: 0),
        IRVariable(name: "A.pc", type: .int(lo: 0, hi: 3), initial: 0, owner: 0),
        IRVariable(name: "B.pc", type: .int(lo: 0, hi: 3), initial: 0, owner: 1),
      ],
      threads: [
        IRThread(name: "A", pc: VarID(2), pcCount: 4, initialPC: 0, finalPC: 3),
        IRThread(name: "B", pc: VarID(3), pcCount: 4, initialPC: 0, finalPC: 3),
      ],
      actions: actions, properties: [], checkDeadlock: true)
  }

  /// `bump` adds 1 to `x` (domain 0...2) with no guard, so the third `bump` assigns 3: a
  /// model error. `stop` finishes. P1 `10 / (2 - x) >= 0` faults once `x == 2`.
  /// Variables: x (0), pc (1).
  static func overflowingCounter() -> IRModel {
    IRModel(
      name: "overflowing counter",
      variables: [
        IRVariable(name: "x", type: .int(lo: 0, hi: 2), initial: 0),
        IRVariable(name: "bump.pc", type: .int(lo: 0, hi: 1), initial: 0, owner: 0),
      ],
      threads: [IRThread(name: "bumper", pc: VarID(1), pcCount: 2, initialPC: 0, finalPC: 1)],
      actions: [
        action(
          "bump", thread: 0, from: 0,
          [assign(0, .binary(.add, variable(0), .int(1))), setPC(1, 0)]),
        action("stop", thread: 0, from: 0, [setPC(1, 1)]),
      ],
      properties: [
        property(
          "P1", "ten divided by the headroom is not negative",
          .binary(.ge, .binary(.div, .int(10), .binary(.sub, .int(2), variable(0))), .int(0)))
      ],
      checkDeadlock: true)
  }
}
