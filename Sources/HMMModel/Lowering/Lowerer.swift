/// Lowers a parsed spec, together with the kernel prelude, to one IR model per scenario.
final class Lowerer {
  let program: Program
  let options: LoweringOptions
  var diagnostics = DiagnosticBag()

  // Per model being built.
  var constants: [String: (Int, SType)] = [:]
  var globals: [String: Binding] = [:]
  var variables: [IRVariable] = []
  var localCache: [String: Binding] = [:]
  var threadNames: [String] = []
  var threadRoots: [String] = []
  /// Lock classes of the driver's locks (after the prelude's fixed classes), by the first IR
  /// variable of the lock; and their names, appended to `enum lock_class`.
  var lockClassOf: [VarID: Int] = [:]
  var driverLockNames: [String] = []
  /// The properties the scenario being built checks (nil: all); assertions of the others are
  /// left out.
  var checkedProperties: Set<String>?
  private var usedNames: Set<String> = []

  init(program: Program, options: LoweringOptions) {
    self.program = program
    self.options = options
  }

  /// The default domain of `int` and `long` variables declared without a range.
  static let defaultIntDomain = IRType.int(lo: -128, hi: 127)

  // MARK: Types

  func semanticType(_ t: TypeRef, isField: Bool) -> SType? {
    switch t.base {
    case .int: return .int
    case .bool: return .bool
    case .void: return .void
    case .mutex: return .mutex
    case .named("?"): return .int
    case .named(let n):
      if program.structs[n] != nil { return .structure(n) }
      if program.enums[n] != nil { return .enumeration(n) }
      var message = "unknown type '\(n)'"
      let candidates = Array(program.structs.keys) + Array(program.enums.keys)
      if let s = suggestion(for: n, among: candidates) { message += "; did you mean '\(s)'?" }
      diagnostics.error(t.anchor, message)
      return nil
    }
  }

  /// The IR domain of a scalar type as written.
  func domain(_ t: TypeRef) -> IRType? {
    switch t.base {
    case .int(let range?):
      guard let lo = constant(range.0), let hi = constant(range.1) else { return nil }
      guard lo <= hi, hi - lo < 1 << 31 else {
        diagnostics.error(t.anchor, "empty or too large integer range \(lo)..\(hi)")
        return nil
      }
      return .int(lo: lo, hi: hi)
    default: return nil
    }
  }

  private func uniqueName(_ name: String) -> String {
    var n = name
    var k = 2
    while usedNames.contains(n) {
      n = "\(name)'\(k)"
      k += 1
    }
    usedNames.insert(n)
    return n
  }

  /// Creates the IR variables of a value of `type`.
  /// The type of a declaration with array lengths, and the element names of each dimension
  /// (case names for an enum-sized dimension, nil for a numbered one).
  func arrayType(_ base: SType, _ counts: [Expr]) -> (SType, [[String]?])? {
    var type = base
    var names: [[String]?] = []
    for count in counts.reversed() {
      if case .name(let n, _) = count, let cases = enumCases(n) {
        type = .array(type, cases.count)
        names.insert(cases, at: 0)
        continue
      }
      guard let n = constant(count), n >= 1, n <= 64 else {
        diagnostics.error(count.anchor, "array length must be a constant between 1 and 64, or an enum")
        return nil
      }
      type = .array(type, n)
      names.insert(nil, at: 0)
    }
    return (type, names)
  }

  /// The cases of an enum, including the lock classes the lowering adds to `lock_class`.
  func enumCases(_ name: String) -> [String]? {
    guard let e = program.enums[name] else { return nil }
    return e.cases.map(\.0) + (name == "lock_class" ? driverLockNames : [])
  }

