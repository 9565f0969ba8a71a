/// The syntax tree of a spec file (and of the kernel prelude, which is written in the same
/// language).
package struct SpecFile: Sendable {
  package var path: String
  package var declarations: [Declaration]
}

/// A type as written: `int`, `unsigned long`, `int<0..7>`, `bool`, `mutex`,
/// `struct hmm_range`, `enum pte_kind`, `void`, with any number of `*` (ignored: pointers are
/// references in hmm-check).
package struct TypeRef: Sendable {
  package enum Base: Sendable {
    case int(range: (Expr, Expr)?)
    case bool
    case void
    case mutex
    /// A struct or enum name.
    case named(String)
  }
  package var base: Base
  package var anchor: SourceAnchor
}

/// `@linux("mm/mmu_notifier.c:95-116")`.
package struct Citation: Sendable {
  package var text: String
  package var anchor: SourceAnchor
}

package struct VarDecl: Sendable {
  package var type: TypeRef
  package var name: String
  /// Array lengths, outermost first, for `T name[N]` and `T name[N][M]`. A length may be the
  /// name of an enum: the array then has one element per case, named after it.
  package var counts: [Expr]
  package var initializer: Expr?
  package var isGhost: Bool
  package var anchor: SourceAnchor
}

package struct Param: Sendable {
  package var type: TypeRef
  package var name: String
  /// Declared with `*` or of a struct/mutex type: bound by reference.
  package var isPointer: Bool
  package var anchor: SourceAnchor
}

package struct FunctionDecl: Sendable {
  package enum Kind: Sendable {
    /// A C function (kernel API in the prelude, or a driver procedure).
    case function
    /// A CPU-side operation of the prelude (`operation munmap(int va)`), runnable by scenarios.
    case operation
    /// A prototype the driver must define (`extern bool invalidate(...)`).
    case external
  }
  package var kind: Kind
  package var returnType: TypeRef
  package var name: String
  package var params: [Param]
  package var body: Stmt?
  package var citation: Citation?
  package var anchor: SourceAnchor
  /// For a callback prototype: the driver need not define it (`extern optional`).
  package var isOptional = false
}

package struct PropertyDecl: Sendable {
  package var name: String
  package var summary: String
  /// The invariant; nil for a property checked by assertions whose message starts with
  /// `NAME:`.
  package var expr: Expr?
  /// A kernel option the property needs (`requires lockdep`): set when the property is checked
  /// explicitly; without it, the property is left out of the default checks.
  package var requires: String? = nil
  package var anchor: SourceAnchor
}

package struct ScenarioDecl: Sendable {
  package enum Expectation: Sendable, Equatable {
    case holds
    case violates(String)
    case deadlock
  }
  package struct ThreadSpec: Sendable {
    package var procedure: String
    package var count: Expr
    package var anchor: SourceAnchor
  }
  package var name: String
  package var pages: Expr?
  /// `interval NAME LO .. HI;`: the pages a driver subscription covers (inclusive).
  package struct Interval: Sendable {
    package var name: String
    package var first: Expr
    package var last: Expr
    package var anchor: SourceAnchor
  }
  package var intervals: [Interval] = []
  package var faults: [ThreadSpec]
  package var operations: [ThreadSpec]
  /// Property names to check (`deadlock` included); nil means every property and deadlock.
  package var checks: [(String, SourceAnchor)]?
  package var expectation: (Expectation, SourceAnchor)?
  package var options: [OptionSetting]
  package var anchor: SourceAnchor
}

/// `option NAME = expr;`: sets a kernel option (in the prelude: `option bool NAME = default;`).
package struct OptionSetting: Sendable {
  package var name: String
  package var type: TypeRef?
  package var value: Expr
  package var anchor: SourceAnchor
}

package struct StructDecl: Sendable {
  package var name: String
  package var fields: [VarDecl]
  package var anchor: SourceAnchor
}

package struct EnumDecl: Sendable {
  package var name: String
  package var cases: [(String, SourceAnchor)]
  package var anchor: SourceAnchor
}

package struct ConstDecl: Sendable {
  package var name: String
  package var value: Expr
  package var anchor: SourceAnchor
}

package struct DriverDecl: Sendable {
  package var name: String
  package var variables: [VarDecl]
  package var functions: [FunctionDecl]
  package var anchor: SourceAnchor
}

