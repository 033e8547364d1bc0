import FairleadCore

/// A metric that a profile rule can check, by its snake_case name, and how it is read
/// off a ``MetricFrame``.
///
/// Three shapes:
/// - **per group**: a group metric (`selection_rate >= 0.1`) or a comparison with the
///   reference group (`disparate_impact >= 0.8`, AIF360's semantics); one finding per
///   group (the reference group itself is not compared with itself);
/// - **between groups**: Fairlearn's named metrics with `method="between_groups"`
///   (`equalized_odds_difference <= 0.1`); one finding per attribute;
/// - **inequality**: AIF360's generalized entropy and Theil indices over individual
///   benefits; one finding per attribute.
enum RuleMetric: Sendable, Equatable {
    case group(GroupMetric)
    case versusReference(VersusReference)
    case betweenGroups(components: [GroupMetric], kind: Kind)
    case inequality(Inequality)
    /// A lead-queue metric (F6): per group or per attribute, threshold-free or at each
    /// top-k cutoff; checked by ``QueueEvaluation``.
    case queue(QueueMetric)

    enum Kind: Sendable, Equatable { case difference, ratio }

    enum VersusReference: String, Sendable, Equatable, CaseIterable {
        case disparateImpact = "disparate_impact"
        case statisticalParityDifference = "statistical_parity_difference"
        case averageOddsDifference = "average_odds_difference"
        case averageAbsoluteOddsDifference = "average_abs_odds_difference"
    }

    enum Inequality: String, Sendable, Equatable, CaseIterable {
        case generalizedEntropyIndex = "generalized_entropy_index"
        case theilIndex = "theil_index"
    }

    /// The lead-queue metrics a rule may name, and their shape.
    enum QueueMetric: String, Sendable, Equatable, CaseIterable {
        // Per group, threshold-free.
        case auc, xaucDisparity = "xauc_disparity", ksStatistic = "ks_statistic"
        case wassersteinDistance = "wasserstein_distance", expectedCalibrationError = "expected_calibration_error"
        case calibrationInTheLarge = "calibration_in_the_large", brierScore = "brier_score"
        // Per group, at each top-k cutoff.
        case skewAtK = "skew_at_k", exposureRatio = "exposure_ratio", shareOfTopK = "share_of_top_k"
        case selectionRateAtK = "selection_rate_at_k", precisionAtK = "precision_at_k", recallAtK = "recall_at_k"
        // Per attribute, threshold-free.
        case aucDifference = "auc_difference", maxXAUCDisparity = "max_xauc_disparity"
        case expectedCalibrationErrorDifference = "expected_calibration_error_difference"
        case brierScoreDifference = "brier_score_difference"
        case calibrationInTheLargeDifference = "calibration_in_the_large_difference"
        // Per attribute, at each top-k cutoff.
        case ndkl, minSkewAtK = "min_skew_at_k", maxSkewAtK = "max_skew_at_k", exposureDisparity = "exposure_disparity"

        var isPerGroup: Bool {
            switch self {
            case .auc, .xaucDisparity, .ksStatistic, .wassersteinDistance, .expectedCalibrationError,
                 .calibrationInTheLarge, .brierScore, .skewAtK, .exposureRatio, .shareOfTopK, .selectionRateAtK,
                 .precisionAtK, .recallAtK: return true
            default: return false
            }
        }

        var isTopK: Bool {
            switch self {
            case .skewAtK, .exposureRatio, .shareOfTopK, .selectionRateAtK, .precisionAtK, .recallAtK,
                 .ndkl, .minSkewAtK, .maxSkewAtK, .exposureDisparity: return true
            default: return false
            }
        }

        var needsLabels: Bool {
            switch self {
            case .ksStatistic, .wassersteinDistance, .skewAtK, .shareOfTopK, .selectionRateAtK, .ndkl,
                 .minSkewAtK, .maxSkewAtK, .exposureRatio, .exposureDisparity: return false
            default: return true
            }
        }
    }

