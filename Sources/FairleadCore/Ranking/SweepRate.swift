/// A rate a ``ThresholdSweep`` follows across thresholds, per group.
public enum SweepRate: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Σw over selected rows / Σw (``GroupMetric/selectionRate``).
    case selectionRate = "selection_rate"
    /// Σw over selected positives / Σw over positives (``GroupMetric/truePositiveRate``).
    case truePositiveRate = "true_positive_rate"
    /// Σw over selected negatives / Σw over negatives (``GroupMetric/falsePositiveRate``).
    case falsePositiveRate = "false_positive_rate"

    /// Whether a higher value is better for the group (false for the false positive rate),
    /// which picks the ``ReferenceGroup/bestValued`` group.
    public var higherIsBetter: Bool { self != .falsePositiveRate }

    /// The group metric this rate is, at one threshold.
    public var groupMetric: GroupMetric {
        switch self {
        case .selectionRate: .selectionRate
        case .truePositiveRate: .truePositiveRate
        case .falsePositiveRate: .falsePositiveRate
        }
    }

    /// The snake_case name.
    public var description: String { rawValue }
}
