import Foundation

/// The standard normal distribution's upper quantiles, for simultaneous intervals.
enum StandardNormal {
    /// z with P(Z ≥ z) = p, for 0 < p < 1: bisection on ½·erfc(z/√2), to double precision.
    static func upperQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a tail probability lies in (0, 1)")
        var low = -40.0, high = 40.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if 0.5 * Foundation.erfc(middle / 2.0.squareRoot()) > p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}
