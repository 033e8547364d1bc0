import FairleadCore

extension Metric {
    /// The catalog: every metric's one declaration, built once (``declaration``). It
    /// was built on every read — strings and all — and a threshold scan of `mitigate`
    /// spent a tenth of its time there.
    public var definition: MetricDefinition { Self.catalog[self]! }

    private static let catalog = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.declaration) })

    /// The declaration of this metric (read through ``definition``).
    private var declaration: MetricDefinition {
        typealias D = MetricDefinition
        let unit: (Double?, Double?) = (0, 1)
        let signedUnit: (Double?, Double?) = (-1, 1)
        let nonNegative: (Double?, Double?) = (0, nil)
        let unbounded: (Double?, Double?) = (nil, nil)
        func rate(_ formula: String, _ anchor: String, needs: D.Needs = .labels, heading: String? = nil,
                  direction: D.Direction = .higherIsBetter) -> D {
            entry(.groupRate, .perGroup, needs, unit, direction, .wilson, .groupMetrics, heading, formula, anchor)
        }
        func between(_ components: [GroupMetric], ratio: Bool, _ formula: String, _ anchor: String) -> D {
            var definition = entry(.disparity, .perAttribute, components.contains(where: \.needsLabels) ? .labels : [],
                                   unit, ratio ? .closerToOneIsFairer : .closerToZeroIsFairer, .bootstrap, .fairness,
                                   nil, formula, anchor)
            definition.components = components
            definition.comparison = ratio ? .ratioBetweenGroups : .differenceBetweenGroups
            return definition
        }
        func versus(_ components: [GroupMetric], _ range: (Double?, Double?), _ direction: D.Direction,
                    _ location: D.ReportLocation, _ formula: String, _ anchor: String) -> D {
            var definition = entry(.disparity, .perGroup, components.contains(where: \.needsLabels) ? .labels : [],
                                   range, direction, .bootstrap, location, nil, formula, anchor)
            definition.components = components
            definition.comparison = .versusReference
            return definition
        }
        func queue(_ scope: D.Scope, _ needs: D.Needs, _ range: (Double?, Double?), _ direction: D.Direction,
                   _ location: D.ReportLocation, _ formula: String, _ anchor: String = "—") -> D {
            // The top-k rates that are proportions of rows carry Wilson intervals.
            entry(.queue, scope, needs, range, direction, topKRate == nil ? .none : .wilson, location, nil, formula, anchor)
        }
        switch self {
        case .count:
            return entry(.groupRate, .perGroup, [], nonNegative, .descriptive, .none, .groupMetrics, "n", "n, rows (unweighted)", "Fairlearn count")
        case .share:
            return entry(.groupRate, .perGroup, [], unit, .descriptive, .wilson, .groupMetrics, "share", "W_group / W_all", "—")
        case .baseRate: return rate("(TP + FN) / W", "AIF360 base_rate", heading: "base rate", direction: .descriptive)
        case .selectionRate: return rate("(TP + FP) / W", "Fairlearn, AIF360 selection_rate", needs: [], heading: "selected")
        case .truePositiveRate: return rate("TP / (TP + FN)", "Fairlearn, AIF360", heading: "TPR")
        case .falsePositiveRate: return rate("FP / (FP + TN)", "Fairlearn, AIF360", heading: "FPR", direction: .lowerIsBetter)
        case .trueNegativeRate: return rate("TN / (FP + TN)", "Fairlearn, AIF360")
        case .falseNegativeRate: return rate("FN / (TP + FN)", "Fairlearn, AIF360", direction: .lowerIsBetter)
        case .positivePredictiveValue: return rate("TP / (TP + FP) (precision)", "scikit-learn precision_score, AIF360", heading: "precision")
        case .negativePredictiveValue: return rate("TN / (TN + FN)", "AIF360")
        case .falseDiscoveryRate: return rate("FP / (TP + FP)", "AIF360", direction: .lowerIsBetter)
        case .falseOmissionRate: return rate("FN / (TN + FN)", "AIF360", direction: .lowerIsBetter)
        case .accuracy: return rate("(TP + TN) / W", "scikit-learn accuracy_score, AIF360")
        case .meanScore:
            return entry(.groupRate, .perGroup, [], unbounded, .descriptive, .none, .groupMetrics, "mean score",
                         "Σw·score / Σw over rows with a score", "Fairlearn mean_prediction")

        case .disparateImpact:
            return versus([.selectionRate], nonNegative, .closerToOneIsFairer, .toReference(.selectionRate, ratio: true),
                          "SR_g / SR_ref", "AIF360 disparate_impact; the four-fifths rule")
        case .statisticalParityDifference:
            return versus([.selectionRate], signedUnit, .closerToZeroIsFairer, .toReference(.selectionRate, ratio: false),
                          "SR_g − SR_ref", "AIF360 statistical_parity_difference")
        case .averageOddsDifference:
            return versus([.truePositiveRate, .falsePositiveRate], signedUnit, .closerToZeroIsFairer, .toReferenceByGroup,
                          "½[(FPR_g − FPR_ref) + (TPR_g − TPR_ref)]", "AIF360 average_odds_difference")
        case .averageAbsoluteOddsDifference:
            return versus([.truePositiveRate, .falsePositiveRate], unit, .closerToZeroIsFairer, .toReferenceByGroup,
                          "½[|FPR_g − FPR_ref| + |TPR_g − TPR_ref|]", "AIF360 average_abs_odds_difference")

        case .demographicParityDifference: return between([.selectionRate], ratio: false, "max − min of SR", "Fairlearn demographic_parity_difference")
        case .demographicParityRatio: return between([.selectionRate], ratio: true, "min ÷ max of SR", "Fairlearn demographic_parity_ratio")
        case .equalizedOddsDifference:
            return between([.truePositiveRate, .falsePositiveRate], ratio: false, "max(TPR difference, FPR difference)", "Fairlearn equalized_odds_difference")
        case .equalizedOddsRatio:
            return between([.truePositiveRate, .falsePositiveRate], ratio: true, "min(TPR ratio, FPR ratio)", "Fairlearn equalized_odds_ratio")
        case .equalOpportunityDifference: return between([.truePositiveRate], ratio: false, "max − min of TPR", "Fairlearn equal_opportunity_difference")
        case .equalOpportunityRatio: return between([.truePositiveRate], ratio: true, "min ÷ max of TPR", "Fairlearn equal_opportunity_ratio")
        case .predictiveParityDifference: return between([.positivePredictiveValue], ratio: false, "max − min of PPV", "predictive parity")
        case .predictiveParityRatio: return between([.positivePredictiveValue], ratio: true, "min ÷ max of PPV", "predictive parity")
        case .falseNegativeRateDifference: return between([.falseNegativeRate], ratio: false, "max − min of FNR", "FNR parity")
        case .falseNegativeRateRatio: return between([.falseNegativeRate], ratio: true, "min ÷ max of FNR", "FNR parity")
        case .falseOmissionRateDifference: return between([.falseOmissionRate], ratio: false, "max − min of FOR", "FOR parity")
        case .falseOmissionRateRatio: return between([.falseOmissionRate], ratio: true, "min ÷ max of FOR", "FOR parity")

        case .generalizedEntropyIndex:
            return entry(.inequality, .perAttribute, .labels, nonNegative, .lowerIsBetter, .none, .fairness, nil,
                         "GE(α = 2) of benefits b_i = ŷ_i − y_i + 1", "AIF360 generalized_entropy_index")
        case .theilIndex:
            return entry(.inequality, .perAttribute, .labels, nonNegative, .lowerIsBetter, .none, .fairness, nil,
                         "GE(α = 1) of benefits b_i = ŷ_i − y_i + 1", "AIF360 theil_index")

        case .auc: return queue(.perGroup, .labels, unit, .higherIsBetter, .queueGroups, "P(s⁺ > s⁻) + ½ P(=) within g", "scikit-learn roc_auc_score")
        case .xaucVersusRest: return queue(.perGroup, .labels, unit, .higherIsBetter, .queueGroups, "xAUC(g, rest)", "Kallus & Zhou 2019")
        case .xaucRestVersus: return queue(.perGroup, .labels, unit, .descriptive, .queueGroups, "xAUC(rest, g)", "Kallus & Zhou 2019")
        case .xaucDisparity: return queue(.perGroup, .labels, signedUnit, .closerToZeroIsFairer, .queueGroups, "xAUC(g, rest) − xAUC(rest, g)", "Kallus & Zhou 2019")
        case .ksStatistic: return queue(.perGroup, [], unit, .closerToZeroIsFairer, .queueGroups, "sup |F_g − F_rest|", "scipy ks_2samp")
        case .wassersteinDistance: return queue(.perGroup, [], nonNegative, .closerToZeroIsFairer, .queueGroups, "∫ |F_g − F_rest| dx", "scipy wasserstein_distance")
        case .expectedCalibrationError:
            return queue(.perGroup, [.labels, .probabilities], unit, .lowerIsBetter, .queueGroups, "Σ_bins (W_bin / W) |mean score − observed rate|", "Naeini et al. 2015")
        case .calibrationInTheLarge:
            return queue(.perGroup, [.labels, .probabilities], signedUnit, .closerToZeroIsFairer, .queueGroups, "mean score − base rate")
        case .brierScore: return queue(.perGroup, [.labels, .probabilities], unit, .lowerIsBetter, .queueGroups, "Σw (s − y)² / W", "scikit-learn brier_score_loss")
        case .aucDifference: return queue(.perAttribute, .labels, unit, .closerToZeroIsFairer, .queueFairness, "max − min of AUC")
        case .maxXAUCDisparity: return queue(.perAttribute, .labels, unit, .closerToZeroIsFairer, .queueFairness, "max |xauc_disparity|")
        case .expectedCalibrationErrorDifference:
            return queue(.perAttribute, [.labels, .probabilities], unit, .closerToZeroIsFairer, .queueFairness, "max − min of ECE")
        case .brierScoreDifference: return queue(.perAttribute, [.labels, .probabilities], unit, .closerToZeroIsFairer, .queueFairness, "max − min of Brier score")
        case .calibrationInTheLargeDifference:
            return queue(.perAttribute, [.labels, .probabilities], (0, 2), .closerToZeroIsFairer, .queueFairness, "max − min of calibration in the large")
        case .shareOfTopK: return queue(.perGroup, .topKCutoff, unit, .descriptive, .topKGroups, "T_g / Σ T_h")
        case .shareOfPopulation: return queue(.perGroup, .topKCutoff, unit, .descriptive, .topKGroups, "W_g / Σ W_h")
        case .selectionRateAtK: return queue(.perGroup, .topKCutoff, unit, .higherIsBetter, .topKGroups, "T_g / W_g")
        case .precisionAtK: return queue(.perGroup, [.topKCutoff, .labels], unit, .higherIsBetter, .topKGroups, "Σw·y over g's top-k rows / T_g")
        case .recallAtK: return queue(.perGroup, [.topKCutoff, .labels], unit, .higherIsBetter, .topKGroups, "Σw·y over g's top-k rows / Σw·y over g")
        case .skewAtK: return queue(.perGroup, .topKCutoff, unbounded, .closerToZeroIsFairer, .topKGroups, "ln(share of top k / share of population)", "Geyik et al. 2019")
        case .exposureShare: return queue(.perGroup, .topKCutoff, unit, .descriptive, .topKGroups, "g's exposure / all groups' exposure")
        case .exposureRatio: return queue(.perGroup, .topKCutoff, nonNegative, .closerToOneIsFairer, .topKGroups, "exposure_g ÷ (exposure_all · merit_g / merit_all)", "Singh & Joachims 2018")
        case .ndkl: return queue(.perAttribute, .topKCutoff, nonNegative, .closerToZeroIsFairer, .topKMetrics, "(1/Z) Σ_i KL(D_i ‖ D) / log₂(i+1)", "Geyik et al. 2019")
        case .minSkewAtK: return queue(.perAttribute, .topKCutoff, unbounded, .closerToZeroIsFairer, .topKMetrics, "min over groups of skew@k", "Geyik et al. 2019")
        case .maxSkewAtK: return queue(.perAttribute, .topKCutoff, unbounded, .closerToZeroIsFairer, .topKMetrics, "max over groups of skew@k", "Geyik et al. 2019")
        case .exposureDisparity: return queue(.perAttribute, .topKCutoff, unit, .closerToOneIsFairer, .topKMetrics, "min ÷ max of exposure ratios")

        case .consistency:
            return entry(.individual, .perDecision, .model, unit, .higherIsBetter, .none, .individualFairness, nil,
                         "1 − (1/n) Σ_i |ŷ_i − mean of ŷ over i's k nearest leads (i included)|, standardized model features",
                         "AIF360 consistency (Zemel et al. 2013)")
        case .counterfactualFlipRate:
            return entry(.individual, .perFeature, .model, unit, .lowerIsBetter, .none, .counterfactual, nil,
                         "share of leads whose decision flips when the feature takes another group's typical value",
                         "counterfactual check")
        case .populationStabilityIndex:
            return entry(.drift, .perGroup, .baseline, nonNegative, .lowerIsBetter, .none, .driftFindings, nil,
                         "Σ_bins (p_now − p_then) ln(p_now / p_then) over the baseline's deciles", "PSI")
        case .groupShareShift:
            return entry(.drift, .perGroup, .baseline, signedUnit, .closerToZeroIsFairer, .mover, .driftFindings, nil,
                         "share_now − share_then", "Newcombe interval")
        case .meanAbsoluteAttribution:
            return entry(.explanation, .perFeature, .model, nonNegative, .lowerIsBetter, .none, .proxies, nil,
                         "mean over leads of |φ_j| of a sensitive column", "SHAP")
        case .cramersV:
            return entry(.explanation, .perFeature, .model, unit, .lowerIsBetter, .none, .proxies, nil,
                         "bias-corrected Cramér's V of feature × attribute", "Bergsma 2013")
        case .correlationRatio:
            return entry(.explanation, .perFeature, .model, unit, .lowerIsBetter, .none, .proxies, nil,
                         "η: between-group ÷ total variance of the feature, square-rooted", "—")
        case .mutualInformation:
            return entry(.explanation, .perFeature, .model, nonNegative, .lowerIsBetter, .none, .proxies, nil,
                         "I(feature; attribute) in nats", "—")
        case .proxyAUC:
            return entry(.explanation, .perFeature, .model, unit, .lowerIsBetter, .none, .proxies, nil,
                         "AUC of the feature telling one group from the rest", "—")
        case .multivariateAUC:
            return entry(.explanation, .perAttribute, .model, unit, .lowerIsBetter, .none, .proxies, nil,
                         "cross-validated AUC of all features telling one group from the rest", "—")
        }
    }

    private func entry(_ family: MetricDefinition.Family, _ scope: MetricDefinition.Scope, _ needs: MetricDefinition.Needs,
                       _ range: (Double?, Double?), _ direction: MetricDefinition.Direction,
                       _ intervals: MetricDefinition.Intervals, _ location: MetricDefinition.ReportLocation,
                       _ heading: String?, _ formula: String, _ anchor: String) -> MetricDefinition {
        MetricDefinition(family: family, scope: scope, needs: needs, lowest: range.0, highest: range.1,
                         direction: direction, intervals: intervals, location: location, heading: heading,
                         formula: formula, anchor: anchor, plainWords: plainWords, components: [], comparison: nil)
    }
}