  func allocate(
    name: String, type: SType, domain: IRType?, owner: Int?, isGhost: Bool, initial: Int? = nil,
    scope: String? = nil, elementNames: [[String]?] = []
  ) -> Binding {
    switch type {
    case .structure(let sname):
      guard let s = program.structs[sname] else { return .constant(0, .error) }
      var fields: [(String, Binding)] = []
      for f in s.fields {
        guard let base = semanticType(f.type, isField: true), let (ft, dims) = arrayType(base, f.counts) else { continue }
        let initValue = f.initializer.flatMap { constant($0) }
        fields.append((f.name, allocate(name: "\(name).\(f.name)", type: ft, domain: self.domain(f.type), owner: owner, isGhost: isGhost || f.isGhost, initial: initValue, scope: scope, elementNames: dims)))
      }
      return .structure(sname, fields)
    case .array(let element, let count):
      let labels = elementNames.first ?? nil
      let inner = Array(elementNames.dropFirst())
      return .array(element, (0..<count).map { i in
        let label = labels.map { $0[i] } ?? String(i)
        return allocate(name: "\(name)[\(label)]", type: element, domain: domain, owner: owner, isGhost: isGhost, initial: initial, scope: scope, elementNames: inner)
      })
    default:
      var irType: IRType
      var names: [String]?
      switch type {
      case .bool: irType = .bool
      case .enumeration(let e):
        let cases = enumCases(e) ?? []
        irType = .int(lo: 0, hi: max(0, cases.count - 1))
        names = cases
      case .mutex:
        irType = .int(lo: 0, hi: max(1, threadNames.count))
        names = ["unlocked"] + threadNames.map { "held by \($0)" }
      default: irType = domain ?? Lowerer.defaultIntDomain
      }
      var value = initial ?? 0
      if !irType.contains(value) {
        if initial != nil {
          diagnostics.error(SourceAnchor(file: "", line: 0, column: 0), "initial value \(value) of '\(name)' is outside its domain")
        }
        value = irType.lowerBound
      }
      variables.append(IRVariable(name: uniqueName(name), type: irType, initial: value, owner: owner, valueNames: names, isGhost: isGhost, scope: scope))
      return .scalar(VarID(variables.count - 1), type)
    }
  }

  // MARK: Model setup

  /// Resets the per-model state and defines the scenario constants, options and globals.
  func setUp(
    pages: Int, faults: Int, operations: Int, threadNames names: [String], roots: [String], overrides: [OptionSetting],
    intervals: [String: (Int, Int)] = [:]
  ) {
    constants = [:]
    globals = [:]
    variables = []
    localCache = [:]
    usedNames = []
    threadNames = names
    threadRoots = roots
    constants["NPAGES"] = (pages, .int)
    constants["NFAULT"] = (faults, .int)
    constants["NCPU"] = (operations, .int)
    constants["NTHREADS"] = (names.count, .int)
    lockClassOf = [:]
    driverLockNames = program.globals.filter { g in
      program.driverGlobals.contains(g.name) && g.counts.isEmpty
        && (g.type.base.isMutex || g.type.base.names("rw_semaphore"))
    }.map(\.name)
    let subscriptions = subscriptionNames
    constants["NSUBS"] = (subscriptions.count, .int)
    constants["NLOCKCLASSES"] = ((program.enums["lock_class"]?.cases.count ?? 0) + driverLockNames.count, .int)
    for option in program.options {
      guard let type = option.type.flatMap({ semanticType($0, isField: false) }), let v = constant(option.value) else { continue }
      constants[option.name] = (v, type)
    }
    for setting in overrides {
      guard let current = constants[setting.name], program.options.contains(where: { $0.name == setting.name }) else {
        var message = "unknown kernel option '\(setting.name)'"
        if let s = suggestion(for: setting.name, among: program.options.map(\.name)) { message += "; did you mean '\(s)'?" }
        diagnostics.error(setting.anchor, message)
        continue
      }
      let ctx = BuildContext(thread: nil, function: nil, isPrelude: false, callers: [], citation: nil, stack: [])
      let v = rvalue(setting.value, ctx)
      if current.1 == .bool && v.type != .bool && v.type != .error {
        diagnostics.error(setting.value.anchor, "option '\(setting.name)' is a bool, found \(v.type)")
        continue
      }
      guard let k = fold(v.asInteger).constantValue else {
        diagnostics.error(setting.value.anchor, "option '\(setting.name)' needs a constant value")
        continue
      }
      constants[setting.name] = (k, current.1)
    }
    for c in program.constants {
      if let v = constant(c.value) { constants[c.name] = (v, .int) }
    }
    for g in program.globals where !(program.driverGlobals.contains(g.name) && subscriptions.contains(g.name)) {
      guard let base = semanticType(g.type, isField: false) else { continue }
      if base == .void {
        diagnostics.error(g.anchor, "a variable cannot have type void")
        continue
      }
      guard let (type, dims) = arrayType(base, g.counts) else { continue }
      let initial = g.initializer.flatMap { constant($0) }
      globals[g.name] = allocate(name: g.name, type: type, domain: domain(g.type), owner: nil, isGhost: g.isGhost, initial: initial, elementNames: dims)
      if let index = driverLockNames.firstIndex(of: g.name), let first = globals[g.name]?.variables.first {
        lockClassOf[first] = (program.enums["lock_class"]?.cases.count ?? 0) + index
      }
    }
    bindSubscriptions(subscriptions, pages: pages, intervals: intervals)
    runInitializers()
  }

