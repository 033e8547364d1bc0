extension AuditReport {
    /// The scores' distribution per sensitive attribute and group: what a later audit's
    /// drift check compares its own scores with (population stability index).
    ///
    /// Intersections are left out: their groups are mostly too small for ten bins.
    /// Rows count once each (weights are ignored); rows without a score are left out;
    /// rows with a missing sensitive value form the group `unknown` unless the profile
    /// excludes them.
    public struct ScoreDistribution: Codable, Sendable, Equatable {
        /// Bins per group.
        public var bins: Int
        /// Per attribute (a sensitive column), per group.
        public var attributes: [String: [String: ScoreHistogram]]

        public init(bins: Int, attributes: [String: [String: ScoreHistogram]]) {
            self.bins = bins
            self.attributes = attributes
        }
    }

    /// One group's scores over bins cut at the group's own quantiles.
    ///
    /// With n scored rows sorted x₍₁₎ ≤ … ≤ x₍ₙ₎ and B bins, cut j (1 ≤ j < B) is
    /// x₍⌈j·n/B⌉₎ (the inverted-CDF quantile, numpy's `method="inverted_cdf"`); bin 1
    /// holds scores ≤ cut 1, bin j scores in (cut j−1, cut j], bin B scores > cut B−1.
    /// Ties can leave a bin empty or make it hold more than n/B rows, which is why the
    /// counts are stored rather than assumed.
    public struct ScoreHistogram: Codable, Sendable, Equatable {
        /// Scored rows of the group.
        public var count: Int
        /// The B − 1 cut points, ascending.
        public var cuts: [Double]
        /// Rows per bin; they add up to `count`.
        public var counts: [Int]

        public init(count: Int, cuts: [Double], counts: [Int]) {
            self.count = count
            self.cuts = cuts
            self.counts = counts
        }
    }
}
