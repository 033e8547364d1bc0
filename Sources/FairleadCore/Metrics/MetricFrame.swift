/// Every per-group metric of one decision rule over one grouping, computed once from its
/// ``GroupStats``: values overall and by group, their extremes and their disparities.
///
/// The concept is Fairlearn's `MetricFrame` (`overall`, `by_group`, `group_min`,
/// `group_max`, `difference`, `ratio`); the named fairness metrics
/// (``demographicParityDifference(method:)`` and the others) are thin wrappers over it.
/// It is an immutable value; building it from statistics reads no rows.
///
/// Undefined values (0/0) are skipped by the reductions, as Fairlearn's pandas reductions
/// skip NaN; a reduction over no defined value is itself undefined.
///
///     let frame = MetricFrame(stats: stats, grouping: grouping)
///     frame.byGroup(.selectionRate)          // one MetricValue per group
///     frame.difference(.selectionRate)       // demographic parity difference
///     frame.ratio(.truePositiveRate, method: .toOverall)
public struct MetricFrame: Sendable {
    /// The groups and their attributes.
    public let grouping: Grouping
    /// The statistics every value is computed from.
    public let stats: GroupStats
    /// Per metric (in `GroupMetric.allCases` order), per group.
    private let table: [[MetricValue]]
    /// Per metric, over all included rows.
    private let overallValues: [MetricValue]
    /// The cells of all included rows (``GroupStats/overall``, summed once when the frame
    /// is made: that sum walks every group, so per-group code reads it here).
    public let overallCells: ConfusionCells
    /// The group with the most rows (the first of equals), for ``ReferenceGroup/largest``:
    /// of the groups whose every value is known (``ReferenceGroup/largestIndex(counts:isKnown:)``).
    let largestIndex: Int?
    /// Per metric: the group with the best defined value (the first of equals), for
    /// ``ReferenceGroup/bestValued``. Kept so that comparing every group with its reference
    /// costs O(groups), not O(groups²); empty in a bootstrap replicate's frame, which is
    /// given its reference and never asks (``referenceIndex(_:for:)`` then finds it).
    let bestValuedIndices: [Int?]

    /// A frame over `stats`, whose groups are `grouping`'s.
    public init(stats: GroupStats, grouping: Grouping) {
        self.init(stats: stats, grouping: grouping, keepsBestValued: true)
    }

    /// A frame over `stats`; without `keepsBestValued`, the best-valued groups are not
    /// worked out ahead (a bootstrap replicate's frame, which is handed its reference).
    init(stats: GroupStats, grouping: Grouping, keepsBestValued: Bool) {
        precondition(stats.groupCount == grouping.groupCount, "statistics and grouping differ in group count")
        let all = stats.overall
        self.grouping = grouping
        self.stats = stats
        self.table = GroupMetric.allCases.map { metric in
            stats.cells.map { metric.value($0, all: all, isLabeled: stats.isLabeled) }
        }
        self.overallValues = GroupMetric.allCases.map { $0.value(all, all: all, isLabeled: stats.isLabeled) }
        self.overallCells = all
        self.largestIndex = ReferenceGroup.largestIndex(counts: stats.cells.map(\.count)) {
            ReferenceGroup.isKnown(grouping.groups[$0])
        }
        self.bestValuedIndices = keepsBestValued ? zip(GroupMetric.allCases, table).map(Self.bestValued) : []
    }

    /// The group with the best defined value of `metric` among `values` (the first of
    /// equals), or `nil` when none is defined.
    static func bestValued(_ metric: GroupMetric, _ values: [MetricValue]) -> Int? {
        var best: (index: Int, value: Double)?
        for (index, value) in values.enumerated() {
            guard let number = value.number else { continue }
            if let current = best {
                let better = metric.higherIsBetter ? number > current.value : number < current.value
                if better { best = (index, number) }
            } else {
                best = (index, number)
            }
        }
        return best?.index
    }

    /// The groups, in order.
    public var groups: [GroupKey] { grouping.groups }

    /// The metric over all included rows (Fairlearn `overall`).
    public func overall(_ metric: GroupMetric) -> MetricValue {
        overallValues[metric.ordinal]
    }

