/// The state of lowering one function activation (or a property, or the initializer).
final class BuildContext {
  /// The thread being built, or nil for properties, initializers and constants.
  let thread: Int?
  let function: FunctionDecl?
  /// Whether the code being lowered is the kernel prelude's (not the driver's).
  let isPrelude: Bool
  /// Call sites that led here, outermost first, and the function called at each.
  let callers: [SourceAnchor]
  let callees: [String]
  var citation: String?
  var scopes: [[String: Binding]] = [[:]]
  var labels: [String: Int] = [:]
  /// Where each label is defined (the first definition when duplicated).
  var labelAnchors: [String: SourceAnchor] = [:]
  var placedLabels: Set<String> = []
  var loops: [(breakNode: Int, continueNode: Int)] = []
  var returnBinding: Binding?
  var exitNode = -1
  /// The temporaries holding the results of hoisted calls, by call site.
  var callResults: [SourceAnchor: Binding] = [:]
  /// Every variable of this activation (parameters, locals, temporaries, the return value);
  /// reset to its initial value when the function returns.
  var locals: [VarID] = []
  /// Names of the functions on the call stack, to reject recursion.
  let stack: [String]

  init(
    thread: Int?, function: FunctionDecl?, isPrelude: Bool, callers: [SourceAnchor],
    callees: [String] = [], citation: String?, stack: [String]
  ) {
    self.callees = callees
    self.thread = thread
    self.function = function
    self.isPrelude = isPrelude
    self.callers = callers
    self.citation = citation
    self.stack = stack
  }

  func lookup(_ name: String) -> Binding? {
    for scope in scopes.reversed() {
      if let b = scope[name] { return b }
    }
    return nil
  }
  func declare(_ name: String, _ binding: Binding) {
    scopes[scopes.count - 1][name] = binding
  }
  func push(_ scope: [String: Binding] = [:]) { scopes.append(scope) }
  func pop() { scopes.removeLast() }

  func origin(_ anchor: SourceAnchor) -> ActionOrigin {
    ActionOrigin(site: anchor, linux: citation, callers: callers, callees: callees)
  }
}

/// The edit distance between two names, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
  let x = Array(a)
  let y = Array(b)
  if x.isEmpty { return y.count }
  if y.isEmpty { return x.count }
  var previous = Array(0...y.count)
  for i in 1...x.count {
    var row = [i] + Array(repeating: 0, count: y.count)
    for j in 1...y.count {
      row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
    }
    previous = row
  }
  return previous[y.count]
}

/// The closest candidate to `name`, if it is close enough to be a likely misspelling.
func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
  var best: (String, Int)?
  for c in candidates {
    let d = editDistance(name.lowercased(), c.lowercased())
    if d <= max(2, name.count / 3), best == nil || d < best!.1 || (d == best!.1 && c < best!.0) {
      best = (c, d)
    }
  }
  return best?.0
}
