import Testing

@testable import HMMModel

/// A driver with two subscriptions and a callback that takes `mni`.
private let twoSubscriptions = """
  driver two {
    struct mmu_interval_notifier bo_a;
    struct mmu_interval_notifier bo_b;
    mutex lock;
    int populate_b() {
      struct hmm_range range;
      range.notifier = &bo_b;
      range.start = bo_b.start;
      range.end = bo_b.end;
      range.notifier_seq = mmu_interval_read_begin(&bo_b);
      mmap_read_lock(mm);
      if (hmm_range_fault(&range)) { mmap_read_unlock(mm); return 1; }
      mmap_read_unlock(mm);
      mutex_lock(&lock);
      if (!mmu_interval_read_retry(&bo_b, range.notifier_seq)) device_map(&range);
      mutex_unlock(&lock);
      return 0;
    }
    bool invalidate(mni, range, cur_seq) {
      mutex_lock(&lock);
      mmu_interval_set_seq(mni, cur_seq);
      device_zap(range);
      mutex_unlock(&lock);
      return true;
    }
  }
  scenario s { pages 3; interval bo_a 0 .. 0; interval bo_b 1 .. 2; fault populate_b; cpu munmap; check P1; expect holds; }
  """

@Suite("Subscriptions")
struct SubscriptionTests {
  private func model(_ text: String) throws -> IRModel {
    try #require(try SpecLoader.load(path: "t.hmm", text: text).scenarios.first).model
  }

  private func initial(_ model: IRModel, _ name: String) -> Int? {
    model.variables.first { $0.name == name }?.initial
  }

  @Test("each declared subscription is bound by name, with the scenario's interval and its id")
  func declaredSubscriptions() throws {
    let m = try model(twoSubscriptions)
    #expect(initial(m, "bo_a.start") == 0)
    #expect(initial(m, "bo_a.end") == 1)
    #expect(initial(m, "bo_b.start") == 1)
    #expect(initial(m, "bo_b.end") == 3)
    #expect(initial(m, "bo_a.id") == 0)
    #expect(initial(m, "bo_b.id") == 1)
    #expect(initial(m, "bo_b.invalidate_seq") == 1)
    #expect(initial(m, "interval_sub.invalidate_seq") == nil)
  }

  @Test("without a declaration the driver has interval_sub over every page")
  func implicitSubscription() throws {
    let m = try model(goodDriver)
    #expect(initial(m, "interval_sub.start") == 0)
    #expect(initial(m, "interval_sub.end") == 1)
  }

  @Test("the callback is inlined once per subscription an invalidation can hit")
  func callbackPerSubscription() throws {
    let m = try model(twoSubscriptions)
    let setSeq = m.actions.filter { $0.thread == 1 && $0.name == "mmu_interval_set_seq" }
    #expect(setSeq.count == 2)
  }

  @Test("intervals naming no subscription, or outside the pages, are reported where they are written")
  func badIntervals() {
    let unknown = twoSubscriptions.replacingOccurrences(of: "interval bo_a 0 .. 0;", with: "interval bo_c 0 .. 0;")
    let d1 = diagnostics(of: unknown)
    #expect(d1.count == 1)
    #expect(d1.first?.message.hasPrefix("'bo_c' is not a subscription of the driver") == true)
    #expect(d1.first?.anchor.line == 27)
    let outside = twoSubscriptions.replacingOccurrences(of: "interval bo_b 1 .. 2;", with: "interval bo_b 2 .. 3;")
    #expect(diagnostics(of: outside).map(\.message) == ["interval 2 .. 3 of 'bo_b' is not within the scenario's pages 0 .. 2"])
  }

  @Test("assertions of properties a scenario does not check are left out")
  func uncheckedAssertions() throws {
    func asserts(_ statements: [IRStmt]) -> Bool {
      statements.contains { statement in
        switch statement {
        case .assert(_, let message): message.hasPrefix("P5:")
        case .ifElse(_, let a, let b): asserts(a) || asserts(b)
        case .assign: false
        }
      }
    }
    func p5Assertions(_ text: String) throws -> Int {
      try model(text).actions.filter { asserts($0.effects) }.count
    }
    #expect(try p5Assertions(twoSubscriptions) == 0)
    #expect(try p5Assertions(twoSubscriptions.replacingOccurrences(of: "check P1; ", with: "")) > 0)
  }
}
