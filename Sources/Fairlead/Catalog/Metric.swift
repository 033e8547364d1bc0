import FairleadCore

/// Every metric Fairlead measures, by the snake_case name that rules, profiles, reports
/// and docs use. The identity of a metric is this enum; everything else about it — its
/// family, what it needs, its range and direction, its intervals, where it sits in the
/// report, its column heading and its formula — is its ``definition`` in the catalog
/// (`Metric+Definitions.swift`), one declaration per metric.
///
///     let metric = Metric(rawValue: "disparate_impact")!        // or Metric.named(_:at:)
///     metric.definition.family                                   // .disparity
///     metric.definition.direction                                // .closerToOne
///     report.estimate(.disparateImpact, decision: "threshold_0.3",
///                     attribute: "ethnicity", group: "black")?.value
///
/// Adding a metric is one case here and one declaration in the catalog (the compiler
/// asks for it); `fairlead metrics` and docs/metrics.md's catalog table are generated
/// from it, and a test holds the two together.
public enum Metric: String, CaseIterable, Sendable, Hashable, Codable, CustomStringConvertible {
    // Group rates: one value per group of a decision.
    case count
    case share
    case baseRate = "base_rate"
    case selectionRate = "selection_rate"
    case truePositiveRate = "true_positive_rate"
    case falsePositiveRate = "false_positive_rate"
    case trueNegativeRate = "true_negative_rate"
    case falseNegativeRate = "false_negative_rate"
    case positivePredictiveValue = "positive_predictive_value"
    case negativePredictiveValue = "negative_predictive_value"
    case falseDiscoveryRate = "false_discovery_rate"
    case falseOmissionRate = "false_omission_rate"
    case accuracy
    case meanScore = "mean_score"

    // Disparities against the reference group: one value per non-reference group.
    case disparateImpact = "disparate_impact"
    case statisticalParityDifference = "statistical_parity_difference"
    case averageOddsDifference = "average_odds_difference"
    case averageAbsoluteOddsDifference = "average_abs_odds_difference"

    // Disparities between groups (Fairlearn's named metrics): one value per attribute.
    case demographicParityDifference = "demographic_parity_difference"
    case demographicParityRatio = "demographic_parity_ratio"
    case equalizedOddsDifference = "equalized_odds_difference"
    case equalizedOddsRatio = "equalized_odds_ratio"
    case equalOpportunityDifference = "equal_opportunity_difference"
    case equalOpportunityRatio = "equal_opportunity_ratio"
    case predictiveParityDifference = "predictive_parity_difference"
    case predictiveParityRatio = "predictive_parity_ratio"
    case falseNegativeRateDifference = "false_negative_rate_difference"
    case falseNegativeRateRatio = "false_negative_rate_ratio"
    case falseOmissionRateDifference = "false_omission_rate_difference"
    case falseOmissionRateRatio = "false_omission_rate_ratio"

    // Inequality of individual benefits (AIF360): one value per attribute.
    case generalizedEntropyIndex = "generalized_entropy_index"
    case theilIndex = "theil_index"

    // The lead queue, threshold-free, per group.
    case auc
    case xaucVersusRest = "xauc_versus_rest"
    case xaucRestVersus = "xauc_rest_versus"
    case xaucDisparity = "xauc_disparity"
    case ksStatistic = "ks_statistic"
    case wassersteinDistance = "wasserstein_distance"
    case expectedCalibrationError = "expected_calibration_error"
    case calibrationInTheLarge = "calibration_in_the_large"
    case brierScore = "brier_score"
    // The lead queue, threshold-free, per attribute.
    case aucDifference = "auc_difference"
    case maxXAUCDisparity = "max_xauc_disparity"
    case expectedCalibrationErrorDifference = "expected_calibration_error_difference"
    case brierScoreDifference = "brier_score_difference"
    case calibrationInTheLargeDifference = "calibration_in_the_large_difference"
    // The lead queue at a top-k cutoff, per group.
    case shareOfTopK = "share_of_top_k"
    case shareOfPopulation = "share_of_population"
    case selectionRateAtK = "selection_rate_at_k"
    case precisionAtK = "precision_at_k"
    case recallAtK = "recall_at_k"
    case skewAtK = "skew_at_k"
    case exposureShare = "exposure_share"
    case exposureRatio = "exposure_ratio"
    // The lead queue at a top-k cutoff, per attribute.
    case ndkl
    case minSkewAtK = "min_skew_at_k"
    case maxSkewAtK = "max_skew_at_k"
    case exposureDisparity = "exposure_disparity"

