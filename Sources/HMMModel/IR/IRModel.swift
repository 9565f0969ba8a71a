/// The intermediate representation every engine consumes: a finite transition system.
///
/// A model is a fixed list of variables with finite domains (globals, thread locals and one
/// program counter per thread), a list of threads, a list of atomic guarded actions and a list
/// of state invariants. Engines know nothing about HMM; everything HMM-specific was lowered
/// into this form by `Lowering`.
///
/// Semantics (shared by every engine):
/// - A state assigns every variable a value of its domain. There is exactly one initial state,
///   given by `IRVariable.initial`.
/// - An action of thread `t` is enabled in a state when `t`'s program counter equals
///   `action.fromPC` and `action.guard` evaluates to true. Firing it runs `action.effects` in
///   order (later statements see earlier writes) on a copy of the state. The effects always
///   assign the thread's program counter.
/// - An assignment of a value outside the target's domain, an array index out of range, a
///   division by zero, or a failed `assert` is a *model error* found by the engine in that
///   transition; it is reported like a property violation (property name `assert`).
/// - A state in which no action is enabled and some thread is not at its `finalPC` is a
///   deadlock.
/// - Every property must hold in every reachable state.
package struct IRModel: Sendable {
  /// A human name (spec file and scenario).
  package var name: String
  package var variables: [IRVariable]
  package var threads: [IRThread]
  package var actions: [IRAction]
  package var properties: [IRProperty]
  /// Whether a deadlock counts as a failure to report.
  package var checkDeadlock: Bool

  package init(
    name: String, variables: [IRVariable], threads: [IRThread], actions: [IRAction],
    properties: [IRProperty], checkDeadlock: Bool
  ) {
    self.name = name
    self.variables = variables
    self.threads = threads
    self.actions = actions
    self.properties = properties
    self.checkDeadlock = checkDeadlock
  }

  /// The initial value of every variable, indexed by `VarID.index`.
  package var initialValues: [Int] { variables.map(\.initial) }

  /// Actions grouped by thread and then by the program counter they start from:
  /// `actionsFrom[thread][pc]` lists action indices in ascending order.
  package func actionsByThreadAndPC() -> [[[Int]]] {
    var table = threads.map { thread in [[Int]](repeating: [], count: thread.pcCount) }
    for (index, action) in actions.enumerated() {
      table[action.thread][action.fromPC].append(index)
    }
    return table
  }
}

/// Index of a variable in `IRModel.variables`.
package struct VarID: Hashable, Sendable, Comparable, CustomStringConvertible {
  package var index: Int
  package init(_ index: Int) { self.index = index }
  package static func < (a: VarID, b: VarID) -> Bool { a.index < b.index }
  package var description: String { "v\(index)" }
}

/// The domain of a variable: booleans are 0 and 1; integers are `lo...hi`.
package enum IRType: Hashable, Sendable {
  case bool
  case int(lo: Int, hi: Int)

  package var lowerBound: Int {
    switch self {
    case .bool: 0
    case .int(let lo, _): lo
    }
  }
  package var upperBound: Int {
    switch self {
    case .bool: 1
    case .int(_, let hi): hi
    }
  }
  package func contains(_ value: Int) -> Bool { value >= lowerBound && value <= upperBound }
  /// Number of bits needed to store `value - lowerBound`.
  package var bitWidth: Int {
    let span = UInt64(upperBound - lowerBound)
    return span == 0 ? 1 : 64 - span.leadingZeroBitCount
  }
}

/// One state variable.
package struct IRVariable: Sendable {
  /// A unique, readable name: `seq`, `dpte_frame[1]`, `fault#1.ret`, `fault#1.pc`.
  package var name: String
  package var type: IRType
  package var initial: Int
  /// The thread that owns this variable (its locals and program counter), or nil for a global.
  package var owner: Int?
  /// Names of the values, indexed by `value - type.lowerBound`, for enums and program counters.
  package var valueNames: [String]?
  /// Ghost variables exist only for properties; they never influence a guard of the model.
  package var isGhost: Bool
  /// For a function-local variable, the function it belongs to (presentation only).
  package var scope: String?

  package init(
    name: String, type: IRType, initial: Int, owner: Int? = nil, valueNames: [String]? = nil,
    isGhost: Bool = false, scope: String? = nil
  ) {
    self.name = name
    self.type = type
    self.initial = initial
    self.owner = owner
    self.valueNames = valueNames
    self.isGhost = isGhost
    self.scope = scope
  }

  /// The value rendered for people: an enum case name, `true`/`false`, or the number.
  package func render(_ value: Int) -> String {
    if let names = valueNames {
      let i = value - type.lowerBound
      if i >= 0 && i < names.count { return names[i] }
    }
    if type == .bool { return value != 0 ? "true" : "false" }
    return String(value)
  }
}

