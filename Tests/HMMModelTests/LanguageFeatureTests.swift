import Foundation
import Testing

@testable import HMMModel

@Suite("Spec language features")
struct LanguageFeatureTests {
  @Test("enum-sized, two-dimensional ghost arrays name their elements after the enum cases")
  func enumIndexedArrays() throws {
    let text = "option lockdep = true;\n" + goodDriver
    let spec = try SpecLoader.load(path: "t.hmm", text: text)
    let names = try #require(spec.scenarios.first).model.variables.map(\.name)
    #expect(names.contains("lock_order[LOCK_MAP][update]"))
    #expect(names.contains("lock_order[update][LOCK_MMAP]"))
    #expect(names.contains("lock_held[1][LOCK_FOLIO]"))
  }

  @Test("lock_class() of something that is not a driver lock is an error")
  func lockClassOfNonLock() {
    let text = goodDriver.replacingOccurrences(
      of: "    device_map(&range);\n", with: "    long c;\n    c = lock_class(ret);\n    device_map(&range);\n")
    let messages = diagnostics(of: text).map(\.message)
    #expect(messages.contains("'ret' is not a lock of the driver (a mutex or struct rw_semaphore declared in the driver)"))
  }

  @Test("a property that requires an option is left out by default and forces the option when checked")
  func requiresOption() throws {
    let byDefault = try SpecLoader.load(path: "t.hmm", text: goodDriver)
    #expect(!byDefault.scenarios[0].model.properties.contains { $0.name == "P10" })
    #expect(!byDefault.scenarios[0].model.variables.contains { $0.name.hasPrefix("lock_order") && $0.initial != 0 })
    let checked = try SpecLoader.load(
      path: "t.hmm", text: goodDriver.replacingOccurrences(of: "expect holds;", with: "check P10; expect holds;"))
    #expect(checked.scenarios[0].model.properties.map(\.name) == ["P10"])
    // lockdep's acquisitions are recorded: some action writes a lock_order variable.
    let model = checked.scenarios[0].model
    let orderVars = Set(model.variables.indices.filter { model.variables[$0].name.hasPrefix("lock_order[") })
    #expect(model.actions.contains { a in a.writes.contains { orderVars.contains($0.index) } })
  }

  @Test("optional callbacks need not be defined; two-pass drivers need no invalidate")
  func optionalCallbacks() {
    #expect(diagnostics(of: goodDriver).isEmpty)
    let twoPass = """
      option two_pass_callbacks = true;
      driver d {
        mutex update;
        int populate() { return 0; }
        bool invalidate_start(range, cur_seq, finish) {
          mutex_lock(&update);
          mmu_interval_set_seq(&interval_sub, cur_seq);
          device_zap(range);
          mutex_unlock(&update);
          *finish = false;
          return true;
        }
        void invalidate_finish(range) { }
      }
      scenario s { pages 1; fault populate; cpu munmap; expect holds; }
      """
    #expect(diagnostics(of: twoPass).isEmpty)
  }

  @Test("'thread' runs a driver procedure like 'fault'")
  func threadItem() throws {
    let text = goodDriver.replacingOccurrences(of: "fault populate;", with: "thread populate * 2;")
    let spec = try SpecLoader.load(path: "t.hmm", text: text)
    #expect(spec.scenarios[0].model.threads.map(\.name) == ["populate#1", "populate#2", "munmap#1"])
  }

  @Test("scenario names live in their own namespace")
  func scenarioNamespace() {
    let text = goodDriver.replacingOccurrences(of: "scenario s {", with: "scenario munmap {")
    #expect(diagnostics(of: text).isEmpty)
  }
}
