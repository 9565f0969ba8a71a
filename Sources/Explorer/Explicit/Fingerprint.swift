/// Stable 64-bit fingerprints of packed states.
///
/// The fingerprint of words `w₀ … wₙ₋₁` is `mix(Σᵢ mix(wᵢ ⊕ kᵢ))` (sum modulo 2⁶⁴), with the
/// position keys `kᵢ = seed + i · step`. `mix` is the bijective 64-bit finalizer of SplitMix64
/// (Stafford's "variant 13"). The hash depends only on the words, never on the process
/// (unlike `Hasher`), so fingerprints, visited-set layouts and therefore every statistic are
/// the same on every run and machine.
///
/// Why a sum of per-word terms: the terms are independent (their multiplications overlap),
/// and a successor's sum is its source's sum plus, for each word the action changed, the new
/// term minus the old one (`updatedSum`). So a successor costs one comparison per word its
/// action may write (`CompiledModel.writtenWords`) and one `mix` per word it changed,
/// instead of one `mix` per word of the state.
///
/// Because `mix` is a bijection, two states that differ in exactly one word never share a
/// fingerprint, and for one-word states the fingerprint is injective.
enum Fingerprint {
  static let seed: UInt64 = 0x243F_6A88_85A3_08D3
  /// The difference between consecutive position keys (odd, so the keys are distinct).
  static let step: UInt64 = 0x9E37_79B9_7F4A_7C15

  /// The SplitMix64 finalizer: a bijection of `UInt64` with full avalanche.
  @inline(__always)
  static func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z &>> 31)
  }

  /// The term of `word` at position `index`.
  @inline(__always)
  static func term(_ word: UInt64, at index: Int) -> UInt64 {
    mix(word ^ (seed &+ UInt64(truncatingIfNeeded: index) &* step))
  }

  /// The sum of the terms of `count` words (see `of(_:count:)`).
  ///
  /// - Complexity: O(count).
  @inline(__always)
  static func sum(_ words: UnsafePointer<UInt64>, count: Int) -> UInt64 {
    var total: UInt64 = 0
    var key = seed
    for i in 0..<count {
      total &+= mix(words[i] ^ key)
      key &+= step
    }
    return total
  }

  /// The sum of the terms of `count` words, storing each term in `terms`.
  ///
  /// - Complexity: O(count).
  @inline(__always)
  static func sum(
    _ words: UnsafePointer<UInt64>, count: Int, terms: UnsafeMutablePointer<UInt64>
  ) -> UInt64 {
    var total: UInt64 = 0
    var key = seed
    for i in 0..<count {
      let term = mix(words[i] ^ key)
      terms[i] = term
      total &+= term
      key &+= step
    }
    return total
  }

  /// The sum of `target` given the sum and the terms of `source`, when `target` differs from
  /// `source` at most in the words listed in `candidates` (the words an action may write).
  ///
  /// - Complexity: O(candidates) comparisons plus a mix per word that differs.
  @inline(__always)
  static func updatedSum(
    _ sum: UInt64, terms: UnsafePointer<UInt64>, from source: UnsafePointer<UInt64>,
    to target: UnsafePointer<UInt64>, candidates: UnsafePointer<Int32>, count: Int
  ) -> UInt64 {
    var total = sum
    for k in 0..<count {
      let i = Int(truncatingIfNeeded: candidates[k])
      let word = target[i]
      if word != source[i] { total = total &+ term(word, at: i) &- terms[i] }
    }
    return total
  }

  /// The fingerprint of a state whose terms sum to `sum`.
  @inline(__always)
  static func finish(_ sum: UInt64) -> UInt64 { mix(sum) }

  /// The fingerprint of `count` words.
  ///
  /// - Complexity: O(count).
  @inline(__always)
  static func of(_ words: UnsafePointer<UInt64>, count: Int) -> UInt64 {
    finish(sum(words, count: count))
  }

  /// The fingerprint of a state given as an array of words.
  static func of(_ words: [UInt64]) -> UInt64 {
    words.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return finish(0) }
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
