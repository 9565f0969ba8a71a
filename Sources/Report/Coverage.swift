package import Explorer
package import HMMModel

/// The spec statements and kernel actions that never fired during a search: a scenario in
/// which a driver statement never runs checks less than it seems (it may be vacuous).
package struct Coverage: Sendable {
  /// A statement or action that never ran.
  package struct Item: Sendable, Equatable {
    package var anchor: SourceAnchor
    /// The action names at that place.
    package var names: [String]
  }

  /// Driver statements (lines of a spec file) no action of which fired, by file and line.
  package var driverStatements: [Item]
  /// Kernel actions (prelude statements) that never fired, by line.
  package var kernelActions: [Item]
  /// Whether the search explored every reachable state (otherwise only the explored part
  /// counts).
  package var complete: Bool

  /// The coverage of `outcome`, or nil when the engine did not record which actions fired.
  ///
  /// - Complexity: O(actions · log actions).
  package init?(model: IRModel, outcome: Outcome) {
    guard let fired = outcome.firedActions else { return nil }
    complete = outcome.verdict == .holds
    var driver: [SourceAnchor: (fired: Bool, names: [String])] = [:]
    var kernel: [SourceAnchor: (fired: Bool, names: [String])] = [:]
    for (index, action) in model.actions.enumerated() {
      let ran = fired.contains(index)
      if let anchor = action.origin.specAnchor(preludeFile: KernelPrelude.path) {
        let line = SourceAnchor(file: anchor.file, line: anchor.line, column: 0)
        var entry = driver[line] ?? (false, [])
        entry.fired = entry.fired || ran
        if !entry.names.contains(action.name) { entry.names.append(action.name) }
        driver[line] = entry
      }
      if action.origin.site.file == KernelPrelude.path {
        let line = SourceAnchor(
          file: action.origin.site.file, line: action.origin.site.line, column: 0)
        var entry = kernel[line] ?? (false, [])
        entry.fired = entry.fired || ran
        if !entry.names.contains(action.name) { entry.names.append(action.name) }
        kernel[line] = entry
      }
    }
    func unexecuted(_ table: [SourceAnchor: (fired: Bool, names: [String])]) -> [Item] {
      table.filter { !$0.value.fired }
        .map { Item(anchor: $0.key, names: $0.value.names) }
        .sorted { ($0.anchor.file, $0.anchor.line) < ($1.anchor.file, $1.anchor.line) }
    }
    driverStatements = unexecuted(driver)
    kernelActions = unexecuted(kernel)
  }

  /// The coverage as text lines (empty when everything ran).
  package func text() -> String {
    guard !driverStatements.isEmpty || !kernelActions.isEmpty else { return "" }
    let scope = complete ? "" : " in the explored part"
    var out =
      "  never executed\(scope): \(driverStatements.count) driver statements, "
      + "\(kernelActions.count) kernel actions\n"
    for item in driverStatements + kernelActions {
      out += "    \(item.anchor.file):\(item.anchor.line)  \(item.names.joined(separator: " / "))\n"
    }
    return out
  }

  /// The coverage as JSON.
  package var json: JSONValue {
    func items(_ list: [Item]) -> JSONValue {
      .array(
        list.map {
          .object([
            ("file", .string($0.anchor.file)), ("line", .int($0.anchor.line)),
            ("actions", .array($0.names.map(JSONValue.string))),
          ])
        })
    }
    return .object([
      ("complete", .bool(complete)),
      ("unexecutedDriverStatements", items(driverStatements)),
      ("unexecutedKernelActions", items(kernelActions)),
    ])
  }
}
