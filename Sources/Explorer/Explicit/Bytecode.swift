/// The instruction set of the explicit engine's expression machine.
///
/// Guards, effects and properties are compiled once to a flat array of fixed-size
/// instructions over a small value stack of `Int`s (booleans are 0 and 1). Variables are read
/// and written directly in the packed state with shift and mask. `and`, `or`, `implies`,
/// `ite` and `if` compile to jumps, so only the taken branch runs.
enum Opcode: UInt8, BitwiseCopyable {
  /// Push `immediate`.
  case push
  /// Push the variable in word `a`, bits `shift..<shift+width`, plus `immediate` (its lower
  /// bound).
  case load
  /// Push `variable == immediate` for the slot in `a`/`shift`/`width`, comparing raw bits
  /// (the compiler stores `immediate - lowerBound`, known to fit the slot).
  case loadEqual
  /// Push `variable != immediate`, as `loadEqual`.
  case loadNotEqual
  /// Push `variable < constant` (and `<=`, `>`, `>=`) for the slot in `a`/`shift`/`width`,
  /// comparing raw bits with `immediate = constant - lowerBound` (see `emitOrdered`).
  case loadLess, loadLessEqual, loadGreater, loadGreaterEqual
  /// Add `immediate` to the top of the stack.
  case addImmediate
  /// Add `immediate` to variable `a` (`x := x + k`); a fault if the result is outside the
  /// domain.
  case increment
  /// Pop an index; push element `index` of array `a` (see `ArrayInfo`); a fault if the index
  /// is out of range.
  case loadElement
  /// Push element `i` of array `a`, where `i` is the value of variable `immediate` (`load`
  /// then `loadElement` in one); a fault if `i` is out of range.
  case loadElementAt
  case not, negate, complement
  case add, sub, mul, div, mod, bitAnd, bitOr, bitXor
  case equal, notEqual, less, lessEqual, greater, greaterEqual
  /// Continue at `a`.
  case jump
  /// Pop; continue at `a` if it is 0.
  case jumpIfFalse
  /// Pop; continue at `a` if it is not 0.
  case jumpIfTrue
  /// The next instruction is a fused comparison (`loadEqual` ... `loadGreaterEqual`), not
  /// executed: continue at `a` if it holds, else after it.
  case jumpIfCompare
  /// As `jumpIfCompare`, continuing at `a` if the comparison does not hold.
  case jumpUnlessCompare
  /// `jumpIfCompare` or `jumpUnlessCompare` with its comparison folded in (see
  /// `BytecodeCompiler.foldComparisonJumps`): if the raw bits of the slot in
  /// `a`/`shift`/`width` are equal to (`!=`, `<`, `<=`, `>`, `>=`) the low 32 bits of
  /// `immediate`, continue at `immediate >> 32`, else skip the next instruction (the
  /// comparison, left in place).
  case jumpIfEqual, jumpIfNotEqual, jumpIfLess, jumpIfLessEqual, jumpIfGreater
  case jumpIfGreaterEqual
  /// Pop `y`, then `x`; continue at `a` if `x == y` (`!=`, `<`, `<=`, `>`, `>=`): a
  /// comparison and `jumpIfTrue` in one.
  case jumpIfEqualValues, jumpIfNotEqualValues, jumpIfLessValues, jumpIfLessEqualValues
  case jumpIfGreaterValues, jumpIfGreaterEqualValues
  /// If the top is 0 continue at `a` (keeping it), else pop it (`and`).
  case jumpIfFalseOrPop
  /// If the top is not 0 continue at `a` (keeping it), else pop it (`or`).
  case jumpIfTrueOrPop
  /// Pop a value into variable `a`; a fault if it is outside the domain.
  case store
  /// Store the raw bits `immediate` (a constant checked against the domain, minus the lower
  /// bound) into the slot in word `a`, bits `shift..<shift+width`.
  case storeConstant
  /// Replace the bits `maskedWrites[2 * immediate]` of word `a` with
  /// `maskedWrites[2 * immediate + 1]` (several constant assignments at once).
  case storeMasked
  /// Copy variable `immediate` into variable `a`, whose domain contains the source's.
  case copy
  /// Copy variable `immediate` into variable `a`; a fault if the value is outside `a`'s
  /// domain.
  case copyChecked
  /// Pop a value, then an index; store into element `index` of array `a`.
  case storeElement
  /// Pop; a fault with message `a` if it is 0.
  case assert
  /// Stop and return the top of the stack.
  case returnValue
  /// Stop and return `immediate` (`push` then `returnValue`).
  case returnConstant
  /// Stop (end of an effect list).
  case halt
}

/// One instruction: 16 bytes, no references.
struct Instruction: BitwiseCopyable {
  var opcode: Opcode
  var shift: UInt8 = 0
  var width: UInt8 = 0
  /// A word, variable, array, message or jump target, depending on `opcode`.
  var a: Int32 = 0
  var immediate: Int = 0
}

extension Instruction {
  /// Whether the instruction is a variable-against-constant comparison (`loadEqual` ...
  /// `loadGreaterEqual`).
  var isFusedComparison: Bool {
    switch opcode {
    case .loadEqual, .loadNotEqual, .loadLess, .loadLessEqual, .loadGreater, .loadGreaterEqual:
      true
    default:
      false
    }
  }

  /// The raw bits of the slot in `a`/`shift`/`width`.
  @inline(__always)
  func slotBits(_ state: UnsafePointer<UInt64>) -> UInt64 {
    (state[Int(a)] &>> UInt64(shift)) & (UInt64.max &>> (64 &- UInt64(width)))
  }

  /// The constant of a folded comparison jump (`Opcode.jumpIfEqual` ...).
  @inline(__always)
  var foldedConstant: UInt64 { UInt64(truncatingIfNeeded: immediate) & 0xFFFF_FFFF }

  /// The target of a folded comparison jump.
  @inline(__always)
  var foldedTarget: Int { immediate &>> 32 }

  /// The result of a fused comparison on a packed state: the slot's raw bits against
  /// `immediate` (see `Opcode.loadEqual` and `Opcode.loadLess`).
  @inline(__always)
  func compare(_ state: UnsafePointer<UInt64>) -> Bool {
    let bits = slotBits(state)
    let constant = UInt64(UInt(bitPattern: immediate))
    switch opcode {
    case .loadEqual: return bits == constant
    case .loadNotEqual: return bits != constant
    case .loadLess: return bits < constant
    case .loadLessEqual: return bits <= constant
    case .loadGreater: return bits > constant
    default: return bits >= constant
    }
  }
}

/// An array of variables indexed by a computed value: elements
/// `elementVariables[start..<start+count]`.
struct ArrayInfo: BitwiseCopyable, Equatable {
  var start: Int32
  var count: Int32
}

/// A model error found while running compiled code.
struct ModelFault: Sendable, Equatable {
  enum Kind: Sendable, Equatable {
    /// `value` is outside the domain of `variable`.
    case valueOutOfRange(variable: Int)
    /// `value` is not an index of array `array` (an index into `CompiledModel.arrays`).
    case indexOutOfRange(array: Int)
    case divisionByZero
    case moduloByZero
    /// A failed `assert`; `message` indexes `CompiledModel.messages`.
    case assertionFailed(message: Int)
  }
  var kind: Kind
  var value: Int = 0
}
