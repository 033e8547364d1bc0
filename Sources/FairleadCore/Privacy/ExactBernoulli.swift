/// Exact Bernoulli trials from uniform random integers: the building blocks of the
/// discrete Laplace sampler, after Canonne, Kamath & Steinke (2020), "The Discrete
/// Gaussian for Differential Privacy", Algorithm 1. No floating-point number is used,
/// so the probabilities are exactly the ones stated, whatever the rounding mode.
///
/// A uniform integer in 0..<q comes from `UInt64.random(in:using:)`, which rejects
/// out-of-range words and so has no modulo bias.
public enum ExactBernoulli {
    /// True with probability exactly p / q (p ≤ q, q ≥ 1).
    public static func sample<G: RandomNumberGenerator>(numerator p: UInt64, denominator q: UInt64, using generator: inout G) -> Bool {
        precondition(q > 0 && p <= q, "a Bernoulli probability p/q needs 0 ≤ p ≤ q, q ≥ 1")
        if p == q { return true }
        return UInt64.random(in: 0..<q, using: &generator) < p
    }

    /// True with probability exactly exp(−p/q) (p ≥ 0, q ≥ 1; p and q at most
    /// ``ExactFraction/maximumTerm``).
    ///
    /// For γ = p/q ≤ 1 (CKS Algorithm 1): draw A_k ~ Bernoulli(γ/k) for k = 1, 2, … until
    /// the first A_k = 0; the number K of that trial is odd with probability
    /// Σ_k (−γ)^(k−1)/(k−1)! · … = exp(−γ). For γ > 1: exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)),
    /// a product of independent trials.
    public static func sampleExpMinus<G: RandomNumberGenerator>(numerator p: UInt64, denominator q: UInt64,
                                                                using generator: inout G) -> Bool {
        precondition(q > 0 && p <= ExactFraction.maximumTerm && q <= ExactFraction.maximumTerm,
                     "exp(−p/q) needs q ≥ 1 and terms within ExactFraction.maximumTerm")
        guard p > q else { return expMinusAtMostOne(p, q, using: &generator) }
        for _ in 0..<(p / q) {
            if !expMinusAtMostOne(1, 1, using: &generator) { return false }
        }
        return expMinusAtMostOne(p % q, q, using: &generator)
    }

    /// exp(−p/q) for p ≤ q.
    private static func expMinusAtMostOne<G: RandomNumberGenerator>(_ p: UInt64, _ q: UInt64, using generator: inout G) -> Bool {
        var k: UInt64 = 1
        // q·k stays far below 2^64: q ≤ 2^31, and k exceeds 40 with probability < 1/40!.
        while sample(numerator: p, denominator: q * k, using: &generator) {
            k += 1
        }
        return k % 2 == 1
    }
}
