import HMMModel
import Testing

@testable import Explorer

/// The compiler's fused forms, checked through `successors(of:)` against hand-computed
/// states (the random-model suite checks them statistically).
@Suite("Explicit engine: bytecode compiler")
struct ExplicitBytecodeTests {
  /// One thread, one action from pc 0 to pc 1 with `effects` and `guardExpr`.
  static func single(
    _ variables: [(String, IRType)], when guardExpr: IRExpr = .true, _ effects: [IRStmt]
  ) -> ExplicitExplorer {
    var b = ExplicitToyBuilder("single")
    for (name, type) in variables { _ = b.variable(name, type, initial: type.lowerBound) }
    let t = b.thread("t", pcCount: 2, finalPC: 1)
    b.action("act", thread: t, from: 0, to: 1, when: guardExpr, effects)
    return ExplicitExplorer(model: b.build())
  }

  @Test func mergedConstantStoresKeepTheLastWriteOfAVariable() {
    // x and y share word 0; z (63 bits) gets a word of its own.
    let explorer = Self.single(
      [
        ("x", .int(lo: 0, hi: 3)), ("y", .int(lo: -1, hi: 2)), ("z", .int(lo: 0, hi: Int.max >> 1)),
      ],
      [
        irAssign(VarID(0), irInt(1)), irAssign(VarID(2), irInt(7)), irAssign(VarID(1), irInt(2)),
        irAssign(VarID(0), irInt(2)),
      ])
    #expect(explorer.wordsPerState == 2)
    // Variables: x, y, z, t.pc.
    let successors = explorer.successors(of: [3, -1, 5, 0])
    #expect(successors.map(\.action) == [0])
    #expect(successors.first?.state == [2, 2, 7, 1])
  }

  @Test func constantStoresAroundAReadKeepTheirOrder() {
    let explorer = Self.single(
      [("x", .int(lo: 0, hi: 3)), ("y", .int(lo: 0, hi: 3))],
      [
        irAssign(VarID(0), irInt(1)), irAssign(VarID(1), irVar(VarID(0))),
        irAssign(VarID(0), irInt(3)),
      ])
    #expect(explorer.successors(of: [0, 0, 0]).first?.state == [3, 1, 1])
  }

