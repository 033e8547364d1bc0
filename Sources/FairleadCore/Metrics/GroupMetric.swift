/// A per-group metric: a function of one group's confusion cells (and of all rows' cells,
/// for `share`).
///
/// With Σ over the group's rows of their weight w (1 when unweighted), TP = Σw over
/// ŷ = 1, y = 1, and so on:
///
/// | metric | formula | undefined when |
/// |---|---|---|
/// | count | rows n (unweighted, Fairlearn `count`) | never |
/// | share | W_group / W_all | no weight at all |
/// | base_rate | (TP + FN) / W | W = 0 |
/// | selection_rate | (TP + FP) / W | W = 0 |
/// | true_positive_rate | TP / (TP + FN) | no actual positives |
/// | false_positive_rate | FP / (FP + TN) | no actual negatives |
/// | true_negative_rate | TN / (FP + TN) | no actual negatives |
/// | false_negative_rate | FN / (TP + FN) | no actual positives |
/// | positive_predictive_value | TP / (TP + FP) (precision) | no predicted positives |
/// | negative_predictive_value | TN / (TN + FN) | no predicted negatives |
/// | false_discovery_rate | FP / (TP + FP) | no predicted positives |
/// | false_omission_rate | FN / (TN + FN) | no predicted negatives |
/// | accuracy | (TP + TN) / W | W = 0 |
/// | mean_score | Σ w·score / Σ w over rows with a score | no scored rows |
///
/// Names follow Fairlearn (`selection_rate`, `true_positive_rate`, `count`) and AIF360
/// (`base_rate`, `positive_predictive_value`, `false_omission_rate`).
public enum GroupMetric: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Rows in the group.
    case count
    /// The group's fraction of all included weight.
    case share
    /// The fraction of rows with y = 1.
    case baseRate = "base_rate"
    /// The fraction of rows with ŷ = 1.
    case selectionRate = "selection_rate"
    /// TP / (TP + FN), also recall or sensitivity.
    case truePositiveRate = "true_positive_rate"
    /// FP / (FP + TN).
    case falsePositiveRate = "false_positive_rate"
    /// TN / (FP + TN), also specificity.
    case trueNegativeRate = "true_negative_rate"
    /// FN / (TP + FN).
    case falseNegativeRate = "false_negative_rate"
    /// TP / (TP + FP), also precision.
    case positivePredictiveValue = "positive_predictive_value"
    /// TN / (TN + FN).
    case negativePredictiveValue = "negative_predictive_value"
    /// FP / (TP + FP).
    case falseDiscoveryRate = "false_discovery_rate"
    /// FN / (TN + FN).
    case falseOmissionRate = "false_omission_rate"
    /// (TP + TN) / W.
    case accuracy
    /// The weighted mean score of the rows that have one.
    case meanScore = "mean_score"

    /// The snake_case name used in reports.
    public var description: String { rawValue }

    /// Whether the metric needs labels.
    public var needsLabels: Bool {
        switch self {
        case .count, .share, .selectionRate, .meanScore: false
        default: true
        }
    }

    /// Whether the metric is a proportion of rows (and so has a Wilson interval).
    public var isRate: Bool {
        switch self {
        case .count, .meanScore: false
        default: true
        }
    }

    /// Whether a higher value is the better outcome for the group (used to pick the
    /// best-valued reference group): higher for rates of favourable outcomes and correct
    /// decisions, lower for error rates.
    public var higherIsBetter: Bool {
        switch self {
        case .falsePositiveRate, .falseNegativeRate, .falseDiscoveryRate, .falseOmissionRate: false
        default: true
        }
    }

    /// The metric's value for `cells`, with `all` the cells of every included row.
    public func value(_ cells: ConfusionCells, all: ConfusionCells, isLabeled: Bool) -> MetricValue {
        if needsLabels && !isLabeled { return .undefined(.labelsAbsent) }
        let (numerator, denominator) = fraction(cells, all: all)
        return MetricValue.quotient(numerator, denominator, else: undefinedReason)
    }

    /// The reason a zero denominator gives.
    var undefinedReason: UndefinedReason {
        switch self {
        case .count, .share, .baseRate, .selectionRate, .accuracy: .emptyGroup
        case .truePositiveRate, .falseNegativeRate: .noActualPositives
        case .falsePositiveRate, .trueNegativeRate: .noActualNegatives
        case .positivePredictiveValue, .falseDiscoveryRate: .noPredictedPositives
        case .negativePredictiveValue, .falseOmissionRate: .noPredictedNegatives
        case .meanScore: .noScores
        }
    }

    /// Numerator and denominator weights (for `count`: n and 1), so that a report can
    /// show what a rate was computed from.
    public func fraction(_ cells: ConfusionCells, all: ConfusionCells) -> (Double, Double) {
        let tp = cells.truePositives.weight
        let fp = cells.falsePositives.weight
        let tn = cells.trueNegatives.weight
        let fn = cells.falseNegatives.weight
        switch self {
        case .count: return (Double(cells.count), 1)
        case .share: return (cells.weight, all.weight)
        case .baseRate: return (tp + fn, cells.weight)
        case .selectionRate: return (tp + fp, cells.weight)
        case .truePositiveRate: return (tp, tp + fn)
        case .falsePositiveRate: return (fp, fp + tn)
        case .trueNegativeRate: return (tn, fp + tn)
        case .falseNegativeRate: return (fn, tp + fn)
        case .positivePredictiveValue: return (tp, tp + fp)
        case .negativePredictiveValue: return (tn, tn + fn)
        case .falseDiscoveryRate: return (fp, tp + fp)
        case .falseOmissionRate: return (fn, tn + fn)
        case .accuracy: return (tp + tn, cells.weight)
        case .meanScore:
            let cellList = cells.all
            return (cellList.reduce(0) { $0 + $1.scoreSum }, cellList.reduce(0) { $0 + $1.scoredWeight })
        }
    }

    /// The number of rows in the rate's denominator (all rows for `selection_rate`, the
    /// actual positives for `true_positive_rate`, …): what a minimum group size counts.
    /// Weighted rows count by their effective number when it is smaller
    /// (``effectiveRows(weight:squaredWeight:count:)``): 99 rows of weight 0 beside one of
    /// weight 1 are one row's evidence, not 100.
    public func denominatorCount(_ cells: ConfusionCells, all: ConfusionCells) -> Int {
        let rows = denominator(cells, all: all)
        return Self.effectiveRows(weight: rows.weight, squaredWeight: rows.squaredWeight, count: rows.count)
    }

    /// The rows in the rate's denominator, as read: ``denominatorCount(_:all:)`` before
    /// weights are taken into account.
    public func denominatorRows(_ cells: ConfusionCells, all: ConfusionCells) -> Int {
        denominator(cells, all: all).count
    }

    /// Kish's effective number of rows, ⌊(Σw)² / Σw²⌋, never more than `count`: `count`
    /// for unweighted rows (every w = 1) or rows of one equal weight, fewer the more the
    /// weight sits on a few rows, 0 when every weight is 0. The Wilson intervals use the
    /// same size (``MetricFrame/wilsonInterval(_:group:level:)``).
    public static func effectiveRows(weight: Double, squaredWeight: Double, count: Int) -> Int {
        if weight == Double(count) && squaredWeight == Double(count) { return count }
        guard weight > 0, squaredWeight > 0 else { return 0 }
        let effective = weight / squaredWeight * weight
        guard effective.isFinite else { return count }
        // A relative 1e-9 absorbs rounding in the sums: n rows of weight 2.5 give n.
        return min(count, Int(min(Double(count), effective * (1 + 1e-9)).rounded(.down)))
    }

    /// The weight sum and squared-weight sum of the rate's denominator rows (its
    /// effective sample size is weight² / squaredWeight), and its row count.
    func denominator(_ cells: ConfusionCells, all: ConfusionCells) -> (weight: Double, squaredWeight: Double, count: Int) {
        let parts: [CellStats]
        switch self {
        case .share: parts = all.all
        case .count, .baseRate, .selectionRate, .accuracy, .meanScore: parts = cells.all
        case .truePositiveRate, .falseNegativeRate: parts = [cells.truePositives, cells.falseNegatives]
        case .falsePositiveRate, .trueNegativeRate: parts = [cells.falsePositives, cells.trueNegatives]
        case .positivePredictiveValue, .falseDiscoveryRate: parts = [cells.truePositives, cells.falsePositives]
        case .negativePredictiveValue, .falseOmissionRate: parts = [cells.trueNegatives, cells.falseNegatives]
        }
        return (parts.reduce(0) { $0 + $1.weight }, parts.reduce(0) { $0 + $1.squaredWeight },
                parts.reduce(0) { $0 + $1.count })
    }
}
