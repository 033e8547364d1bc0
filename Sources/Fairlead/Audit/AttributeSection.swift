import FairleadCore

/// Builds the report section of one attribute (or intersection) from its ``MetricFrame``
/// and bootstrap intervals; it formats numbers the engine computed and computes none.
enum AttributeSection {
    static func report(_ dimension: DecisionEvaluation.Dimension, specs: [AuditProfile.SensitiveSpec],
                       metrics: [GroupMetric], settings: AuditProfile.Settings) -> AuditReport.AttributeReport {
        let frame = dimension.frame
        let level = settings.intervalLevel
        let overallCells = frame.stats.overall
        var groups: [String: AuditReport.GroupReport] = [:]
        for (index, key) in frame.groups.enumerated() {
            let cells = frame.stats.cells[index]
            groups[key.description] = AuditReport.GroupReport(
                label: specs.count == 1 ? specs[0].labels[key.values[0]] : nil,
                count: cells.count, weight: cells.weight,
                share: frame.value(.share, group: index).number ?? 0,
                sufficient: cells.count >= settings.minimumGroupSize,
                metrics: Dictionary(uniqueKeysWithValues: metrics.map { metric in
                    (metric.rawValue, estimate(frame.value(metric, group: index),
                                               interval: frame.wilsonInterval(metric, group: index, level: level),
                                               fraction: metric.fraction(cells, all: overallCells), metric: metric))
                }))
        }
        let overall = AuditReport.GroupReport(
            count: overallCells.count, weight: overallCells.weight, share: 1,
            sufficient: overallCells.count >= settings.minimumGroupSize,
            metrics: Dictionary(uniqueKeysWithValues: metrics.map { metric in
                (metric.rawValue, estimate(frame.overall(metric),
                                           interval: frame.overallWilsonInterval(metric, level: level),
                                           fraction: metric.fraction(overallCells, all: overallCells), metric: metric))
            }))
        let referenceIndex = try? frame.referenceIndex(dimension.reference, for: .selectionRate)
        let referenceMethod: String
        switch dimension.reference {
        case .named: referenceMethod = "named"
        case .largest: referenceMethod = "largest"
        case .bestValued: referenceMethod = "best"
        }
        return AuditReport.AttributeReport(
            columns: frame.grouping.attributeNames,
            referenceGroup: referenceMethod == "best" ? nil : referenceIndex.flatMap { $0 }.map { frame.groups[$0].description },
            referenceMethod: referenceMethod,
            excludedMissing: frame.stats.exclusions.missingSensitive,
            overall: overall, groups: groups,
            disparities: disparities(dimension, metrics: metrics),
            fairness: fairness(dimension))
    }

    /// Every difference and ratio of each reported metric (count and share excluded:
    /// their disparities say nothing about fairness).
    static func disparities(_ dimension: DecisionEvaluation.Dimension, metrics: [GroupMetric]) -> [String: AuditReport.Disparity] {
        let frame = dimension.frame
        var result: [String: AuditReport.Disparity] = [:]
        for metric in metrics where metric != .count && metric != .share {
            func interval(_ disparity: Disparity) -> [Double]? {
                dimension.intervals?.interval(metric, disparity).map { [$0.lower, $0.upper] }
            }
            let differences = (try? frame.differences(metric, from: dimension.reference)) ?? []
            let ratios = (try? frame.ratios(metric, to: dimension.reference)) ?? []
            var toReferenceDifference: [String: AuditReport.Estimate] = [:]
            var toReferenceRatio: [String: AuditReport.Estimate] = [:]
            for (index, key) in frame.groups.enumerated() where index < differences.count && index < ratios.count {
                toReferenceDifference[key.description] = estimate(differences[index], interval: interval(.differenceToReference(key)))
                toReferenceRatio[key.description] = estimate(ratios[index], interval: interval(.ratioToReference(key)))
            }
            result[metric.rawValue] = AuditReport.Disparity(
                differenceBetweenGroups: estimate(frame.difference(metric, method: .betweenGroups), interval: interval(.difference(.betweenGroups))),
                differenceToOverall: estimate(frame.difference(metric, method: .toOverall), interval: interval(.difference(.toOverall))),
                ratioBetweenGroups: estimate(frame.ratio(metric, method: .betweenGroups), interval: interval(.ratio(.betweenGroups))),
                ratioToOverall: estimate(frame.ratio(metric, method: .toOverall), interval: interval(.ratio(.toOverall))),
                differenceToReference: toReferenceDifference, ratioToReference: toReferenceRatio)
        }
        return result
    }

