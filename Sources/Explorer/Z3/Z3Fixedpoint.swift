internal import CZ3

/// A relation symbol of a fixedpoint problem (an uninterpreted predicate, `Z3_func_decl`).
package final class Z3Relation {
  package let context: Z3Context
  let decl: Z3_func_decl

  /// Takes a reference with `Z3_inc_ref` on `Z3_func_decl_to_ast`.
  init(context: Z3Context, decl: Z3_func_decl) {
    self.context = context
    self.decl = decl
    Z3_inc_ref(context.raw, Z3_func_decl_to_ast(context.raw, decl))
  }

  /// Releases the reference with `Z3_dec_ref`.
  deinit { Z3_dec_ref(context.raw, Z3_func_decl_to_ast(context.raw, decl)) }

  /// The relation applied to `arguments`, a Boolean term.
  ///
  /// Wraps `Z3_mk_app`.
  package func callAsFunction(_ arguments: [Z3Term]) throws(Z3Error) -> Z3Term {
    try withExtendedLifetime(self) { () throws(Z3Error) -> Z3Term in
      try context.term(arguments) { context, count, args in
        Z3_mk_app(context, decl, count, args)
      }
    }
  }
}

/// Z3's fixedpoint engine over constrained Horn clauses (`Z3_fixedpoint`), used with the
/// Spacer engine (IC3/PDR for arithmetic) to find inductive invariants.
package final class Z3Fixedpoint {
  package let context: Z3Context
  let raw: Z3_fixedpoint

  /// Creates an empty fixedpoint problem.
  ///
  /// Wraps `Z3_mk_fixedpoint` and `Z3_fixedpoint_inc_ref`.
  package init(context: Z3Context) throws(Z3Error) {
    let fixedpoint = Z3_mk_fixedpoint(context.raw)
    try context.checkError()
    guard let fixedpoint else {
      throw Z3Error(code: .exception, message: "Z3 returned no fixedpoint object")
    }
    self.context = context
    self.raw = fixedpoint
    Z3_fixedpoint_inc_ref(context.raw, fixedpoint)
  }

  /// Releases the object with `Z3_fixedpoint_dec_ref`.
  deinit { Z3_fixedpoint_dec_ref(context.raw, raw) }

  /// Selects the Spacer engine, `timeout` (milliseconds, when given) and Spacer's random seed.
  ///
  /// Wraps `Z3_mk_params`, `Z3_params_set_symbol`, `Z3_params_set_uint` and
  /// `Z3_fixedpoint_set_params`.
  package func configureSpacer(timeoutMilliseconds: Int?, randomSeed: UInt32) throws(Z3Error) {
    let params = Z3_mk_params(context.raw)
    try context.checkError()
    Z3_params_inc_ref(context.raw, params)
    defer { Z3_params_dec_ref(context.raw, params) }
    let c = context.raw
    Z3_params_set_symbol(c, params, Z3_mk_string_symbol(c, "engine"), Z3_mk_string_symbol(c, "spacer"))
    if let timeoutMilliseconds {
      Z3_params_set_uint(
        c, params, Z3_mk_string_symbol(c, "timeout"),
        UInt32(clamping: max(timeoutMilliseconds, 0)))
    }
    Z3_params_set_uint(c, params, Z3_mk_string_symbol(c, "spacer.random_seed"), randomSeed)
    try context.checkError()
    Z3_fixedpoint_set_params(c, raw, params)
    try context.checkError()
  }

  /// Declares and registers a relation over `sorts`.
  ///
  /// Wraps `Z3_mk_func_decl` and `Z3_fixedpoint_register_relation`.
  package func relation(_ name: String, sorts: [Z3Sort]) throws(Z3Error) -> Z3Relation {
    let c = context.raw
    let boolSort = try context.boolSort()
    let raws: [Z3_sort?] = sorts.map(\.sort)
    let decl = withExtendedLifetime((sorts, boolSort)) {
      raws.withUnsafeBufferPointer { buffer in
        name.withCString {
          Z3_mk_func_decl(
            c, Z3_mk_string_symbol(c, $0), UInt32(buffer.count), buffer.baseAddress,
            boolSort.sort)
        }
      }
    }
    try context.checkError()
    guard let decl else { throw Z3Error(code: .exception, message: "Z3 returned no relation") }
    let relation = Z3Relation(context: context, decl: decl)
    Z3_fixedpoint_register_relation(c, raw, decl)
    try context.checkError()
    return relation
  }

  /// Adds the Horn clause `∀ variables. body ⇒ head`.
  ///
  /// - Parameter variables: the constants of `body` and `head` to quantify (uninterpreted
  ///   constants made with `Z3Context.constant`).
  ///
  /// Wraps `Z3_to_app`, `Z3_mk_forall_const` and `Z3_fixedpoint_add_rule`.
  package func addRule(_ body: Z3Term, implies head: Z3Term, forAll variables: [Z3Term])
    throws(Z3Error)
  {
    let clause = try context.implies(body, head)
    let c = context.raw
    let rule: Z3Term
    if variables.isEmpty {
      rule = clause
    } else {
      let apps: [Z3_app?] = variables.map { Z3_to_app(c, $0.ast) }
      try context.checkError()
      rule = try withExtendedLifetime((variables, clause)) { () throws(Z3Error) -> Z3Term in
        try apps.withUnsafeBufferPointer { buffer throws(Z3Error) -> Z3Term in
          try context.term {
            Z3_mk_forall_const($0, 0, UInt32(buffer.count), buffer.baseAddress, 0, nil, clause.ast)
          }
        }
      }
    }
    withExtendedLifetime(rule) { Z3_fixedpoint_add_rule(c, raw, rule.ast, nil) }
    try context.checkError()
  }

  /// Whether `query` (a relation applied to ground arguments, or a nullary relation) is
  /// derivable: `.sat` when it is, `.unsat` when an inductive invariant excludes it.
  ///
  /// Wraps `Z3_fixedpoint_query` and `Z3_fixedpoint_get_reason_unknown`.
  package func query(_ query: Z3Term) throws(Z3Error) -> Z3Result {
    let answer = withExtendedLifetime(query) { Z3_fixedpoint_query(context.raw, raw, query.ast) }
    try context.checkError()
    if answer == Z3_L_TRUE { return .sat }
    if answer == Z3_L_FALSE { return .unsat }
    let reason = Z3_fixedpoint_get_reason_unknown(context.raw, raw).map { String(cString: $0) }
    return .unknown(reason: reason ?? "unknown")
  }

  /// After `.unsat`: the inductive invariant (an interpretation of the relations); after
  /// `.sat`: a derivation of the query.
  ///
  /// Wraps `Z3_fixedpoint_get_answer`.
  package func answer() throws(Z3Error) -> Z3Term {
    try context.term { Z3_fixedpoint_get_answer($0, raw) }
  }

  /// The lemmas Spacer learnt for `relation` at `level` (-1: the ones valid at every level,
  /// the inductive invariant).
  ///
  /// Wraps `Z3_fixedpoint_get_cover_delta`.
  package func coverDelta(level: Int, of relation: Z3Relation) throws(Z3Error) -> Z3Term {
    try withExtendedLifetime(relation) { () throws(Z3Error) -> Z3Term in
      try context.term { Z3_fixedpoint_get_cover_delta($0, raw, Int32(level), relation.decl) }
    }
  }

  /// The number of frames (levels) Spacer built for `relation`.
  ///
  /// Wraps `Z3_fixedpoint_get_num_levels`.
  package func levels(of relation: Z3Relation) throws(Z3Error) -> Int {
    let count = withExtendedLifetime(relation) {
      Z3_fixedpoint_get_num_levels(context.raw, raw, relation.decl)
    }
    try context.checkError()
    return Int(count)
  }

  /// The engine's statistics, in Z3's order.
  ///
  /// Wraps `Z3_fixedpoint_get_statistics`.
  package func statistics() throws(Z3Error) -> [Z3Solver.Statistic] {
    let stats = Z3_fixedpoint_get_statistics(context.raw, raw)
    try context.checkError()
    return context.read(stats)
  }
}
