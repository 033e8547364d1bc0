import FairleadCore

/// The profile's rules measured on the expected confusion cells of a way of selecting —
/// today's decision or an option — and judged by the audit's own findings and judge
/// (``DecisionEvaluation/findings(rules:)``, ``FindingJudge``), so that an option "holds"
/// exactly when a point-mode audit of its expected selections would pass the rule.
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

    /// Each checkable rule that applies to `decision` and `attribute`, measured on `frame`
    /// and judged as an audit judges it: by ``DecisionEvaluation/findings(rules:)`` and
    /// ``FindingJudge`` in point mode. A rule holds when every one of its findings passes;
    /// it is undecided (neither held nor failed) when none fails and one is insufficient
    /// evidence — a group under `min_group_size`, a value undefined in every group, or a
    /// way of selecting that selects every row or none (`selection`, from
    /// ``selectionShortfall(of:kind:)``). Its value is the one the verdict rests on: the
    /// worst of the failing findings' values, else the worst of all.
    static func check(_ rules: [AuditProfile.RuleSpec], decision: AuditProfile.DecisionSpec, attribute: String,
                      frame: MetricFrame, reference: ReferenceGroup, settings: AuditProfile.Settings,
                      selection: (reason: String?, remedy: String?)) -> [MitigationReport.RuleCheck] {
        var pointSettings = settings
        pointSettings.verdict = .point
        let evaluation = DecisionEvaluation(
            judging: decision, dimensions: [DecisionEvaluation.Dimension(name: attribute, frame: frame, reference: reference, intervals: nil)],
            settings: pointSettings, isLabeled: frame.stats.isLabeled, selectionShortfall: selection)
        return rules.filter { isCheckable($0.metric) && $0.applies(toDecision: decision.name, attribute: attribute) }.map { rule in
            let findings = evaluation.findings(rules: [rule])
            let failing = findings.filter { $0.verdict == .fail }
            let judged = (failing.isEmpty ? findings : failing).compactMap { $0.judgedValue ?? $0.value }
            var check = MitigationReport.RuleCheck(rule: rule.expression, attribute: attribute, value: worst(judged, rule: rule),
                                                   holds: !findings.isEmpty && findings.allSatisfy { $0.verdict == .pass })
            if failing.isEmpty { check.undecided = findings.first { $0.verdict == .insufficientEvidence }?.reason }
            return check
        }
    }

    /// Whether every checkable rule of `rules` on `attribute` holds under `frame`, as
    /// ``check(_:decision:attribute:frame:reference:settings:selection:)`` would say, but
    /// stopping at the first that does not: a threshold scan asks this of thousands of
    /// thresholds and needs the full checks of one.
    static func allHold(_ rules: [AuditProfile.RuleSpec], decision: AuditProfile.DecisionSpec, attribute: String,
                        frame: MetricFrame, reference: ReferenceGroup, settings: AuditProfile.Settings,
                        selection: (reason: String?, remedy: String?)) -> Bool {
        var pointSettings = settings
        pointSettings.verdict = .point
        let evaluation = DecisionEvaluation(
            judging: decision, dimensions: [DecisionEvaluation.Dimension(name: attribute, frame: frame, reference: reference, intervals: nil)],
            settings: pointSettings, isLabeled: frame.stats.isLabeled, selectionShortfall: selection)
        for rule in rules where isCheckable(rule.metric) && rule.applies(toDecision: decision.name, attribute: attribute) {
            let findings = evaluation.findings(rules: [rule])
            guard !findings.isEmpty, findings.allSatisfy({ $0.verdict == .pass }) else { return false }
        }
        return true
    }

    /// Why a way of selecting with these expected cells can judge no rule: it selects
    /// every row used or none (by weight, as expected cells are fractional), said as the
    /// audit says it of a decision (``DecisionEvaluation/selectionShortfall(_:selected:used:observed:)``).
    static func selectionShortfall(of frame: MetricFrame, kind: AuditProfile.DecisionSpec.Kind?) -> (reason: String?, remedy: String?) {
        let overall = frame.stats.overall
        let selected = overall.truePositives.weight + overall.falsePositives.weight
        let unselected = overall.trueNegatives.weight + overall.falseNegatives.weight
        let used = overall.count
        // Randomized options' cells are sums of products: a hair above 0 is still none.
        let tolerance = (selected + unselected) * 1e-12
        guard selected <= tolerance || unselected <= tolerance else { return (nil, nil) }
        return DecisionEvaluation.selectionShortfall(kind, selected: selected <= tolerance ? 0 : used, used: used, observed: nil)
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
        // The band keeps a hair (a relative 1e-9) inside every bound, strict or not: rates
        // exactly on a bound compare as on either side of it once divided (0.268 and
        // 0.268 / 0.8 gave a ratio of 0.7999999999999998), and the option built for
        // `disparate_impact >= 0.8` failed it.
        var additive = Double.infinity, multiplicative = Double.infinity
        for rule in relevant {
            let strict: Double = 1 - 1e-9
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
