internal import CZ3

/// An incremental Z3 solver (`Z3_solver`).
package final class Z3Solver {
  package let context: Z3Context
  let raw: Z3_solver

  /// Creates a general-purpose incremental solver.
  ///
  /// Wraps `Z3_mk_solver` and `Z3_solver_inc_ref`.
  package init(context: Z3Context) throws(Z3Error) {
    let solver = Z3_mk_solver(context.raw)
    try context.checkError()
    guard let solver else { throw Z3Error(code: .exception, message: "Z3 returned no solver") }
    self.context = context
    self.raw = solver
    Z3_solver_inc_ref(context.raw, solver)
  }

  /// Releases the solver with `Z3_solver_dec_ref`.
  deinit { Z3_solver_dec_ref(context.raw, raw) }

  /// Adds `formula` (a Boolean term) to the current scope.
  ///
  /// Wraps `Z3_solver_assert`.
  package func assert(_ formula: Z3Term) throws(Z3Error) {
    withExtendedLifetime(formula) { Z3_solver_assert(context.raw, raw, formula.ast) }
    try context.checkError()
  }

  /// Checks whether the asserted formulas are satisfiable.
  ///
  /// Wraps `Z3_solver_check`.
  package func check() throws(Z3Error) -> Z3Result {
    let answer = Z3_solver_check(context.raw, raw)
    try context.checkError()
    return result(answer)
  }

  /// Checks whether the asserted formulas together with `assumptions` are satisfiable; after
  /// `.unsat`, `unsatCore()` names assumptions that suffice for the conflict.
  ///
  /// Use Boolean constants (or their negations) as assumptions.
  ///
  /// Wraps `Z3_solver_check_assumptions`.
  package func check(assuming assumptions: [Z3Term]) throws(Z3Error) -> Z3Result {
    let asts: [Z3_ast?] = assumptions.map(\.ast)
    let answer = withExtendedLifetime(assumptions) {
      asts.withUnsafeBufferPointer {
        Z3_solver_check_assumptions(context.raw, raw, UInt32($0.count), $0.baseAddress)
      }
    }
    try context.checkError()
    return result(answer)
  }

  private func result(_ answer: Z3_lbool) -> Z3Result {
    if answer == Z3_L_TRUE { return .sat }
    if answer == Z3_L_FALSE { return .unsat }
    let reason = Z3_solver_get_reason_unknown(context.raw, raw).map { String(cString: $0) }
    return .unknown(reason: reason ?? "unknown")
  }

  /// Opens a scope; `pop` removes every assertion made since.
  ///
  /// Wraps `Z3_solver_push`.
  package func push() throws(Z3Error) {
    Z3_solver_push(context.raw, raw)
    try context.checkError()
  }

  /// Closes the `count` innermost scopes.
  ///
  /// Wraps `Z3_solver_pop`.
  package func pop(_ count: Int = 1) throws(Z3Error) {
    guard count >= 0, count <= scopeCount else {
      throw Z3Error(
        code: .invalidUsage, message: "cannot pop \(count) of \(scopeCount) scopes")
    }
    Z3_solver_pop(context.raw, raw, UInt32(count))
    try context.checkError()
  }

  /// The number of open scopes.
  ///
  /// Wraps `Z3_solver_get_num_scopes`.
  package var scopeCount: Int { Int(Z3_solver_get_num_scopes(context.raw, raw)) }

  /// Makes every later `check` give up with `.unknown` after `milliseconds`.
  ///
  /// Wraps `Z3_mk_params`, `Z3_params_set_uint` (`timeout`) and `Z3_solver_set_params`.
  package func setTimeout(milliseconds: Int) throws(Z3Error) {
    let params = Z3_mk_params(context.raw)
    try context.checkError()
    Z3_params_inc_ref(context.raw, params)
    defer { Z3_params_dec_ref(context.raw, params) }
    let key = Z3_mk_string_symbol(context.raw, "timeout")
    Z3_params_set_uint(context.raw, params, key, UInt32(clamping: max(milliseconds, 0)))
    try context.checkError()
    Z3_solver_set_params(context.raw, raw, params)
    try context.checkError()
  }

  /// The model of the last `check` that answered `.sat`.
  ///
  /// Wraps `Z3_solver_get_model`.
  /// - Throws: `Z3Error` (`invalidUsage`) when the last check was not satisfiable.
  package func model() throws(Z3Error) -> Z3Model {
    let model = Z3_solver_get_model(context.raw, raw)
    try context.checkError()
    guard let model else { throw Z3Error(code: .invalidUsage, message: "no model available") }
    return Z3Model(context: context, raw: model)
  }

  /// The assumptions of the last `check(assuming:)` that answered `.unsat` and are enough for
  /// the conflict (not necessarily a minimal set).
  ///
  /// Wraps `Z3_solver_get_unsat_core` and the `Z3_ast_vector` accessors.
  package func unsatCore() throws(Z3Error) -> [Z3Term] {
    let vector = Z3_solver_get_unsat_core(context.raw, raw)
    try context.checkError()
    Z3_ast_vector_inc_ref(context.raw, vector)
    defer { Z3_ast_vector_dec_ref(context.raw, vector) }
    let count = Z3_ast_vector_size(context.raw, vector)
    var core: [Z3Term] = []
    for index in 0..<count {
      if let ast = Z3_ast_vector_get(context.raw, vector, index) {
        core.append(Z3Term(context: context, ast: ast))
      }
    }
    return core
  }
}
