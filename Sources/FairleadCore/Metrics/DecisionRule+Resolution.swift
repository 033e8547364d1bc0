/// A decision rule fixed to one set of columns: a per-row test that needs no global state,
/// so rows can be decided in any chunk on any thread.
enum ResolvedDecision: Sendable {
    /// ŷ = 1 when score ≥ threshold.
    case threshold(Double)
    /// ŷ = 1 when score > cutoff, or score == cutoff and row ≤ lastTiedRow (top-k with
    /// ties taken in row order).
    case ranked(cutoff: Double, lastTiedRow: Int)
    /// ŷ is the given prediction column.
    case given
}

extension DecisionRule {
    /// Resolves the rule on `columns`; a top-k rule ranks every row that has a score.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for a negative k, a fraction outside
    ///   0...1 or a non-finite threshold, `.invalidData` for a prediction rule without a
    ///   prediction column.
    func resolve(on columns: AuditColumns) throws -> ResolvedDecision {
        switch self {
        case .threshold(let threshold):
            guard threshold.isFinite else {
                throw FairleadError(.invalidProfile, "threshold must be a finite number, found \(threshold)")
            }
            return .threshold(threshold)
        case .topCount(let count):
            guard count >= 0 else {
                throw FairleadError(.invalidProfile, "top-k count must be at least 0, found \(count)")
            }
            return Self.rank(columns.scores, count: { topK(scored: $0) ?? 0 })
        case .topFraction(let fraction):
            guard fraction >= 0 && fraction <= 1 else {
                throw FairleadError(.invalidProfile, "top-k fraction must be within 0...1, found \(fraction)")
            }
            return Self.rank(columns.scores, count: { topK(scored: $0) ?? 0 })
        case .givenPredictions:
            guard columns.predictions != nil else {
                throw FairleadError(.invalidData, "the rule uses given predictions but the audit has no prediction column")
            }
            return .given
        }
    }

    /// The k of a top-k rule over `scored` rows with a score: the count, or round(f ×
    /// scored) half away from zero; `nil` for another rule.
    func topK(scored: Int) -> Int? {
        switch self {
        case .topCount(let count): count
        case .topFraction(let fraction): Int((fraction * Double(scored)).rounded(.toNearestOrAwayFromZero))
        case .threshold, .givenPredictions: nil
        }
    }

    /// Where a top-k rule's cut falls inside a run of equal scores, taking some of them
    /// and leaving others (taken in row order, ``resolve(on:)``): then which rows are
    /// selected — and each group's share of them — follows the rows' order, not their
    /// scores. `nil` for another rule, or when the cut falls between two scores.
    /// ``ScoreRanking/tieAtCutoff(k:)`` reads the same from a queue already ranked.
    public func tieAtCutoff(scores: [Double]) -> TieAtCutoff? {
        guard topK(scored: 0) != nil, let cut = Self.cut(scores, count: { topK(scored: $0) ?? 0 }) else { return nil }
        return TieAtCutoff(score: cut.cutoff, k: cut.k, above: cut.above, tied: cut.tied)
    }

    /// The cut of a top k over the finite `scores`: the k-th highest score, and how many
    /// scores lie above it and at it. `nil` when k takes no score or every score (no cut).
    /// One quickselect and one pass: what ``rank(_:count:)`` and ``tieAtCutoff(scores:)``
    /// both read.
    private static func cut(_ scores: [Double], count: (Int) -> Int) -> (k: Int, cutoff: Double, above: Int, tied: Int)? {
        var scored = scores.filter { $0.isFinite }
        let k = min(max(count(scored.count), 0), scored.count)
        guard k > 0, k < scored.count else { return nil }
        let cutoff = _QuickSelect.kthLargest(&scored, k: k)
        var above = 0, tied = 0
        for score in scores where score.isFinite {
            if score > cutoff { above += 1 } else if score == cutoff { tied += 1 }
        }
        return (k, cutoff, above, tied)
    }

    /// Finds the k-th highest finite score and the last row (in row order) that the
    /// top-k takes among rows tied at it.
    private static func rank(_ scores: [Double], count: (Int) -> Int) -> ResolvedDecision {
        guard let cut = cut(scores, count: count) else {
            // No cut: k takes no score, or every one.
            let scored = scores.lazy.filter { $0.isFinite }.count
            return min(count(scored), scored) == 0 ? .ranked(cutoff: .infinity, lastTiedRow: -1) : .ranked(cutoff: -.infinity, lastTiedRow: -1)
        }
        var tiesToTake = cut.k - cut.above
        var lastTiedRow = -1
        for (row, score) in scores.enumerated() where score == cut.cutoff {
            if tiesToTake == 0 { break }
            tiesToTake -= 1
            lastTiedRow = row
        }
        return .ranked(cutoff: cut.cutoff, lastTiedRow: lastTiedRow)
    }
}

/// A top-k cut inside a run of `tied` rows of equal `score`, `taken` of which it selects
/// (``DecisionRule/tieAtCutoff(scores:)``, ``ScoreRanking/tieAtCutoff(k:)``).
public struct TieAtCutoff: Sendable, Hashable {
    public var score: Double
    public var tied: Int
    public var taken: Int

    public init(score: Double, tied: Int, taken: Int) {
        self.score = score
        self.tied = tied
        self.taken = taken
    }

    /// The tie of a top `k` whose k-th highest score is `score`, with `above` scores above
    /// it and `tied` at it: `nil` when the cut takes every tied row or none of them (it
    /// falls between two scores). A −0 is given as 0: which of a tied −0 and 0 is the k-th
    /// is the row order's.
    init?(score: Double, k: Int, above: Int, tied: Int) {
        let taken = k - above
        guard taken > 0, taken < tied else { return nil }
        self.init(score: score == 0 ? 0 : score, tied: tied, taken: taken)
    }
}

/// Hoare-partition selection (expected linear time) of the k-th largest element.
enum _QuickSelect {
    /// The k-th largest value (k ≥ 1) of `values`, which is reordered.
    static func kthLargest(_ values: inout [Double], k: Int) -> Double {
        precondition(k >= 1 && k <= values.count)
        let target = k - 1
        return values.withUnsafeMutableBufferPointer { buffer in
            var low = 0
            var high = buffer.count - 1
            while low < high {
                let middle = low + (high - low) / 2
                // Median of three keeps sorted and reverse-sorted inputs linear.
                if buffer[middle] > buffer[low] { buffer.swapAt(middle, low) }
                if buffer[high] > buffer[low] { buffer.swapAt(high, low) }
                if buffer[middle] > buffer[high] { buffer.swapAt(middle, high) }
                let pivot = buffer[high]
                var i = low
                var j = high
                while i <= j {
                    while buffer[i] > pivot { i += 1 }
                    while buffer[j] < pivot { j -= 1 }
                    if i <= j {
                        buffer.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if target <= j {
                    high = j
                } else if target >= i {
                    low = i
                } else {
                    return buffer[target]
                }
            }
            return buffer[target]
        }
    }
}
