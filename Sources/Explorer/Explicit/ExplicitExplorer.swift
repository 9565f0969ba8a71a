package import HMMModel

/// The explicit-state engine: breadth-first search over packed states.
///
/// The model is compiled once (state layout, bytecode for guards, effects and properties,
/// actions indexed by thread and program counter); every `run`, `replay` and
/// `enabledActions` call works on its own copy of the compiled model, so an explorer can be
/// shared between threads. See `run(shouldStop:)` for the search and its guarantees.
package struct ExplicitExplorer: Sendable {
  package let model: IRModel
  package let options: ExplorationOptions
  /// The compiled model, or why the IR is malformed.
  let compiled: Result<CompiledModel, CompileError>
  /// States for which the first search keeps parent links (see `run`); tests lower it to
  /// run the parallel search from the first level.
  var parentLimit = ExplicitExplorer.defaultParentLimit

  /// Compiles `model`.
  ///
  /// A malformed IR (a dangling variable, thread or program counter, an empty domain) is
  /// not a crash: `run` then answers `inconclusive` and `replay` fails, both saying why.
  ///
  /// - Complexity: O(size of the model).
  package init(model: IRModel, options: ExplorationOptions = .init()) {
    self.model = model
    self.options = options
    self.compiled = Result { () throws(CompileError) in try CompiledModel(model) }
  }

  /// The symmetry reduction `run` applies when `options.symmetry` is set: nil when no two
  /// threads are interchangeable, or why the model is refused (the search is then
  /// unreduced).
  package var symmetry: Result<ThreadSymmetry?, SymmetryRefusal> { ThreadSymmetry.detect(model) }

  /// Words per packed state (0 for a malformed model).
  package var wordsPerState: Int {
    (try? compiled.get())?.layout.words ?? 0
  }

  /// The enabled actions of a state given as a full valuation, ascending.
  ///
  /// An action is enabled when its thread is at its `fromPC` and its guard is true. An
  /// action whose guard hits a model error is listed too: firing it reports that error (as
  /// `run` and `replay` do). A valuation of the wrong length or with a value outside its
  /// domain has no enabled action.
  ///
  /// - Complexity: O(candidate actions · guard size).
  package func enabledActions(in values: [Int]) -> [Int] {
    successors(of: values).map(\.action)
  }

  /// The successors of a state given as a full valuation, in the order the search generates
  /// them (ascending action index): each enabled action with the state it leads to, or nil
  /// when firing it hits a model error.
  ///
  /// - Complexity: O(candidate actions · (guard size + effect size + variables)).
  func successors(of values: [Int]) -> [(action: Int, state: [Int]?)] {
    guard case .success(let compiled) = compiled, var words = compiled.layout.encode(values)
    else { return [] }
    var machine = ExecutableModel(compiled)
    var result: [(action: Int, state: [Int]?)] = []
    let count = words.count
    let successor = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
    defer { successor.deallocate() }
    words.withUnsafeMutableBufferPointer { buffer in
      guard let source = buffer.baseAddress else { return }
      let n = machine.collectCandidates(source)
      for c in 0..<n {
        let action = Int(machine.candidates[c])
        guard let holds = machine.guardHolds(action, source) else {
          result.append((action, nil))
          continue
        }
        guard holds else { continue }
        successor.update(from: source, count: count)
        if machine.fire(action, successor) {
          result.append((action, compiled.layout.decode(successor)))
        } else {
          result.append((action, nil))
        }
      }
    }
    return result
  }
}