  @Test func copiesAreRangeCheckedOnlyWhenTheDomainsDiffer() {
    let explorer = Self.single(
      [
        ("small", .int(lo: 0, hi: 3)), ("wide", .int(lo: -5, hi: 9)), ("inner", .int(lo: 1, hi: 2)),
      ],
      [irAssign(VarID(1), irVar(VarID(2))), irAssign(VarID(0), irVar(VarID(1)))])
    // inner → wide always fits; wide → small fits for 2.
    #expect(explorer.successors(of: [0, 0, 2, 0]).first?.state == [2, 2, 2, 1])
    let failing = Self.single(
      [("small", .int(lo: 0, hi: 3)), ("wide", .int(lo: -5, hi: 9))],
      [irAssign(VarID(0), irVar(VarID(1)))])
    #expect(
      failing.run().verdict
        == .failed(.modelError(message: "value -5 out of range 0...3 of small in action 'act'")))
  }

  @Test(arguments: [IRBinaryOp.lt, .le, .gt, .ge, .eq, .ne], -2...3)
  func comparisonsWithConstantsAtEveryEdge(op: IRBinaryOp, constant: Int) {
    // x ∈ -1...2; every constant from below to above the domain, on both sides, negated too.
    for x in -1...2 {
      let expected: Bool =
        switch op {
        case .lt: x < constant
        case .le: x <= constant
        case .gt: x > constant
        case .ge: x >= constant
        case .eq: x == constant
        default: x != constant
        }
      let variable = irVar(VarID(0))
      let forms: [(IRExpr, Bool)] = [
        (.binary(op, variable, irInt(constant)), expected),
        (.binary(op, irInt(constant), variable), Self.flipped(op, x, constant)),
        (irNot(.binary(op, variable, irInt(constant))), !expected),
        (.binary(.implies, .binary(op, variable, irInt(constant)), .false), !expected),
      ]
      for (guardExpr, holds) in forms {
        let explorer = Self.single([("x", .int(lo: -1, hi: 2))], when: guardExpr, [])
        #expect(
          explorer.enabledActions(in: [x, 0]) == (holds ? [0] : []),
          "\(guardExpr) with x = \(x)")
      }
    }
  }

  /// `constant op x`.
  static func flipped(_ op: IRBinaryOp, _ x: Int, _ constant: Int) -> Bool {
    switch op {
    case .lt: constant < x
    case .le: constant <= x
    case .gt: constant > x
    case .ge: constant >= x
    case .eq: constant == x
    default: constant != x
    }
  }

  /// Conditions made of `&&`, `||`, `==>` and `!` compile to jumps: every combination of two
  /// connectives over a boolean variable, a fused comparison, a negation and a comparison of
  /// two variables, as a guard, as an `ite` value and as an `if` condition, against direct
  /// evaluation in every state.
  @Test func connectivesCompiledToJumpsEvaluateLikeTheExpression() {
    let a = irVar(VarID(0))  // bool
    let b = irVar(VarID(1))  // 0...3
    let atoms: [(IRExpr, (Int, Int) -> Bool)] = [
      (a, { x, _ in x != 0 }), (irEq(b, irInt(2)), { _, y in y == 2 }),
      (irNot(a), { x, _ in x == 0 }), (irLt(a, b), { x, y in x < y }),
    ]
    let connectives: [(IRBinaryOp, (Bool, Bool) -> Bool)] = [
      (.and, { $0 && $1 }), (.or, { $0 || $1 }), (.implies, { !$0 || $1 }),
    ]
    var forms: [(IRExpr, (Int, Int) -> Bool)] = []
    for (p, pv) in atoms {
      for (q, qv) in atoms {
        for (r, rv) in atoms {
          for (op1, f1) in connectives {
            for (op2, f2) in connectives {
              forms.append(
                (
                  .binary(op1, p, .binary(op2, q, r)),
                  { f1(pv($0, $1), f2(qv($0, $1), rv($0, $1))) }
                ))
              forms.append(
                (
                  irNot(.binary(op1, .binary(op2, p, q), r)),
                  { !f1(f2(pv($0, $1), qv($0, $1)), rv($0, $1)) }
                ))
            }
          }
        }
      }
    }
    let variables: [(String, IRType)] = [
      ("a", .bool), ("b", .int(lo: 0, hi: 3)), ("c", .int(lo: 0, hi: 3)),
    ]
    for (condition, value) in forms {
      let guarded = Self.single(variables, when: condition, [])
      let effects = Self.single(
        variables,
        [
          irAssign(VarID(2), .ite(condition, irInt(1), irInt(2))),
          .ifElse(condition, [irAssign(VarID(1), irInt(3))], []),
        ])
      for x in 0...1 {
        for y in 0...3 {
          let holds = value(x, y)
          #expect(guarded.enabledActions(in: [x, y, 0, 0]) == (holds ? [0] : []), "\(condition)")
          #expect(
            effects.successors(of: [x, y, 0, 0]).first?.state == [
              x, holds ? 3 : y, holds ? 1 : 2, 1,
            ],
            "\(condition)")
        }
      }
    }
  }

  @Test func stackDepthCoversNestedExpressions() {
    // ((((x + 1) * (x + 2)) - ((x + 3) * (x + 4))) == -10) for x = 0: 2 - 12 = -10.
    let x = irVar(VarID(0))
    let nested = IRExpr.binary(
      .eq,
      .binary(
        .sub, .binary(.mul, irAdd(x, irInt(1)), irAdd(x, irInt(2))),
        .binary(.mul, irAdd(irInt(3), x), .binary(.add, x, .ite(.true, irInt(4), x)))),
      irInt(-10))
    let explorer = Self.single([("x", .int(lo: 0, hi: 3))], when: nested, [])
    #expect(explorer.enabledActions(in: [0, 0]) == [0])
    #expect(explorer.enabledActions(in: [1, 0]) == [])
  }
}