  /// The driver's subscriptions: its `struct mmu_interval_notifier` variables in declaration
  /// order, or the prelude's implicit `interval_sub` when it declares none.
  var subscriptionNames: [String] {
    let declared = program.globals.filter { g in
      program.driverGlobals.contains(g.name) && g.counts.isEmpty && g.type.base.names("mmu_interval_notifier")
    }.map(\.name)
    return declared.isEmpty ? ["interval_sub"] : declared
  }

  /// Binds each subscription name to its element of the prelude's `interval_subs` and sets
  /// its interval (every page unless the scenario gives one; `end` is exclusive) and its id.
  private func bindSubscriptions(_ names: [String], pages: Int, intervals: [String: (Int, Int)]) {
    guard case .array(_, let items)? = globals["interval_subs"] else { return }
    for (i, name) in names.enumerated() where i < items.count {
      globals[name] = items[i]
      // Traces name the driver's subscription (`bo_a.invalidate_seq`), not the array element.
      let prefix = "interval_subs[\(i)]"
      for v in items[i].variables where variables[v.index].name.hasPrefix(prefix) {
        variables[v.index].name = name + variables[v.index].name.dropFirst(prefix.count)
      }
      let (start, end) = intervals[name] ?? (0, pages)
      guard case .structure(_, let fields) = items[i] else { continue }
      for (field, value) in [("start", start), ("end", end), ("id", i)] {
        if case .scalar(let v, _)? = fields.first(where: { $0.0 == field })?.1 { variables[v.index].initial = value }
      }
    }
  }

  /// Runs the `init { }` blocks: assignments of constants to variables, evaluated now.
  private func runInitializers() {
    for body in program.initializers {
      let ctx = BuildContext(thread: nil, function: nil, isPrelude: true, callers: [], citation: nil, stack: [])
      var guardExpr: IRExpr?
      var first = false
      let statements = atomicBody(body, ctx, guardExpr: &guardExpr, first: &first)
      apply(statements, anchor: body.anchor)
    }
  }

  private func apply(_ statements: [IRStmt], anchor: SourceAnchor) {
    for s in statements {
      switch s {
      case .assign(.variable(let v), let e):
        guard let k = fold(e).constantValue else {
          diagnostics.error(anchor, "an initializer may only assign constants")
          continue
        }
        guard variables[v.index].type.contains(k) else {
          diagnostics.error(anchor, "initial value \(k) of '\(variables[v.index].name)' is outside its domain")
          continue
        }
        variables[v.index].initial = k
      case .ifElse(let c, let a, let b):
        guard let k = fold(c).constantValue else {
          diagnostics.error(anchor, "an initializer may only test constants")
          continue
        }
        apply(k != 0 ? a : b, anchor: anchor)
      default:
        diagnostics.error(anchor, "an initializer may only assign constants to variables")
      }
    }
  }

  // MARK: Threads