package enum Declaration: Sendable {
  case structure(StructDecl)
  case enumeration(EnumDecl)
  case constant(ConstDecl)
  case option(OptionSetting)
  case variable(VarDecl)
  case function(FunctionDecl)
  case property(PropertyDecl)
  case driver(DriverDecl)
  case scenario(ScenarioDecl)
  /// `init { ... }`: statements run once to build the initial state (prelude).
  case initializer(Stmt)
}

package indirect enum Stmt: Sendable {
  case block([Stmt], SourceAnchor)
  case variable(VarDecl)
  case expression(Expr, SourceAnchor)
  case assign(target: Expr, op: String, value: Expr, SourceAnchor)
  case ifElse(Expr, Stmt, Stmt?, SourceAnchor)
  case whileLoop(Expr, Stmt, SourceAnchor)
  /// `for (v in lo .. hi) body`: unrolled; the bounds must be constants.
  case forRange(String, Expr, Expr, Stmt, SourceAnchor)
  case goto(String, SourceAnchor)
  case label(String, Stmt, SourceAnchor)
  case returnValue(Expr?, SourceAnchor)
  case breakLoop(SourceAnchor)
  case continueLoop(SourceAnchor)
  /// `atomic "name" { ... }`: one atomic action, optionally named.
  case atomic(String?, Stmt, SourceAnchor)
  /// `await(cond);`: blocks until `cond` holds.
  case await(Expr, SourceAnchor)
  case assert(Expr, String?, SourceAnchor)
  /// `choose v in lo .. hi;`: a nondeterministic choice.
  case choose(Expr, Expr, Expr, SourceAnchor)
  case cited(Citation, Stmt)
  case empty(SourceAnchor)

  package var anchor: SourceAnchor {
    switch self {
    case .block(_, let a), .expression(_, let a), .assign(_, _, _, let a), .ifElse(_, _, _, let a),
      .whileLoop(_, _, let a), .forRange(_, _, _, _, let a), .goto(_, let a), .label(_, _, let a),
      .returnValue(_, let a), .breakLoop(let a), .continueLoop(let a), .atomic(_, _, let a),
      .await(_, let a), .assert(_, _, let a), .choose(_, _, _, let a), .empty(let a):
      a
    case .variable(let d): d.anchor
    case .cited(_, let s): s.anchor
    }
  }
}

package indirect enum Expr: Sendable {
  case number(Int, SourceAnchor)
  case boolean(Bool, SourceAnchor)
  case name(String, SourceAnchor)
  case unary(String, Expr, SourceAnchor)
  case binary(String, Expr, Expr, SourceAnchor)
  case conditional(Expr, Expr, Expr, SourceAnchor)
  case call(String, [Expr], SourceAnchor)
  case member(Expr, String, SourceAnchor)
  case index(Expr, Expr, SourceAnchor)
  /// `forall (v in lo .. hi) body` / `exists (...) body`: unrolled.
  case quantifier(isForall: Bool, String, Expr, Expr, Expr, SourceAnchor)

  package var anchor: SourceAnchor {
    switch self {
    case .number(_, let a), .boolean(_, let a), .name(_, let a), .unary(_, _, let a),
      .binary(_, _, _, let a), .conditional(_, _, _, let a), .call(_, _, let a),
      .member(_, _, let a), .index(_, _, let a), .quantifier(_, _, _, _, _, let a):
      a
    }
  }

  /// Source-like text, for action names.
  package var text: String {
    switch self {
    case .number(let n, _): String(n)
    case .boolean(let b, _): b ? "true" : "false"
    case .name(let s, _): s
    case .unary(let op, let e, _): op + e.text
    case .binary(let op, let a, let b, _): "\(a.text) \(op) \(b.text)"
    case .conditional(let c, let a, let b, _): "\(c.text) ? \(a.text) : \(b.text)"
    case .call(let f, let args, _): "\(f)(\(args.map(\.text).joined(separator: ", ")))"
    case .member(let e, let f, _): "\(e.text).\(f)"
    case .index(let e, let i, _): "\(e.text)[\(i.text)]"
    case .quantifier(let all, let v, let lo, let hi, let body, _):
      "\(all ? "forall" : "exists") (\(v) in \(lo.text) .. \(hi.text)) \(body.text)"
    }
  }
}
