internal import CZ3
internal import Dispatch

/// A Z3 context with reference-counted terms and a non-fatal error handler.
///
/// Every `Z3Term`, `Z3Sort`, `Z3Solver` and `Z3Model` keeps its context alive, so the context
/// is deleted only after the last object made from it. A context is not thread-safe; the type
/// is not `Sendable`, so the compiler keeps each context on one thread.
package final class Z3Context {
  let raw: Z3_context

  /// Creates a context.
  ///
  /// Wraps `Z3_mk_config`, `Z3_mk_context_rc`, `Z3_del_config` and `Z3_set_error_handler`
  /// (with a handler that does nothing, so a failed call returns and is reported as a thrown
  /// `Z3Error` instead of Z3 calling `exit`).
  package init() {
    guard let config = Z3_mk_config() else { fatalError("Z3_mk_config failed (out of memory)") }
    defer { Z3_del_config(config) }
    guard let context = Z3_mk_context_rc(config) else {
      fatalError("Z3_mk_context_rc failed (out of memory)")
    }
    Z3_set_error_handler(context) { _, _ in }
    raw = context
  }

  /// Deletes the context with `Z3_del_context`.
  deinit { Z3_del_context(raw) }

  /// The version of the linked Z3 library, `major.minor.build.revision`.
  ///
  /// Wraps `Z3_get_version`.
  package static var version: String {
    var major: UInt32 = 0
    var minor: UInt32 = 0
    var build: UInt32 = 0
    var revision: UInt32 = 0
    Z3_get_version(&major, &minor, &build, &revision)
    return "\(major).\(minor).\(build).\(revision)"
  }

  /// Throws the error left by the last Z3 call, if any.
  ///
  /// Wraps `Z3_get_error_code` and `Z3_get_error_msg`.
  func checkError() throws(Z3Error) {
    let code = Z3_get_error_code(raw)
    guard code != Z3_OK else { return }
    let message = Z3_get_error_msg(raw, code).map { String(cString: $0) } ?? "unknown error"
    throw Z3Error(code: Z3Error.Code(code), message: message)
  }

  /// Runs a Z3 call that returns an AST and wraps its result in a counted term.
  func term(_ make: (Z3_context) -> Z3_ast?) throws(Z3Error) -> Z3Term {
    let ast = make(raw)
    try checkError()
    guard let ast else {
      throw Z3Error(code: .exception, message: "Z3 returned no term")
    }
    return Z3Term(context: self, ast: ast)
  }

  /// Runs a Z3 call over an array of terms, keeping them alive for its duration.
  func term(
    _ operands: [Z3Term], _ make: (Z3_context, UInt32, UnsafePointer<Z3_ast?>?) -> Z3_ast?
  ) throws(Z3Error) -> Z3Term {
    let asts: [Z3_ast?] = operands.map(\.ast)
    return try withExtendedLifetime(operands) { () throws(Z3Error) -> Z3Term in
      try asts.withUnsafeBufferPointer { buffer throws(Z3Error) -> Z3Term in
        try term { make($0, UInt32(buffer.count), buffer.baseAddress) }
      }
    }
  }
}

/// A Z3 context being made on another thread, for a caller that will need one soon.
///
/// Making a context takes several milliseconds (Z3 4.8 sets up every theory plugin: about
/// 7 ms and 20 MB here), as long as a whole small search. `hmm-check check` starts one
/// before the search of a scenario that expects a failure, whose counterexample Z3 will
/// validate, so the two overlap.
package final class PendingZ3Context: @unchecked Sendable {
  // Written once by the making thread before `ready` is signalled; read once after waiting
  // for it. The semaphore orders the two, which is what makes the unchecked `Sendable` sound.
  private var context: Z3Context?
  private let ready = DispatchSemaphore(value: 0)

  /// Starts making the context.
  package init() {
    DispatchQueue.global(qos: .userInitiated).async { [self] in
      context = Z3Context()
      ready.signal()
    }
  }

  /// The context, waiting until it is made. Call at most once: the context then belongs to
  /// the caller's thread.
  package func take() -> Z3Context {
    ready.wait()
    defer { context = nil }
    return context.unsafelyUnwrapped
  }
}