  /// Builds one thread that runs `function` (choosing each integer argument among the pages).
  func buildThread(_ index: Int, function f: FunctionDecl, arguments: [TypeRef]? = nil, anchor: SourceAnchor) -> (ThreadGraph, Int, Int) {
    let g = ThreadGraph()
    let root = BuildContext(thread: index, function: nil, isPrelude: false, callers: [], citation: f.citation?.text, stack: [])
    let entry = g.newNode()
    var n = entry
    var args: [Expr] = []
    for (i, p) in f.params.enumerated() {
      let typeRef = arguments?[i] ?? p.type
      let type = semanticType(typeRef, isField: false) ?? .int
      let b = localVariable(key: "arg \(i)", name: p.name, type: type, domain: domain(typeRef), root)
      let argName = p.name
      root.declare(argName, b)
      args.append(.name(argName, p.anchor))
      if arguments == nil, type.isNumeric {
        let pages = constants["NPAGES"]?.0 ?? 1
        n = build(.choose(.name(argName, p.anchor), .number(0, p.anchor), .number(pages - 1, p.anchor), p.anchor), from: n, g, root)
      }
    }
    let final = call(f.name, args, anchor, result: nil, from: n, g, root)
    if g.inconsistent && !diagnostics.hasErrors {
      diagnostics.error(f.anchor, "internal error: the control flow of '\(f.name)' could not be lowered")
    }
    return (g, entry, final)
  }

  /// The IR of a set of built threads.
  func assemble(name: String, threads built: [(ThreadGraph, Int, Int)], properties: [IRProperty], checkDeadlock: Bool) -> IRModel {
    var actions: [IRAction] = []
    var threads: [IRThread] = []
    var pcs: [VarID] = []
    for (i, _) in built.enumerated() {
      variables.append(IRVariable(name: uniqueName("\(threadNames[i]).pc"), type: .int(lo: 0, hi: 0), initial: 0, owner: i))
      pcs.append(VarID(variables.count - 1))
    }
    for (i, (g, entry, final)) in built.enumerated() {
      let result = g.actions(
        thread: i, pcVariable: pcs[i], entry: entry, final: final,
        isLocal: { [variables] v in variables[v.index].owner == i || variables[v.index].isGhost }, compress: options.compressLocalSteps)
      variables[pcs[i].index].type = .int(lo: 0, hi: max(0, result.pcCount - 1))
      variables[pcs[i].index].valueNames = result.pcNames
      actions += result.actions
      threads.append(IRThread(name: threadNames[i], pc: pcs[i], pcCount: result.pcCount, initialPC: 0, finalPC: result.finalPC))
    }
    return IRModel(name: name, variables: variables, threads: threads, actions: actions, properties: properties, checkDeadlock: checkDeadlock)
  }

  /// Lowers the prelude's properties (or the named subset).
  func lowerProperties(_ names: [(String, SourceAnchor)]?) -> [IRProperty] {
    var out: [IRProperty] = []
    let wanted = names?.map(\.0).filter { $0 != "deadlock" }
    for p in program.properties where wanted == nil || wanted!.contains(p.name) {
      guard let expr = p.expr else { continue }
      if wanted == nil, let option = p.requires, constants[option]?.0 == 0 { continue }
      let ctx = BuildContext(thread: nil, function: nil, isPrelude: true, callers: [], citation: nil, stack: [])
      let v = rvalue(expr, ctx)
      requireScalar(v, "property", p.anchor)
      out.append(IRProperty(name: p.name, summary: p.summary, expr: fold(v.asCondition), origin: p.anchor))
    }
    for (n, a) in names ?? [] where n != "deadlock" && !program.properties.contains(where: { $0.name == n }) {
      var message = "unknown property '\(n)'"
      if let s = suggestion(for: n, among: program.properties.map(\.name) + ["deadlock"]) { message += "; did you mean '\(s)'?" }
      diagnostics.error(a, message)
    }
    return out
  }
}

extension TypeRef.Base {
  var isMutex: Bool {
    if case .mutex = self { return true }
    return false
  }
  func names(_ name: String) -> Bool {
    if case .named(let n) = self { return n == name }
    return false
  }
}
