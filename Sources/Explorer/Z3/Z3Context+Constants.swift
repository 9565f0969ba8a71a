internal import CZ3

extension Z3Context {
  private func sort(_ make: (Z3_context) -> Z3_sort?) throws(Z3Error) -> Z3Sort {
    let sort = make(raw)
    try checkError()
    guard let sort else { throw Z3Error(code: .exception, message: "Z3 returned no sort") }
    return Z3Sort(context: self, sort: sort)
  }

  /// The Boolean sort.
  ///
  /// Wraps `Z3_mk_bool_sort`.
  package func boolSort() throws(Z3Error) -> Z3Sort { try sort { Z3_mk_bool_sort($0) } }

  /// The sort of mathematical integers.
  ///
  /// Wraps `Z3_mk_int_sort`.
  package func intSort() throws(Z3Error) -> Z3Sort { try sort { Z3_mk_int_sort($0) } }

  /// The sort of bit-vectors of `width` bits.
  ///
  /// Wraps `Z3_mk_bv_sort`.
  package func bitVectorSort(width: Int) throws(Z3Error) -> Z3Sort {
    guard width > 0, width <= Int(UInt32.max) else {
      throw Z3Error(code: .invalidArgument, message: "bit-vector width \(width) is not positive")
    }
    return try sort { Z3_mk_bv_sort($0, UInt32(width)) }
  }

  /// An uninterpreted constant: the same name and sort always give the same term.
  ///
  /// Wraps `Z3_mk_string_symbol` and `Z3_mk_const`.
  package func constant(_ name: String, sort: Z3Sort) throws(Z3Error) -> Z3Term {
    try withExtendedLifetime(sort) { () throws(Z3Error) -> Z3Term in
      try term { context in
        name.withCString { Z3_mk_const(context, Z3_mk_string_symbol(context, $0), sort.sort) }
      }
    }
  }

  /// A Boolean constant named `name`.
  package func boolConstant(_ name: String) throws(Z3Error) -> Z3Term {
    try constant(name, sort: boolSort())
  }

  /// An integer constant named `name`.
  package func intConstant(_ name: String) throws(Z3Error) -> Z3Term {
    try constant(name, sort: intSort())
  }

  /// A bit-vector constant of `width` bits named `name`.
  package func bitVectorConstant(_ name: String, width: Int) throws(Z3Error) -> Z3Term {
    try constant(name, sort: bitVectorSort(width: width))
  }

  /// The Boolean literal `value`.
  ///
  /// Wraps `Z3_mk_true` and `Z3_mk_false`.
  package func bool(_ value: Bool) throws(Z3Error) -> Z3Term {
    try term { value ? Z3_mk_true($0) : Z3_mk_false($0) }
  }

  /// The integer numeral `value`.
  ///
  /// Wraps `Z3_mk_int64`.
  package func int(_ value: Int) throws(Z3Error) -> Z3Term {
    let sort = try intSort()
    return try withExtendedLifetime(sort) { () throws(Z3Error) -> Z3Term in
      try term { Z3_mk_int64($0, Int64(value), sort.sort) }
    }
  }

  /// The bit-vector numeral `value` modulo 2^`width` (negative values in two's complement).
  ///
  /// Wraps `Z3_mk_int64`.
  package func bitVector(_ value: Int, width: Int) throws(Z3Error) -> Z3Term {
    let sort = try bitVectorSort(width: width)
    return try withExtendedLifetime(sort) { () throws(Z3Error) -> Z3Term in
      try term { Z3_mk_int64($0, Int64(value), sort.sort) }
    }
  }
}
