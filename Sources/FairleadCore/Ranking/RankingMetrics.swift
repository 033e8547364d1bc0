/// Every lead-queue metric of one grouping: top-k at each cutoff, the threshold-free
/// separation, calibration within groups and the threshold sweep.
///
///     let ranking = try ScoreRanking(columns: columns)                       // one sort
///     let grouping = try Grouping(columns: columns, attributes: ["ethnicity"])
///     let metrics = try RankingMetrics(ranking.grouped(by: grouping), configuration: .init(
///         cutoffs: [.count(100), .fraction(0.1)], reference: .named(["white"])))
///     metrics.topK[1].ndkl; metrics.separation.auc; metrics.calibration.overall.brierScore
public struct RankingMetrics: Sendable {
    /// What to compute.
    public struct Configuration: Sendable, Hashable {
        /// The top-k cutoffs.
        public var cutoffs: [RankingCutoff]
        /// Uniform reliability bins over [0, 1].
        public var calibrationBins: Int
        /// The thresholds of the sweep.
        public var sweepGrid: ThresholdGrid
        /// The group score distributions are also compared with (named or largest);
        /// `nil` compares each group with the rest only.
        public var reference: ReferenceGroup?

        /// By default the top 10%, 10 bins, 101 thresholds and no reference group.
        public init(cutoffs: [RankingCutoff] = [.fraction(0.1)], calibrationBins: Int = 10,
                    sweepGrid: ThresholdGrid = .standard, reference: ReferenceGroup? = nil) {
            self.cutoffs = cutoffs
            self.calibrationBins = calibrationBins
            self.sweepGrid = sweepGrid
            self.reference = reference
        }
    }

    /// The grouped queue the metrics come from.
    public let ranking: GroupedRanking
    /// One entry per cutoff, in the configuration's order.
    public let topK: [TopKMetrics]
    /// AUC, xAUC, KS and Wasserstein-1.
    public let separation: ScoreSeparation
    /// Reliability bins, ECE, calibration-in-the-large, Brier score.
    public let calibration: GroupCalibration
    /// Rates across thresholds.
    public let sweep: ThresholdSweep

    /// Computes every family on `ranking`.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for an impossible cutoff, bin count,
    ///   grid or reference group.
    public init(_ ranking: GroupedRanking, configuration: Configuration = Configuration()) throws {
        self.ranking = ranking
        self.topK = try TopKMetrics.compute(ranking, cutoffs: configuration.cutoffs)
        self.separation = try ScoreSeparation(ranking, reference: configuration.reference)
        self.calibration = try GroupCalibration(ranking, binCount: configuration.calibrationBins)
        self.sweep = try ThresholdSweep(ranking, grid: configuration.sweepGrid)
    }
}
