import Foundation

/// The discrete Laplace distribution (two-sided geometric) on the integers:
///
///     P(X = x) = (1 − r) / (1 + r) · r^|x|,   r = exp(−1/b),   b the scale,
///
/// with variance 2r / (1 − r)². Adding it to a count whose L1 sensitivity is Δ gives
/// ε-differential privacy for b = Δ/ε (Ghosh, Roughgarden & Sundararajan 2009; OpenDP's
/// `make_laplace` on integers states the same relation ε = Δ/b).
///
/// ``sample(using:)`` draws exactly from this distribution with integer arithmetic only
/// (Canonne, Kamath & Steinke 2020, Algorithm 2), never through floating-point noise,
/// which leaks through its low bits (Mironov, CCS 2012):
///
///     let noise = DiscreteLaplace(scale: ExactFraction(4, 1)!)   // b = 4
///     var random = SystemRandomNumberGenerator()                 // getrandom(2) on Linux
///     let released = count + noise.sample(using: &random)
public struct DiscreteLaplace: Sendable, Hashable {
    /// b = t / s, exactly.
    public let scale: ExactFraction

    /// The distribution of scale `scale` (> 0).
    public init(scale: ExactFraction) {
        precondition(scale.numerator > 0, "a discrete Laplace scale must be positive")
        self.scale = scale
    }

    /// The scale that makes a statistic of L1 sensitivity `sensitivity` ε-differentially
    /// private: b = Δ/ε; `nil` when ε is 0 or the terms grow past
    /// ``ExactFraction/maximumTerm``.
    public static func scale(epsilon: ExactFraction, sensitivity: Int) -> ExactFraction? {
        guard epsilon.numerator > 0, sensitivity > 0 else { return nil }
        let (top, overflow) = epsilon.denominator.multipliedReportingOverflow(by: UInt64(sensitivity))
        return overflow ? nil : ExactFraction(top, epsilon.numerator)
    }

    /// One draw (CKS Algorithm 2 with t/s = b): U uniform in 0..<t kept with probability
    /// exp(−U/t); V geometric with P(V = v) ∝ exp(−v); X = U + t·V is then geometric with
    /// ratio exp(−1/t); Y = ⌊X/s⌋ is geometric with ratio exp(−s/t) = exp(−1/b); a fair
    /// sign, rejecting "−0", gives the two-sided law above.
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        let t = scale.numerator, s = scale.denominator
        while true {
            let u = UInt64.random(in: 0..<t, using: &generator)
            guard ExactBernoulli.sampleExpMinus(numerator: u, denominator: t, using: &generator) else { continue }
            var v: UInt64 = 0
            while ExactBernoulli.sampleExpMinus(numerator: 1, denominator: 1, using: &generator) { v += 1 }
            let x = u + t * v
            let y = x / s
            let negative = ExactBernoulli.sample(numerator: 1, denominator: 2, using: &generator)
            if negative && y == 0 { continue }
            let magnitude = Int(clamping: y)
            return negative ? -magnitude : magnitude
        }
    }

    /// r = exp(−1/b), for the probability mass function and moments (not for sampling).
    public var ratio: Double { exp(-1 / scale.doubleValue) }

    /// P(X = x) = (1 − r)/(1 + r) · r^|x|.
    public func probability(_ x: Int) -> Double {
        let r = ratio
        return (1 - r) / (1 + r) * pow(r, Double(x.magnitude))
    }

    /// Var X = 2r / (1 − r)².
    public var variance: Double {
        let r = ratio
        return 2 * r / ((1 - r) * (1 - r))
    }
}
