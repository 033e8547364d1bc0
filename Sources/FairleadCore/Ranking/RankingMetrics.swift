import Foundation

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

    /// Computes every family on `ranking`, the four passes on up to `threads` threads at
    /// once (by default, one per core; each reads the same rank-ordered arrays and writes
    /// only its own result). The same on any number; when several throw, the error is
    /// the first family's, in the order top-k, separation, calibration, sweep.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for an impossible cutoff, bin count,
    ///   grid or reference group.
    public init(_ ranking: GroupedRanking, configuration: Configuration = Configuration(),
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let families = try Concurrently.map(count: 4, threads: threads) { index -> _Family in
            switch index {
            case 0: .topK(try TopKMetrics.compute(ranking, cutoffs: configuration.cutoffs))
            case 1: .separation(try ScoreSeparation(ranking, reference: configuration.reference))
            case 2: .calibration(try GroupCalibration(ranking, binCount: configuration.calibrationBins))
            default: .sweep(try ThresholdSweep(ranking, grid: configuration.sweepGrid))
            }
        }
        var topK: [TopKMetrics] = []
        var separation: ScoreSeparation?
        var calibration: GroupCalibration?
        var sweep: ThresholdSweep?
        for family in families {
            switch family {
            case .topK(let value): topK = value
            case .separation(let value): separation = value
            case .calibration(let value): calibration = value
            case .sweep(let value): sweep = value
            }
        }
        guard let separation, let calibration, let sweep else { preconditionFailure("a metric family produced no result") }
        self.ranking = ranking
        self.topK = topK
        self.separation = separation
        self.calibration = calibration
        self.sweep = sweep
    }

    /// One family's result.
    private enum _Family: Sendable {
        case topK([TopKMetrics])
        case separation(ScoreSeparation)
        case calibration(GroupCalibration)
        case sweep(ThresholdSweep)
    }
}
