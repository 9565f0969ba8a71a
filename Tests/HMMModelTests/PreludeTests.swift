import Foundation
import Testing

@testable import HMMModel

@Suite("Kernel prelude")
struct PreludeTests {
  static let specText = """
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
        mutex_lock(&update);
        mmu_interval_set_seq(&interval_sub, cur_seq);
        device_zap(range);
        mutex_unlock(&update);
        return true;
      }
    }
    scenario s { pages 2; fault populate * 2; cpu munmap; cpu migrate; expect holds; }
    """

  @Test("the prelude parses and lowers with a minimal driver")
  func preludeLowers() throws {
    let spec = try SpecLoader.load(path: "t.hmm", text: Self.specText)
    let model = try #require(spec.scenarios.first).model
    #expect(model.threads.map(\.name) == ["populate#1", "populate#2", "munmap#1", "migrate#1"])
    #expect(model.properties.map(\.name) == ["P1", "P2", "P3"])
    #expect(model.checkDeadlock)
    #expect(!model.actions.isEmpty)
  }
}

@Test func dumpHmmRst() throws {
  let text = try String(contentsOfFile: "Specs/hmm-rst.hmm", encoding: .utf8)
  let spec = try SpecLoader.load(path: "Specs/hmm-rst.hmm", text: text)
  try spec.scenarios[0].model.listing.write(toFile: "/tmp/ir.txt", atomically: true, encoding: .utf8)
}
