import FairleadCore

/// Simultaneous intervals for interval-mode verdicts, and the rows that would decide an
/// undecided value (docs/metrics.md, "Verdicts").
///
/// **Simultaneous intervals (Bonferroni).** A rule that judges m values at once (one per
/// group) gives each an interval at level 1 − (1 − L)/m, L the settings' interval level,
/// so that all m cover together with probability at least L: with 20 intersectional
/// groups, none fails by chance alone more often than 1 − L. Wilson intervals are
/// recomputed at that level; bootstrap percentile intervals are widened about the value,
/// each side scaled by z((1 − L)/2m) ÷ z((1 − L)/2) (a normal approximation of the
/// percentile interval's sides, as the drift check does). A rule with one value per
/// attribute (between groups) uses its interval as is: its bootstrap already draws every
/// group jointly.
///
/// **Rows that would decide.** An interval's half-width shrinks as 1/√n at the observed
/// rates, so an interval that straddles the bound at distance d from the value, with
/// half-width h on the bound's side, clears it with about (h/d)² times the rows.
enum VerdictEvidence {
    enum Scope {
        case group(String)
        case comparedGroups
    }

    /// The level of each of `comparisons` intervals that together cover with `level`.
    static func simultaneousLevel(_ level: Double, comparisons: Int) -> Double {
        1 - (1 - level) / Double(max(1, comparisons))
    }

    /// A percentile interval at `level` widened to the simultaneous level of `comparisons`.
    static func widened(_ interval: [Double]?, value: Double?, level: Double, comparisons: Int) -> [Double]? {
        guard let interval, interval.count == 2, let value else { return nil }
        guard comparisons > 1 else { return interval }
        return DriftEvaluation.widened(interval, change: value, alpha: (1 - level) / Double(comparisons), level: level)
    }

    /// How a value compares a group's rates with the reference group's.
    enum ReferenceComparison {
        /// g − ref of one rate.
        case difference
        /// g ÷ ref of one rate.
        case ratio
        /// ½ Σ (g − ref) over the rates (the average odds difference).
        case averageOdds
        /// ½ Σ |g − ref| over the rates (the average absolute odds difference).
        case averageAbsoluteOdds
    }

    /// What the counts alone support for a comparison of the group at `group` with the
    /// one at `reference`, when a rate it rests on sits at 0 or 1 (none of a group's rows
    /// counted, or all of them): the bootstrap redraws rows with the decision fixed, so
    /// such a rate is the same in every replicate and its percentile interval says nothing
    /// of it (0 of 42 gives [0, 0]). Each of the 2 × c rates gets its Wilson interval at
    /// 1 − (1 − `level`)/(2c); when all cover, g − ref lies in [L_g − U_ref, U_g − L_ref]
    /// and g ÷ ref in [L_g ÷ U_ref, U_g ÷ L_ref] (docs/metrics.md, "Rates at 0 or 1").
    /// `nil` when no rate is at 0 or 1 (the bootstrap's interval stands) or one is undefined.
    static func countSupported(_ frame: MetricFrame, rates: [GroupMetric], comparison: ReferenceComparison,
                               group: Int, reference: Int, level: Double) -> [Double]? {
        let defined = rates.allSatisfy { rate in [group, reference].allSatisfy { frame.value(rate, group: $0).number != nil } }
        guard !rates.isEmpty, defined, !frame.ratesAtBound(rates, groups: [group, reference]).isEmpty else { return nil }
        let each = simultaneousLevel(level, comparisons: 2 * rates.count)
        var gaps: [(low: Double, high: Double)] = []
        for rate in rates {
            guard let mine = frame.wilsonInterval(rate, group: group, level: each),
                  let theirs = frame.wilsonInterval(rate, group: reference, level: each) else { return nil }
            if comparison == .ratio {
                // A reference rate of 0 leaves the ratio undefined: no interval to give.
                guard theirs.lower > 0 else { return nil }
                return [mine.lower / theirs.upper, mine.upper / theirs.lower]
            }
            gaps.append((mine.lower - theirs.upper, mine.upper - theirs.lower))
        }
        switch comparison {
        case .difference, .ratio:
            return [gaps[0].low, gaps[0].high]
        case .averageOdds:
            return [gaps.map(\.low).reduce(0, +) / 2, gaps.map(\.high).reduce(0, +) / 2]
        case .averageAbsoluteOdds:
            // |x| over x in [a, b]: [0, max(−a, b)] across 0, else [min, max] of |a|, |b|.
            let absolute = gaps.map { gap in
                gap.low <= 0 && 0 <= gap.high ? (0, max(-gap.low, gap.high))
                    : (min(abs(gap.low), abs(gap.high)), max(abs(gap.low), abs(gap.high)))
            }
            return [absolute.map(\.0).reduce(0, +) / 2, absolute.map(\.1).reduce(0, +) / 2]
        }
    }

    /// The smallest interval holding both (`interval` as is when `other` is `nil`; `nil`
    /// when `interval` is: a value without a bootstrap interval gets none from here).
    static func hull(_ interval: [Double]?, _ other: [Double]?) -> [Double]? {
        guard let interval, interval.count == 2, let other, other.count == 2 else { return interval }
        return [min(interval[0], other[0]), max(interval[1], other[1])]
    }

    /// "about N rows in group 'g' (now n) would decide it", when the interval straddles
    /// the rule's bound; `nil` otherwise.
    static func rowsToDecide(value: Double?, interval: [Double]?, rule: AuditProfile.RuleSpec, rows: Int,
                             scope: Scope) -> String? {
        guard let value, let interval, interval.count == 2, rows > 0 else { return nil }
        let bound = rule.bound
        guard interval[0] < bound && bound < interval[1] || interval[0] == bound || interval[1] == bound else { return nil }
        let distance = abs(value - bound)
        guard distance > 0 else { return "the value sits on the bound; no number of rows would decide it" }
        let halfWidth = bound < value ? value - interval[0] : interval[1] - value
        let factor = (halfWidth / distance) * (halfWidth / distance)
        // A value a rounding error from its bound (0.30000000000000004 against 0.3) would
        // need more rows than an Int holds: say so rather than count them.
        guard Double(rows) * factor < 1e12 else {
            return "the value is \(String(format: "%.2g", distance)) from the bound; no practical number of rows (over 10¹²) would decide it"
        }
        let needed = Int((Double(rows) * factor).rounded(.up))
        let labelled = rule.metric.definition.needs.contains(.labels) ? "labelled " : ""
        switch scope {
        case .group(let name):
            return "about \(needed) \(labelled)rows in '\(name)' (now \(rows)) would decide it at the observed rate"
        case .comparedGroups:
            return "about \(String(format: "%.1f", factor))× the \(labelled)rows compared (\(needed), now \(rows)) would decide it at the observed rates"
        }
    }
}
