internal import HMMModel

/// A thread as the search sees it: where its program counter lives and which actions leave
/// each program-counter value.
struct CompiledThread: BitwiseCopyable {
  var pc: VariableSlot
  var pcCount: Int
  var finalPC: Int
  /// `actionRanges[rangeStart + pc]` lists the actions leaving `pc`.
  var rangeStart: Int
}

/// A half-open range of `CompiledModel.actionList`.
struct ActionRange: BitwiseCopyable {
  var start: Int32
  var end: Int32
}

/// An `IRModel` compiled once for the explicit engine: the state layout, bytecode for every
/// guard, effect list and property, and the actions indexed by `(thread, pc)`.
///
/// A value type of plain arrays, so it is `Sendable` and shared by runs; each run copies it
/// into an `ExecutableModel` that it owns.
struct CompiledModel: Sendable {
  let layout: StateLayout
  let code: [Instruction]
  let maxStack: Int
  let arrays: [ArrayInfo]
  let elementVariables: [Int32]
  /// The elements of every array, for messages.
  let arrayVariables: [[VarID]]
  let messages: [String]
  /// `(mask, bits)` pairs of the `storeMasked` instructions.
  let maskedWrites: [UInt64]
  /// The guard of every action, or -1 when it is constantly true.
  let guardEntries: [Int32]
  let effectEntries: [Int32]
  /// The entry of every property, or -1 when it is constantly true.
  let propertyEntries: [Int32]
  /// For action `a`: `propertyChecks[propertyRanges[a].start..<end]` are the properties
  /// that can change value when `a` fires (they read a variable `a` may write), ascending.
  /// The others hold after `a` because they held before it.
  let propertyRanges: [ActionRange]
  let propertyChecks: [Int32]
  let threads: [CompiledThread]
  let actionRanges: [ActionRange]
  /// Action indices grouped by thread, then pc, each group ascending.
  let actionList: [Int32]
  /// Whether action indices ascend with thread indices, so visiting threads in order yields
  /// actions in ascending order without sorting.
  let actionsFollowThreads: Bool
  /// For action `a`: `writtenWords[writtenWordRanges[a].start..<end]` are the state words
  /// its effects can write (ascending); a successor differs from its source only there.
  let writtenWordRanges: [ActionRange]
  let writtenWords: [Int32]
  /// The most actions that can be candidates in one state (sum over threads of the largest
  /// group).
  let maxCandidates: Int
  /// The packed initial state, or nil if an initial value is outside its domain.
  let initialState: [UInt64]?

