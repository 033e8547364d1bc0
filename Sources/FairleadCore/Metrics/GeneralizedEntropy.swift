import Foundation

/// Inequality of individual benefits (Speicher et al., KDD 2018), as AIF360's
/// `generalized_entropy_index` and `theil_index` compute them.
///
/// Each row's benefit is b = ŷ − y + 1: 0 for a false negative, 1 for a correct decision,
/// 2 for a false positive. With μ the mean benefit,
///
///     GE(α) = 1 / (n α (α − 1)) · Σ [(b/μ)^α − 1]     α ∉ {0, 1}
///     GE(1) = 1/n · Σ (b/μ) ln(b/μ)                      (Theil index; 0 ln 0 = 0)
///     GE(0) = −1/n · Σ ln(b/μ)
///
/// The benefits take three values, so the sums run over the confusion cells. With sample
/// weights every mean is weighted (AIF360 ignores weights; unweighted the two agree).
/// The between-group index replaces each row's benefit by its group's mean benefit.
public enum GeneralizedEntropy {
    /// GE(α) over the rows of `cells`.
    public static func index(_ cells: ConfusionCells, alpha: Double = 2, isLabeled: Bool = true) -> MetricValue {
        guard isLabeled else { return .undefined(.labelsAbsent) }
        let parts: [(weight: Double, benefit: Double)] = [
            (cells.falseNegatives.weight, 0),
            (cells.truePositives.weight + cells.trueNegatives.weight, 1),
            (cells.falsePositives.weight, 2),
        ]
        return index(parts, alpha: alpha)
    }

    /// The Theil index, GE(1).
    public static func theilIndex(_ cells: ConfusionCells, isLabeled: Bool = true) -> MetricValue {
        index(cells, alpha: 1, isLabeled: isLabeled)
    }

    /// GE(α) with every row's benefit replaced by its group's mean benefit
    /// (AIF360 `between_group_generalized_entropy_index` over these groups).
    public static func betweenGroupIndex(_ groups: [ConfusionCells], alpha: Double = 2,
                                         isLabeled: Bool = true) -> MetricValue {
        guard isLabeled else { return .undefined(.labelsAbsent) }
        let parts = groups.compactMap { cells -> (weight: Double, benefit: Double)? in
            let weight = cells.weight
            guard weight > 0 else { return nil }
            let benefit = (cells.truePositives.weight + cells.trueNegatives.weight + 2 * cells.falsePositives.weight) / weight
            return (weight, benefit)
        }
        return index(parts, alpha: alpha)
    }

    /// GE(α) of a distribution given as (weight, benefit) pairs.
    static func index(_ parts: [(weight: Double, benefit: Double)], alpha: Double) -> MetricValue {
        let total = parts.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return .undefined(.emptyGroup) }
        let mean = parts.reduce(0) { $0 + $1.weight * $1.benefit } / total
        guard mean > 0 else { return .undefined(.zeroDivisor) }
        var sum = 0.0
        for part in parts where part.weight > 0 {
            let relative = part.benefit / mean
            if alpha == 1 {
                if relative > 0 { sum += part.weight * relative * Foundation.log(relative) }
            } else if alpha == 0 {
                guard relative > 0 else { return .undefined(.zeroBenefit) }
                sum -= part.weight * Foundation.log(relative)
            } else {
                guard relative > 0 || alpha > 0 else { return .undefined(.zeroBenefit) }
                sum += part.weight * (Foundation.pow(relative, alpha) - 1) / (alpha * (alpha - 1))
            }
        }
        return .value(sum / total)
    }
}

extension MetricFrame {
    /// GE(α) of individual benefits over all included rows (AIF360 `generalized_entropy_index`).
    public func generalizedEntropyIndex(alpha: Double = 2) -> MetricValue {
        GeneralizedEntropy.index(stats.overall, alpha: alpha, isLabeled: stats.isLabeled)
    }

    /// The Theil index, GE(1), over all included rows (AIF360 `theil_index`).
    public func theilIndex() -> MetricValue {
        generalizedEntropyIndex(alpha: 1)
    }

    /// √(2 GE(2)) (AIF360 `coefficient_of_variation`).
    public func coefficientOfVariation() -> MetricValue {
        guard let index = generalizedEntropyIndex(alpha: 2).number else { return generalizedEntropyIndex(alpha: 2) }
        return .value((2 * index).squareRoot())
    }

    /// GE(α) between this frame's groups (AIF360 `between_group_generalized_entropy_index`
    /// when the groups are its privileged and unprivileged groups and cover every row).
    public func betweenGroupGeneralizedEntropyIndex(alpha: Double = 2) -> MetricValue {
        GeneralizedEntropy.betweenGroupIndex(stats.cells, alpha: alpha, isLabeled: stats.isLabeled)
    }

    /// The between-group Theil index (AIF360 `between_group_theil_index`).
    public func betweenGroupTheilIndex() -> MetricValue {
        betweenGroupGeneralizedEntropyIndex(alpha: 1)
    }
}
