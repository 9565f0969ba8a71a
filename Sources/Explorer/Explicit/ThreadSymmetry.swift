package import HMMModel

/// Symmetry between identical threads, found and verified on the IR.
///
/// Threads are candidates when they run the same procedure (the same name before `#`) and
/// have the same locals (names after the `thread.` prefix). A permutation of such threads
/// maps a state `s` to `σ(s)`: thread `i`'s locals and pc go to thread `π(i)`, and every
/// *owner* variable (a mutex: `valueNames` starting with `unlocked`, values `t + 1` meaning
/// "held by thread `t`") has its value remapped by `π`. Reducing by `σ` is sound when `σ` is
/// an automorphism of the transition system that leaves the properties unchanged; this is
/// checked, not assumed, for every transposition `(first, other)` of every group (they
/// generate the group):
/// - the initial state is fixed: `σ(init) = init`;
/// - every action of a thread outside the transposition is mapped onto itself, and the
///   `k`-th action of thread `i` onto the `k`-th action of thread `π(i)`, where mapping an
///   action renames its variables and remaps the constants compared with or stored into an
///   owner variable;
/// - every property is mapped onto itself (up to the order of `&&` and `||` operands);
/// - global arrays with one element per thread number (`x[t + 1]` for thread `t`) have
///   their elements permuted with the threads (the checks above verify that this is right);
/// - an owner variable occurs only as `owner == c`, `owner != c` or `owner := c` with a
///   constant `c` (otherwise a thread number could flow where the remapping cannot see it).
/// A group whose check fails is left out (its threads are not permuted); when every group
/// fails, symmetry is refused for the model with the first reason.
package struct ThreadSymmetry: Sendable, Equatable {
  /// Groups of interchangeable threads (each with at least two threads, ascending).
  package let groups: [[Int]]
  /// `locals[g][m]`: the variables of member `m` of group `g` (pc first, then the locals in
  /// an order shared by the members), so `locals[g][m][k]` correspond for every `m`.
  package let locals: [[[Int]]]
  /// Variables that hold `t + 1` for "owned by thread `t`".
  package let ownerVariables: [Int]

  /// The threads that run the same procedure (the part of the thread name before `#`), in
  /// groups of at least two, ordered by their first thread: the candidates for symmetry.
  ///
  /// - Complexity: O(threads).
  static func procedureGroups(_ model: IRModel) -> [[Int]] {
    var byProcedure: [String: [Int]] = [:]
    for (index, thread) in model.threads.enumerated() {
      let procedure = String(thread.name.split(separator: "#").first ?? Substring(thread.name))
      byProcedure[procedure, default: []].append(index)
    }
    return byProcedure.values.filter { $0.count > 1 }.map { $0.sorted() }
      .sorted { $0[0] < $1[0] }
  }

  /// The symmetry of `model`, nil when no two threads are interchangeable, or why it is
  /// refused.
  ///
  /// - Complexity: O(groups · size of the model).
  package static func detect(_ model: IRModel) -> Result<ThreadSymmetry?, SymmetryRefusal> {
    let candidateGroups = procedureGroups(model)
    if candidateGroups.isEmpty { return .success(nil) }
    let owners = model.variables.indices.filter {
      model.variables[$0].valueNames?.first?.hasPrefix("unlocked") == true
    }
    if let problem = ownerUseProblem(model, owners: Set(owners)) { return .failure(problem) }
    // Global arrays with one element per thread number (`x[0]` unused, `x[t + 1]` for
    // thread `t`), such as `in_nonblock_callback`: their elements move with the threads.
    var arrays: [String: [Int: Int]] = [:]
    for (index, variable) in model.variables.enumerated() where variable.owner == nil {
      guard variable.name.hasSuffix("]"), let open = variable.name.lastIndex(of: "["),
        let element = Int(variable.name[variable.name.index(after: open)...].dropLast())
      else { continue }
      arrays[String(variable.name[..<open]), default: [:]][element] = index
    }
    let perThread = arrays.filter { $0.value.count == model.threads.count + 1 }
      .sorted { $0.key < $1.key }
    var groups: [[Int]] = []
    var locals: [[[Int]]] = []
    var alignmentProblem: SymmetryRefusal? = nil
    groupLoop: for group in candidateGroups {
      var aligned: [[Int]] = []
      var keys: [String]? = nil
      for thread in group {
        let prefix = model.threads[thread].name + "."
        var named: [(String, Int)] = []
        for (index, variable) in model.variables.enumerated()
        where variable.owner == thread && index != model.threads[thread].pc.index {
          guard variable.name.hasPrefix(prefix) else {
            alignmentProblem =
              alignmentProblem
              ?? SymmetryRefusal("local \(variable.name) is not named after its thread")
            continue groupLoop
          }
          named.append((String(variable.name.dropFirst(prefix.count)), index))
        }
        named.sort { $0.0 < $1.0 }
        for (name, elements) in perThread {
          guard let element = elements[thread + 1] else { continue }
          named.append(("[]" + name, element))
        }
        let names = named.map(\.0)
        if let keys, keys != names {
          alignmentProblem =
            alignmentProblem
            ?? SymmetryRefusal(
              "\(model.threads[group[0]].name) and \(model.threads[thread].name) have different locals"
            )
          continue groupLoop
        }
        keys = names
        aligned.append([model.threads[thread].pc.index] + named.map(\.1))
      }
      groups.append(group)
      locals.append(aligned)
    }
    // Each group is checked on its own (the other groups fixed); a group that fails is
    // dropped, and only when every group fails is the model refused.
    var keptGroups: [[Int]] = []
    var keptLocals: [[[Int]]] = []
    var firstProblem: SymmetryRefusal? = alignmentProblem
    for (g, group) in groups.enumerated() {
      let single = ThreadSymmetry(groups: [group], locals: [locals[g]], ownerVariables: owners)
      let problem = (1..<group.count).lazy.compactMap {
        single.transpositionProblem(model, group: 0, member: $0)
      }.first
      if let problem {
        firstProblem = firstProblem ?? problem
      } else {
        keptGroups.append(group)
        keptLocals.append(locals[g])
      }
    }
    if keptGroups.isEmpty, let firstProblem { return .failure(firstProblem) }
    return .success(ThreadSymmetry(groups: keptGroups, locals: keptLocals, ownerVariables: owners))
  }

  /// Why swapping member 0 and member `m` of group `g` is not an automorphism, or nil.
  private func transpositionProblem(_ model: IRModel, group g: Int, member m: Int)
    -> SymmetryRefusal?
  {
    let a = groups[g][0]
    let b = groups[g][m]
    var variableMap = Array(model.variables.indices)
    for (x, y) in zip(locals[g][0], locals[g][m]) {
      variableMap[x] = y
      variableMap[y] = x
    }
    let renaming = Renaming(
      variables: variableMap, owners: Set(ownerVariables), valueMap: [a + 1: b + 1, b + 1: a + 1])
    let names = "\(model.threads[a].name) and \(model.threads[b].name)"
    // The initial state is fixed.
    for (index, variable) in model.variables.enumerated() {
      let image = model.variables[variableMap[index]]
      let value =
        renaming.owners.contains(index) ? renaming.value(variable.initial) : variable.initial
      if image.initial != value || image.type != variable.type {
        return SymmetryRefusal("swapping \(names) changes the initial value of \(variable.name)")
      }
    }
    if model.threads[a].pcCount != model.threads[b].pcCount
      || model.threads[a].initialPC != model.threads[b].initialPC
      || model.threads[a].finalPC != model.threads[b].finalPC
    {
      return SymmetryRefusal("\(names) have different control flow")
    }
    // Actions map onto actions.
    let table = model.threads.indices.map { t in
      model.actions.indices.filter { model.actions[$0].thread == t }
    }
    if table[a].count != table[b].count {
      return SymmetryRefusal("\(names) have different actions")
    }
    for (t, actions) in table.enumerated() {
      let image = t == a ? b : t == b ? a : t
      for (k, index) in actions.enumerated() {
        let action = model.actions[index]
        let target = model.actions[table[image][k]]
        if action.fromPC != target.fromPC
          || renaming.expression(action.guardExpr) != target.guardExpr
          || action.effects.map(renaming.statement) != target.effects
        {
          return SymmetryRefusal(
            "swapping \(names) does not map action '\(action.name)' of \(model.threads[t].name) onto an action"
          )
        }
      }
    }
    for property in model.properties
    where normalized(renaming.expression(property.expr)) != normalized(property.expr) {
      return SymmetryRefusal("swapping \(names) changes property \(property.name)")
    }
    return nil
  }

  /// Why an owner variable is used in a way the value remapping does not cover, or nil.
  private static func ownerUseProblem(_ model: IRModel, owners: Set<Int>) -> SymmetryRefusal? {
    func check(_ e: IRExpr) -> Bool {
      switch e {
      case .int, .bool: return true
      case .variable(let v): return !owners.contains(v.index)
      case .element(let vs, let i): return !vs.contains { owners.contains($0.index) } && check(i)
      case .unary(_, let x): return check(x)
      case .binary(let op, .variable(let v), .int), .binary(let op, .int, .variable(let v)):
        return owners.contains(v.index) ? (op == .eq || op == .ne) : true
      case .binary(_, let x, let y): return check(x) && check(y)
      case .ite(let c, let x, let y): return check(c) && check(x) && check(y)
      }
    }
    func check(_ s: IRStmt) -> Bool {
      switch s {
      case .assign(.variable(let v), let value):
        if owners.contains(v.index), case .int = value { return true }
        return !owners.contains(v.index) && check(value)
      case .assign(.element(let vs, let i), let value):
        return !vs.contains { owners.contains($0.index) } && check(i) && check(value)
      case .ifElse(let c, let x, let y):
        return check(c) && x.allSatisfy(check) && y.allSatisfy(check)
      case .assert(let c, _): return check(c)
      }
    }
    for action in model.actions where !check(action.guardExpr) || !action.effects.allSatisfy(check)
    {
      return SymmetryRefusal(
        "action '\(action.name)' uses a lock owner other than by comparing or storing a constant")
    }
    for property in model.properties where !check(property.expr) {
      return SymmetryRefusal(
        "property \(property.name) uses a lock owner other than by comparing with a constant")
    }
    return nil
  }
}