    /// The named fairness metrics of the attribute (Fairlearn's, `between_groups`), the
    /// worst group's disparate impact and statistical parity difference against the
    /// reference (AIF360's), and the inequality indices.
    static func fairness(_ dimension: DecisionEvaluation.Dimension) -> [String: AuditReport.Estimate] {
        let frame = dimension.frame
        var result: [String: AuditReport.Estimate] = [:]
        let labeled = frame.stats.isLabeled
        for entry in RuleMetric.betweenGroupsNames where labeled || !entry.components.contains(where: \.needsLabels) {
            let value = namedValue(entry.name, frame)
            let interval: BootstrapInterval?
            if entry.components.count == 1 {
                let disparity: Disparity = entry.kind == .difference ? .difference(.betweenGroups) : .ratio(.betweenGroups)
                interval = dimension.intervals?.interval(entry.components[0], disparity)
            } else {
                // Equalized odds: the true and false positive rates combined per replicate.
                interval = dimension.intervals?.interval(entry.kind == .difference ? .equalizedOddsDifference(.betweenGroups)
                                                                                  : .equalizedOddsRatio(.betweenGroups))
            }
            result[entry.name] = estimate(value, interval: interval.map { [$0.lower, $0.upper] })
        }
        if let worst = worstVersusReference(dimension, .disparateImpact) { result["disparate_impact"] = worst }
        if let worst = worstVersusReference(dimension, .statisticalParityDifference) { result["statistical_parity_difference"] = worst }
        if labeled {
            result["generalized_entropy_index"] = estimate(frame.generalizedEntropyIndex())
            result["theil_index"] = estimate(frame.theilIndex())
        }
        return result
    }

    /// Fairlearn's named metric `name` (method `between_groups`, `agg="worst_case"`).
    static func namedValue(_ name: String, _ frame: MetricFrame) -> MetricValue {
        switch name {
        case "demographic_parity_difference": return frame.demographicParityDifference()
        case "demographic_parity_ratio": return frame.demographicParityRatio()
        case "equalized_odds_difference": return frame.equalizedOddsDifference()
        case "equalized_odds_ratio": return frame.equalizedOddsRatio()
        case "equal_opportunity_difference": return frame.equalOpportunityDifference()
        case "equal_opportunity_ratio": return frame.equalOpportunityRatio()
        case "predictive_parity_difference": return frame.predictiveParityDifference()
        case "predictive_parity_ratio": return frame.predictiveParityRatio()
        case "false_negative_rate_difference": return frame.falseNegativeRateDifference()
        case "false_negative_rate_ratio": return frame.falseNegativeRateRatio()
        case "false_omission_rate_difference": return frame.falseOmissionRateDifference()
        case "false_omission_rate_ratio": return frame.falseOmissionRateRatio()
        default: preconditionFailure("no named metric \(name)")
        }
    }

    /// The worst (lowest) value over non-reference groups with a defined value, with its
    /// bootstrap interval.
    static func worstVersusReference(_ dimension: DecisionEvaluation.Dimension,
                                     _ metric: RuleMetric.VersusReference) -> AuditReport.Estimate? {
        let values = versusReference(dimension, metric)
        guard let worst = values.filter({ $0.value.number != nil }).min(by: { $0.value.number! < $1.value.number! }) else {
            return nil
        }
        return estimate(worst.value, interval: worst.interval)
    }

    /// The metric for each group other than the reference: its value and interval.
    static func versusReference(_ dimension: DecisionEvaluation.Dimension, _ metric: RuleMetric.VersusReference)
        -> [(group: Int, value: MetricValue, interval: [Double]?)] {
        let frame = dimension.frame
        guard let referenceIndex = try? frame.referenceIndex(dimension.reference, for: .selectionRate) ?? nil else { return [] }
        // The odds' intervals hold only when the rates were bootstrapped against this same
        // reference group.
        let oddsIntervals = dimension.intervals?.referenceGroups[.truePositiveRate] == frame.groups[referenceIndex]
            ? dimension.intervals : nil
        return frame.groups.enumerated().compactMap { index, key in
            guard index != referenceIndex else { return nil }
            let value: MetricValue?
            let interval: BootstrapInterval?
            switch metric {
            case .disparateImpact:
                value = try? frame.disparateImpact(group: key, reference: dimension.reference)
                interval = dimension.intervals?.interval(.selectionRate, .ratioToReference(key))
            case .statisticalParityDifference:
                value = try? frame.statisticalParityDifference(group: key, reference: dimension.reference)
                interval = dimension.intervals?.interval(.selectionRate, .differenceToReference(key))
            case .averageOddsDifference:
                value = try? frame.averageOddsDifference(group: key, reference: dimension.reference)
                interval = oddsIntervals?.interval(.averageOddsDifference(key))
            case .averageAbsoluteOddsDifference:
                value = try? frame.averageAbsoluteOddsDifference(group: key, reference: dimension.reference)
                interval = oddsIntervals?.interval(.averageAbsoluteOddsDifference(key))
            }
            guard let value else { return nil }
            return (index, value, interval.map { [$0.lower, $0.upper] })
        }
    }

    static func estimate(_ value: MetricValue, interval: ConfidenceInterval? = nil, fraction: (Double, Double)? = nil,
                         metric: GroupMetric? = nil) -> AuditReport.Estimate {
        estimate(value, interval: interval.map { [$0.lower, $0.upper] }, fraction: fraction, metric: metric)
    }

    static func estimate(_ value: MetricValue, interval: [Double]?, fraction: (Double, Double)? = nil,
                         metric: GroupMetric? = nil) -> AuditReport.Estimate {
        let showsFraction = metric.map { $0.isRate } ?? false
        return AuditReport.Estimate(value: value.number, undefinedReason: value.undefinedReason?.rawValue,
                                    interval: interval,
                                    numerator: showsFraction ? fraction?.0 : nil,
                                    denominator: showsFraction ? fraction?.1 : nil)
    }
}
