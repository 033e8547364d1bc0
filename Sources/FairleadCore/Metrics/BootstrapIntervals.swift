/// Bootstrap percentile intervals for every disparity of a ``MetricFrame``'s metrics.
///
/// Made by ``MetricFrame/bootstrap(_:reference:metrics:)``: each replicate redraws every
/// group's rows from its own statistics (stratified by group, so group sizes are fixed)
/// and recomputes the frame; no row is read again.
public struct BootstrapIntervals: Sendable {
    /// Replicates, seed and level used.
    public let configuration: BootstrapConfiguration
    /// The reference asked for.
    public let reference: ReferenceGroup
    /// Per metric: the reference group, resolved once on the observed data and held fixed
    /// across replicates (`nil` when no group had a defined value).
    public let referenceGroups: [GroupMetric: GroupKey]
    /// Per metric, per disparity: its interval (absent when no replicate was defined).
    private let intervals: [GroupMetric: [Disparity: BootstrapInterval]]

    /// Per metric combining the true and false positive rates: its interval.
    private let combined: [CombinedDisparity: BootstrapInterval]

    init(configuration: BootstrapConfiguration, reference: ReferenceGroup,
         referenceGroups: [GroupMetric: GroupKey], intervals: [GroupMetric: [Disparity: BootstrapInterval]],
         combined: [CombinedDisparity: BootstrapInterval] = [:]) {
        self.configuration = configuration
        self.reference = reference
        self.referenceGroups = referenceGroups
        self.intervals = intervals
        self.combined = combined
    }

    /// The interval of a metric combining the true and false positive rates, or `nil`
    /// when both rates were not bootstrapped, no replicate gave a defined value, or (for
    /// the average odds) the two rates' reference groups differ.
    public func interval(_ disparity: CombinedDisparity) -> BootstrapInterval? {
        combined[disparity]
    }

    /// The interval of one disparity of one metric, or `nil` when the metric was not
    /// bootstrapped or no replicate gave a defined value.
    public func interval(_ metric: GroupMetric, _ disparity: Disparity) -> BootstrapInterval? {
        intervals[metric]?[disparity]
    }

    /// Every interval of one metric.
    public func intervals(for metric: GroupMetric) -> [Disparity: BootstrapInterval] {
        intervals[metric] ?? [:]
    }
}
