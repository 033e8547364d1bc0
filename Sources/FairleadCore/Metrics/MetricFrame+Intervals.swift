extension MetricFrame {
    /// The Wilson interval of a rate for the group at `index` (``ConfidenceInterval/wilson(proportion:sampleSize:level:)``,
    /// n the effective size of the rate's denominator rows); `nil` for `count` and
    /// `mean_score` (not proportions) and for undefined values.
    public func wilsonInterval(_ metric: GroupMetric, group index: Int, level: Double = 0.95) -> ConfidenceInterval? {
        Self.wilson(metric, value: value(metric, group: index), cells: stats.cells[index],
                    all: overallCells, level: level)
    }

    /// The Wilson interval of a rate over all included rows.
    public func overallWilsonInterval(_ metric: GroupMetric, level: Double = 0.95) -> ConfidenceInterval? {
        let all = overallCells
        return Self.wilson(metric, value: overall(metric), cells: all, all: all, level: level)
    }

    private static func wilson(_ metric: GroupMetric, value: MetricValue, cells: ConfusionCells,
                               all: ConfusionCells, level: Double) -> ConfidenceInterval? {
        guard metric.isRate, let proportion = value.number else { return nil }
        let denominator = metric.denominator(cells, all: all)
        return ConfidenceInterval.wilson(proportion: proportion, weight: denominator.weight,
                                         squaredWeight: denominator.squaredWeight, level: level)
    }
}
