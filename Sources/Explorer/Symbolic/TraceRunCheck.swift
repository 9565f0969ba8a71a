internal import HMMModel

/// The first step of a trace that does not fit, thrown inside `TraceRunCheck`.
struct TraceMismatch: Error {
  var step: Int
  var reason: String
}

/// One validation of one trace.
///
/// First the whole run is checked in one Z3 call (`prefixFits`). Where that fails, each step
/// is checked in its own solver scope over two frames, stopping at the first claim Z3
/// refutes. Every state of the trace is concrete, so a step only depends on the state before
/// it:
/// frame 0 is pinned to `trace.states[step-1]`, Z3 computes the action's successor in frame
/// 1, and frame 1 must equal `trace.states[step]`. By induction the whole trace is the run Z3
/// computes, with work linear in the trace's length. Each action is encoded once.
///
/// Because every state is concrete, a claim over one or two pinned frames is also a term
/// without constants once the frames are replaced by the states' numerals: Z3's simplifier
/// reduces it to `true` or `false` without a solver. The whole run and the claimed property
/// violation are evaluated that way first (`concreteRunFits`, `concreteViolationHolds`); a
/// solver is made only where that does not give `true`, which is where a mismatch must be
/// explained (or where the simplifier leaves a term open), so the verdicts and reasons are
/// the ones the solver gives.
///
/// Invariant: the accepted claims of a scope are satisfiable, so after a refuted claim a model
/// of the accepted ones explains the mismatch (see `TraceRunCheck+Reasons.swift`).
final class TraceRunCheck {
  let trace: Trace
  let encoder: SymbolicEncoder
  var model: IRModel { encoder.model }
  var context: Z3Context { encoder.context }
  private var claimCount = 0
  private var firings: [Int: ActionEncoding] = [:]
  private var scopedSolver: Z3Solver?
  let timeoutMilliseconds: Int?

  init(trace: Trace, encoder: SymbolicEncoder, timeoutMilliseconds: Int?) {
    self.trace = trace
    self.encoder = encoder
    self.timeoutMilliseconds = timeoutMilliseconds
  }

  /// The solver of the step-by-step scoped checks, made on first use.
  var solver: Z3Solver {
    get throws {
      if let scopedSolver { return scopedSolver }
      let solver = try makeSolver()
      scopedSolver = solver
      return solver
    }
  }

  /// A fresh solver with the validation's time limit.
  private func makeSolver() throws -> Z3Solver {
    let solver = try Z3Solver(context: context)
    if let timeoutMilliseconds { try solver.setTimeout(milliseconds: timeoutMilliseconds) }
    return solver
  }

  /// Throws `TraceMismatch` at the first step that does not fit.
  func check(_ failure: Failure) throws {
    let n = trace.actions.count
    if case .modelError = failure, n == 0, initialStateIsOutOfDomain() { return }
    // The steps that must fire normally: all of them, or all but a failing last action.
    var normalSteps = n
    if case .modelError = failure { normalSteps = max(n - 1, 0) }
    let prefix = shapedPrefix(through: normalSteps)
    if prefix < 0 { try requireShape(ofState: 0) }
    if try !prefixFits(through: prefix) {
      try checkInitialState()
      if prefix > 0 { for step in 1...prefix { try checkTransition(step) } }
      throw SymbolicError.inconsistent(
        "Z3 refutes the run as a whole but accepts each of its steps")
    }
    if normalSteps > prefix {
      for step in prefix + 1...normalSteps { try checkTransition(step) }
    }
    if case .modelError = failure {
      try checkModelErrorAtEnd()
      return
    }
    try requireNoExtraStates(after: n)
    if case .property(let index) = failure, try concreteViolationHolds(index) { return }
    try inState(n) {
      switch failure {
      case .property(let index): try checkViolation(of: index)
      case .deadlock: try checkDeadlock()
      case .modelError: preconditionFailure("handled above")
      }
    }
  }

