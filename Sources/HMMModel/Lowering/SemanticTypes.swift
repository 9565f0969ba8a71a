/// The type of a value or variable in the spec language.
indirect enum SType: Equatable, Sendable, CustomStringConvertible {
  /// An integer; variables carry their domain separately.
  case int
  case bool
  case enumeration(String)
  /// A sleeping lock: 0 when free, else the owner's thread number (`self`).
  case mutex
  case structure(String)
  case array(SType, Int)
  case void
  /// The type of an expression that already produced a diagnostic; it suppresses cascades.
  case error

  var description: String {
    switch self {
    case .int: "int"
    case .bool: "bool"
    case .enumeration(let n): "enum \(n)"
    case .mutex: "mutex"
    case .structure(let n): "struct \(n)"
    case .array(let e, let n): "\(e)[\(n)]"
    case .void: "void"
    case .error: "<error>"
    }
  }

  /// Scalars live in one IR variable.
  var isScalar: Bool {
    switch self {
    case .int, .bool, .enumeration, .mutex: true
    default: false
    }
  }
  /// Integers, booleans and enum values mix in arithmetic and comparisons, as in C.
  var isNumeric: Bool {
    switch self {
    case .int, .bool, .enumeration, .error: true
    default: false
    }
  }
}

/// What a name denotes during lowering: IR variables (possibly nested in structs and arrays)
/// or a compile-time constant.
indirect enum Binding {
  case scalar(VarID, SType)
  case constant(Int, SType)
  case structure(String, [(String, Binding)])
  case array(SType, [Binding])

  var type: SType {
    switch self {
    case .scalar(_, let t), .constant(_, let t): t
    case .structure(let n, _): .structure(n)
    case .array(let t, let items): .array(t, items.count)
    }
  }

  func field(_ name: String) -> Binding? {
    if case .structure(_, let fields) = self {
      return fields.first { $0.0 == name }?.1
    }
    return nil
  }

  /// Every IR variable below this binding, in declaration order.
  var variables: [VarID] {
    switch self {
    case .scalar(let v, _): [v]
    case .constant: []
    case .structure(_, let fields): fields.flatMap { $0.1.variables }
    case .array(_, let items): items.flatMap(\.variables)
    }
  }
}

/// A typed IR expression.
struct Value: Sendable {
  var ir: IRExpr
  var type: SType

  static let error = Value(ir: .int(0), type: .error)

  /// The value as a condition: integers compare against zero, as in C.
  var asCondition: IRExpr {
    switch type {
    case .bool, .error: ir
    default: .binary(.ne, ir, .int(0))
    }
  }
  /// The value as an integer: booleans become 0 or 1.
  var asInteger: IRExpr {
    type == .bool ? .ite(ir, .int(1), .int(0)) : ir
  }
}
