internal import HMMModel

/// Where a model error happened.
enum FaultSite: Equatable {
  /// In the guard of an action (firing it would fail).
  case guardOf(action: Int)
  /// In the effects of an action.
  case effectsOf(action: Int)
  /// While evaluating a property in a state.
  case property(Int)

  /// The action, unless the fault is in a property.
  var action: Int? {
    switch self {
    case .guardOf(let action), .effectsOf(let action): action
    case .property: nil
    }
  }
}

extension ModelFault {
  /// The text of `Failure.modelError`, naming the variable, the value and the action, e.g.
  /// `value 9 out of range 0...7 of seq in action 'inv_end'`.
  func message(in model: IRModel, compiled: CompiledModel, at site: FaultSite) -> String {
    let what: String
    switch kind {
    case .valueOutOfRange(let variable):
      let v = model.variables[variable]
      what =
        "value \(value) out of range \(v.type.lowerBound)...\(v.type.upperBound) of \(v.name)"
    case .indexOutOfRange(let array):
      let elements = compiled.arrayVariables[array]
      what =
        "index \(value) out of range 0..<\(elements.count) of \(Self.arrayName(elements, model))"
    case .divisionByZero:
      what = "division by zero (\(value) / 0)"
    case .moduloByZero:
      what = "modulo by zero (\(value) % 0)"
    case .assertionFailed(let message):
      what = "assertion failed: \(compiled.messages[message])"
    }
    switch site {
    case .guardOf(let action):
      return "\(what) in the guard of action '\(model.actions[action].name)'"
    case .effectsOf(let action):
      return "\(what) in action '\(model.actions[action].name)'"
    case .property(let index):
      return "\(what) in property '\(model.properties[index].name)'"
    }
  }

  /// `frame` for elements named `frame[0]`, `frame[1]`, ...; otherwise the element names.
  private static func arrayName(_ elements: [VarID], _ model: IRModel) -> String {
    let names = elements.map { model.variables[$0.index].name }
    if let first = names.first, let bracket = first.lastIndex(of: "[") {
      let base = first[..<bracket]
      if names.allSatisfy({ $0.hasPrefix(base + "[") }) { return String(base) }
    }
    return "[" + names.joined(separator: ", ") + "]"
  }
}
