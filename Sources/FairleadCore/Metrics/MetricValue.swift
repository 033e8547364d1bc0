/// A metric's value, or why it has none.
///
/// A 0/0 — the true positive rate of a group with no actual positives, a ratio whose
/// divisor is 0 — is `undefined` with its reason, never 0, so that a missing number can
/// not pass for perfect parity.
public enum MetricValue: Sendable, Hashable, CustomStringConvertible {
    /// A defined value.
    case value(Double)
    /// No value, and why.
    case undefined(UndefinedReason)

    /// The number, or `nil` when undefined — and when the computation left a double's
    /// range (NaN or ±∞: products of weights near 1e-310 that underflow to 0/0, sums that
    /// overflow), which ``undefinedReason`` reports as `not_finite`. No report, finding or
    /// rendering sees a NaN or an infinity as a value.
    public var number: Double? {
        if case .value(let number) = self, number.isFinite { return number }
        return nil
    }

    /// Whether the value is defined.
    public var isDefined: Bool { number != nil }

    /// The reason, or `nil` when defined.
    public var undefinedReason: UndefinedReason? {
        switch self {
        case .undefined(let reason): reason
        case .value(let number): number.isFinite ? nil : .notFinite
        }
    }

    /// The number, or `undefined(reason)`.
    public var description: String {
        switch self {
        case .value(let number) where number.isFinite: "\(number)"
        case .value: "undefined(\(UndefinedReason.notFinite.rawValue))"
        case .undefined(let reason): "undefined(\(reason.rawValue))"
        }
    }

    /// `numerator / denominator`, or undefined with `reason` when the denominator is 0.
    static func quotient(_ numerator: Double, _ denominator: Double, else reason: UndefinedReason) -> MetricValue {
        denominator == 0 ? .undefined(reason) : .value(numerator / denominator)
    }
}

/// Why a ``MetricValue`` is undefined; the raw values are the report's snake_case words.
public enum UndefinedReason: String, Sendable, Hashable, CaseIterable {
    /// The group has no rows (or only rows of weight 0).
    case emptyGroup = "empty_group"
    /// No rows with y = 1 (e.g. the true positive rate).
    case noActualPositives = "no_actual_positives"
    /// No rows with y = 0 (e.g. the false positive rate).
    case noActualNegatives = "no_actual_negatives"
    /// No rows with ŷ = 1 (e.g. precision).
    case noPredictedPositives = "no_predicted_positives"
    /// No rows with ŷ = 0 (e.g. the negative predictive value).
    case noPredictedNegatives = "no_predicted_negatives"
    /// No rows with a score (the mean score).
    case noScores = "no_scores"
    /// The audit has no labels and the metric needs them.
    case labelsAbsent = "labels_absent"
    /// A ratio's divisor is 0.
    case zeroDivisor = "zero_divisor"
    /// A value the computation needs is itself undefined (e.g. the reference group's).
    case undefinedOperand = "undefined_operand"
    /// No group has a defined value, so there is nothing to compare.
    case noDefinedGroups = "no_defined_groups"
    /// One group alone has a defined value: a disparity between groups over it would be
    /// 0 (or 1), no evidence of parity.
    case oneDefinedGroup = "one_defined_group"
    /// A benefit of 0 makes a generalized entropy index with α ≤ 0 infinite.
    case zeroBenefit = "zero_benefit"
    /// The group has no row in the top k, so the logarithm of its share there (skew@k)
    /// is −∞.
    case absentFromTopK = "absent_from_top_k"
    /// The computation left a double's range (NaN or ±∞), e.g. weights so small that
    /// their products underflow to 0/0.
    case notFinite = "not_finite"
}
