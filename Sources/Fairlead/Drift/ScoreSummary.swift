import FairleadCore

/// The scores of each group of each sensitive attribute, summarized in passes over the
/// audit's ranked queue: the report's histograms (bins at the group's own deciles) and,
/// for a drift check, the counts of today's scores in the baseline's bins.
///
/// The deciles are order statistics of each group's scores, read off the queue
/// (``ScoreRanking/ascendingOrderStatistics(attribute:missingGroup:ranks:)``), which is
/// sorted once for the whole audit; the bins then count each ranked row where it falls
/// (``ScoreRanking/binCounts(attribute:missingGroup:cuts:)``), in rank order.
struct ScoreSummary {
    /// Bins per group.
    static let bins = 10

    var distribution: AuditReport.ScoreDistribution
    /// Per attribute and group: today's scores counted in the baseline's bins of that group.
    var countsInBaselineBins: [String: [String: [Int]]]

    /// Summarizes `data`, whose scores `ranking` ranks; `baseline` gives the bins to count
    /// today's scores in.
    init(data: AuditData, ranking: ScoreRanking, profile: AuditProfile, baseline: AuditReport.ScoreDistribution?) {
        var attributes: [String: [String: AuditReport.ScoreHistogram]] = [:]
        var counts: [String: [String: [Int]]] = [:]
        for (index, (spec, attribute)) in zip(profile.sensitive, data.attributes).enumerated() {
            // The ranking ranks `data`: its attributes are these, in this order.
            precondition(ranking.columns.attributes[index].name == attribute.name, "a ranking of other columns")
            let (names, unknownSlot) = Self.groups(of: attribute, missing: spec.missing)
            // Per group, its ranked rows (those with a score): one bin without cuts each.
            let sizes = ranking.binCounts(attribute: index, missingGroup: unknownSlot,
                                          cuts: Array(repeating: [], count: names.count)).map { $0?.first ?? 0 }
            let baselineCuts = names.map { name in baseline?.attributes[spec.column]?[name]?.cuts.sorted() }
            // Both read in rank order (the attribute's codes held so by the audit).
            let cuts = ranking.ascendingOrderStatistics(attribute: index, missingGroup: unknownSlot,
                                                        ranks: sizes.map { Self.cutRanks(count: $0, bins: Self.bins) })
            let binCounts = ranking.binCounts(attribute: index, missingGroup: unknownSlot, cuts: cuts).map { $0 ?? [] }
            let baselineBinCounts = baselineCuts.contains { $0 != nil }
                ? ranking.binCounts(attribute: index, missingGroup: unknownSlot, cuts: baselineCuts)
                : baselineCuts.map { _ in nil }
            var histograms: [String: AuditReport.ScoreHistogram] = [:]
            var inBaseline: [String: [Int]] = [:]
            for (group, name) in names.enumerated() where sizes[group] > 0 {
                histograms[name] = AuditReport.ScoreHistogram(count: sizes[group], cuts: cuts[group], counts: binCounts[group])
                if let inBaselineBins = baselineBinCounts[group] { inBaseline[name] = inBaselineBins }
            }
            attributes[spec.column] = histograms
            counts[spec.column] = inBaseline
        }
        distribution = AuditReport.ScoreDistribution(bins: Self.bins, attributes: attributes)
        countsInBaselineBins = counts
    }

    /// The groups of `attribute` as the audit groups its rows: its levels, and `unknown`
    /// for rows with a missing value unless the profile excludes them (`missing: exclude`).
    static func groups(of attribute: SensitiveAttribute,
                       missing: AuditProfile.SensitiveSpec.MissingPolicy) -> (names: [String], unknownSlot: Int?) {
        var names = attribute.levels
        var unknownSlot: Int?
        if missing == .unknownGroup {
            if let existing = names.firstIndex(of: MissingSensitivePolicy.unknownLabel) {
                unknownSlot = existing
            } else {
                unknownSlot = names.count
                names.append(MissingSensitivePolicy.unknownLabel)
            }
        }
        return (names, unknownSlot)
    }

    /// The ascending 1-based ranks of the bins − 1 cut points of `count` scores: cut j is
    /// the ⌈j·n/bins⌉-th smallest (the inverted-CDF quantile at j/bins); none without scores.
    static func cutRanks(count: Int, bins: Int) -> [Int] {
        guard count > 0 else { return [] }
        return (1..<bins).map { j in (j * count + bins - 1) / bins }
    }

    /// The bins − 1 cut points of ascending `sorted` scores (``cutRanks(count:bins:)``).
    static func cuts(sorted: [Double], bins: Int) -> [Double] {
        cutRanks(count: sorted.count, bins: bins).map { sorted[$0 - 1] }
    }

    /// The bin of ascending `cuts` that `score` falls in: bin 0 holds scores ≤ cuts[0],
    /// bin j scores in (cuts[j−1], cuts[j]], the last bin scores above the last cut.
    @inline(__always)
    static func bin(of score: Double, cuts: [Double]) -> Int {
        var bin = 0
        for cut in cuts { bin += score > cut ? 1 : 0 }
        return bin
    }

    /// How many of `scores` fall in each bin of ascending `cuts` (``bin(of:cuts:)``).
    static func counts(sorted scores: [Double], cuts: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: cuts.count + 1)
        for score in scores { counts[bin(of: score, cuts: cuts)] += 1 }
        return counts
    }
}
