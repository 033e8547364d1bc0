/// Sufficient statistics of the rows in one confusion cell (e.g. the true positives) of
/// one group: how many, their weight, and their scores.
///
/// Everything is a sum, so two `CellStats` of disjoint row sets add up to the statistics
/// of their union; counts add exactly, sums of doubles up to rounding.
public struct CellStats: Sendable, Hashable {
    /// Rows in the cell.
    public var count: Int = 0
    /// Σ w over the cell's rows.
    public var weight: Double = 0
    /// Σ w² over the cell's rows (for the effective sample size of weighted rates).
    public var squaredWeight: Double = 0
    /// Σ w over the cell's rows that have a score.
    public var scoredWeight: Double = 0
    /// Σ w·score over the cell's rows that have a score.
    public var scoreSum: Double = 0

    /// Empty statistics.
    public init() {}

    /// Statistics from their parts.
    public init(count: Int, weight: Double, squaredWeight: Double, scoredWeight: Double, scoreSum: Double) {
        self.count = count
        self.weight = weight
        self.squaredWeight = squaredWeight
        self.scoredWeight = scoredWeight
        self.scoreSum = scoreSum
    }

    /// Adds one row of weight `w` and, if present, score `score`.
    @inline(__always)
    mutating func add(weight w: Double, score: Double?) {
        count &+= 1
        weight += w
        squaredWeight += w * w
        if let score {
            scoredWeight += w
            scoreSum += w * score
        }
    }

    /// The statistics of both row sets.
    public static func + (lhs: CellStats, rhs: CellStats) -> CellStats {
        CellStats(count: lhs.count + rhs.count, weight: lhs.weight + rhs.weight,
                  squaredWeight: lhs.squaredWeight + rhs.squaredWeight,
                  scoredWeight: lhs.scoredWeight + rhs.scoredWeight,
                  scoreSum: lhs.scoreSum + rhs.scoreSum)
    }

    /// Adds the statistics of another, disjoint row set.
    public static func += (lhs: inout CellStats, rhs: CellStats) {
        lhs = lhs + rhs
    }

    /// The statistics of `newCount` rows drawn from this cell, its rows taken as
    /// exchangeable: every sum is scaled by newCount / count (used by the bootstrap).
    func resampled(count newCount: Int) -> CellStats {
        guard count > 0 else { return CellStats() }
        let scale = Double(newCount) / Double(count)
        return CellStats(count: newCount, weight: weight * scale, squaredWeight: squaredWeight * scale,
                         scoredWeight: scoredWeight * scale, scoreSum: scoreSum * scale)
    }
}
