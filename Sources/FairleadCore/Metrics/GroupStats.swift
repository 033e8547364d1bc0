/// Per-group sufficient statistics of one decision rule over one grouping: the weighted
/// confusion cells (TP, FP, TN, FN) of every group, with counts, weight sums and score
/// sums, plus the rows left out by reason.
///
/// Every metric of a ``MetricFrame`` is a function of these numbers alone. They merge:
/// the statistics of two disjoint row sets (chunks, threads, files, days) add up to the
/// statistics of their union, whatever the split and the order —
///
///     a.merging(b).merging(c) == a.merging(b.merging(c))    // counts exactly,
///     a.merging(b) == b.merging(a)                          // sums up to rounding
///
/// — so one pass over the rows, chunked over threads, gives the same numbers as a single
/// sequential pass (``accumulate(_:rule:grouping:scoreRange:rows:)``).
public struct GroupStats: Sendable, Hashable {
    /// Per group, in the grouping's order: its confusion cells.
    public private(set) var cells: [ConfusionCells]
    /// Whether the audit had labels; without them every row sits in the y = 0 cells.
    public let isLabeled: Bool
    /// Rows left out, by reason.
    public private(set) var exclusions: ExclusionCounts

    /// Empty statistics for `groupCount` groups.
    public init(groupCount: Int, isLabeled: Bool) {
        self.cells = Array(repeating: ConfusionCells(), count: groupCount)
        self.isLabeled = isLabeled
        self.exclusions = ExclusionCounts()
    }

    /// Statistics from their parts.
    public init(cells: [ConfusionCells], isLabeled: Bool, exclusions: ExclusionCounts = ExclusionCounts()) {
        self.cells = cells
        self.isLabeled = isLabeled
        self.exclusions = exclusions
    }

    /// The number of groups.
    public var groupCount: Int { cells.count }

    /// The cells of all included rows: the sum of the groups' cells, in group order.
    public var overall: ConfusionCells {
        cells.reduce(ConfusionCells(), +)
    }

    /// Adds the statistics of a disjoint row set over the same grouping.
    public mutating func merge(_ other: GroupStats) {
        precondition(other.groupCount == groupCount, "merging GroupStats of different groupings")
        precondition(other.isLabeled == isLabeled, "merging labelled and label-free GroupStats")
        for index in cells.indices {
            cells[index] = cells[index] + other.cells[index]
        }
        exclusions = exclusions + other.exclusions
    }

    /// The statistics of both row sets.
    public func merging(_ other: GroupStats) -> GroupStats {
        var merged = self
        merged.merge(other)
        return merged
    }
}
