import Foundation

/// The population stability index of a distribution over bins, and how likely sampling
/// noise alone gives one as large.
///
/// With e_i the baseline's and a_i today's share of rows in bin i, each smoothed by half
/// a row per bin so that an empty bin does not make the index infinite,
///
///     e_i = (E_i + ½) / (E + k/2),   a_i = (A_i + ½) / (A + k/2)
///     PSI = Σ_i (a_i − e_i) · ln(a_i / e_i)
///
/// (E_i, A_i the counts, E, A their totals, k the number of bins). PSI is the symmetric
/// Kullback–Leibler divergence (Jeffreys' J); for two samples of one distribution,
/// n·PSI with n = E·A/(E + A) is approximately χ² with k − 1 degrees of freedom, which
/// gives the p-value. A common reading: < 0.1 stable, 0.1–0.25 a moderate shift,
/// > 0.25 a large one.
enum PopulationStability {
    static func index(baseline: [Int], current: [Int]) -> Double {
        precondition(baseline.count == current.count && !baseline.isEmpty, "PSI compares counts over the same bins")
        let bins = Double(baseline.count)
        let baselineTotal = Double(baseline.reduce(0, +)) + bins / 2
        let currentTotal = Double(current.reduce(0, +)) + bins / 2
        var psi = 0.0
        for (expected, actual) in zip(baseline, current) {
            let e = (Double(expected) + 0.5) / baselineTotal
            let a = (Double(actual) + 0.5) / currentTotal
            psi += (a - e) * Foundation.log(a / e)
        }
        return psi
    }

    /// P(χ²(k − 1) ≥ n·PSI) with n = E·A/(E + A): the chance of a PSI this large from
    /// sampling noise alone.
    static func pValue(psi: Double, baselineCount: Int, currentCount: Int, bins: Int) -> Double {
        let e = Double(baselineCount), a = Double(currentCount)
        guard e > 0, a > 0, bins > 1 else { return 1 }
        let statistic = e * a / (e + a) * psi
        return ChiSquare.survival(statistic, degreesOfFreedom: Double(bins - 1))
    }
}