    /// Fairlearn's named between-groups metrics and the group metrics they compare.
    static let betweenGroupsNames: [(name: String, components: [GroupMetric], kind: Kind)] = [
        ("demographic_parity_difference", [.selectionRate], .difference),
        ("demographic_parity_ratio", [.selectionRate], .ratio),
        ("equalized_odds_difference", [.truePositiveRate, .falsePositiveRate], .difference),
        ("equalized_odds_ratio", [.truePositiveRate, .falsePositiveRate], .ratio),
        ("equal_opportunity_difference", [.truePositiveRate], .difference),
        ("equal_opportunity_ratio", [.truePositiveRate], .ratio),
        ("predictive_parity_difference", [.positivePredictiveValue], .difference),
        ("predictive_parity_ratio", [.positivePredictiveValue], .ratio),
        ("false_negative_rate_difference", [.falseNegativeRate], .difference),
        ("false_negative_rate_ratio", [.falseNegativeRate], .ratio),
        ("false_omission_rate_difference", [.falseOmissionRate], .difference),
        ("false_omission_rate_ratio", [.falseOmissionRate], .ratio),
    ]

    /// Every name a rule may use, for messages.
    static var allNames: [String] {
        betweenGroupsNames.map(\.name) + VersusReference.allCases.map(\.rawValue)
            + Inequality.allCases.map(\.rawValue) + GroupMetric.allCases.map(\.rawValue)
            + QueueMetric.allCases.map(\.rawValue)
    }

    init?(name: String) {
        if let entry = Self.betweenGroupsNames.first(where: { $0.name == name }) {
            self = .betweenGroups(components: entry.components, kind: entry.kind)
        } else if let versus = VersusReference(rawValue: name) {
            self = .versusReference(versus)
        } else if let inequality = Inequality(rawValue: name) {
            self = .inequality(inequality)
        } else if let metric = GroupMetric(rawValue: name) {
            self = .group(metric)
        } else if let queue = QueueMetric(rawValue: name) {
            self = .queue(queue)
        } else {
            return nil
        }
    }

    /// The group metrics whose rows decide whether a group has enough evidence.
    var evidenceMetrics: [GroupMetric] {
        switch self {
        case .group(let metric): return [metric]
        case .versusReference(let versus):
            switch versus {
            case .disparateImpact, .statisticalParityDifference: return [.selectionRate]
            case .averageOddsDifference, .averageAbsoluteOddsDifference: return [.truePositiveRate, .falsePositiveRate]
            }
        case .betweenGroups(let components, _): return components
        case .inequality, .queue: return [.count]
        }
    }

    /// Whether the metric needs a label column.
    var needsLabels: Bool {
        switch self {
        case .inequality: return true
        case .queue(let queue): return queue.needsLabels
        default: return evidenceMetrics.contains(where: \.needsLabels)
        }
    }

    /// Between groups, over the groups at `indices` only: for each component max − min
    /// (or min ÷ max) of the defined values, then the worst over components (the larger
    /// difference, the smaller ratio) — Fairlearn's `between_groups` with `agg="worst_case"`
    /// restricted to those groups.
    static func betweenGroups(_ frame: MetricFrame, components: [GroupMetric], kind: Kind, indices: [Int]) -> MetricValue {
        var worst: Double?
        for metric in components {
            let values = indices.compactMap { frame.value(metric, group: $0).number }
            guard let low = values.min(), let high = values.max() else { return .undefined(.noDefinedGroups) }
            let disparity: Double
            switch kind {
            case .difference:
                disparity = high - low
                worst = max(worst ?? disparity, disparity)
            case .ratio:
                guard high != 0 else { return .undefined(.zeroDivisor) }
                disparity = low / high
                worst = min(worst ?? disparity, disparity)
            }
        }
        return worst.map(MetricValue.value) ?? .undefined(.noDefinedGroups)
    }
}
