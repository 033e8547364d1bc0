import FairleadCore

/// The scores of each group of each sensitive attribute, summarized in one pass per
/// attribute: the report's histograms (bins at the group's own deciles) and, for a drift
/// check, the counts of today's scores in the baseline's bins.
struct ScoreSummary {
    /// Bins per group.
    static let bins = 10

    var distribution: AuditReport.ScoreDistribution
    /// Per attribute and group: today's scores counted in the baseline's bins of that group.
    var countsInBaselineBins: [String: [String: [Int]]]

    /// Summarizes `data`; `baseline` gives the bins to count today's scores in.
    init(data: AuditData, profile: AuditProfile, baseline: AuditReport.ScoreDistribution?) {
        var attributes: [String: [String: AuditReport.ScoreHistogram]] = [:]
        var counts: [String: [String: [Int]]] = [:]
        for (spec, attribute) in zip(profile.sensitive, data.attributes) {
            let groups = Self.sortedScores(scores: data.scores, attribute: attribute, missing: spec.missing)
            var histograms: [String: AuditReport.ScoreHistogram] = [:]
            var baselineCounts: [String: [Int]] = [:]
            for (group, scores) in groups where !scores.isEmpty {
                let cuts = Self.cuts(sorted: scores, bins: Self.bins)
                histograms[group] = AuditReport.ScoreHistogram(count: scores.count, cuts: cuts,
                                                               counts: Self.counts(sorted: scores, cuts: cuts))
                if let baselineCuts = baseline?.attributes[spec.column]?[group]?.cuts {
                    baselineCounts[group] = Self.counts(sorted: scores, cuts: baselineCuts.sorted())
                }
            }
            attributes[spec.column] = histograms
            counts[spec.column] = baselineCounts
        }
        distribution = AuditReport.ScoreDistribution(bins: Self.bins, attributes: attributes)
        countsInBaselineBins = counts
    }

    /// Each group's scores, ascending; rows without a score are left out, rows with a
    /// missing value go to `unknown` (or are left out under `missing: exclude`), as the
    /// audit groups them.
    static func sortedScores(scores: [Double], attribute: SensitiveAttribute,
                             missing: AuditProfile.SensitiveSpec.MissingPolicy) -> [String: [Double]] {
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
        var buckets = [[Double]](repeating: [], count: names.count)
        scores.withUnsafeBufferPointer { scores in
            attribute.codes.withUnsafeBufferPointer { codes in
                for row in 0..<min(scores.count, codes.count) where !scores[row].isNaN {
                    let code = Int(codes[row])
                    if code >= 0 {
                        buckets[code].append(scores[row])
                    } else if let unknownSlot {
                        buckets[unknownSlot].append(scores[row])
                    }
                }
            }
        }
        var result: [String: [Double]] = [:]
        for (name, bucket) in zip(names, buckets) where !bucket.isEmpty {
            result[name] = bucket.sorted()
        }
        return result
    }

    /// The bins − 1 cut points of ascending `sorted` scores: cut j is the ⌈j·n/bins⌉-th
    /// smallest (the inverted-CDF quantile at j/bins).
    static func cuts(sorted: [Double], bins: Int) -> [Double] {
        let n = sorted.count
        guard n > 0 else { return [] }
        return (1..<bins).map { j in sorted[(j * n + bins - 1) / bins - 1] }
    }

    /// How many of the ascending `sorted` scores fall in each bin of ascending `cuts`:
    /// bin 0 holds scores ≤ cuts[0], bin j scores in (cuts[j−1], cuts[j]], the last bin
    /// scores above the last cut.
    static func counts(sorted: [Double], cuts: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: cuts.count + 1)
        var bin = 0
        for score in sorted {
            while bin < cuts.count && score > cuts[bin] { bin += 1 }
            counts[bin] += 1
        }
        return counts
    }
}
