import Foundation

/// Exact binomial and multinomial draws for the bootstrap.
///
/// Binomial(n, p) uses the geometric-waiting-time inversion when n·min(p, 1−p) < 10 and
/// Hörmann's BTRS transformed rejection with squeeze otherwise ("The generation of
/// binomial random variates", J. Stat. Comput. Simul. 46, 1993), so a draw costs O(1)
/// whatever n. A multinomial is drawn as a chain of conditional binomials.
enum _BinomialSampler {
    /// One draw of Binomial(n, p).
    static func binomial(_ n: Int, _ p: Double, using generator: inout SeededGenerator) -> Int {
        if n <= 0 || p <= 0 { return 0 }
        if p >= 1 { return n }
        if p > 0.5 { return n - binomial(n, 1 - p, using: &generator) }
        if Double(n) * p < 10 { return inversion(n, p, using: &generator) }
        return transformedRejection(n, p, using: &generator)
    }

    /// Counts in `probabilities.count` cells of n draws (the probabilities sum to 1).
    static func multinomial(_ n: Int, _ probabilities: [Double], using generator: inout SeededGenerator) -> [Int] {
        var remaining = n
        var remainingProbability = 1.0
        var counts = [Int](repeating: 0, count: probabilities.count)
        for (cell, probability) in probabilities.enumerated() {
            if remaining == 0 { break }
            if cell == probabilities.count - 1 || remainingProbability <= probability {
                counts[cell] = remaining
                break
            }
            let drawn = binomial(remaining, probability / remainingProbability, using: &generator)
            counts[cell] = drawn
            remaining -= drawn
            remainingProbability -= probability
        }
        return counts
    }

    /// Counts geometric waiting times until they pass n (p ≤ 0.5, n·p < 10: few steps).
    private static func inversion(_ n: Int, _ p: Double, using generator: inout SeededGenerator) -> Int {
        let logQ = Foundation.log1p(-p)
        var successes = 0
        var position = 0.0
        while true {
            let u = 1 - generator.nextUniform()
            position += (Foundation.log(u) / logQ).rounded(.up)
            if position > Double(n) { return successes }
            successes += 1
        }
    }

    /// BTRS for p ≤ 0.5, n·p ≥ 10.
    private static func transformedRejection(_ n: Int, _ p: Double, using generator: inout SeededGenerator) -> Int {
        let count = Double(n)
        let spq = (count * p * (1 - p)).squareRoot()
        let b = 1.15 + 2.53 * spq
        let a = -0.0873 + 0.0248 * b + 0.01 * p
        let c = count * p + 0.5
        let vr = 0.92 - 4.2 / b
        let alpha = (2.83 + 5.1 / b) * spq
        let logOdds = Foundation.log(p / (1 - p))
        let mode = ((count + 1) * p).rounded(.down)
        let h = Foundation.lgamma(mode + 1) + Foundation.lgamma(count - mode + 1)
        while true {
            let u = generator.nextUniform() - 0.5
            var v = generator.nextUniform()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + c).rounded(.down)
            if k < 0 || k > count { continue }
            if us >= 0.07 && v <= vr { return Int(k) }
            v = Foundation.log(v * alpha / (a / (us * us) + b))
            if v <= h - Foundation.lgamma(k + 1) - Foundation.lgamma(count - k + 1) + (k - mode) * logOdds {
                return Int(k)
            }
        }
    }
}
