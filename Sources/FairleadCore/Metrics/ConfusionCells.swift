/// The four confusion cells of one group (or of all rows): rows by prediction ŷ and label y.
///
/// |        | y = 1 | y = 0 |
/// |--------|-------|-------|
/// | ŷ = 1 | TP    | FP    |
/// | ŷ = 0 | FN    | TN    |
///
/// In an audit without labels every row is recorded with y = 0 (so selected rows are in
/// `falsePositives`), and metrics that need labels are undefined; see ``GroupStats/isLabeled``.
public struct ConfusionCells: Sendable, Hashable {
    /// ŷ = 1, y = 1.
    public var truePositives = CellStats()
    /// ŷ = 1, y = 0.
    public var falsePositives = CellStats()
    /// ŷ = 0, y = 0.
    public var trueNegatives = CellStats()
    /// ŷ = 0, y = 1.
    public var falseNegatives = CellStats()

    /// Empty cells.
    public init() {}

    /// Cells from their parts.
    public init(truePositives: CellStats, falsePositives: CellStats,
                trueNegatives: CellStats, falseNegatives: CellStats) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    /// The cells in storage order: TP, FP, TN, FN.
    var all: [CellStats] { [truePositives, falsePositives, trueNegatives, falseNegatives] }

    /// Rows in the group.
    public var count: Int {
        truePositives.count + falsePositives.count + trueNegatives.count + falseNegatives.count
    }

    /// Σ w over the group.
    public var weight: Double {
        truePositives.weight + falsePositives.weight + trueNegatives.weight + falseNegatives.weight
    }

    /// Σ w² over the group.
    public var squaredWeight: Double {
        truePositives.squaredWeight + falsePositives.squaredWeight + trueNegatives.squaredWeight + falseNegatives.squaredWeight
    }

    /// The rows a verdict on the group rests on: its rows, or for weighted rows their
    /// effective number when fewer (``GroupMetric/effectiveRows(weight:squaredWeight:count:)``).
    public var effectiveCount: Int {
        GroupMetric.effectiveRows(weight: weight, squaredWeight: squaredWeight, count: count)
    }

    /// Σ w over rows with ŷ = 1 (TP + FP).
    public var predictedPositiveWeight: Double { truePositives.weight + falsePositives.weight }
    /// Σ w over rows with ŷ = 0 (TN + FN).
    public var predictedNegativeWeight: Double { trueNegatives.weight + falseNegatives.weight }
    /// Σ w over rows with y = 1 (TP + FN).
    public var actualPositiveWeight: Double { truePositives.weight + falseNegatives.weight }
    /// Σ w over rows with y = 0 (FP + TN).
    public var actualNegativeWeight: Double { falsePositives.weight + trueNegatives.weight }

    /// The cells of both row sets.
    public static func + (lhs: ConfusionCells, rhs: ConfusionCells) -> ConfusionCells {
        ConfusionCells(truePositives: lhs.truePositives + rhs.truePositives,
                       falsePositives: lhs.falsePositives + rhs.falsePositives,
                       trueNegatives: lhs.trueNegatives + rhs.trueNegatives,
                       falseNegatives: lhs.falseNegatives + rhs.falseNegatives)
    }
}
