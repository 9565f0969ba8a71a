/// A run's private copy of a `CompiledModel` in raw memory, with the value stack and the
/// candidate buffer: everything the hot loop touches, without reference counting.
///
/// Non-copyable: one owner (the run), freed on deinit.
struct ExecutableModel: ~Copyable {
  let words: Int
  let code: UnsafeMutablePointer<Instruction>
  let stack: UnsafeMutablePointer<Int>
  let slots: UnsafeMutablePointer<VariableSlot>
  let arrays: UnsafeMutablePointer<ArrayInfo>
  let elementVariables: UnsafeMutablePointer<Int32>
  let maskedWrites: UnsafeMutablePointer<UInt64>
  let guardEntries: UnsafeMutablePointer<Int32>
  /// For every action whose guard is one fused comparison, that instruction (evaluated
  /// without entering the interpreter); `halt` otherwise.
  let simpleGuards: UnsafeMutablePointer<Instruction>
  let effectEntries: UnsafeMutablePointer<Int32>
  let propertyEntries: UnsafeMutablePointer<Int32>
  let propertyCount: Int
  let propertyRanges: UnsafeMutablePointer<ActionRange>
  let propertyChecks: UnsafeMutablePointer<Int32>
  let threads: UnsafeMutablePointer<CompiledThread>
  let threadCount: Int
  let actionRanges: UnsafeMutablePointer<ActionRange>
  let actionList: UnsafeMutablePointer<Int32>
  let actionsFollowThreads: Bool
  /// See `CompiledModel.writtenWords`.
  let writtenWordRanges: UnsafeMutablePointer<ActionRange>
  let writtenWords: UnsafeMutablePointer<Int32>
  /// Scratch space for the candidate actions of one state.
  let candidates: UnsafeMutablePointer<Int32>
  /// The last fault, valid after `evaluate` returned nil or `execute` returned false.
  var fault = ModelFault(kind: .divisionByZero)
  /// The property whose evaluation faulted last (see `firstViolatedProperty`).
  var faultyProperty = 0

  init(_ model: CompiledModel) {
    words = model.layout.words
    code = UnsafeMutablePointer.copying(model.code)
    stack = .allocate(capacity: model.maxStack + 1)
    slots = UnsafeMutablePointer.copying(model.layout.slots)
    arrays = UnsafeMutablePointer.copying(model.arrays)
    elementVariables = UnsafeMutablePointer.copying(model.elementVariables)
    maskedWrites = UnsafeMutablePointer.copying(model.maskedWrites)
    guardEntries = UnsafeMutablePointer.copying(model.guardEntries)
    simpleGuards = UnsafeMutablePointer.copying(
      model.guardEntries.map { entry in
        let e = Int(entry)
        guard e >= 0, model.code[e].isFusedComparison, model.code[e + 1].opcode == .returnValue
        else { return Instruction(opcode: .halt) }
        return model.code[e]
      })
    effectEntries = UnsafeMutablePointer.copying(model.effectEntries)
    propertyEntries = UnsafeMutablePointer.copying(model.propertyEntries)
    propertyCount = model.propertyEntries.count
    propertyRanges = UnsafeMutablePointer.copying(model.propertyRanges)
    propertyChecks = UnsafeMutablePointer.copying(model.propertyChecks)
    threads = UnsafeMutablePointer.copying(model.threads)
    threadCount = model.threads.count
    actionRanges = UnsafeMutablePointer.copying(model.actionRanges)
    actionList = UnsafeMutablePointer.copying(model.actionList)
    actionsFollowThreads = model.actionsFollowThreads
    writtenWordRanges = UnsafeMutablePointer.copying(model.writtenWordRanges)
    writtenWords = UnsafeMutablePointer.copying(model.writtenWords)
    candidates = .allocate(capacity: model.maxCandidates)
  }

  deinit {
    code.deallocate()
    stack.deallocate()
    slots.deallocate()
    arrays.deallocate()
    elementVariables.deallocate()
    maskedWrites.deallocate()
    guardEntries.deallocate()
    simpleGuards.deallocate()
    effectEntries.deallocate()
    propertyEntries.deallocate()
    propertyRanges.deallocate()
    propertyChecks.deallocate()
    threads.deallocate()
    actionRanges.deallocate()
    actionList.deallocate()
    writtenWordRanges.deallocate()
    writtenWords.deallocate()
    candidates.deallocate()
  }

  // MARK: - Actions of a state

