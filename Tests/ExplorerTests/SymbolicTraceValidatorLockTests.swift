import HMMModel
import Testing

@testable import Explorer

@Suite("Trace validation: locks and deadlocks")
struct SymbolicTraceValidatorLockTests {
  let lock = SymbolicTestModels.brokenLock()
  // brokenLock: check, acquire, release of t0 (0...2) and t1 (3...5).
  // State: lock, inCS[0], inCS[1], t0.pc, t1.pc.
  let bothEnter = [0, 3, 1, 4]
  let bothEnterStates = [
    [0, 0, 0, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 1, 1], [1, 1, 0, 2, 1], [1, 1, 1, 2, 2],
  ]

  @Test func mutualExclusionViolationIsValid() throws {
    #expect(try validateTrace(lock, bothEnter, bothEnterStates, .property(index: 0)) == .valid)
  }

  @Test func tamperedArrayElementIsCaught() throws {
    var states = bothEnterStates
    states[4][2] = 0
    expectInvalid(
      try validateTrace(lock, bothEnter, states, .property(index: 0)), step: 4,
      containing: "inCS[1] is false in the trace, but 'acquire' of t1 makes it true")
  }

  @Test func checkAfterTheLockIsTakenIsDisabled() throws {
    let states = [[0, 0, 0, 0, 0], [0, 0, 0, 1, 0], [1, 1, 0, 2, 0], [1, 1, 0, 2, 1]]
    expectInvalid(
      try validateTrace(lock, [0, 1, 3], states, .property(index: 0)), step: 3,
      containing: "'check' of t1 is not enabled in state 2: its guard is false")
  }

  @Test func actionOfAThreadElsewhereIsDisabled() throws {
    let states = [[0, 0, 0, 0, 0], [1, 1, 0, 2, 0]]
    expectInvalid(
      try validateTrace(lock, [1], states, .property(index: 0)), step: 1,
      containing: "t0 is at 0, the action starts at 1")
  }

  @Test func runThatKeepsTheInvariantIsNotACounterexample() throws {
    let states = [[0, 0, 0, 0, 0], [0, 0, 0, 1, 0], [1, 1, 0, 2, 0], [0, 0, 0, 3, 0]]
    expectInvalid(
      try validateTrace(lock, [0, 1, 2], states, .property(index: 0)), step: 3,
      containing: "holds in the last state")
  }

  let locks = SymbolicTestModels.opposingLocks()
  // opposingLocks: A lock(l1) 0, lock(l2) 1, unlock 2; B lock(l2) 3, lock(l1) 4, unlock 5.
  // State: l1, l2, A.pc, B.pc.

  @Test func opposingLockOrderDeadlocks() throws {
    let states = [[0, 0, 0, 0], [1, 0, 1, 0], [1, 1, 1, 1]]
    #expect(try validateTrace(locks, [0, 3], states, .deadlock) == .valid)
  }

  @Test func stateWithAnEnabledActionIsNoDeadlock() throws {
    let states = [[0, 0, 0, 0], [1, 0, 1, 0]]
    expectInvalid(
      try validateTrace(locks, [0], states, .deadlock), step: 1,
      containing: "not a deadlock: 'lock(l2)' of A is enabled")
  }

  @Test func finishedRunIsNoDeadlock() throws {
    let states = [
      [0, 0, 0, 0], [1, 0, 1, 0], [1, 1, 2, 0], [0, 0, 3, 0], [0, 1, 3, 1], [1, 1, 3, 2],
      [0, 0, 3, 3],
    ]
    #expect(try validateTrace(locks, [0, 1, 2, 3, 4], Array(states[0...5]), .deadlock) != .valid)
    expectInvalid(
      try validateTrace(locks, [0, 1, 2, 3, 4, 5], states, .deadlock), step: 6,
      containing: "every thread has finished")
  }

  @Test func deadlockTraceWithATamperedPC() throws {
    let states = [[0, 0, 0, 0], [1, 0, 1, 0], [1, 1, 1, 2]]
    expectInvalid(
      try validateTrace(locks, [0, 3], states, .deadlock), step: 2,
      containing: "B.pc is 2 in the trace, but 'lock(l2)' of B makes it 1")
  }
}
