import Foundation
import Testing

@testable import HMMModel

@Suite("Kernel prelude")
struct PreludeTests {
  static func model(_ text: String = goodDriver, compress: Bool = true) throws -> IRModel {
    let spec = try SpecLoader.load(path: "t.hmm", text: text, options: LoweringOptions(compressLocalSteps: compress))
    return try #require(spec.scenarios.first).model
  }

  @Test("the prelude lowers with a minimal driver into the expected threads and properties")
  func preludeLowers() throws {
    let text = goodDriver.replacingOccurrences(of: "fault populate; cpu munmap;", with: "fault populate * 2; cpu munmap; cpu migrate;")
    let model = try Self.model(text)
    #expect(model.threads.map(\.name) == ["populate#1", "populate#2", "munmap#1", "migrate#1"])
    #expect(model.properties.map(\.name) == ["P0", "P1", "P2", "P3", "P4", "P6", "P9", "P8"])
    #expect(model.checkDeadlock)
  }

  @Test("every kernel action cites the Linux source it models")
  func everyKernelActionIsCited() throws {
    let model = try Self.model()
    let kernelActions = model.actions.filter { $0.origin.site.file == KernelPrelude.path }
    #expect(!kernelActions.isEmpty)
    for action in kernelActions {
      #expect(action.origin.linux != nil, "\(action.name) at \(action.origin.site) has no @linux citation")
    }
  }

  @Test("the prelude names the protocol's kernel API", arguments: [
    "mmu_interval_read_begin", "mmu_interval_read_retry", "mmu_interval_check_retry",
    "mmu_interval_set_seq", "hmm_range_fault", "mn_itree_inv_start_range", "mn_itree_inv_end",
    "operation munmap", "operation migrate", "mmap_read_lock", "mutex_trylock",
  ])
  func preludeHas(name: String) {
    #expect(KernelPrelude.source.contains(name))
  }

  @Test("initial state: pages mapped to frames 1..N, subscription seq one below the global seq")
  func initialState() throws {
    let model = try Self.model()
    func value(_ name: String) -> Int? {
      model.variables.first { $0.name == name }?.initial
    }
    #expect(value("invalidate_seq") == 2)
    #expect(value("interval_sub.invalidate_seq") == 1)
    #expect(value("pte_frame[0]") == 1)
    #expect(value("vma[0]") == 1)
    #expect(value("next_frame") == 2)
  }

  @Test("option populated = false starts with empty page tables")
  func unpopulated() throws {
    let model = try Self.model("option populated = false;\n" + goodDriver)
    #expect(model.variables.first { $0.name == "pte_frame[0]" }?.initial == 0)
    #expect(model.variables.first { $0.name == "next_frame" }?.initial == 1)
  }

  @Test("local-step compression keeps every global step and removes purely local ones")
  func compression() throws {
    let compressed = try Self.model(compress: true)
    let plain = try Self.model(compress: false)
    #expect(compressed.actions.count < plain.actions.count)
    func globalWriters(_ m: IRModel) -> Set<String> {
      Set(m.actions.filter { a in a.writes.contains { m.variables[$0.index].owner == nil && !m.variables[$0.index].isGhost } }.map(\.name))
    }
    #expect(globalWriters(compressed) == globalWriters(plain))
    for a in compressed.actions {
      let pc = compressed.threads[a.thread].pc
      #expect(a.writes.contains(pc), "\(a.name) does not set its thread's pc")
    }
  }

  @Test("thread-local variables are owned by their thread and reset when a function returns")
  func localsReset() throws {
    let model = try Self.model()
    let seq = try #require(model.variables.firstIndex { $0.name == "populate#1.mmu_interval_read_begin.seq" })
    #expect(model.variables[seq].owner == 0)
    let resets = model.actions.filter { a in
      a.effects.contains { stmtAssigns($0, VarID(seq), to: 0) }
    }
    #expect(!resets.isEmpty)
  }
}

private func stmtAssigns(_ s: IRStmt, _ v: VarID, to value: Int) -> Bool {
  switch s {
  case .assign(.variable(let x), .int(let k)): x == v && k == value
  case .ifElse(_, let a, let b): a.contains { stmtAssigns($0, v, to: value) } || b.contains { stmtAssigns($0, v, to: value) }
  default: false
  }
}
