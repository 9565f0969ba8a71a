internal import HMMModel

extension TraceRunCheck {
  /// `trace.states[step]` exists, has one value per variable and each value is in its domain.
  func requireShape(ofState step: Int) throws {
    guard trace.states.indices.contains(step) else {
      throw TraceMismatch(step: step, reason: "the trace has no state \(step)")
    }
    let state = trace.states[step]
    guard state.count == model.variables.count else {
      throw TraceMismatch(
        step: step,
        reason: "state \(step) has \(state.count) values, the model has "
          + "\(model.variables.count) variables")
    }
    for (variable, value) in zip(model.variables, state) where !variable.type.contains(value) {
      throw TraceMismatch(
        step: step,
        reason: "state \(step): \(variable.name) = \(value) is outside its domain "
          + "\(variable.type.lowerBound)...\(variable.type.upperBound)")
    }
  }

  /// No state follows the last action's.
  func requireNoExtraStates(after n: Int) throws {
    guard trace.states.count <= n + 1 else {
      throw TraceMismatch(
        step: n + 1, reason: "state \(n + 1) follows no action (the trace has \(n) actions)")
    }
  }

  /// The action fired at `step`, if the model has it.
  func actionIndex(at step: Int) throws -> Int {
    let action = trace.actions[step - 1]
    guard model.actions.indices.contains(action) else {
      throw TraceMismatch(
        step: step,
        reason: "action #\(action) does not exist (the model has \(model.actions.count))")
    }
    return action
  }

  /// The largest `m ≤ last` such that states `0...m` have the right shape and actions
  /// `0..<m` exist; -1 if state 0 is malformed.
  func shapedPrefix(through last: Int) -> Int {
    var step = 0
    while step <= last {
      guard (try? requireShape(ofState: step)) != nil else { return step - 1 }
      if step < last && !model.actions.indices.contains(trace.actions[step]) { return step }
      step += 1
    }
    return last
  }
}
