import FairleadCore

extension AuditReport {
    /// Lead-queue metrics of one sensitive attribute (or intersection): threshold-free
    /// separation and calibration per group, top-k shares and exposure per cutoff, and the
    /// score thresholds at which the profile's rules hold. They do not depend on a
    /// decision rule, so they sit beside `decisions` (key `queue.<attribute>`).
    public struct QueueReport: Codable, Sendable, Equatable {
        /// The group distances and xAUC are measured against, when one is named or largest.
        public var referenceGroup: String?
        /// Per group: `auc`, `xauc_versus_rest`, `xauc_rest_versus`, `xauc_disparity`,
        /// `ks_statistic`, `wasserstein_distance` (each against the rest of the rows),
        /// `expected_calibration_error`, `calibration_in_the_large`, `brier_score`.
        public var groups: [String: [String: Estimate]]
        /// Per group: the reliability diagram (uniform score bins).
        public var calibrationBins: [String: [ReliabilityBinReport]]
        /// Per cutoff, by name (`top_10pct`, `top_500`).
        public var topK: [String: TopKReport]
        /// Attribute-level values: `auc_difference`, `max_xauc_disparity`,
        /// `expected_calibration_error_difference`, `brier_score_difference`,
        /// `calibration_in_the_large_difference`.
        public var fairness: [String: Estimate]
        /// Per profile rule that has a score-threshold form (e.g. `disparate_impact >= 0.8`):
        /// the ranges of thresholds, on a grid of 101 points in [0, 1], at which it holds.
        public var thresholdRanges: [String: [[Double]]]

        public init(referenceGroup: String?, groups: [String: [String: Estimate]],
                    calibrationBins: [String: [ReliabilityBinReport]], topK: [String: TopKReport],
                    fairness: [String: Estimate], thresholdRanges: [String: [[Double]]]) {
            self.referenceGroup = referenceGroup
            self.groups = groups
            self.calibrationBins = calibrationBins
            self.topK = topK
            self.fairness = fairness
            self.thresholdRanges = thresholdRanges
        }
    }

    /// One bin of a reliability diagram.
    public struct ReliabilityBinReport: Codable, Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var count: Int
        public var meanScore: Double?
        public var observedRate: Double?

        public init(lower: Double, upper: Double, count: Int, meanScore: Double?, observedRate: Double?) {
            self.lower = lower
            self.upper = upper
            self.count = count
            self.meanScore = meanScore
            self.observedRate = observedRate
        }
    }

    /// The top k of the queue.
    public struct TopKReport: Codable, Sendable, Equatable {
        public var k: Int
        /// `ndkl`, `min_skew_at_k`, `max_skew_at_k`, `exposure_disparity`,
        /// `precision_at_k`, `recall_at_k`.
        public var metrics: [String: Estimate]
        /// Per group: `share_of_top_k`, `share_of_population`, `selection_rate_at_k`,
        /// `precision_at_k`, `recall_at_k`, `skew_at_k`, `exposure_share`, `exposure_ratio`.
        public var groups: [String: [String: Estimate]]
        /// A cut inside a run of tied scores: `selected` of the `tied` rows at `score` took
        /// the last places of the top k in row order, so every value here follows the rows'
        /// order; rules on them are then insufficient evidence. Absent otherwise, and from
        /// a score grid, whose values and bounds do not depend on the row order.
        public var tieAtCutoff: TieAtCutoffInfo?

        public init(k: Int, metrics: [String: Estimate], groups: [String: [String: Estimate]],
                    tieAtCutoff: TieAtCutoffInfo? = nil) {
            self.k = k
            self.metrics = metrics
            self.groups = groups
            self.tieAtCutoff = tieAtCutoff
        }
    }
}