extension Metric {
    /// The core group metric of a group rate.
    var groupMetric: GroupMetric? { GroupMetric(rawValue: rawValue) }

    /// The metrics of a family, in catalog order.
    public static func family(_ family: MetricDefinition.Family) -> [Metric] {
        allCases.filter { $0.definition.family == family }
    }

    /// The core top-k rate of a per-group queue value that is a proportion of rows (and so
    /// has a Wilson interval, ``TopKMetrics/Group/wilsonInterval(_:level:)``).
    var topKRate: TopKMetrics.Rate? {
        switch self {
        case .shareOfTopK: .shareOfTopK
        case .selectionRateAtK: .selectionRate
        case .precisionAtK: .precision
        case .recallAtK: .recall
        default: nil
        }
    }

    /// Whether the metric is measured at a top-k decision's cutoff.
    var isAtTopKCutoff: Bool { definition.needs.contains(.topKCutoff) }

    /// The group metrics whose rows decide whether a group has enough evidence.
    var evidenceMetrics: [GroupMetric] {
        if let groupMetric { return [groupMetric] }
        return definition.components.isEmpty ? [.count] : definition.components
    }

    /// The catalog as a Markdown table (docs/metrics.md's "The catalog", `fairlead metrics`).
    public static func catalogMarkdown(_ metrics: [Metric] = Metric.allCases) -> String {
        var lines = ["| metric | family | scope | needs | range | direction | intervals | report path | formula | anchor |",
                     "|---|---|---|---|---|---|---|---|---|---|"]
        for metric in metrics {
            let d = metric.definition
            let cells = ["`\(metric.rawValue)`", d.family.rawValue, d.scope.rawValue, d.needsText,
                         d.rangeText, d.direction.rawValue, d.intervals.rawValue, "`\(d.location.path(metric.rawValue))`",
                         d.formula, d.anchor]
            lines.append("| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Metric {
    /// The catalog as an aligned table for a terminal (`fairlead metrics`).
    public static func catalogText(_ metrics: [Metric] = Metric.allCases) -> String {
        var table = TextTable(header: ["metric", "family", "scope", "needs", "range", "direction"])
        for metric in metrics {
            let definition = metric.definition
            table.rows.append([metric.rawValue, definition.family.rawValue, definition.scope.rawValue,
                               definition.needsText, definition.rangeText, definition.direction.rawValue])
        }
        return table.renderPlain(indent: "").joined(separator: "\n") + "\n\n"
            + "Rules may check the group-rate, disparity, inequality, queue and individual families; drift and explanation\n"
            + "values are judged by the profile's drift: and explanations: thresholds. docs/metrics.md gives every formula.\n"
    }
}

extension MetricDefinition {
    /// What the metric needs, in words ("labels, probability scores"), or "—".
    public var needsText: String {
        var parts: [String] = []
        if needs.contains(.labels) { parts.append("labels") }
        if needs.contains(.probabilities) { parts.append("probability scores") }
        if needs.contains(.topKCutoff) { parts.append("a top-k decision") }
        if needs.contains(.baseline) { parts.append("a baseline") }
        if needs.contains(.model) { parts.append("a model") }
        return parts.isEmpty ? "—" : parts.joined(separator: ", ")
    }
}
