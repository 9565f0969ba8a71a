/// Options of the lowering.
package struct LoweringOptions: Sendable, Equatable {
  /// Fold steps that touch only a thread's own variables into the action before them (see
  /// `ThreadGraph`). On by default; tests compare verdicts with it off.
  package var compressLocalSteps = true
  package init(compressLocalSteps: Bool = true) { self.compressLocalSteps = compressLocalSteps }
}

/// One scenario of a spec, lowered to the IR.
package struct LoweredScenario: Sendable {
  package var name: String
  package var anchor: SourceAnchor
  package var expectation: ScenarioDecl.Expectation
  package var model: IRModel
  package var pages: Int
}

/// A spec file checked and lowered together with the kernel prelude.
package struct LoadedSpec: Sendable {
  package var path: String
  package var driverName: String?
  package var scenarios: [LoweredScenario]
  /// The spec and the prelude, by path, for diagnostics and traces.
  package var files: [String: SourceFile]
}

/// Loads `.hmm` specs.
package enum SpecLoader {
  /// Parses, checks and lowers a spec.
  ///
  /// - Parameters:
  ///   - path: the path shown in diagnostics.
  ///   - text: the spec's text.
  /// - Returns: every scenario lowered to the IR.
  /// - Throws: `SpecError` with every diagnostic when the spec (or the prelude) has errors.
  package static func load(path: String, text: String, options: LoweringOptions = .init()) throws(SpecError) -> LoadedSpec {
    let preludeFile = KernelPrelude.file
    let specFile = SourceFile(path: path, text: text)
    let files = [preludeFile.path: preludeFile, specFile.path: specFile]
    let (prelude, preludeDiagnostics) = Parser.parse(preludeFile)
    let (spec, specDiagnostics) = Parser.parse(specFile)
    var diagnostics = preludeDiagnostics
    diagnostics.append(contentsOf: specDiagnostics)
    let program = Program(prelude: prelude, spec: spec, diagnostics: &diagnostics)
    let lowerer = Lowerer(program: program, options: options)
    lowerer.diagnostics = diagnostics
    lowerer.checkAllFunctions(specPath: path)
    var scenarios: [LoweredScenario] = []
    let build = !lowerer.diagnostics.hasErrors
    if program.scenarios.isEmpty && build {
      lowerer.diagnostics.error(SourceAnchor(file: path, line: 1, column: 1), "the spec has no scenario; add 'scenario NAME { pages 2; fault PROC * 2; cpu munmap; expect holds; }'")
    }
    for s in program.scenarios {
      if let lowered = lowerer.lowerScenario(s, build: build) { scenarios.append(lowered) }
    }
    if lowerer.diagnostics.hasErrors {
      throw SpecError(diagnostics: lowerer.diagnostics.sorted, files: files)
    }
    return LoadedSpec(path: path, driverName: program.drivers.first?.name, scenarios: scenarios, files: files)
  }
}

extension Lowerer {
  /// Lowers every function once, scenario-independently, so that errors in code no scenario
  /// runs are reported too.
  func checkAllFunctions(specPath: String) {
    // Driver functions only: the prelude's are lowered (and checked) when a scenario calls them.
    let names = program.functions.keys.filter { !program.preludeFunctions.contains($0) }.sorted()
    setUp(pages: 2, faults: 1, operations: 1, threadNames: names, roots: names, overrides: program.specOptions)
    if program.drivers.isEmpty && !program.scenarios.isEmpty {
      diagnostics.error(program.scenarios[0].anchor, "the spec has scenarios but no driver")
    }
    let twoPass = program.specOptions.contains { $0.name == "two_pass_callbacks" }
      || program.scenarios.contains { $0.options.contains { $0.name == "two_pass_callbacks" } }
    for (name, ext) in program.externs.sorted(by: { $0.key < $1.key })
    where !ext.isOptional && !(twoPass && name == "invalidate")
      && (program.drivers.first.map({ d in !d.functions.contains { $0.name == name } }) ?? false)
    {
      diagnostics.error(program.drivers[0].anchor, "driver '\(program.drivers[0].name)' does not define the callback '\(name)' (\(ext.params.map(\.name).joined(separator: ", ")))")
    }
    _ = lowerProperties(nil)
    for (i, name) in names.enumerated() {
      guard let f = program.functions[name] else { continue }
      var prototype = program.externs[name]?.params.map(\.type)
      if let ext = program.externs[name], ext.omitsSubscription(definedWith: f.params.count) {
        prototype = ext.params.dropFirst().map(\.type)
      }
      _ = buildThread(i, function: f, arguments: prototype ?? f.params.map(\.type), anchor: f.anchor)
    }
  }

