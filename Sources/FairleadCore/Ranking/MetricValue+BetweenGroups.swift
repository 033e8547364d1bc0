extension MetricValue {
    /// The largest defined value minus the smallest (Fairlearn `between_groups`
    /// difference); undefined values are skipped, and none defined is
    /// `undefined(no_defined_groups)`.
    public static func differenceBetweenGroups(_ values: [MetricValue]) -> MetricValue {
        let numbers = values.compactMap(\.number)
        guard let low = numbers.min(), let high = numbers.max() else { return .undefined(.noDefinedGroups) }
        return .value(high - low)
    }

    /// The smallest defined value divided by the largest (Fairlearn `between_groups`
    /// ratio); `undefined(zero_divisor)` when the largest is 0.
    public static func ratioBetweenGroups(_ values: [MetricValue]) -> MetricValue {
        let numbers = values.compactMap(\.number)
        guard let low = numbers.min(), let high = numbers.max() else { return .undefined(.noDefinedGroups) }
        return quotient(low, high, else: .zeroDivisor)
    }

    /// The defined value farthest from 0, as its absolute value (e.g. the largest
    /// |xAUC disparity|); undefined values are skipped.
    public static func largestMagnitude(_ values: [MetricValue]) -> MetricValue {
        guard let largest = values.compactMap({ $0.number.map(abs) }).max() else { return .undefined(.noDefinedGroups) }
        return .value(largest)
    }
}
