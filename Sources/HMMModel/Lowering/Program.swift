/// The kernel prelude and a spec merged into one table of declarations.
struct Program {
  var structs: [String: StructDecl] = [:]
  var enums: [String: EnumDecl] = [:]
  /// Enum case name → (enum name, value).
  var enumCases: [String: (String, Int)] = [:]
  var constants: [ConstDecl] = []
  /// Kernel options declared by the prelude, in order.
  var options: [OptionSetting] = []
  /// Option settings made by the spec at file level.
  var specOptions: [OptionSetting] = []
  var globals: [VarDecl] = []
  /// Names of the globals the driver declares (its locks, counters and flags).
  var driverGlobals: Set<String> = []
  var functions: [String: FunctionDecl] = [:]
  /// Functions declared in the prelude (kernel side) rather than by the driver.
  var preludeFunctions: Set<String> = []
  var externs: [String: FunctionDecl] = [:]
  var properties: [PropertyDecl] = []
  var initializers: [Stmt] = []
  var drivers: [DriverDecl] = []
  var scenarios: [ScenarioDecl] = []

  /// Merges `prelude` and `spec`, reporting duplicate names.
  init(prelude: SpecFile, spec: SpecFile, diagnostics: inout DiagnosticBag) {
    var names: [String: SourceAnchor] = [:]
    func declare(_ name: String, _ anchor: SourceAnchor, _ what: String) -> Bool {
      if let previous = names[name] {
        diagnostics.error(
          anchor, "\(what) '\(name)' is already declared at \(previous)")
        return false
      }
      names[name] = anchor
      return true
    }
    for (file, isPrelude) in [(prelude, true), (spec, false)] {
      for declaration in file.declarations {
        switch declaration {
        case .structure(let s):
          if declare(s.name, s.anchor, "struct") { structs[s.name] = s }
        case .enumeration(let e):
          if declare(e.name, e.anchor, "enum") { enums[e.name] = e }
          for (i, (c, a)) in e.cases.enumerated() where declare(c, a, "enum case") {
            enumCases[c] = (e.name, i)
          }
        case .constant(let c):
          if declare(c.name, c.anchor, "constant") { constants.append(c) }
        case .option(let o):
          if isPrelude {
            if declare(o.name, o.anchor, "option") { options.append(o) }
          } else {
            specOptions.append(o)
          }
        case .variable(let v):
          if declare(v.name, v.anchor, "variable") { globals.append(v) }
        case .function(let f):
          if f.kind == .external {
            if declare(f.name, f.anchor, "callback") { externs[f.name] = f }
          } else if declare(f.name, f.anchor, "function") {
            functions[f.name] = f
            if isPrelude { preludeFunctions.insert(f.name) }
          }
        case .property(let p):
          if declare(p.name, p.anchor, "property") { properties.append(p) }
        case .driver(let d):
          if !drivers.isEmpty {
            diagnostics.error(d.anchor, "a spec describes one driver; '\(drivers[0].name)' is already declared")
            continue
          }
          drivers.append(d)
          for v in d.variables where declare(v.name, v.anchor, "variable") {
            globals.append(v)
            driverGlobals.insert(v.name)
          }
          for f in d.functions {
            if let ext = externs[f.name] {
              if f.params.count != ext.params.count
                && !ext.omitsSubscription(definedWith: f.params.count)
              {
                diagnostics.error(
                  f.anchor,
                  "callback '\(f.name)' takes \(ext.params.count) parameter\(ext.params.count == 1 ? "" : "s") (\(ext.params.map(\.name).joined(separator: ", "))), but \(f.params.count) are declared"
                )
              }
              functions[f.name] = f
            } else if declare(f.name, f.anchor, "function") {
              functions[f.name] = f
            }
          }
        case .scenario(let s):
          if let previous = scenarios.first(where: { $0.name == s.name }) {
            diagnostics.error(s.anchor, "scenario '\(s.name)' is already declared at \(previous.anchor)")
          } else {
            scenarios.append(s)
          }
        case .initializer(let body):
          initializers.append(body)
        }
      }
    }
  }
}

extension FunctionDecl {
  /// Whether a driver's definition of this kernel callback with `count` parameters leaves out
  /// the first, the subscription (`mni`): allowed, since a driver with one subscription does
  /// not need it.
  func omitsSubscription(definedWith count: Int) -> Bool {
    params.count == count + 1 && params.first?.name == "mni"
  }
}