  /// Fills `candidates` with the actions whose thread is at their `fromPC`, ascending.
  ///
  /// - Returns: how many there are.
  /// - Complexity: O(threads + candidates), plus an insertion sort when action indices do
  ///   not follow thread order.
  @inline(__always)
  func collectCandidates(_ state: UnsafePointer<UInt64>) -> Int {
    var n = 0
    for t in 0..<threadCount {
      let thread = threads[t]
      let pc = thread.pc.read(state)
      guard UInt(bitPattern: pc) < UInt(thread.pcCount) else { continue }
      let range = actionRanges[thread.rangeStart &+ pc]
      var i = Int(range.start)
      while i < Int(range.end) {
        candidates[n] = actionList[i]
        n &+= 1
        i &+= 1
      }
    }
    if !actionsFollowThreads { sortCandidates(n) }
    return n
  }

  private func sortCandidates(_ n: Int) {
    guard n > 1 else { return }
    for i in 1..<n {
      let x = candidates[i]
      var j = i - 1
      while j >= 0 && candidates[j] > x {
        candidates[j + 1] = candidates[j]
        j -= 1
      }
      candidates[j + 1] = x
    }
  }

  /// Whether some thread is not at its final program counter.
  func hasUnfinishedThread(_ state: UnsafePointer<UInt64>) -> Bool {
    for t in 0..<threadCount where threads[t].pc.read(state) != threads[t].finalPC {
      return true
    }
    return false
  }

  /// Whether the guard of `action` holds (its pc is not checked); nil on a fault.
  ///
  /// A one-comparison guard is decided here, inlined into the caller's loop; others run the
  /// interpreter out of line.
  @inline(__always)
  mutating func guardHolds(_ action: Int, _ state: UnsafePointer<UInt64>) -> Bool? {
    let simple = simpleGuards[action]
    if simple.opcode != .halt { return simple.compare(state) }
    return compiledGuardHolds(action, state)
  }

  /// `guardHolds` for a guard that is not one comparison.
  @inline(never)
  mutating func compiledGuardHolds(_ action: Int, _ state: UnsafePointer<UInt64>) -> Bool? {
    let entry = guardEntries[action]
    if entry < 0 { return true }
    guard let value = evaluate(Int(entry), UnsafeMutablePointer(mutating: state)) else {
      return nil
    }
    return value != 0
  }

  /// Runs the effects of `action` in place on `state`; false on a fault.
  @inline(__always)
  mutating func fire(_ action: Int, _ state: UnsafeMutablePointer<UInt64>) -> Bool {
    evaluate(Int(effectEntries[action]), state) != nil
  }

  /// The first property false in `state`, `-1` if all hold, or nil on a fault (then
  /// `faultyProperty` says which one faulted).
  @inline(__always)
  mutating func firstViolatedProperty(_ state: UnsafePointer<UInt64>) -> Int? {
    for p in 0..<propertyCount {
      let entry = propertyEntries[p]
      if entry < 0 { continue }
      guard let value = evaluate(Int(entry), UnsafeMutablePointer(mutating: state)) else {
        faultyProperty = p
        return nil
      }
      if value == 0 { return p }
    }
    return -1
  }

  /// As `firstViolatedProperty(_:)` for a state reached by firing `action` from a state where
  /// every property held: only the properties that read a variable `action` may write are
  /// evaluated, since the others see the same values as before.
  @inline(__always)
  mutating func firstViolatedProperty(
    _ state: UnsafePointer<UInt64>, after action: Int
  ) -> Int? {
    let range = propertyRanges[action]
    var i = Int(range.start)
    while i < Int(range.end) {
      let p = Int(propertyChecks[i])
      guard let value = evaluate(Int(propertyEntries[p]), UnsafeMutablePointer(mutating: state))
      else {
        faultyProperty = p
        return nil
      }
      if value == 0 { return p }
      i &+= 1
    }
    return -1
  }
}

extension UnsafeMutablePointer where Pointee: BitwiseCopyable {
  /// A new allocation holding a copy of `array` (at least one element of capacity); the
  /// caller deallocates it.
  static func copying(_ array: [Pointee]) -> UnsafeMutablePointer<Pointee> {
    let pointer = UnsafeMutablePointer<Pointee>.allocate(capacity: max(1, array.count))
    array.withUnsafeBufferPointer { buffer in
      if let base = buffer.baseAddress { pointer.initialize(from: base, count: buffer.count) }
    }
    return pointer
  }
}
