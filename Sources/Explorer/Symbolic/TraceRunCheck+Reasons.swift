internal import HMMModel

/// The texts of mismatches, read off a model of the claims accepted before the refuted one.
extension TraceRunCheck {
  /// "`inc` of thread `counter`".
  func describe(_ action: Int) -> String {
    let irAction = model.actions[action]
    return "'\(irAction.name)' of \(model.threads[irAction.thread].name)"
  }

  /// The first variable of state `step` (in `frame`) whose trace value differs from Z3's.
  func stateMismatch(at step: Int, frame: Int, computedBy action: Int?) throws -> String {
    let z3Model = try acceptedModel()
    let computed = try encoder.concreteState(at: frame, in: z3Model)
    let claimed = trace.states[step]
    for index in claimed.indices where computed?[index] != claimed[index] {
      let variable = model.variables[index]
      let value = computed.map { variable.render($0[index]) } ?? "unknown"
      let source = action.map { "\(describe($0)) makes it" } ?? "its initial value is"
      return "\(variable.name) is \(variable.render(claimed[index])) in the trace, but "
        + "\(source) \(value)"
    }
    return "state \(step) does not match the model"
  }

  /// Why `action` cannot fire from state `k` (in frame 0): its thread is elsewhere, or its
  /// guard is false.
  func disabledReason(_ action: Int, inState k: Int) throws -> String {
    let irAction = model.actions[action]
    let thread = model.threads[irAction.thread]
    let pcVariable = model.variables[thread.pc.index]
    let z3Model = try acceptedModel()
    let pc = try encoder.concreteValue(encoder.stepFrame(0).values[thread.pc.index], in: z3Model)
    if let pc, pc != irAction.fromPC {
      return "\(describe(action)) is not enabled in state \(k): \(thread.name) is at "
        + "\(pcVariable.render(pc)), the action starts at \(pcVariable.render(irAction.fromPC))"
    }
    return "\(describe(action)) is not enabled in state \(k): its guard is false"
  }

  /// Which model error `fires` hits from state `k`.
  func modelErrorReason(_ fires: ActionEncoding, inState k: Int) throws -> String {
    let z3Model = try acceptedModel()
    let hit = try fires.errors.first { try z3Model.evalBool($0.condition) == true }
    let what = hit.map { describe($0.kind) } ?? "a model error"
    return "\(describe(fires.action)) hits \(what) in state \(k)"
  }

  /// Why the last state (frame 0) is not a deadlock: every thread finished, or some action
  /// is enabled.
  func notDeadlockReason() throws -> String {
    let z3Model = try acceptedModel()
    for action in model.actions.indices
    where try z3Model.evalBool(encoder.enabled(action, at: 0)) == true {
      return "the last state is not a deadlock: \(describe(action)) is enabled"
    }
    return "the last state is not a deadlock: every thread has finished"
  }

  private func describe(_ kind: ModelErrorCondition.Kind) -> String {
    switch kind {
    case .assertion(let message): "a failed assertion (\(message))"
    case .outOfDomain(let variable):
      "a value outside the domain of \(model.variables[variable.index].name)"
    case .indexOutOfRange: "an array index out of range"
    case .divisionByZero: "a division by zero"
    }
  }
}
