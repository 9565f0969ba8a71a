internal import HMMModel

/// The bit-vector width the Z3 engines use for a model.
///
/// Narrow bit-vectors make Z3 much faster than 32-bit ones, but the encoding must not wrap
/// where the explicit engine's 64-bit integers do not. So the width comes from a bound on the
/// magnitude of every subexpression of every guard, effect and property, computed over the
/// variables' domains (interval arithmetic on magnitudes: `|a+b| ≤ |a|+|b|`,
/// `|a·b| ≤ |a|·|b|`, `|a/b| ≤ |a|`, a bitwise operation stays below the next power of two,
/// …), plus a sign bit and one spare bit. No value that the explicit engine computes, before a
/// model error is detected, then leaves the bit-vector's range. (A variable holds a value of
/// its domain in every reachable state, and an out-of-domain store is caught before it is
/// stored.)
enum SymbolicWidth {
  /// - Complexity: O(size of the model).
  static func forModel(_ model: IRModel) -> Int {
    let cap = 1 << 62
    var largest = 1
    func note(_ value: Int) -> Int {
      let magnitude = value == Int.min ? cap : min(abs(value), cap)
      largest = max(largest, magnitude)
      return magnitude
    }
    func variable(_ v: VarID) -> Int {
      guard model.variables.indices.contains(v.index) else { return 1 }
      let type = model.variables[v.index].type
      return max(note(type.lowerBound), note(type.upperBound))
    }
    func saturating(_ a: Int, _ b: Int, _ op: (Int, Int) -> (Int, Bool)) -> Int {
      let (value, overflow) = op(a, b)
      return overflow ? cap : min(value, cap)
    }
    func bound(_ expr: IRExpr) -> Int {
      switch expr {
      case .int(let value): return note(value)
      case .bool: return 1
      case .variable(let v): return variable(v)
      case .element(let elements, let index):
        _ = note(bound(index))
        _ = note(elements.count)
        return elements.map(variable).max() ?? 1
      case .unary(let op, let a):
        let m = bound(a)
        switch op {
        case .not: return 1
        case .negate: return note(m)
        case .complement: return note(saturating(m, 1, { $0.addingReportingOverflow($1) }))
        }
      case .binary(let op, let a, let b):
        let (x, y) = (bound(a), bound(b))
        switch op {
        case .add, .sub: return note(saturating(x, y, { $0.addingReportingOverflow($1) }))
        case .mul: return note(saturating(x, y, { $0.multipliedReportingOverflow(by: $1) }))
        case .div, .mod: return note(x)
        case .bitAnd, .bitOr, .bitXor:
          let bits = 64 - UInt64(max(x, y)).leadingZeroBitCount
          return note(bits >= 62 ? cap : 1 << bits)
        case .eq, .ne, .lt, .le, .gt, .ge, .and, .or, .implies: return 1
        }
      case .ite(let c, let a, let b):
        _ = bound(c)
        return max(bound(a), bound(b))
      }
    }
    func visit(_ statement: IRStmt) {
      switch statement {
      case .assign(let target, let value):
        switch target {
        case .variable(let v): _ = variable(v)
        case .element(let elements, let index):
          _ = bound(index)
          _ = note(elements.count)
          for element in elements { _ = variable(element) }
        }
        _ = bound(value)
      case .ifElse(let c, let a, let b):
        _ = bound(c)
        a.forEach(visit)
        b.forEach(visit)
      case .assert(let c, _): _ = bound(c)
      }
    }
    for variable in model.variables { _ = note(variable.initial) }
    for index in model.variables.indices { _ = variable(VarID(index)) }
    for action in model.actions {
      _ = bound(action.guardExpr)
      action.effects.forEach(visit)
      _ = note(action.fromPC)
    }
    for property in model.properties { _ = bound(property.expr) }
    for thread in model.threads { _ = note(thread.pcCount) }
    let bits = 64 - UInt64(largest).leadingZeroBitCount
    return min(64, max(4, bits + 2))
  }
}
