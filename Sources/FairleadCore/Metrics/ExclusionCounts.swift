/// Rows an audit left out, counted by reason, so that nothing is dropped silently.
///
/// A row is counted once, under the first reason that applies, in the order score,
/// prediction, label, sensitive value.
public struct ExclusionCounts: Sendable, Hashable {
    /// Rows with no score, under a rule that decides by score.
    public var missingScore = 0
    /// Rows with no value in the given prediction column.
    public var missingPrediction = 0
    /// Rows with no label, in an audit with labels.
    public var missingLabel = 0
    /// Rows with a missing sensitive value, under ``MissingSensitivePolicy/exclude``.
    public var missingSensitive = 0

    /// No exclusions.
    public init() {}

    /// Counts from their parts.
    public init(missingScore: Int, missingPrediction: Int, missingLabel: Int, missingSensitive: Int) {
        self.missingScore = missingScore
        self.missingPrediction = missingPrediction
        self.missingLabel = missingLabel
        self.missingSensitive = missingSensitive
    }

    /// All excluded rows.
    public var total: Int { missingScore + missingPrediction + missingLabel + missingSensitive }

    /// The counts of both row sets.
    public static func + (lhs: ExclusionCounts, rhs: ExclusionCounts) -> ExclusionCounts {
        ExclusionCounts(missingScore: lhs.missingScore + rhs.missingScore,
                        missingPrediction: lhs.missingPrediction + rhs.missingPrediction,
                        missingLabel: lhs.missingLabel + rhs.missingLabel,
                        missingSensitive: lhs.missingSensitive + rhs.missingSensitive)
    }
}
