import Foundation

/// The χ² distribution's upper tail, for the PSI noise test.
enum ChiSquare {
    /// P(X ≥ x) for X ~ χ²(k): the regularized upper incomplete gamma Q(k/2, x/2),
    /// by its series below a + 1 and its continued fraction (modified Lentz) above.
    static func survival(_ x: Double, degreesOfFreedom k: Double) -> Double {
        guard x > 0 else { return 1 }
        let a = k / 2, z = x / 2
        let logPrefix = -z + a * Foundation.log(z) - Foundation.lgamma(a)
        if z < a + 1 {
            var term = 1 / a, sum = term, denominator = a
            for _ in 0..<10_000 {
                denominator += 1
                term *= z / denominator
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * Foundation.exp(logPrefix))
        }
        let tiny = 1e-300
        var b = z + 1 - a, c = 1 / tiny, d = 1 / b, fraction = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            fraction *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return min(1, Foundation.exp(logPrefix) * fraction)
    }
}