    /// The metric for each group, in group order (Fairlearn `by_group`).
    public func byGroup(_ metric: GroupMetric) -> [MetricValue] {
        table[metric.ordinal]
    }

    /// The metric for the group at `index` in ``groups``.
    public func value(_ metric: GroupMetric, group index: Int) -> MetricValue {
        table[metric.ordinal][index]
    }

    /// The metric for a group by key, or `nil` if the grouping has no such group.
    public func value(_ metric: GroupMetric, group key: GroupKey) -> MetricValue? {
        grouping.index(of: key).map { value(metric, group: $0) }
    }

    /// The smallest defined group value (Fairlearn `group_min`).
    public func groupMin(_ metric: GroupMetric) -> MetricValue {
        let numbers = table[metric.ordinal].compactMap(\.number)
        guard let minimum = numbers.min() else { return .undefined(.noDefinedGroups) }
        return .value(minimum)
    }

    /// The largest defined group value (Fairlearn `group_max`).
    public func groupMax(_ metric: GroupMetric) -> MetricValue {
        let numbers = table[metric.ordinal].compactMap(\.number)
        guard let maximum = numbers.max() else { return .undefined(.noDefinedGroups) }
        return .value(maximum)
    }

    /// The largest disparity of the metric, as a difference (Fairlearn `difference`).
    ///
    /// - `.betweenGroups`: group_max − group_min.
    /// - `.toOverall`: max over groups of |g − overall|.
    public func difference(_ metric: GroupMetric, method: DisparityMethod = .betweenGroups) -> MetricValue {
        switch method {
        case .betweenGroups:
            guard let high = groupMax(metric).number, let low = groupMin(metric).number else {
                return .undefined(.noDefinedGroups)
            }
            return .value(high - low)
        case .toOverall:
            guard let overall = overall(metric).number else { return .undefined(.undefinedOperand) }
            let gaps = table[metric.ordinal].compactMap { $0.number.map { abs($0 - overall) } }
            guard let largest = gaps.max() else { return .undefined(.noDefinedGroups) }
            return .value(largest)
        }
    }

    /// The largest disparity of the metric, as a ratio in [0, 1] (Fairlearn `ratio`).
    ///
    /// - `.betweenGroups`: group_min ÷ group_max; undefined when group_max is 0.
    /// - `.toOverall`: min over groups of g ÷ overall, a ratio above 1 replaced by its
    ///   inverse (overall ÷ g); undefined when overall is 0 (Fairlearn would give 0 for a
    ///   group above 0 and skip a group at 0; for rates an overall of 0 means every group
    ///   is 0 or undefined).
    public func ratio(_ metric: GroupMetric, method: DisparityMethod = .betweenGroups) -> MetricValue {
        switch method {
        case .betweenGroups:
            guard let high = groupMax(metric).number, let low = groupMin(metric).number else {
                return .undefined(.noDefinedGroups)
            }
            return MetricValue.quotient(low, high, else: .zeroDivisor)
        case .toOverall:
            guard let overall = overall(metric).number else { return .undefined(.undefinedOperand) }
            guard overall != 0 else { return .undefined(.zeroDivisor) }
            let ratios = table[metric.ordinal].compactMap { value -> Double? in
                guard let number = value.number else { return nil }
                let ratio = number / overall
                return ratio > 1 ? 1 / ratio : ratio
            }
            guard let smallest = ratios.min() else { return .undefined(.noDefinedGroups) }
            return .value(smallest)
        }
    }
}

extension GroupMetric {
    /// The position in `allCases`.
    var ordinal: Int {
        switch self {
        case .count: 0
        case .share: 1
        case .baseRate: 2
        case .selectionRate: 3
        case .truePositiveRate: 4
        case .falsePositiveRate: 5
        case .trueNegativeRate: 6
        case .falseNegativeRate: 7
        case .positivePredictiveValue: 8
        case .negativePredictiveValue: 9
        case .falseDiscoveryRate: 10
        case .falseOmissionRate: 11
        case .accuracy: 12
        case .meanScore: 13
        }
    }
}
