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
