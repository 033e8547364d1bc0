/// One bin of a reliability diagram: the rows whose score falls in it, their mean score
/// and how often they converted.
public struct ReliabilityBin: Sendable, Hashable {
    /// The bin's lower edge.
    public var lower: Double
    /// The bin's upper edge.
    public var upper: Double
    /// Rows in the bin (unweighted).
    public var count: Int
    /// Σw over the bin's rows.
    public var weight: Double
    /// Σw·score / Σw; `undefined(empty_group)` for an empty bin.
    public var meanScore: MetricValue
    /// Σw·y / Σw, the observed conversion rate; `undefined(empty_group)` for an empty bin,
    /// `undefined(labels_absent)` without labels.
    public var observedRate: MetricValue

    /// A bin from its parts.
    public init(lower: Double, upper: Double, count: Int, weight: Double, meanScore: MetricValue, observedRate: MetricValue) {
        self.lower = lower
        self.upper = upper
        self.count = count
        self.weight = weight
        self.meanScore = meanScore
        self.observedRate = observedRate
    }
}
