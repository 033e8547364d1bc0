/// Whether a group (or a comparison of two) has enough rows for a verdict.
public enum Evidence: Sendable, Hashable {
    /// At least the minimum number of rows.
    case sufficient
    /// Fewer rows than required: the group (by key), the rows it has and the minimum.
    case insufficient(group: GroupKey, rows: Int, minimum: Int)
}

extension MetricFrame {
    /// Whether the group at `index` has at least `minimumGroupSize` rows (effective rows
    /// when weighted, ``ConfusionCells/effectiveCount``).
    public func evidence(group index: Int, minimumGroupSize: Int) -> Evidence {
        let rows = stats.cells[index].effectiveCount
        return rows >= minimumGroupSize ? .sufficient
            : .insufficient(group: groups[index], rows: rows, minimum: minimumGroupSize)
    }

    /// Whether the rows a metric is computed from (its denominator: actual positives for
    /// the true positive rate, all rows for the selection rate, …) number at least
    /// `minimumGroupSize` in the group at `index` (effective rows when weighted,
    /// ``GroupMetric/denominatorCount(_:all:)``).
    public func evidence(_ metric: GroupMetric, group index: Int, minimumGroupSize: Int) -> Evidence {
        let rows = metric.denominatorCount(stats.cells[index], all: overallCells)
        return rows >= minimumGroupSize ? .sufficient
            : .insufficient(group: groups[index], rows: rows, minimum: minimumGroupSize)
    }

    /// Whether both `group` and the reference group have enough rows for `metric`; the
    /// first insufficient one is reported.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` when a named group is not in the grouping.
    public func evidence(_ metric: GroupMetric, group: GroupKey, reference: ReferenceGroup,
                         minimumGroupSize: Int) throws -> Evidence {
        let index = try groupIndex(group)
        let own = evidence(metric, group: index, minimumGroupSize: minimumGroupSize)
        guard case .sufficient = own else { return own }
        guard let referenceIndex = try referenceIndex(reference, for: metric) else { return .sufficient }
        return evidence(metric, group: referenceIndex, minimumGroupSize: minimumGroupSize)
    }

    /// The groups with fewer than `minimumGroupSize` rows, in group order.
    public func insufficientGroups(minimumGroupSize: Int) -> [GroupKey] {
        groups.indices.filter { stats.cells[$0].effectiveCount < minimumGroupSize }.map { groups[$0] }
    }
}
