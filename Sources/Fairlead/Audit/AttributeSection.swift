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
                sufficient: cells.effectiveCount >= settings.minimumGroupSize,
                effectiveCount: cells.effectiveCount < cells.count ? cells.effectiveCount : nil,
                metrics: Dictionary(uniqueKeysWithValues: metrics.map { metric in
                    (metric.rawValue, estimate(frame.value(metric, group: index),
                                               interval: frame.wilsonInterval(metric, group: index, level: level),
                                               fraction: metric.fraction(cells, all: overallCells), metric: metric))
                }))
        }
        let overall = AuditReport.GroupReport(
            count: overallCells.count, weight: overallCells.weight, share: 1,
            sufficient: overallCells.effectiveCount >= settings.minimumGroupSize,
            effectiveCount: overallCells.effectiveCount < overallCells.count ? overallCells.effectiveCount : nil,
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
            fairness: fairness(dimension),
            toReference: toReference(dimension))
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
            // The reference the bootstrap held fixed; a rate of it or of a group at 0 or 1 widens
            // that group's intervals to what the counts support (``VerdictEvidence/countSupported``).
            let referenceIndex = dimension.intervals?.referenceGroups[metric].flatMap { frame.groups.firstIndex(of: $0) }
            func referenceInterval(_ comparison: VerdictEvidence.ReferenceComparison, _ index: Int, _ disparity: Disparity) -> [Double]? {
                guard let referenceIndex, let level = dimension.intervals?.configuration.level, index != referenceIndex else {
                    return interval(disparity)
                }
                return VerdictEvidence.hull(interval(disparity), VerdictEvidence.countSupported(
                    frame, rates: [metric], comparison: comparison, group: index, reference: referenceIndex, level: level))
            }
            for (index, key) in frame.groups.enumerated() where index < differences.count && index < ratios.count {
                toReferenceDifference[key.description] = estimate(differences[index], interval: referenceInterval(.difference, index, .differenceToReference(key)))
                toReferenceRatio[key.description] = estimate(ratios[index], interval: referenceInterval(.ratio, index, .ratioToReference(key)))
            }
            // As for the named metrics (namedValue): between one group with a value and
            // itself, Fairlearn's 0 and 1 compare nothing; no interval beside it either.
            let oneDefined = frame.groups.indices.filter { frame.value(metric, group: $0).number != nil }.count == 1
            func betweenGroups(_ value: MetricValue, _ disparity: Disparity) -> AuditReport.Estimate {
                oneDefined ? estimate(.undefined(.oneDefinedGroup))
                    : estimate(value, interval: boundaryWidened(interval(disparity), dimension, components: [metric],
                                                                ratio: disparity == .ratio(.betweenGroups)))
            }
            result[metric.rawValue] = AuditReport.Disparity(
                differenceBetweenGroups: betweenGroups(frame.difference(metric, method: .betweenGroups), .difference(.betweenGroups)),
                differenceToOverall: estimate(frame.difference(metric, method: .toOverall), interval: interval(.difference(.toOverall))),
                ratioBetweenGroups: betweenGroups(frame.ratio(metric, method: .betweenGroups), .ratio(.betweenGroups)),
                ratioToOverall: estimate(frame.ratio(metric, method: .toOverall), interval: interval(.ratio(.toOverall))),
                differenceToReference: toReferenceDifference, ratioToReference: toReferenceRatio)
        }
        return result
    }

    /// The named fairness metrics of the attribute (Fairlearn's, `between_groups`), the
    /// worst group's value of each comparison with the reference (AIF360's), and the
    /// inequality indices: every catalog metric whose report location is `fairness`.
    static func fairness(_ dimension: DecisionEvaluation.Dimension) -> [String: AuditReport.Estimate] {
        let frame = dimension.frame
        var result: [String: AuditReport.Estimate] = [:]
        let labeled = frame.stats.isLabeled
        for metric in Metric.allCases where metric.definition.family == .disparity || metric.definition.family == .inequality {
            let definition = metric.definition
            if definition.needs.contains(.labels) && !labeled { continue }
            switch definition.comparison {
            case .differenceBetweenGroups?, .ratioBetweenGroups?:
                let value = namedValue(metric, frame)
                let interval: BootstrapInterval?
                let isRatio = definition.comparison == .ratioBetweenGroups
                if definition.components.count == 1 {
                    let disparity: Disparity = isRatio ? .ratio(.betweenGroups) : .difference(.betweenGroups)
                    interval = dimension.intervals?.interval(definition.components[0], disparity)
                } else {
                    // Equalized odds: the true and false positive rates combined per replicate.
                    interval = dimension.intervals?.interval(isRatio ? .equalizedOddsRatio(.betweenGroups)
                                                                     : .equalizedOddsDifference(.betweenGroups))
                }
                // No interval beside an undefined value: the replicates' one group compares nothing either.
                result[metric.rawValue] = estimate(value, interval: value.number == nil ? nil
                    : boundaryWidened(interval.map { [$0.lower, $0.upper] }, dimension, components: definition.components, ratio: isRatio))
            case .versusReference?:
                if let worst = worstVersusReference(dimension, metric) { result[metric.rawValue] = worst }
            case nil:
                result[metric.rawValue] = estimate(metric == .theilIndex ? frame.theilIndex() : frame.generalizedEntropyIndex())
            }
        }
        return result
    }

    /// Each group's value of the comparisons with the reference that the disparities do
    /// not hold already (the average odds differences); `nil` when there are none.
    static func toReference(_ dimension: DecisionEvaluation.Dimension) -> [String: [String: AuditReport.Estimate]]? {
        var result: [String: [String: AuditReport.Estimate]] = [:]
        for metric in Metric.allCases where metric.definition.location == .toReferenceByGroup {
            if metric.definition.needs.contains(.labels) && !dimension.frame.stats.isLabeled { continue }
            var groups: [String: AuditReport.Estimate] = [:]
            for entry in versusReference(dimension, metric) {
                groups[dimension.frame.groups[entry.group].description] = estimate(entry.value, interval: entry.interval)
            }
            if !groups.isEmpty { result[metric.rawValue] = groups }
        }
        return result.isEmpty ? nil : result
    }

    /// Fairlearn's named metric (method `between_groups`, `agg="worst_case"`).
    /// Undefined (`one_defined_group`) when a single group has a value of every component:
    /// Fairlearn's 0 (or 1) for one group compares nothing, and a table showing it reads as
    /// parity.
    static func namedValue(_ metric: Metric, _ frame: MetricFrame) -> MetricValue {
        let components = metric.definition.components
        if !components.isEmpty {
            let defined = frame.groups.indices.filter { index in components.allSatisfy { frame.value($0, group: index).number != nil } }
            if defined.count == 1 { return .undefined(.oneDefinedGroup) }
        }
        switch metric {
        case .demographicParityDifference: return frame.demographicParityDifference()
        case .demographicParityRatio: return frame.demographicParityRatio()
        case .equalizedOddsDifference: return frame.equalizedOddsDifference()
        case .equalizedOddsRatio: return frame.equalizedOddsRatio()
        case .equalOpportunityDifference: return frame.equalOpportunityDifference()
        case .equalOpportunityRatio: return frame.equalOpportunityRatio()
        case .predictiveParityDifference: return frame.predictiveParityDifference()
        case .predictiveParityRatio: return frame.predictiveParityRatio()
        case .falseNegativeRateDifference: return frame.falseNegativeRateDifference()
        case .falseNegativeRateRatio: return frame.falseNegativeRateRatio()
        case .falseOmissionRateDifference: return frame.falseOmissionRateDifference()
        case .falseOmissionRateRatio: return frame.falseOmissionRateRatio()
        default:
            // Any other between-groups entry of the catalog: its components compared directly.
            return DecisionEvaluation.betweenGroups(frame, components: metric.definition.components,
                                                    kind: metric.definition.comparison ?? .differenceBetweenGroups,
                                                    indices: Array(frame.groups.indices))
        }
    }

    /// The worst value over non-reference groups with a defined value, with its bootstrap
    /// interval: the lowest disparate impact and statistical parity difference (the most
    /// disadvantaged group, AIF360's reading), the average odds difference farthest from 0,
    /// the largest absolute average odds difference.
    static func worstVersusReference(_ dimension: DecisionEvaluation.Dimension, _ metric: Metric) -> AuditReport.Estimate? {
        let defined = versusReference(dimension, metric).compactMap { entry in entry.value.number.map { (entry, $0) } }
        let badness: (Double) -> Double
        switch metric {
        case .averageOddsDifference: badness = { abs($0) }
        case .averageAbsoluteOddsDifference: badness = { $0 }
        default: badness = { -$0 }
        }
        guard let worst = defined.max(by: { badness($0.1) < badness($1.1) }) else { return nil }
        return estimate(worst.0.value, interval: worst.0.interval)
    }

    /// The metric for each group other than the reference: its value and interval.
    static func versusReference(_ dimension: DecisionEvaluation.Dimension, _ metric: Metric)
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
            let comparison = versusReferenceComparison(metric)
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
            default:
                preconditionFailure("\(metric) is not compared with a reference group")
            }
            guard let value else { return nil }
            // A rate at 0 or 1 is the same in every replicate: widen to what its counts support.
            let supported = dimension.intervals.flatMap { intervals in
                VerdictEvidence.countSupported(frame, rates: metric.definition.components, comparison: comparison,
                                               group: index, reference: referenceIndex, level: intervals.configuration.level)
            }
            return (index, value, VerdictEvidence.hull(interval.map { [$0.lower, $0.upper] }, supported))
        }
    }

    /// A between-groups bootstrap interval widened, when a rate compared sits at 0 or 1 in
    /// some group (the same in every replicate), to hold the interval the verdicts use
    /// (``DecisionEvaluation/rangeInterval(_:components:kind:indices:level:)``, Wilson) at
    /// the bootstrap's level; as is otherwise.
    static func boundaryWidened(_ interval: [Double]?, _ dimension: DecisionEvaluation.Dimension,
                                components: [GroupMetric], ratio: Bool) -> [Double]? {
        guard let interval, let level = dimension.intervals?.configuration.level else { return interval }
        let frame = dimension.frame
        let indices = frame.groups.indices.filter { index in components.allSatisfy { frame.value($0, group: index).number != nil } }
        guard !frame.ratesAtBound(components, groups: indices).isEmpty else { return interval }
        return VerdictEvidence.hull(interval, DecisionEvaluation.rangeInterval(
            frame, components: components, kind: ratio ? .ratioBetweenGroups : .differenceBetweenGroups, indices: indices, level: level))
    }

    /// How a comparison with the reference combines its rates (``VerdictEvidence/countSupported``).
    static func versusReferenceComparison(_ metric: Metric) -> VerdictEvidence.ReferenceComparison {
        switch metric {
        case .disparateImpact: .ratio
        case .averageOddsDifference: .averageOdds
        case .averageAbsoluteOddsDifference: .averageAbsoluteOdds
        default: .difference
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