  /// Whether the initial state and steps `1...last` all fit, in one Z3 call over frames
  /// `0...last` on a fresh solver: without scopes or assumptions Z3 preprocesses the pinned
  /// states away, so a valid trace costs one cheap check. The step-by-step scoped check
  /// explains the first mismatch when this fails.
  private func prefixFits(through last: Int) throws -> Bool {
    if try concreteRunFits(through: last) { return true }
    var conjuncts = [try encoder.initial(at: 0), try encoder.state(trace.states[0], at: 0)]
    if last > 0 {
      for step in 1...last {
        let fires = try encoder.actionFires(trace.actions[step - 1], from: step - 1)
        conjuncts.append(try encoder.transition(fires))
        conjuncts.append(try encoder.state(trace.states[step], at: step))
      }
    }
    let prefixSolver = try makeSolver()
    try prefixSolver.assert(context.and(conjuncts))
    switch try prefixSolver.check() {
    case .sat: return true
    case .unsat: return false
    case .unknown(let why): throw SymbolicError.solverUnknown(why)
    }
  }

  /// Whether Z3's simplifier evaluates the claims of `prefixFits` to `true` over the trace's
  /// numerals: the initial values equal `trace.states[0]`, and each action of steps
  /// `1...last`, fired from the numerals of the state before it, is enabled, hits no model
  /// error and computes the state after it. False means only that the solver must decide.
  private func concreteRunFits(through last: Int) throws -> Bool {
    var conjuncts = [
      try encoder.state(
        trace.states[0], equals: encoder.concreteValues(model.initialValues).map(\.term))
    ]
    if last > 0 {
      for step in 1...last {
        conjuncts.append(
          try encoder.concreteStep(
            trace.actions[step - 1], from: trace.states[step - 1], to: trace.states[step]))
      }
    }
    return try context.simplifiesToTrue(context.and(conjuncts))
  }

  /// Whether Z3's simplifier evaluates the claims of `checkViolation(of: index)` to `true`
  /// over the numerals of the last state: property `index` is false there and evaluating it
  /// hits no model error. False means only that the solver must decide.
  private func concreteViolationHolds(_ index: Int) throws -> Bool {
    guard model.properties.indices.contains(index) else { return false }
    let last = trace.states[trace.actions.count]
    let evaluation = try encoder.evaluate(
      model.properties[index].expr, in: encoder.concreteValues(last))
    return try context.simplifiesToTrue(
      context.and([
        context.not(context.or(evaluation.errors.map(\.condition))),
        context.not(encoder.asBool(evaluation.value)),
      ]))
  }

  /// Step 0: `trace.states[0]` is the initial state.
  private func checkInitialState() throws {
    try scoped {
      try solver.assert(encoder.initial(at: 0))
      try require(encoder.state(trace.states[0], at: 0), step: 0) {
        try self.stateMismatch(at: 0, frame: 0, computedBy: nil)
      }
    }
  }

  /// Step `step`: `trace.actions[step-1]` fires without a model error and reaches
  /// `trace.states[step]`.
  private func checkTransition(_ step: Int) throws {
    let action = try actionIndex(at: step)
    try inState(step - 1) {
      let fires = try firing(action)
      try require(fires.enabled, step: step) { try self.disabledReason(action, inState: step - 1) }
      try require(context.not(fires.hitsModelError), step: step) {
        try self.modelErrorReason(fires, inState: step - 1)
      }
      try requireShape(ofState: step)
      try solver.assert(encoder.successor(fires))
      try require(encoder.state(trace.states[step], at: 1), step: step) {
        try self.stateMismatch(at: step, frame: 1, computedBy: action)
      }
    }
  }

  /// In the last state (frame 0): property `index` is false, and evaluating it does not fault.
  private func checkViolation(of index: Int) throws {
    let n = trace.actions.count
    guard model.properties.indices.contains(index) else {
      throw TraceMismatch(step: n, reason: "there is no property #\(index)")
    }
    let property = model.properties[index]
    let evaluation = try encoder.evaluate(property.expr, at: 0)
    try require(context.not(context.or(evaluation.errors.map(\.condition))), step: n) {
      "evaluating property \(property.name) hits a model error in the last state"
    }
    try require(context.not(encoder.asBool(evaluation.value)), step: n) {
      "property \(property.name) (\(property.summary)) holds in the last state"
    }
  }

