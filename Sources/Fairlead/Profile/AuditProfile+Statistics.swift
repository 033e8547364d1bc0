import FairleadCore

extension AuditProfile {
    /// The `statistics:` section: how statistics parts and the pushdown query summarize
    /// what needs more than per-group sums (docs/scale.md, "The score grid").
    ///
    ///     statistics:
    ///       score_grid:
    ///         bins: 1000        # equal-width cells over data.score_range ([0, 1] when undeclared)
    public struct StatisticsSettings: Sendable, Equatable {
        /// The cells of the score grid the lead-queue metrics are computed from; `nil`
        /// when the section does not declare one.
        public var scoreGridBins: Int?

        public init(scoreGridBins: Int? = nil) {
            self.scoreGridBins = scoreGridBins
        }
    }

    /// The grid's cells when a queue rule asks for one and the profile declares none.
    public static let defaultScoreGridBins = 1_000

    static func decodeStatistics(_ node: ProfileNode?, limits: Limits) throws -> StatisticsSettings? {
        guard let node else { return nil }
        var mapping = try ProfileMapping(node, path: "statistics")
        var settings = StatisticsSettings()
        if let gridNode = mapping.node("score_grid") {
            var grid = try ProfileMapping(gridNode, path: "statistics.score_grid")
            let bins = try grid.integer("bins", atLeast: 2)
            guard let bins else {
                throw ProfileMapping.error("expected bins: N, the number of equal-width cells over data.score_range (e.g. 1000)",
                                           path: "statistics.score_grid.bins", at: gridNode.location)
            }
            guard bins <= limits.maxGridBins else {
                throw ProfileMapping.error("expected at most \(limits.maxGridBins) cells, found \(bins); raise limits.max_grid_bins (or --max-grid-bins) for a finer grid",
                                           path: "statistics.score_grid.bins", at: gridNode.location)
            }
            try grid.finish(allowed: ["bins"])
            settings.scoreGridBins = bins
        }
        try mapping.finish(allowed: ["score_grid"])
        return settings
    }

    /// The score grid statistics are computed on: the declared one, or
    /// ``defaultScoreGridBins`` cells when a rule needs lead-queue metrics; `nil` when
    /// neither. Over `data.score_range`, or [0, 1] when the profile declares none.
    public var scoreGrid: ScoreGrid? {
        let bins = statistics?.scoreGridBins
            ?? (rules.contains { $0.metric.isQueueMetric } ? Self.defaultScoreGridBins : nil)
        guard let bins else { return nil }
        let range = data.scoreRange ?? 0...1
        return ScoreGrid(bins: bins, lower: range.lowerBound, upper: range.upperBound)
    }
}