/// Why symmetry reduction is not applied to a model.
package struct SymmetryRefusal: Error, Sendable, Equatable, CustomStringConvertible {
  package var description: String
  init(_ description: String) { self.description = description }
}

/// A variable permutation with the thread-number remapping of owner variables.
private struct Renaming {
  var variables: [Int]
  var owners: Set<Int>
  var valueMap: [Int: Int]

  func value(_ v: Int) -> Int { valueMap[v] ?? v }

  func expression(_ e: IRExpr) -> IRExpr {
    switch e {
    case .int, .bool: return e
    case .variable(let v): return .variable(VarID(variables[v.index]))
    case .element(let vs, let i):
      return .element(vs.map { VarID(variables[$0.index]) }, expression(i))
    case .unary(let op, let x): return .unary(op, expression(x))
    case .binary(let op, .variable(let v), .int(let c)) where owners.contains(v.index):
      return .binary(op, .variable(VarID(variables[v.index])), .int(value(c)))
    case .binary(let op, .int(let c), .variable(let v)) where owners.contains(v.index):
      return .binary(op, .int(value(c)), .variable(VarID(variables[v.index])))
    case .binary(let op, let x, let y): return .binary(op, expression(x), expression(y))
    case .ite(let c, let x, let y): return .ite(expression(c), expression(x), expression(y))
    }
  }

