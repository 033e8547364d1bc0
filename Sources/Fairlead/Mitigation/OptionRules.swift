import FairleadCore

/// The profile's rules measured on the expected confusion cells of a way of selecting —
/// today's decision or an option — through the audit's own metric code (``MetricFrame``,
/// ``AttributeSection``), so that an option "holds" exactly when an audit of its expected
/// selections would find the rule's point value within the bound.
enum OptionRules {
    /// The rule families an option can be checked on: group rates and disparities.
    /// Queue metrics and inequality indices depend on more than who is selected per group.
    static func isCheckable(_ metric: Metric) -> Bool {
        let family = metric.definition.family
        return family == .groupRate || family == .disparity
    }

    /// A frame over expected cells: per group Σw of selected positives and negatives and of
    /// all positives and negatives. Counts are the group's rows (unweighted evidence).
    static func frame(grouping: Grouping, truePositives: [Double], falsePositives: [Double],
                      positives: [Double], negatives: [Double], counts: [Int]) -> MetricFrame {
        func cell(_ weight: Double, share: Double, count: Int) -> CellStats {
            CellStats(count: Int((Double(count) * share).rounded()), weight: weight, squaredWeight: weight,
                      scoredWeight: weight, scoreSum: 0)
        }
        let cells = (0..<grouping.groupCount).map { group -> ConfusionCells in
            let total = positives[group] + negatives[group]
            func share(_ weight: Double) -> Double { total > 0 ? weight / total : 0 }
            let tp = truePositives[group], fp = falsePositives[group]
            let fn = max(0, positives[group] - tp), tn = max(0, negatives[group] - fp)
            return ConfusionCells(truePositives: cell(tp, share: share(tp), count: counts[group]),
                                  falsePositives: cell(fp, share: share(fp), count: counts[group]),
                                  trueNegatives: cell(tn, share: share(tn), count: counts[group]),
                                  falseNegatives: cell(fn, share: share(fn), count: counts[group]))
        }
        return MetricFrame(stats: GroupStats(cells: cells, isLabeled: true), grouping: grouping)
    }

    /// Each checkable rule that applies to `decision` and `attribute`, measured on `frame`.
    /// A rule holds as an audit's finding passes: a group with rows but fewer than
    /// `minimumGroupSize` for a rate the rule compares leaves it undecided, not held (a
    /// group without positives has no true positive rate, and the difference over the one
    /// group left is no evidence of parity).
    static func check(_ rules: [AuditProfile.RuleSpec], decision: String, attribute: String,
                      frame: MetricFrame, reference: ReferenceGroup, minimumGroupSize: Int) -> [MitigationReport.RuleCheck] {
        rules.filter { isCheckable($0.metric) && $0.applies(toDecision: decision, attribute: attribute) }.map { rule in
            let values = measure(rule.metric, frame: frame, attribute: attribute, reference: reference)
            let defined = values.compactMap { $0 }
            let failing = defined.first { !rule.comparison.holds($0, rule.bound) }
            let shown = failing ?? worst(defined, rule: rule)
            var check = MitigationReport.RuleCheck(rule: rule.expression, attribute: attribute, value: shown,
                                                   holds: !defined.isEmpty && failing == nil)
            if failing == nil {
                check.undecided = shortfall(rule.metric, frame: frame, minimumGroupSize: minimumGroupSize)
                    ?? (defined.isEmpty ? "undefined in every group" : nil)
                if check.undecided != nil { check.holds = false }
            }
            return check
        }
    }

    /// The first group with rows whose rows for a rate `metric` compares number fewer than
    /// `minimumGroupSize` (``MetricFrame/evidence(_:group:minimumGroupSize:)``), said.
    private static func shortfall(_ metric: Metric, frame: MetricFrame, minimumGroupSize: Int) -> String? {
        let rates = metric.groupMetric.map { [$0] } ?? metric.definition.components
        for index in frame.groups.indices where frame.stats.cells[index].count > 0 {
            for rate in rates {
                if case let .insufficient(group, rows, minimum) = frame.evidence(rate, group: index, minimumGroupSize: minimumGroupSize) {
                    let read = rate.denominatorRows(frame.stats.cells[index], all: frame.stats.overall)
                    let what = read > rows ? "effective rows by their weights (of \(read) read)" : "rows"
                    return "group \(group) has \(rows) \(what) for \(rate.rawValue), fewer than min_group_size (\(minimum))"
                }
            }
        }
        return nil
    }

