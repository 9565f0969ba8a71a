internal import HMMModel

/// Why a sequence of actions could not be replayed.
package struct ReplayError: Error, Sendable, Equatable, CustomStringConvertible {
  package enum Kind: Sendable, Equatable {
    /// The action index is not an action of the model.
    case noSuchAction
    /// The action's thread is elsewhere or its guard is false.
    case notEnabled
    /// Firing the action hit a model error (the message of `Failure.modelError`).
    case modelError(String)
    /// The model could not be compiled, or its initial state is outside the domains.
    case invalidModel(String)
  }

  package var kind: Kind
  /// The 0-based position in the replayed sequence (step `step + 1` for people).
  package var step: Int
  /// The action at that step, if any.
  package var action: Int?
  /// The part that did replay: for `.modelError`, it ends with the failing action and the
  /// state before it repeated (as in a model-error counterexample).
  package var trace: Trace
  /// One line for people, naming the step and the action.
  package var message: String

  package var description: String { message }
}

/// A replay with the packed last state, for the search's consistency check.
struct ReplayRun {
  var trace: Trace
  var error: ReplayError?
  var lastState: [UInt64]
}

extension ExplicitExplorer {
  /// Replays a sequence of action indices from the initial state.
  ///
  /// - Returns: the full trace (`states.count == actions.count + 1`), or why some step could
  ///   not be taken. An action that hits a model error fails the replay with `.modelError`;
  ///   the error's `trace` then ends like a model-error counterexample.
  /// - Complexity: O(steps · (action size + variables)).
  package func replay(_ actions: [Int]) -> Result<Trace, ReplayError> {
    let run = replayRun(actions)
    if let error = run.error { return .failure(error) }
    return .success(run.trace)
  }

  /// Replays `actions`, stopping at the first step that cannot be taken.
  func replayRun(_ actions: [Int]) -> ReplayRun {
    let compiled: CompiledModel
    switch self.compiled {
    case .failure(let error):
      return invalid("malformed model: \(error.message)")
    case .success(let c):
      compiled = c
    }
    guard let initial = compiled.initialState else {
      return invalid(initialStateProblem() ?? "initial state outside the domains")
    }
    let layout = compiled.layout
    var machine = ExecutableModel(compiled)
    let state = UnsafeMutablePointer<UInt64>.allocate(capacity: layout.words)
    defer { state.deallocate() }
    state.initialize(from: initial, count: layout.words)
    let next = UnsafeMutablePointer<UInt64>.allocate(capacity: layout.words)
    defer { next.deallocate() }

    var trace = Trace(actions: [], states: [layout.decode(state)])
    func stop(_ kind: ReplayError.Kind, _ step: Int, _ action: Int?, _ text: String) -> ReplayRun {
      let error = ReplayError(
        kind: kind, step: step, action: action, trace: trace, message: "step \(step + 1): \(text)")
      return ReplayRun(
        trace: trace, error: error,
        lastState: Array(UnsafeBufferPointer(start: state, count: layout.words)))
    }

    for (step, action) in actions.enumerated() {
      guard model.actions.indices.contains(action) else {
        return stop(
          .noSuchAction, step, action,
          "action \(action) does not exist (the model has \(model.actions.count) actions)")
      }
      let irAction = model.actions[action]
      let thread = model.threads[irAction.thread]
      let pc = layout.slots[thread.pc.index].read(state)
      let named = "action \(action) '\(irAction.name)' of thread '\(thread.name)'"
      guard pc == irAction.fromPC else {
        return stop(
          .notEnabled, step, action,
          "\(named) is not enabled: the thread is at pc \(pc), the action starts at pc "
            + "\(irAction.fromPC)")
      }
      var site = FaultSite.guardOf(action: action)
      var ok = false
      if let holds = machine.guardHolds(action, state) {
        guard holds else {
          return stop(.notEnabled, step, action, "\(named) is not enabled: its guard is false")
        }
        next.update(from: state, count: layout.words)
        site = .effectsOf(action: action)
        ok = machine.fire(action, next)
      }
      guard ok else {
        let message = machine.fault.message(in: model, compiled: compiled, at: site)
        trace.actions.append(action)
        trace.states.append(trace.states[trace.states.count - 1])
        return stop(.modelError(message), step, action, "\(named) hit a model error: \(message)")
      }
      state.update(from: next, count: layout.words)
      trace.actions.append(action)
      trace.states.append(layout.decode(state))
    }
    return ReplayRun(
      trace: trace, error: nil,
      lastState: Array(UnsafeBufferPointer(start: state, count: layout.words)))
  }

  private func invalid(_ message: String) -> ReplayRun {
    let error = ReplayError(
      kind: .invalidModel(message), step: 0, action: nil,
      trace: Trace(actions: [], states: []), message: message)
    return ReplayRun(trace: error.trace, error: error, lastState: [])
  }

  /// The message for an initial value outside its domain, if there is one.
  func initialStateProblem() -> String? {
    for variable in model.variables where !variable.type.contains(variable.initial) {
      return "initial value \(variable.initial) out of range "
        + "\(variable.type.lowerBound)...\(variable.type.upperBound) of \(variable.name)"
    }
    return nil
  }
}
