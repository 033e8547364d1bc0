import FairleadCore

/// The scores of each group of each sensitive attribute, summarized in two passes per
/// attribute over the audit's ranked queue and its rows: the report's histograms (bins at
/// the group's own deciles) and, for a drift check, the counts of today's scores in the
/// baseline's bins.
///
/// The deciles are order statistics of each group's scores, read off the queue
/// (``ScoreRanking/ascendingOrderStatistics(codes:missingGroup:ranks:)``), which is
/// sorted once for the whole audit; the bins then count each row where it falls.
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
        for (spec, attribute) in zip(profile.sensitive, data.attributes) {
            let (names, unknownSlot) = Self.groups(of: attribute, missing: spec.missing)
            let sizes = Self.sizes(scores: data.scores, attribute: attribute, groupCount: names.count, unknownSlot: unknownSlot)
            let ranks = sizes.map { Self.cutRanks(count: $0, bins: Self.bins) }
            let baselineCuts = names.map { name in baseline?.attributes[spec.column]?[name]?.cuts.sorted() }
            let cuts: [[Double]]
            let binned: (counts: [[Int]], baselineCounts: [[Int]?])
            if let index = ranking.columns.attributes.firstIndex(where: { $0 == attribute }) {
                // The ranking's own attribute, its codes perhaps held in rank order: read
                // in rank order.
                cuts = ranking.ascendingOrderStatistics(attribute: index, missingGroup: unknownSlot, ranks: ranks)
                binned = (ranking.binCounts(attribute: index, missingGroup: unknownSlot, cuts: cuts).map { $0 ?? [] },
                          baselineCuts.contains { $0 != nil }
                              ? ranking.binCounts(attribute: index, missingGroup: unknownSlot, cuts: baselineCuts)
                              : baselineCuts.map { _ in nil })
            } else {
                cuts = ranking.ascendingOrderStatistics(codes: attribute.codes, missingGroup: unknownSlot, ranks: ranks)
                binned = Self.binCounts(scores: data.scores, attribute: attribute, unknownSlot: unknownSlot,
                                        cuts: cuts, baselineCuts: baselineCuts)
            }
            var histograms: [String: AuditReport.ScoreHistogram] = [:]
            var baselineCounts: [String: [Int]] = [:]
            for (group, name) in names.enumerated() where sizes[group] > 0 {
                histograms[name] = AuditReport.ScoreHistogram(count: sizes[group], cuts: cuts[group], counts: binned.counts[group])
                if let inBaselineBins = binned.baselineCounts[group] { baselineCounts[name] = inBaselineBins }
            }
            attributes[spec.column] = histograms
            counts[spec.column] = baselineCounts
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

    /// Per group: the rows with a score.
    private static func sizes(scores: [Double], attribute: SensitiveAttribute, groupCount: Int, unknownSlot: Int?) -> [Int] {
        var sizes = [Int](repeating: 0, count: groupCount)
        let missing = unknownSlot ?? -1
        sizes.withUnsafeMutableBufferPointer { sizes in
            scores.withUnsafeBufferPointer { scores in
                attribute.codes.withUnsafeBufferPointer { codes in
                    for row in 0..<min(scores.count, codes.count) where !scores[row].isNaN {
                        let group = codes[row] >= 0 ? Int(codes[row]) : missing
                        if group >= 0 { sizes[group] += 1 }
                    }
                }
            }
        }
        return sizes
    }

    /// Per group: how many of its scores fall in each bin of its `cuts`, and of its
    /// `baselineCuts` (ascending) where it has them.
    private static func binCounts(scores: [Double], attribute: SensitiveAttribute, unknownSlot: Int?, cuts: [[Double]],
                                  baselineCuts: [[Double]?]) -> (counts: [[Int]], baselineCounts: [[Int]?]) {
        // Flat, a group's bins after the previous group's: one array each in the row loop.
        let binStarts = cuts.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count + 1) }
        let baselineStarts = baselineCuts.reduce(into: [0]) { $0.append($0[$0.count - 1] + ($1.map { $0.count + 1 } ?? 0)) }
        var flat = [Int](repeating: 0, count: binStarts[binStarts.count - 1])
        var baselineFlat = [Int](repeating: 0, count: baselineStarts[baselineStarts.count - 1])
        let missing = unknownSlot ?? -1
        scores.withUnsafeBufferPointer { scores in
            attribute.codes.withUnsafeBufferPointer { codes in
                for row in 0..<min(scores.count, codes.count) where !scores[row].isNaN {
                    let group = codes[row] >= 0 ? Int(codes[row]) : missing
                    guard group >= 0 else { continue }
                    let score = scores[row]
                    flat[binStarts[group] + bin(of: score, cuts: cuts[group])] += 1
                    if let baseline = baselineCuts[group] {
                        baselineFlat[baselineStarts[group] + bin(of: score, cuts: baseline)] += 1
                    }
                }
            }
        }
        let counts = cuts.indices.map { Array(flat[binStarts[$0]..<binStarts[$0 + 1]]) }
        let baselineCounts = baselineCuts.indices.map { group in
            baselineCuts[group].map { _ in Array(baselineFlat[baselineStarts[group]..<baselineStarts[group + 1]]) }
        }
        return (counts, baselineCounts)
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
