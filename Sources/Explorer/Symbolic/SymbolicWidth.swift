internal import HMMModel

/// The bit-vector width the Z3 engines use for a model.
///
/// Narrow bit-vectors make Z3 much faster than 32-bit ones. The width holds every domain
/// bound, initial value and literal with room for the sum of two of them (the product, when
/// the model multiplies or divides), plus a sign bit, so one operation on in-domain values
/// never wraps and a value that leaves its domain is seen as such. Deeper arithmetic could wrap where the explicit
/// engine's 64-bit integers do not; the cross-check (`Scripts/crosscheck.sh`) compares the two.
enum SymbolicWidth {
  /// - Complexity: O(size of the model).
  static func forModel(_ model: IRModel) -> Int {
    var largest = 1
    var multiplies = false
    func note(_ value: Int) { largest = max(largest, value.magnitude > Int.max.magnitude ? Int.max : abs(value)) }
    for variable in model.variables {
      note(variable.type.lowerBound)
      note(variable.type.upperBound)
      note(variable.initial)
    }
    func visit(_ expr: IRExpr) {
      switch expr {
      case .int(let value): note(value)
      case .bool, .variable: break
      case .element(let elements, let index):
        note(elements.count)
        visit(index)
      case .unary(_, let a): visit(a)
      case .binary(let op, let a, let b):
        if op == .mul || op == .div || op == .mod { multiplies = true }
        visit(a)
        visit(b)
      case .ite(let c, let a, let b):
        visit(c)
        visit(a)
        visit(b)
      }
    }
    func visit(_ statement: IRStmt) {
      switch statement {
      case .assign(let target, let value):
        if case .element(let elements, let index) = target {
          note(elements.count)
          visit(index)
        }
        visit(value)
      case .ifElse(let c, let a, let b):
        visit(c)
        a.forEach(visit)
        b.forEach(visit)
      case .assert(let c, _): visit(c)
      }
    }
    for action in model.actions {
      visit(action.guardExpr)
      action.effects.forEach(visit)
    }
    for property in model.properties { visit(property.expr) }
    for thread in model.threads { note(thread.pcCount) }
    let bits = 64 - UInt64(largest).leadingZeroBitCount
    return min(64, max(6, multiplies ? 2 * bits + 2 : bits + 3))
  }
}
