/// The correlation ratio η of a numeric variable across groups: how much of its variance
/// lies between the groups' means.
///
/// η = √(SS_between / SS_total), SS_between = Σ_g n_g (x̄_g − x̄)², SS_total = Σᵢ (xᵢ − x̄)².
/// η = 0 when every group has the same mean, 1 when the groups do not overlap at all;
/// η² is the R² of predicting x from the group (one-way ANOVA: η² = F·df_b / (F·df_b + df_w)).
/// Rows with a missing value or group are left out; η is 0 when x is constant.
///
///     CorrelationRatio.eta(values: [1, 2, 5, 6], groups: [0, 0, 1, 1])   // 0.970…
public enum CorrelationRatio {
    /// η of `values` across `groups` (codes; negative = missing).
    public static func eta(values: [Double], groups: [Int32]) -> Double {
        precondition(values.count == groups.count, "one group per value")
        var counts: [Int32: Double] = [:]
        var sums: [Int32: Double] = [:]
        var n = 0.0, sum = 0.0
        for (value, group) in zip(values, groups) where group >= 0 && !value.isNaN {
            counts[group, default: 0] += 1
            sums[group, default: 0] += value
            n += 1
            sum += value
        }
        guard n > 0 else { return 0 }
        let mean = sum / n
        var total = 0.0
        for (value, group) in zip(values, groups) where group >= 0 && !value.isNaN {
            total += (value - mean) * (value - mean)
        }
        guard total > 0 else { return 0 }
        var between = 0.0
        // In group order, not the dictionary's (which is seeded per process): the same
        // sum, rounded the same, in every run.
        for group in counts.keys.sorted() {
            let count = counts[group] ?? 0
            let groupMean = (sums[group] ?? 0) / count
            between += count * (groupMean - mean) * (groupMean - mean)
        }
        return min(1, (between / total).squareRoot())
    }
}