  /// Compiles a model.
  ///
  /// - Throws: `CompileError` if the IR is malformed (a dangling variable, thread or pc).
  /// - Complexity: O(size of the model).
  init(_ model: IRModel) throws(CompileError) {
    try Self.validate(model)
    // Threads that may be symmetric get words of their own (see `StateLayout`).
    let layout = StateLayout(
      model.variables, isolating: Set(ThreadSymmetry.procedureGroups(model).joined()))
    var compiler = BytecodeCompiler(variables: model.variables, layout: layout)
    var guardEntries: [Int32] = []
    var effectEntries: [Int32] = []
    var effectEnds: [Int] = []
    for action in model.actions {
      if action.guardExpr == .true {
        guardEntries.append(-1)
      } else {
        guardEntries.append(try compiler.compileExpression(action.guardExpr))
      }
      effectEntries.append(try compiler.compileEffects(action.effects))
      effectEnds.append(compiler.code.count)
    }
    var propertyEntries: [Int32] = []
    for property in model.properties {
      if property.expr == .true {
        propertyEntries.append(-1)
      } else {
        propertyEntries.append(try compiler.compileExpression(property.expr))
      }
    }

    var propertyRanges: [ActionRange] = []
    var propertyChecks: [Int32] = []
    let propertyReads: [Set<VarID>] = model.properties.map { property in
      var reads = Set<VarID>()
      property.expr.collectReads(into: &reads)
      return reads
    }
    for action in model.actions {
      let start = propertyChecks.count
      for (p, reads) in propertyReads.enumerated()
      where propertyEntries[p] >= 0 && !reads.isDisjoint(with: action.writes) {
        propertyChecks.append(Int32(p))
      }
      propertyRanges.append(ActionRange(start: Int32(start), end: Int32(propertyChecks.count)))
    }

    var threads: [CompiledThread] = []
    var ranges: [ActionRange] = []
    var list: [Int32] = []
    var maxCandidates = 0
    for (index, byPC) in model.actionsByThreadAndPC().enumerated() {
      let thread = model.threads[index]
      threads.append(
        CompiledThread(
          pc: layout.slots[thread.pc.index], pcCount: thread.pcCount, finalPC: thread.finalPC,
          rangeStart: ranges.count))
      for group in byPC {
        ranges.append(ActionRange(start: Int32(list.count), end: Int32(list.count + group.count)))
        list.append(contentsOf: group.map { Int32($0) })
      }
      maxCandidates += byPC.map(\.count).max() ?? 0
    }
    let threadOfActions = model.actions.map(\.thread)
    var writtenWordRanges: [ActionRange] = []
    var writtenWords: [Int32] = []
    for (entry, end) in zip(effectEntries, effectEnds) {
      let start = writtenWords.count
      writtenWords += Self.wordsWritten(
        in: Int(entry)..<end, compiler.code, layout, compiler.arrays, compiler.elementVariables)
      writtenWordRanges.append(ActionRange(start: Int32(start), end: Int32(writtenWords.count)))
    }

    self.layout = layout
    self.code = compiler.code
    self.maxStack = compiler.maxStack
    self.arrays = compiler.arrays
    self.elementVariables = compiler.elementVariables
    self.arrayVariables = compiler.arrayVariables
    self.messages = compiler.messages
    self.maskedWrites = compiler.maskedWrites
    self.guardEntries = guardEntries
    self.effectEntries = effectEntries
    self.propertyEntries = propertyEntries
    self.propertyRanges = propertyRanges
    self.propertyChecks = propertyChecks
    self.threads = threads
    self.actionRanges = ranges
    self.actionList = list
    self.actionsFollowThreads = zip(threadOfActions, threadOfActions.dropFirst()).allSatisfy {
      $0 <= $1
    }
    self.writtenWordRanges = writtenWordRanges
    self.writtenWords = writtenWords
    self.maxCandidates = max(1, maxCandidates)
    self.initialState = layout.encode(model.initialValues)
  }

  /// The words the effect code in `piece` (one action's, which may hold several `halt`s) can
  /// write, ascending.
  private static func wordsWritten(
    in piece: Range<Int>, _ code: [Instruction], _ layout: StateLayout, _ arrays: [ArrayInfo],
    _ elementVariables: [Int32]
  ) -> [Int32] {
    var words = Set<Int32>()
    for ip in piece {
      let instruction = code[ip]
      switch instruction.opcode {
      case .store, .increment, .copy, .copyChecked:
        words.insert(layout.slots[Int(instruction.a)].word)
      case .storeConstant, .storeMasked:
        // Operand `a` is the word itself.
        words.insert(instruction.a)
      case .storeElement:
        let array = arrays[Int(instruction.a)]
        for k in Int(array.start)..<Int(array.start + array.count) {
          words.insert(layout.slots[Int(elementVariables[k])].word)
        }
      default:
        break
      }
    }
    return words.sorted()
  }

  /// Checks the structure the engine relies on.
  private static func validate(_ model: IRModel) throws(CompileError) {
    for variable in model.variables where variable.type.lowerBound > variable.type.upperBound {
      throw CompileError(message: "variable \(variable.name) has an empty domain")
    }
    for (index, thread) in model.threads.enumerated() {
      guard model.variables.indices.contains(thread.pc.index) else {
        throw CompileError(message: "thread \(index) '\(thread.name)' has no pc variable")
      }
      guard thread.pcCount >= 1, (0..<thread.pcCount).contains(thread.finalPC),
        (0..<thread.pcCount).contains(thread.initialPC)
      else {
        throw CompileError(message: "thread \(index) '\(thread.name)' has bad pc bounds")
      }
    }
    for (index, action) in model.actions.enumerated() {
      guard model.threads.indices.contains(action.thread),
        (0..<model.threads[action.thread].pcCount).contains(action.fromPC)
      else {
        throw CompileError(message: "action \(index) '\(action.name)' has a bad thread or pc")
      }
    }
    guard model.actions.count < Int(Int32.max), model.variables.count < Int(Int32.max) else {
      throw CompileError(message: "model too large")
    }
  }
}