  /// In the last state (frame 0): no guard faults, no action is enabled, a thread is
  /// unfinished.
  private func checkDeadlock() throws {
    let n = trace.actions.count
    try require(context.not(context.or(encoder.guardErrors(at: 0).map(\.condition))), step: n) {
      "a guard hits a model error in the last state, which is a model error, not a deadlock"
    }
    try require(encoder.deadlock(at: 0), step: n) { try self.notDeadlockReason() }
  }

  /// The last step of a `.modelError` trace (every earlier step already fits), in the forms
  /// the explicit engine reports (see `ExplicitExplorer.run`): the last action fails, and
  /// the trace repeats the state before it (or, leniently, has no state after it); or a
  /// property faults in the last state. (An initial state outside the domains is checked
  /// first, in `check`.)
  private func checkModelErrorAtEnd() throws {
    let n = trace.actions.count
    if n > 0 && trace.states.count == n {
      try checkFailingAction()
      return
    }
    if n > 0 && trace.states.count == n + 1 && trace.states[n] == trace.states[n - 1] {
      guard let asFailingAction = try attempt({ try self.checkFailingAction() }) else { return }
      // An action that leaves the state unchanged may precede a property fault.
      guard try attempt({ try self.checkPropertyFault() }) == nil else { throw asFailingAction }
      return
    }
    try checkPropertyFault()
  }

  /// The trace is the initial state alone and some initial value is outside its domain.
  private func initialStateIsOutOfDomain() -> Bool {
    trace.states == [model.initialValues]
      && model.variables.contains { !$0.type.contains($0.initial) }
  }

  /// Every action fires normally and evaluating a property faults in the last state.
  private func checkPropertyFault() throws {
    let n = trace.actions.count
    if n > 0 { try checkTransition(n) }
    try requireNoExtraStates(after: n)
    try inState(n) {
      try require(context.or(encoder.propertyErrors(at: 0).map(\.condition)), step: n) {
        "no property hits a model error in the last state"
      }
    }
  }

  /// The last action hits a model error from the second-to-last state.
  private func checkFailingAction() throws {
    let n = trace.actions.count
    let action = try actionIndex(at: n)
    try inState(n - 1) {
      let fires = try firing(action)
      try require(fires.hitsModelError, step: n) {
        "\(self.describe(action)) hits no model error in state \(n - 1)"
      }
    }
  }

  /// `action` fired from frame 0, encoded once per validation.
  private func firing(_ action: Int) throws -> ActionEncoding {
    if let cached = firings[action] { return cached }
    let fires = try encoder.actionFires(action, from: 0)
    firings[action] = fires
    return fires
  }

  /// Runs `body` in a solver scope where frame 0 holds `trace.states[index]`.
  private func inState(_ index: Int, _ body: () throws -> Void) throws {
    try scoped {
      try solver.assert(encoder.state(trace.states[index], at: 0))
      try body()
    }
  }

  /// Runs `body` in a solver scope that is discarded afterwards.
  private func scoped(_ body: () throws -> Void) throws {
    try solver.push()
    defer { try? solver.pop() }
    try body()
  }

  /// The mismatch `body` throws, or nil if it finds none.
  private func attempt(_ body: () throws -> Void) throws -> TraceMismatch? {
    do {
      try body()
      return nil
    } catch let mismatch as TraceMismatch {
      return mismatch
    }
  }

  /// Accepts `claim` if Z3 finds it consistent with the claims accepted so far in the scope;
  /// otherwise throws a mismatch at `step` with the text of `reason`.
  func require(_ claim: Z3Term, step: Int, reason: () throws -> String) throws {
    let literal = try context.boolConstant("claim#\(claimCount)")
    claimCount += 1
    try solver.assert(context.implies(literal, claim))
    switch try solver.check(assuming: [literal]) {
    case .sat:
      try solver.assert(literal)
    case .unsat:
      throw TraceMismatch(step: step, reason: try reason())
    case .unknown(let why):
      throw SymbolicError.solverUnknown(why)
    }
  }

  /// A model of the accepted claims, to explain why the next one failed.
  func acceptedModel() throws -> Z3Model {
    switch try solver.check() {
    case .sat: return try solver.model()
    case .unsat: throw SymbolicError.inconsistent("the accepted claims became unsatisfiable")
    case .unknown(let why): throw SymbolicError.solverUnknown(why)
    }
  }
}
