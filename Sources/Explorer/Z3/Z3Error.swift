internal import CZ3

/// An error reported by Z3 instead of terminating the process.
///
/// `Z3Context` replaces Z3's default error handler (which calls `exit`) with one that does
/// nothing, and checks `Z3_get_error_code` after every call that can fail; a pending error
/// becomes this value.
package struct Z3Error: Error, Equatable, Sendable, CustomStringConvertible {
  /// The `Z3_error_code` of the failed call.
  package var code: Code
  /// The text of `Z3_get_error_msg` for `code`, or a wrapper-level explanation.
  package var message: String

  package init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  package var description: String { "Z3 error \(code.rawValue): \(message)" }

  /// A strongly typed `Z3_error_code`.
  package struct Code: RawRepresentable, Hashable, Sendable {
    package var rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    init(_ code: Z3_error_code) { self.rawValue = code.rawValue }

    /// `Z3_SORT_ERROR`: an ill-sorted term was built.
    package static var sortError: Code { Code(Z3_SORT_ERROR) }
    /// `Z3_IOB`: an index out of bounds.
    package static var indexOutOfBounds: Code { Code(Z3_IOB) }
    /// `Z3_INVALID_ARG`: an invalid argument.
    package static var invalidArgument: Code { Code(Z3_INVALID_ARG) }
    /// `Z3_INVALID_USAGE`: the call is invalid in the current state (e.g. no model).
    package static var invalidUsage: Code { Code(Z3_INVALID_USAGE) }
    /// `Z3_MEMOUT_FAIL`: Z3 ran out of memory.
    package static var outOfMemory: Code { Code(Z3_MEMOUT_FAIL) }
    /// `Z3_EXCEPTION`: any other exception inside Z3.
    package static var exception: Code { Code(Z3_EXCEPTION) }
  }
}
