import FairleadCore

/// What an audit's group metrics of one decision are computed from: per attribute and
/// intersection of the profile, the grouping and its ``GroupStats``, with the rows read
/// and the scores' observed range.
///
/// The rows give it (``DecisionEvaluation/statistics(decision:data:profile:dataPath:)``),
/// and so do merged statistics parts (``StatisticsPart``): an audit from either reports
/// the same numbers.
struct DecisionStatistics: Sendable {
    /// One attribute or intersection.
    struct GroupingStatistics: Sendable {
        var grouping: Grouping
        var stats: GroupStats
    }

    /// Data rows read (every row, used or not).
    var rowsRead: Int
    /// Whether the data had a label column.
    var isLabeled: Bool
    /// The smallest and largest finite score, or `nil` when no row has one.
    var observedScores: ClosedRange<Double>?
    /// In the profile's order: its attributes, then its intersections.
    var groupings: [GroupingStatistics]
}

extension AuditProfile {
    /// The dimensions every decision is audited under: each sensitive attribute, then
    /// each intersection.
    var groupings: [[String]] {
        sensitive.map { [$0.column] } + intersections
    }

    /// Per attribute of `attributes`, its policy for a missing value: in an intersection a
    /// row missing an attribute with `missing: exclude` is left out, one missing only
    /// attributes with `missing: unknown` is in their `unknown` groups.
    func missingPolicies(for attributes: [String]) -> [MissingSensitivePolicy] {
        attributes.map { name in sensitive.first { $0.column == name }?.missing == .exclude ? .exclude : .ownGroup }
    }
}

extension StatisticsSpec {
    /// ``AuditProfile/missingPolicies(for:)`` from the spec a statistics part records, whose
    /// attributes keep the policy as its name (`exclude` or `unknown`).
    func missingPolicies(for attributes: [String]) -> [MissingSensitivePolicy] {
        attributes.map { name in
            sensitive.first { $0.column == name }?.missing == AuditProfile.SensitiveSpec.MissingPolicy.exclude.rawValue ? .exclude : .ownGroup
        }
    }
}

extension ScoreScale {
    /// The smallest and largest finite score, or `nil` when there is none.
    static func observedRange(_ scores: [Double]) -> ClosedRange<Double>? {
        var low = Double.infinity
        var high = -Double.infinity
        for score in scores where score.isFinite {
            low = min(low, score)
            high = max(high, score)
        }
        return low <= high ? low...high : nil
    }
}