  func statement(_ s: IRStmt) -> IRStmt {
    switch s {
    case .assign(.variable(let v), .int(let c)) where owners.contains(v.index):
      return .assign(.variable(VarID(variables[v.index])), .int(value(c)))
    case .assign(.variable(let v), let x):
      return .assign(.variable(VarID(variables[v.index])), expression(x))
    case .assign(.element(let vs, let i), let x):
      return .assign(.element(vs.map { VarID(variables[$0.index]) }, expression(i)), expression(x))
    case .ifElse(let c, let x, let y):
      return .ifElse(expression(c), x.map(statement), y.map(statement))
    case .assert(let c, let message): return .assert(expression(c), message: message)
    }
  }
}

/// `e` with nested `&&` and `||` chains flattened and their operands sorted, so that
/// conjunctions over threads compare equal whatever the thread order.
private func normalized(_ e: IRExpr) -> IRExpr {
  func operands(_ op: IRBinaryOp, _ e: IRExpr, into out: inout [IRExpr]) {
    if case .binary(op, let x, let y) = e {
      operands(op, x, into: &out)
      operands(op, y, into: &out)
    } else {
      out.append(normalized(e))
    }
  }
  switch e {
  case .binary(let op, _, _) where op == .and || op == .or:
    var list: [IRExpr] = []
    operands(op, e, into: &list)
    list.sort { "\($0)" < "\($1)" }
    return list.dropFirst().reduce(list[0]) { .binary(op, $0, $1) }
  case .binary(let op, let x, let y): return .binary(op, normalized(x), normalized(y))
  case .unary(let op, let x): return .unary(op, normalized(x))
  case .ite(let c, let x, let y): return .ite(normalized(c), normalized(x), normalized(y))
  default: return e
  }
}