    /// The rule's values: one per group with rows (group rates, versus the reference) or
    /// one for the attribute (between groups); `nil` where undefined.
    private static func measure(_ metric: Metric, frame: MetricFrame, attribute: String,
                                reference: ReferenceGroup) -> [Double?] {
        if let groupMetric = metric.groupMetric {
            return frame.groups.indices.filter { frame.stats.cells[$0].count > 0 }.map { frame.value(groupMetric, group: $0).number }
        }
        if metric.definition.comparison == .versusReference {
            let dimension = DecisionEvaluation.Dimension(name: attribute, frame: frame, reference: reference, intervals: nil)
            return AttributeSection.versusReference(dimension, metric)
                .filter { frame.stats.cells[$0.group].count > 0 }.map { $0.value.number }
        }
        return [AttributeSection.namedValue(metric, frame).number]
    }

    private static func worst(_ values: [Double], rule: AuditProfile.RuleSpec) -> Double? {
        switch rule.comparison {
        case .atLeast, .greaterThan: return values.min()
        case .atMost, .lessThan: return values.max()
        }
    }

    /// The highest selection rate the profile's rules on selection rates allow every group
    /// of `attribute` when the lowest is x — a band [x, upper(x)] inside which each of
    /// those rules holds whatever the groups' rates: `demographic_parity_difference <= δ`
    /// and `statistical_parity_difference >= −δ` (or `<= δ`) allow x + δ,
    /// `demographic_parity_ratio >= ρ` and `disparate_impact >= ρ` allow x / ρ,
    /// `disparate_impact <= u` (u ≥ 1) allows x · u; the tightest wins. `nil` when the rules
    /// leave no slack (or name none of these metrics): exact parity is the only option.
    static func selectionRateBand(_ rules: [AuditProfile.RuleSpec], decision: String,
                                  attribute: String) -> (@Sendable (Double) -> Double)? {
        let relevant = rules.filter {
            $0.applies(toDecision: decision, attribute: attribute) && constraint(for: $0.metric) == .demographicParity
        }
        guard !relevant.isEmpty else { return nil }
        // A strict comparison keeps a hair inside its bound.
        var additive = Double.infinity, multiplicative = Double.infinity
        for rule in relevant {
            let strict: Double = (rule.comparison == .greaterThan || rule.comparison == .lessThan) ? 1 - 1e-9 : 1
            let lower = rule.comparison == .atLeast || rule.comparison == .greaterThan
            switch rule.metric {
            case .demographicParityDifference where !lower && rule.bound >= 0:
                additive = min(additive, rule.bound * strict)
            case .statisticalParityDifference where lower && rule.bound <= 0:
                additive = min(additive, -rule.bound * strict)
            case .statisticalParityDifference where !lower && rule.bound >= 0:
                additive = min(additive, rule.bound * strict)
            case .demographicParityRatio where lower && rule.bound > 0 && rule.bound <= 1,
                 .disparateImpact where lower && rule.bound > 0 && rule.bound <= 1:
                multiplicative = min(multiplicative, strict / rule.bound)
            case .disparateImpact where !lower && rule.bound >= 1:
                multiplicative = min(multiplicative, rule.bound * strict)
            default:
                return nil  // a rule the band cannot honour: exact parity only
            }
        }
        // Infinity means no rule of that form; a band needs room from one that is there.
        guard (additive.isFinite && additive > 0) || (multiplicative.isFinite && multiplicative > 1) else { return nil }
        let plus = additive, times = multiplicative
        return { x in min(x + plus, x * times, 1) }
    }

    /// The parity constraint a rule's metric calls for, if a threshold optimizer enforces one.
    static func constraint(for metric: Metric) -> ThresholdOptimizer.Constraint? {
        let components = Set(metric.definition.components)
        guard metric.definition.family == .disparity, !components.isEmpty else { return nil }
        if components == [.selectionRate] { return .demographicParity }
        if components == [.truePositiveRate] || components == [.falseNegativeRate] { return .truePositiveRateParity }
        if components.isSubset(of: [.truePositiveRate, .falsePositiveRate, .trueNegativeRate, .falseNegativeRate]) {
            return .equalizedOdds
        }
        return nil
    }
}
