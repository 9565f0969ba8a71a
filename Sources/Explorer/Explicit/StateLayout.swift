internal import HMMModel

/// Where one variable lives in a packed state: `bitWidth` bits of `value - lowerBound`,
/// starting at bit `shift` of word `word`. A slot never straddles two words.
struct VariableSlot: BitwiseCopyable, Equatable {
  var word: Int32
  var shift: UInt8
  /// 1...64.
  var width: UInt8
  var lowerBound: Int
  /// `upperBound - lowerBound`, the largest stored bit pattern that is in the domain.
  var span: UInt64

  /// The bits of the slot, not shifted.
  @inline(__always) var mask: UInt64 { UInt64.max &>> (64 &- UInt64(width)) }

  /// Reads the variable from a packed state.
  @inline(__always)
  func read(_ state: UnsafePointer<UInt64>) -> Int {
    let bits = (state[Int(word)] &>> UInt64(shift)) & mask
    return Int(bitPattern: UInt(bits)) &+ lowerBound
  }

  /// Whether `value` is in the variable's domain.
  @inline(__always)
  func contains(_ value: Int) -> Bool {
    UInt64(UInt(bitPattern: value &- lowerBound)) <= span
  }

  /// Writes a value of the domain (checked by the caller with `contains`).
  @inline(__always)
  func write(_ value: Int, _ state: UnsafeMutablePointer<UInt64>) {
    let bits = UInt64(UInt(bitPattern: value &- lowerBound))
    let w = Int(word)
    state[w] = (state[w] & ~(mask &<< UInt64(shift))) | (bits &<< UInt64(shift))
  }
}

/// The packing of a model's variables into a fixed number of 64-bit words per state.
///
/// Variables are placed first-fit in declaration order: each goes into the first word that
/// still has `bitWidth` free bits, so no variable straddles two words and the layout depends
/// only on the model (never on the run). The locals (and pc) of an *isolated* thread get
/// words of their own, shared with no other variable, so that threads running the same
/// procedure have their locals packed identically in their own words (the symmetry reduction
/// then compares and moves a thread's locals a few words at a time, see
/// `SymmetryCanonicalizer`); that costs at most one partly filled word per isolated thread.
struct StateLayout: Sendable, Equatable {
  /// Words per state (at least 1).
  let words: Int
  /// The slot of every variable, indexed by `VarID.index`.
  let slots: [VariableSlot]

  /// - Parameter isolated: the threads whose locals get words of their own.
  /// - Complexity: O(v · w) for v variables packed into w words.
  init(_ variables: [IRVariable], isolating isolated: Set<Int> = []) {
    var used: [Int] = []  // bits used in each word so far
    // For each word: the isolated thread whose locals it holds, or nil.
    var ownerOfWord: [Int?] = []
    var slots: [VariableSlot] = []
    slots.reserveCapacity(variables.count)
    for variable in variables {
      let type = variable.type
      let width = type.bitWidth
      let bin = variable.owner.flatMap { isolated.contains($0) ? $0 : nil }
      let word: Int
      if let free = used.indices.first(where: {
        ownerOfWord[$0] == bin && used[$0] + width <= 64
      }) {
        word = free
      } else {
        used.append(0)
        ownerOfWord.append(bin)
        word = used.count - 1
      }
      slots.append(
        VariableSlot(
          word: Int32(word), shift: UInt8(used[word]), width: UInt8(width),
          lowerBound: type.lowerBound,
          span: UInt64(UInt(bitPattern: type.upperBound &- type.lowerBound))))
      used[word] += width
    }
    self.words = max(1, used.count)
    self.slots = slots
  }

  /// Packs a full valuation; nil if some value is outside its variable's domain.
  ///
  /// - Complexity: O(v).
  func encode(_ values: [Int]) -> [UInt64]? {
    guard values.count == slots.count else { return nil }
    var words = [UInt64](repeating: 0, count: self.words)
    let ok = words.withUnsafeMutableBufferPointer { buffer -> Bool in
      guard let base = buffer.baseAddress else { return false }
      for (slot, value) in zip(slots, values) {
        guard slot.contains(value) else { return false }
        slot.write(value, base)
      }
      return true
    }
    return ok ? words : nil
  }

  /// Unpacks a state into a full valuation indexed by `VarID.index`.
  ///
  /// - Complexity: O(v).
  func decode(_ state: UnsafePointer<UInt64>) -> [Int] {
    slots.map { $0.read(state) }
  }

  /// Unpacks a state given as an array of words.
  func decode(_ state: [UInt64]) -> [Int] {
    state.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return [] }
      return decode(base)
    }
  }
}