  /// Checks one scenario and, if `build`, lowers it.
  func lowerScenario(_ s: ScenarioDecl, build: Bool) -> LoweredScenario? {
    let errorsBefore = diagnostics.items.count
    constants = [:]
    let pages = s.pages.flatMap { constant($0) } ?? 2
    if let p = s.pages, !(1...8).contains(pages) {
      diagnostics.error(p.anchor, "pages must be between 1 and 8, found \(pages)")
    }
    var names: [String] = []
    var roots: [String] = []
    var entries: [(FunctionDecl, SourceAnchor)] = []
    var faultThreads = 0
    for (spec, isFault) in s.faults.map({ ($0, true) }) + s.operations.map({ ($0, false) }) {
      guard let count = constant(spec.count) else { continue }
      guard (0...8).contains(count) else {
        diagnostics.error(spec.count.anchor, "a thread count must be between 0 and 8, found \(count)")
        continue
      }
      guard let f = program.functions[spec.procedure] else {
        let pool = isFault
          ? program.functions.keys.filter { !program.preludeFunctions.contains($0) }
          : program.functions.values.filter { $0.kind == .operation }.map(\.name)
        var message = isFault ? "unknown fault procedure '\(spec.procedure)'" : "unknown CPU operation '\(spec.procedure)'"
        if let sug = suggestion(for: spec.procedure, among: pool) { message += "; did you mean '\(sug)'?" }
        diagnostics.error(spec.anchor, message)
        continue
      }
      if isFault && (program.preludeFunctions.contains(f.name) || program.externs[f.name] != nil) {
        diagnostics.error(spec.anchor, "'\(f.name)' is not a fault procedure of the driver")
        continue
      }
      if !isFault && f.kind != .operation {
        let ops = program.functions.values.filter { $0.kind == .operation }.map(\.name).sorted()
        diagnostics.error(spec.anchor, "'\(f.name)' is not a CPU operation; the kernel model has \(ops.joined(separator: ", "))")
        continue
      }
      for _ in 0..<count {
        // Numbered per procedure across the whole scenario: `cpu munmap; cpu munmap;` gives
        // munmap#1 and munmap#2.
        names.append("\(f.name)#\(roots.filter { $0 == f.name }.count + 1)")
        roots.append(f.name)
        entries.append((f, spec.anchor))
        if isFault { faultThreads += 1 }
      }
    }
    if entries.isEmpty && diagnostics.items.count == errorsBefore {
      diagnostics.error(s.anchor, "scenario '\(s.name)' runs no thread")
    }
    if entries.count > 16 {
      diagnostics.error(s.anchor, "a scenario may run at most 16 threads")
    }
    if !build {
      let known = Set(program.properties.map(\.name) + ["deadlock", "assert"])
      var named = s.checks ?? []
      if case (.violates(let p), let a)? = s.expectation { named.append((p, a)) }
      for (n, a) in named where !known.contains(n) {
        var message = "unknown property '\(n)'"
        if let sug = suggestion(for: n, among: known) { message += "; did you mean '\(sug)'?" }
        diagnostics.error(a, message)
      }
      return nil
    }
    guard diagnostics.items.count == errorsBefore else { return nil }
    var named = (s.checks ?? []).map(\.0)
    if case (.violates(let p), _)? = s.expectation { named.append(p) }
    let required = program.properties.filter { p in named.contains(p.name) }.compactMap { p in
      p.requires.map { OptionSetting(name: $0, type: nil, value: .boolean(true, p.anchor), anchor: p.anchor) }
    }
    var intervals: [String: (Int, Int)] = [:]
    let subscriptions = subscriptionNames
    for interval in s.intervals {
      guard subscriptions.contains(interval.name) else {
        var message = "'\(interval.name)' is not a subscription of the driver (its struct mmu_interval_notifier variables are \(subscriptions.joined(separator: ", ")))"
        if let sug = suggestion(for: interval.name, among: subscriptions) { message += "; did you mean '\(sug)'?" }
        diagnostics.error(interval.anchor, message)
        continue
      }
      guard let first = constant(interval.first), let last = constant(interval.last) else { continue }
      guard 0 <= first, first <= last, last < pages else {
        diagnostics.error(interval.first.anchor, "interval \(first) .. \(last) of '\(interval.name)' is not within the scenario's pages 0 .. \(pages - 1)")
        continue
      }
      if intervals[interval.name] != nil {
        diagnostics.error(interval.anchor, "the interval of '\(interval.name)' is given twice")
      }
      intervals[interval.name] = (first, last + 1)
    }
    guard diagnostics.items.count == errorsBefore else { return nil }
    setUp(
      pages: pages, faults: faultThreads, operations: entries.count - faultThreads, threadNames: names, roots: roots,
      overrides: program.specOptions + s.options + required, intervals: intervals)
    checkedProperties = s.checks.map { Set($0.map(\.0) + named) }
    defer { checkedProperties = nil }
    let built = entries.enumerated().map { i, e in buildThread(i, function: e.0, anchor: e.1) }
    var checks = s.checks
    let expectation = s.expectation?.0 ?? .holds
    if s.expectation == nil {
      diagnostics.error(s.anchor, "scenario '\(s.name)' has no expectation; add 'expect holds;', 'expect violates P1;' or 'expect deadlock;'")
    }
    if case .violates(let p) = expectation, let c = checks, !c.contains(where: { $0.0 == p }) {
      checks = c + [(p, s.expectation!.1)]
    }
    if case .violates(let p) = expectation, checks == nil, !program.properties.contains(where: { $0.name == p }) {
      checks = [(p, s.expectation!.1)]
    }
    let properties = lowerProperties(checks)
    let deadlock = checks == nil || checks!.contains { $0.0 == "deadlock" } || expectation == .deadlock
    guard diagnostics.items.count == errorsBefore else { return nil }
    let model = assemble(name: s.name, threads: built, properties: properties, checkDeadlock: deadlock)
    return LoweredScenario(name: s.name, anchor: s.anchor, expectation: expectation, model: model, pages: pages)
  }
}
