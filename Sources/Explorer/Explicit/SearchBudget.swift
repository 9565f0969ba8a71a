internal import HMMModel

/// The limits of one search and the clock it is measured with.
///
/// The state limit is checked at every new state; memory before every lookup that could
/// make a full structure grow (so the engine's structures never pass the limit, once the
/// first, fixed-size allocations fit); the clock and the stop request every
/// `clockInterval` expanded states.
struct SearchBudget {
  /// Expanded states between two looks at the clock and at `shouldStop`.
  static let clockInterval = 2048
  /// Parent links store state numbers in 32 bits.
  static let maxIndexableStates = Int(UInt32.max) - 1

  let limits: ExplorationLimits
  let start: ContinuousClock.Instant
  let maxStates: Int

  init(_ limits: ExplorationLimits, start: ContinuousClock.Instant) {
    self.limits = limits
    self.start = start
    self.maxStates = min(limits.maxStates ?? Int.max, Self.maxIndexableStates)
  }

  var elapsedSeconds: Double { Self.seconds(start.duration(to: .now)) }

  static func seconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) * 1e-18
  }

  /// Why the search must stop once it holds `states` states, if it must.
  @inline(__always)
  func stateLimitReason(states: Int) -> String? {
    guard states > maxStates else { return nil }
    if let limit = limits.maxStates, limit == maxStates {
      return "state limit reached (\(limit) states)"
    }
    return "too many states for 32-bit state numbers (\(maxStates))"
  }

  /// Why the search must stop rather than hold `bytes`, if it must.
  @inline(__always)
  func memoryLimitReason(bytes: Int, limit: Int) -> String? {
    guard bytes > limit else { return nil }
    return "memory limit reached (the next step needs \(bytes) bytes, limit \(limit))"
  }

  /// Why the search must stop now (time limit or stop request), if it must.
  func clockReason(shouldStop: () -> Bool) -> String? {
    if shouldStop() { return "stopped on request" }
    if let limit = limits.timeLimitSeconds, elapsedSeconds >= limit {
      return "time limit reached (\(limit) s)"
    }
    return nil
  }
}
