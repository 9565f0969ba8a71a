extension ExplicitExplorer {
  /// Whether every property holds in a state given as a full valuation, evaluated as the
  /// search does; false also when evaluating one hits a model error, or when the valuation
  /// does not fit the model.
  ///
  /// - Complexity: O(size of the properties).
  func propertiesHold(in values: [Int]) -> Bool {
    guard case .success(let compiled) = compiled, var words = compiled.layout.encode(values)
    else { return false }
    var machine = ExecutableModel(compiled)
    return words.withUnsafeMutableBufferPointer { buffer in
      guard let state = buffer.baseAddress else { return false }
      return machine.firstViolatedProperty(state) == -1
    }
  }
}
