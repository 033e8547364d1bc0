import Foundation

/// A two-sided confidence interval at a confidence level (e.g. 0.95).
public struct ConfidenceInterval: Sendable, Hashable, CustomStringConvertible {
    /// The lower bound.
    public var lower: Double
    /// The upper bound.
    public var upper: Double
    /// The confidence level, e.g. 0.95.
    public var level: Double

    /// An interval from its bounds and level.
    public init(lower: Double, upper: Double, level: Double) {
        self.lower = lower
        self.upper = upper
        self.level = level
    }

    /// `[lower, upper] (95%)`.
    public var description: String { "[\(lower), \(upper)] (\(level * 100)%)" }

    /// The Wilson score interval of a proportion p̂ from n trials at `level`:
    ///
    ///     centre = (p̂ + z²/2n) / (1 + z²/n)
    ///     half   = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²)
    ///
    /// with z the standard normal quantile at (1 + level)/2 (1.959964 for 95%). Unlike
    /// the normal (Wald) interval it stays within [0, 1] and is sensible at p̂ = 0 or 1
    /// and for small n. For a weighted rate, n is the effective sample size
    /// (Σw)² / Σw² of the denominator rows (Kish), which is the row count when every
    /// weight is 1. Returns `nil` when n = 0.
    public static func wilson(proportion: Double, sampleSize n: Double, level: Double = 0.95) -> ConfidenceInterval? {
        precondition(level > 0 && level < 1, "confidence level must be within (0, 1)")
        guard n > 0, proportion.isFinite else { return nil }
        let z = _NormalQuantile.quantile((1 + level) / 2)
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (proportion + z2 / (2 * n)) / denominator
        let half = z / denominator * (proportion * (1 - proportion) / n + z2 / (4 * n * n)).squareRoot()
        return ConfidenceInterval(lower: max(0, centre - half), upper: min(1, centre + half), level: level)
    }

    /// The Wilson interval of a weighted proportion whose denominator rows weigh
    /// `weight` = Σw with `squaredWeight` = Σw²: n is their effective size (Σw)² / Σw²
    /// (Kish), the row count when every weight is 1. `nil` when Σw² = 0 (no rows, or only
    /// rows of weight 0). Every Wilson interval of a rate goes through here: the
    /// decisions' group rates and the top-k rates of the lead queue.
    public static func wilson(proportion: Double, weight: Double, squaredWeight: Double,
                              level: Double = 0.95) -> ConfidenceInterval? {
        guard squaredWeight > 0 else { return nil }
        return wilson(proportion: proportion, sampleSize: weight * weight / squaredWeight, level: level)
    }
}

/// The standard normal quantile function Φ⁻¹.
enum _NormalQuantile {
    /// Φ⁻¹(p) for 0 < p < 1: Acklam's rational approximation (relative error 1.15e-9)
    /// refined by one Halley step on erfc, which brings it to double precision.
    static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1)
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * Foundation.log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * Foundation.log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let error = 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) - p
        let u = error * (2 * Double.pi).squareRoot() * Foundation.exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