    // Individual fairness (docs/mitigation.md): per decision, over the model's features.
    case consistency
    case counterfactualFlipRate = "counterfactual_flip_rate"

    // Drift against a baseline audit (judged by the profile's `drift:` tolerances).
    case populationStabilityIndex = "psi"
    case groupShareShift = "share_shift"

    // Proxy checks of the explanations section (judged by `explanations.proxy_thresholds`).
    case meanAbsoluteAttribution = "mean_absolute_attribution"
    case cramersV = "cramers_v"
    case correlationRatio = "correlation_ratio"
    case mutualInformation = "mutual_information"
    case proxyAUC = "proxy_auc"
    case multivariateAUC = "multivariate_auc"

    /// The snake_case name.
    public var description: String { rawValue }

    /// The metric a profile or flag names, or a located error with the closest names —
    /// those of the same family first when `family` is given.
    public static func named(_ name: String, at location: SourceLocation? = nil,
                             context: String = "") throws -> Metric {
        if let metric = Metric(rawValue: name), metric.definition.isRuleable { return metric }
        let candidates = allCases.filter(\.definition.isRuleable).map(\.rawValue)
        var near = typoNames(of: name, in: candidates, limit: 3)
        if let best = near.first.map({ editDistance($0, name) }) {
            near = near.filter { editDistance($0, name) <= best + 2 }
        }
        if let alias = aliases[name.lowercased()] { near = [alias.rawValue] }
        let hint = near.isEmpty ? "`fairlead metrics` lists every metric (docs/metrics.md)"
                                : "did you mean \(near.map { "'\($0)'" }.joined(separator: ", "))?"
        if let known = Metric(rawValue: name) {
            let judge = known.definition.family == .drift ? "the profile's drift: tolerances judge it"
                                                          : "the profile's explanations: proxy thresholds judge it"
            throw FairleadError(.invalidProfile,
                                "'\(known)' is measured but cannot be a rule (\(known.definition.family.rawValue))\(context); \(judge)",
                                at: location)
        }
        throw FairleadError(.invalidProfile, "unknown metric '\(name)'\(context); \(hint)", at: location)
    }

    /// Names people write for a metric the catalog spells otherwise, for did-you-mean.
    static let aliases: [String: Metric] = [
        "precision": .positivePredictiveValue, "ppv": .positivePredictiveValue, "npv": .negativePredictiveValue,
        "recall": .truePositiveRate, "tpr": .truePositiveRate, "sensitivity": .truePositiveRate,
        "fpr": .falsePositiveRate, "tnr": .trueNegativeRate, "specificity": .trueNegativeRate, "fnr": .falseNegativeRate,
        "fdr": .falseDiscoveryRate, "for": .falseOmissionRate, "di": .disparateImpact, "spd": .statisticalParityDifference,
        "four_fifths": .disparateImpact, "ece": .expectedCalibrationError, "brier": .brierScore, "ks": .ksStatistic,
        "prevalence": .baseRate, "positive_rate": .selectionRate,
    ]

    /// The catalog entry of a core group metric (the two share their names).
    public init(_ groupMetric: GroupMetric) {
        guard let metric = Metric(rawValue: groupMetric.rawValue) else {
            preconditionFailure("the catalog has no entry for group metric \(groupMetric)")
        }
        self = metric
    }
}