/// A thread: a program counter over the actions whose `thread` is this thread's index.
package struct IRThread: Sendable {
  /// `fault#1`, `munmap#1`, ...
  package var name: String
  /// The program-counter variable of this thread.
  package var pc: VarID
  /// Number of program-counter values, `0..<pcCount`.
  package var pcCount: Int
  /// The program counter the thread starts at.
  package var initialPC: Int
  /// The program counter of a finished thread (no action leaves it).
  package var finalPC: Int

  package init(name: String, pc: VarID, pcCount: Int, initialPC: Int, finalPC: Int) {
    self.name = name
    self.pc = pc
    self.pcCount = pcCount
    self.initialPC = initialPC
    self.finalPC = finalPC
  }
}

/// A position in a source file (a spec or the kernel prelude), 1-based.
package struct SourceAnchor: Hashable, Sendable, CustomStringConvertible {
  package var file: String
  package var line: Int
  package var column: Int
  package init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }
  package var description: String { "\(file):\(line):\(column)" }
}

/// Where an action comes from.
package struct ActionOrigin: Hashable, Sendable {
  /// The statement that produced the action (in a spec or in the prelude).
  package var site: SourceAnchor
  /// The Linux 6.12 source line the action models (`mm/mmu_notifier.c:95-116`), if any.
  package var linux: String?
  /// Call sites that led to `site`, outermost first (the driver's line calling into the
  /// prelude, then nested calls).
  package var callers: [SourceAnchor]
  /// The function called at each of `callers` (same length, or empty when unknown).
  package var callees: [String]

  package init(
    site: SourceAnchor, linux: String? = nil, callers: [SourceAnchor] = [], callees: [String] = []
  ) {
    self.site = site
    self.linux = linux
    self.callers = callers
    self.callees = callees
  }

  /// The outermost location written in a spec file rather than in the prelude.
  package func specAnchor(preludeFile: String) -> SourceAnchor? {
    (callers + [site]).first { $0.file != preludeFile }
  }
}

/// An atomic guarded action `guard → effects` of one thread.
package struct IRAction: Sendable {
  package var thread: Int
  /// The program counter of `thread` this action starts from.
  package var fromPC: Int
  /// A short human name: `mutex_lock(&update)`, `inv_start_range`.
  package var name: String
  /// Evaluated in the current state; the pc test is implicit (see `IRModel`).
  package var guardExpr: IRExpr
  /// Run in order; they assign the thread's program counter.
  package var effects: [IRStmt]
  package var origin: ActionOrigin
  /// Variables the guard or the effects may read (sorted, unique).
  package var reads: [VarID]
  /// Variables the effects may write (sorted, unique).
  package var writes: [VarID]

  package init(
    thread: Int, fromPC: Int, name: String, guardExpr: IRExpr, effects: [IRStmt],
    origin: ActionOrigin
  ) {
    self.thread = thread
    self.fromPC = fromPC
    self.name = name
    self.guardExpr = guardExpr
    self.effects = effects
    self.origin = origin
    var reads = Set<VarID>()
    var writes = Set<VarID>()
    guardExpr.collectReads(into: &reads)
    for statement in effects { statement.collectFootprint(reads: &reads, writes: &writes) }
    self.reads = reads.sorted()
    self.writes = writes.sorted()
  }
}

/// A state invariant: `expr` must be true in every reachable state.
package struct IRProperty: Sendable {
  /// `P1`, `P2`, ...
  package var name: String
  /// One line for people: "no device PTE maps a freed frame".
  package var summary: String
  package var expr: IRExpr
  package var origin: SourceAnchor

  package init(name: String, summary: String, expr: IRExpr, origin: SourceAnchor) {
    self.name = name
    self.summary = summary
    self.expr = expr
    self.origin = origin
  }
}
