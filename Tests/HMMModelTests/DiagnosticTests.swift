import Testing

@testable import HMMModel

/// Loads `text` as a spec and returns its diagnostics (empty if it loads).
func diagnostics(of text: String, path: String = "t.hmm") -> [Diagnostic] {
  do {
    _ = try SpecLoader.load(path: path, text: text)
    return []
  } catch {
    return error.diagnostics
  }
}

/// A correct driver to mutate in tests.
let goodDriver = """
  driver d {
    mutex update;
    int populate() {
      struct hmm_range range;
      long ret;
    again:
      range.notifier_seq = mmu_interval_read_begin(&interval_sub);
      mmap_read_lock(mm);
      ret = hmm_range_fault(&range);
      mmap_read_unlock(mm);
      if (ret == -EBUSY) goto again;
      if (ret) return ret;
      mutex_lock(&update);
      if (mmu_interval_read_retry(&interval_sub, range.notifier_seq)) {
        mutex_unlock(&update);
        goto again;
      }
      device_map(&range);
      mutex_unlock(&update);
      return 0;
    }
    bool invalidate(range, cur_seq) {
      if (mmu_notifier_range_blockable(range))
        mutex_lock(&update);
      else if (!mutex_trylock(&update))
        return false;
      mmu_interval_set_seq(&interval_sub, cur_seq);
      device_zap(range);
      mutex_unlock(&update);
      return true;
    }
  }
  scenario s { pages 1; fault populate; cpu munmap; expect holds; }
  """

@Suite("Diagnostics")
struct DiagnosticTests {
  @Test("the good driver loads without diagnostics")
  func goodDriverLoads() {
    #expect(diagnostics(of: goodDriver).isEmpty)
  }

  @Test("a misspelled kernel function gets a suggestion at the call's position")
  func misspelledKernelFunction() throws {
    let text = goodDriver.replacingOccurrences(of: "mmu_interval_read_retry(", with: "mmu_interval_read_retyr(")
    let d = diagnostics(of: text)
    let first = try #require(d.first)
    #expect(d.count == 1)
    #expect(first.anchor == SourceAnchor(file: "t.hmm", line: 14, column: 9))
    #expect(first.message == "unknown function 'mmu_interval_read_retyr'; did you mean 'mmu_interval_read_retry'?")
  }

  @Test("several errors are reported in one run, in source order")
  func manyErrors() {
    let text = """
      driver d {
        mutex update;
        int populate() {
          long ret;
        again:
          ret = hmm_range_fault(3, 4);
          if (ret) goto agian;
          mutex_lock(ret);
          nosuch = 1;
        again:
          return 0;
        }
        bool invalidate(range, cur_seq) { return true; }
      }
      scenario s { pages 2; fault populate; cpu munmapp; expect violates Q99; }
      """
    let d = diagnostics(of: text)
    let summary = d.map { "\($0.anchor.line):\($0.anchor.column) \($0.message)" }
    #expect(summary == [
      "6:11 'hmm_range_fault' takes 1 argument, but 2 were given",
      "7:14 no label 'agian' in this function; did you mean 'again'?",
      "8:16 argument 1 of 'mutex_lock' must be mutex, found int",
      "9:5 unknown name 'nosuch'",
      "10:3 duplicate label 'again' (first defined at t.hmm:5:3)",
      "15:43 unknown CPU operation 'munmapp'; did you mean 'munmap'?",
      "15:59 unknown property 'Q99'; did you mean 'P9'?",
    ])
  }

  @Test("syntax errors recover at the next statement")
  func syntaxRecovery() {
    let text = """
      driver d {
        int populate() {
          long ret
          ret = 1;
          ret = = 2;
          return 0;
        }
        bool invalidate(range, cur_seq) { return true; }
      }
      scenario s { pages 1; fault populate; expect holds; }
      """
    let d = diagnostics(of: text)
    #expect(d.map(\.anchor.line) == [3, 5])
    #expect(d.first?.message == "expected ';' after the declaration, found 'ret'")
    #expect(d.first?.anchor.column == 13)
  }

  @Test("type errors: struct in arithmetic, bool option given an int, wrong arity of the callback")
  func typeErrors() {
    let text = """
      option read_begin_waits = 3;
      driver d {
        int populate() {
          struct hmm_range range;
          long x;
          x = range + 1;
          return 0;
        }
        bool invalidate(range) { return true; }
      }
      scenario s { pages 1; fault populate; expect holds; }
      """
    let messages = diagnostics(of: text).map(\.message)
    #expect(messages.contains("option 'read_begin_waits' is a bool, found int"))
    #expect(messages.contains("left operand of '+' must be an integer, found struct hmm_range"))
    #expect(messages.contains("callback 'invalidate' takes 3 parameters (mni, range, cur_seq), but 1 are declared"))
  }

  @Test("impossible bounds are errors")
  func impossibleBounds() {
    let text = goodDriver.replacingOccurrences(of: "pages 1;", with: "pages 0;")
      .replacingOccurrences(of: "fault populate;", with: "fault populate * 20;")
    let messages = diagnostics(of: text).map(\.message)
    #expect(messages.contains("pages must be between 1 and 8, found 0"))
    #expect(messages.contains("a thread count must be between 0 and 8, found 20"))
  }

  @Test("a missing expectation and a missing callback are reported")
  func missingPieces() {
    let text = """
      driver d { int populate() { return 0; } }
      scenario s { pages 1; fault populate; }
      """
    let messages = diagnostics(of: text).map(\.message)
    #expect(messages.contains("driver 'd' does not define the callback 'invalidate' (mni, range, cur_seq)"))
  }

  @Test("a diagnostic renders with the source line and a caret")
  func rendering() {
    let file = SourceFile(path: "t.hmm", text: "a\n  bad thing;\n")
    let d = Diagnostic(.error, SourceAnchor(file: "t.hmm", line: 2, column: 3), "unknown name 'bad'")
    #expect(d.rendered(in: ["t.hmm": file]) == "t.hmm:2:3: error: unknown name 'bad'\n  bad thing;\n  ^")
  }

  @Test("malformed input never crashes", arguments: [
    "", "}", "driver", "driver d {", "scenario", "scenario s { pages ; }", "driver d { int f( { } }",
    "driver d { int f() { L: L: goto L; } bool invalidate(r, c) { return true; } } scenario s { fault f; expect holds; }",
    "driver d { int f() { while (1) ; } bool invalidate(r, c) { return 1; } } scenario s { fault f; expect deadlock; }",
    "\"unterminated", "/* unterminated", "driver d { int f() { return 99999999999999999999; } }", "@foo driver d {}",
    "struct x { int a; }; driver d { int f() { struct x v; v.b = 1; v[0] = 2; return v; } }",
  ])
  func noCrash(text: String) {
    _ = diagnostics(of: text)
  }
}
