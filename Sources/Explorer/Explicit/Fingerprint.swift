/// Stable 64-bit fingerprints of packed states.
///
/// The hash runs two chains `h ← mix(h ⊕ word)`, one over the even-numbered words and one
/// over the odd-numbered ones (so the multiplications of the two overlap), from fixed seeds,
/// and combines them as `mix(h₁ ⊕ mix(h₀))`; a one-word state is just `mix(seed ⊕ word)`.
/// `mix` is the bijective 64-bit finalizer of SplitMix64 (Stafford's "variant 13"). The
/// hash depends only on the words, never on the process (unlike `Hasher`), so fingerprints,
/// visited-set layouts and therefore every statistic are the same on every run and machine.
///
/// Because every step is a bijection of the chain it changes, two states that differ in
/// exactly one word never share a fingerprint, and for one-word states the fingerprint is
/// injective.
enum Fingerprint {
  static let seed: UInt64 = 0x243F_6A88_85A3_08D3
  static let oddSeed: UInt64 = 0x1319_8A2E_0370_7344

  /// The SplitMix64 finalizer: a bijection of `UInt64` with full avalanche.
  @inline(__always)
  static func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z &>> 31)
  }

  /// The fingerprint of `count` words.
  ///
  /// - Complexity: O(count).
  @inline(__always)
  static func of(_ words: UnsafePointer<UInt64>, count: Int) -> UInt64 {
    var even = seed
    var odd = oddSeed
    var i = 0
    while i &+ 1 < count {
      even = mix(even ^ words[i])
      odd = mix(odd ^ words[i &+ 1])
      i &+= 2
    }
    if i < count { even = mix(even ^ words[i]) }
    return count == 1 ? even : mix(odd ^ mix(even))
  }

  /// The fingerprint of a state given as an array of words.
  static func of(_ words: [UInt64]) -> UInt64 {
    words.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return mix(seed) }
      return of(base, count: buffer.count)
    }
  }

  /// Estimated probability that a fingerprint collision hid a state, after `states` distinct
  /// fingerprints were stored: the birthday bound `n(n−1)/2 · 2⁻⁶⁴ ≈ n²/2⁶⁵` (TLC's
  /// "optimistic" figure is of the same order), capped at 1.
  ///
  /// One-word states have injective fingerprints (see above), so their probability is 0.
  static func collisionProbability(states: Int, wordsPerState: Int) -> Double {
    guard wordsPerState > 1, states > 1 else { return 0 }
    let n = Double(states)
    return min(1, n * (n - 1) / 36_893_488_147_419_103_232.0)  // 2^65
  }
}
