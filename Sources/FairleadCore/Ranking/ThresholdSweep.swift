/// Each group's selection rate, true positive rate and false positive rate at every
/// threshold of a grid, and the threshold ranges in which a fairness rule holds.
///
/// At threshold t a counted row is selected when its score ≥ t (``DecisionRule/threshold(_:)``),
/// so each point equals the ``MetricFrame`` of that rule. One pass down the queue: the
/// thresholds, taken from the highest, cut the sorted scores, and each group's running
/// totals are copied at every cut. O(n + thresholds × groups).
///
///     let sweep = try ThresholdSweep(byGender, grid: .standard)
///     sweep.value(.selectionRate, group: 0, at: 50)          // at t = 0.5
///     try sweep.ranges(where: SweepRule(rate: .selectionRate,
///                                       statistic: .ratioToReference(.named(["male"])),
///                                       comparison: .atLeast, bound: 0.8))
///     // e.g. [0.0...0.27, 0.31...0.33]
public struct ThresholdSweep: Sendable, Hashable {
    /// One threshold of the sweep, as a rule closure sees it.
    public struct Point {
        /// The sweep.
        public let sweep: ThresholdSweep
        /// The threshold's index in ``ThresholdSweep/thresholds``.
        public let index: Int

        /// The threshold.
        public var threshold: Double { sweep.thresholds[index] }

        /// A group's rate at this threshold.
        public func value(_ rate: SweepRate, group: Int) -> MetricValue {
            sweep.value(rate, group: group, at: index)
        }

        /// Every group's rate at this threshold, in group order.
        public func values(_ rate: SweepRate) -> [MetricValue] {
            (0..<sweep.groups.count).map { sweep.value(rate, group: $0, at: index) }
        }

        /// The rate over all counted rows at this threshold.
        public func overall(_ rate: SweepRate) -> MetricValue {
            sweep.overall(rate, at: index)
        }
    }

    /// The groups, in the grouping's order.
    public let groups: [GroupKey]
    /// The thresholds, ascending.
    public let thresholds: [Double]
    /// [threshold · groups + group]: Σw over selected rows with y = 1.
    let selectedPositives: [Double]
    /// [threshold · groups + group]: Σw over selected rows with y = 0 (all of them
    /// without labels).
    let selectedNegatives: [Double]
    let positives: [Double]
    let negatives: [Double]
    let counts: [Int]
    let isLabeled: Bool

    /// Sweeps `grid` over `ranking`.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for an impossible grid.
    public init(_ ranking: GroupedRanking, grid: ThresholdGrid = .standard) throws {
        let thresholds = try grid.thresholds(of: ranking)
        let groupCount = ranking.groupCount
        var selectedPositives = [Double](repeating: 0, count: thresholds.count * groupCount)
        var selectedNegatives = [Double](repeating: 0, count: thresholds.count * groupCount)
        var runningPositives = [Double](repeating: 0, count: groupCount)
        var runningNegatives = [Double](repeating: 0, count: groupCount)
        ranking.withGroupCodes { codes in
            ranking.ranking.scores.withUnsafeBufferPointer { scores in
                _withOptionalBuffer(ranking.ranking.labels) { labels in
                    _withOptionalBuffer(ranking.ranking.weights) { rowWeights in
                        var position = 0
                        for index in thresholds.indices.reversed() {
                            let threshold = thresholds[index]
                            while position < scores.count && scores[position] >= threshold {
                                let code = codes[position]
                                if code >= 0 {
                                    let weight = rowWeights?[position] ?? 1
                                    if labels?[position] == 1 {
                                        runningPositives[Int(code)] += weight
                                    } else {
                                        runningNegatives[Int(code)] += weight
                                    }
                                }
                                position += 1
                            }
                            let base = index * groupCount
                            for group in 0..<groupCount {
                                selectedPositives[base + group] = runningPositives[group]
                                selectedNegatives[base + group] = runningNegatives[group]
                            }
                        }
                    }
                }
            }
        }
        self.groups = ranking.groups
        self.thresholds = thresholds
        self.selectedPositives = selectedPositives
        self.selectedNegatives = selectedNegatives
        self.positives = ranking.positiveWeights
        self.negatives = ranking.negativeWeights
        self.counts = ranking.counts
        self.isLabeled = ranking.isLabeled
    }

    /// A group's rate at the threshold with index `index`.
    public func value(_ rate: SweepRate, group: Int, at index: Int) -> MetricValue {
        let cell = index * groups.count + group
        return Self.rate(rate, selectedPositives: selectedPositives[cell], selectedNegatives: selectedNegatives[cell],
                         positives: positives[group], negatives: negatives[group], labeled: isLabeled)
    }

    /// The rate over all counted rows at the threshold with index `index`.
    public func overall(_ rate: SweepRate, at index: Int) -> MetricValue {
        let cells = (index * groups.count)..<((index + 1) * groups.count)
        return Self.rate(rate, selectedPositives: cells.reduce(0) { $0 + selectedPositives[$1] },
                         selectedNegatives: cells.reduce(0) { $0 + selectedNegatives[$1] },
                         positives: positives.reduce(0, +), negatives: negatives.reduce(0, +), labeled: isLabeled)
    }

    /// A group's rate at every threshold, ascending.
    public func values(_ rate: SweepRate, group: Int) -> [MetricValue] {
        thresholds.indices.map { value(rate, group: group, at: $0) }
    }

    /// The threshold at `index` as a rule closure sees it.
    public func point(at index: Int) -> Point { Point(sweep: self, index: index) }

    /// The rule's statistic at a threshold: for a between-groups statistic its value, for
    /// a comparison with the reference the worst over the other groups (the smallest
    /// under `atLeast`, the largest under `atMost`).
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for a named reference the grouping lacks.
    public func statistic(_ rule: SweepRule, at index: Int) throws -> MetricValue {
        let values = point(at: index).values(rule.rate)
        switch rule.statistic {
        case .differenceBetweenGroups, .ratioBetweenGroups:
            // One group with a value compares nothing: no threshold "holds" on it.
            if values.lazy.compactMap(\.number).count == 1 { return .undefined(.oneDefinedGroup) }
            return rule.statistic == .differenceBetweenGroups
                ? MetricValue.differenceBetweenGroups(values) : MetricValue.ratioBetweenGroups(values)
        case .differenceToReference(let reference), .ratioToReference(let reference):
            guard let referenceIndex = try referenceIndex(reference, rate: rule.rate, values: values) else {
                return .undefined(.noDefinedGroups)
            }
            guard let base = values[referenceIndex].number else { return .undefined(.undefinedOperand) }
            var compared: [Double] = []
            for (group, value) in values.enumerated() where group != referenceIndex {
                guard let number = value.number else { continue }
                if case .ratioToReference = rule.statistic {
                    guard base != 0 else { return .undefined(.zeroDivisor) }
                    compared.append(number / base)
                } else {
                    compared.append(number - base)
                }
            }
            let worst = rule.comparison == .atLeast ? compared.min() : compared.max()
            return worst.map(MetricValue.value) ?? .undefined(.noDefinedGroups)
        }
    }

    /// Whether the rule holds at the threshold with index `index`.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for a named reference the grouping lacks.
    public func holds(_ rule: SweepRule, at index: Int) throws -> Bool {
        guard let value = try statistic(rule, at: index).number else { return false }
        return rule.accepts(value)
    }

    /// The runs of consecutive grid thresholds at which the rule holds, each as its
    /// lowest...highest threshold, ascending. With ``ThresholdGrid/distinctScores`` the
    /// selections, and so the rule, are the same for every threshold in (next lower
    /// score, score], so a run lo...hi holds for every t in (score below lo, hi].
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for a named reference the grouping lacks.
    public func ranges(where rule: SweepRule) throws -> [ClosedRange<Double>] {
        let holding = try thresholds.indices.map { try holds(rule, at: $0) }
        return Self.runs(of: holding, thresholds: thresholds)
    }

    /// The runs of consecutive grid thresholds at which `holds` is true.
    public func ranges(where holds: (Point) -> Bool) -> [ClosedRange<Double>] {
        Self.runs(of: thresholds.indices.map { holds(point(at: $0)) }, thresholds: thresholds)
    }

    private func referenceIndex(_ reference: ReferenceGroup, rate: SweepRate, values: [MetricValue]) throws -> Int? {
        switch reference {
        case .named(let key):
            guard let index = groups.firstIndex(of: key) else {
                let names = MessageQuote.list(groups.map(\.description))
                throw FairleadError(.invalidProfile, "reference group \"\(MessageQuote.clipped(key.description))\" is not a group of the sweep; groups: \(names)")
            }
            return index
        case .largest:
            return ReferenceGroup.largestIndex(counts: counts) { ReferenceGroup.isKnown(groups[$0]) }
        case .bestValued:
            var best: (index: Int, value: Double)?
            for (index, value) in values.enumerated() {
                guard let number = value.number else { continue }
                if let current = best {
                    if rate.higherIsBetter ? number > current.value : number < current.value { best = (index, number) }
                } else {
                    best = (index, number)
                }
            }
            return best?.index
        }
    }

    private static func runs(of holding: [Bool], thresholds: [Double]) -> [ClosedRange<Double>] {
        var ranges: [ClosedRange<Double>] = []
        var start: Int?
        for index in holding.indices {
            if holding[index] {
                if start == nil { start = index }
            } else if let first = start {
                ranges.append(thresholds[first]...thresholds[index - 1])
                start = nil
            }
        }
        if let first = start { ranges.append(thresholds[first]...thresholds[holding.count - 1]) }
        return ranges
    }

    /// The rate from the selected and all positives and negatives (TP + FP over
    /// TP + FP + TN + FN for the selection rate, as ``GroupMetric`` sums the cells).
    private static func rate(_ rate: SweepRate, selectedPositives: Double, selectedNegatives: Double,
                             positives: Double, negatives: Double, labeled: Bool) -> MetricValue {
        switch rate {
        case .selectionRate:
            return MetricValue.quotient(selectedPositives + selectedNegatives, positives + negatives, else: .emptyGroup)
        case .truePositiveRate:
            guard labeled else { return .undefined(.labelsAbsent) }
            return MetricValue.quotient(selectedPositives, positives, else: .noActualPositives)
        case .falsePositiveRate:
            guard labeled else { return .undefined(.labelsAbsent) }
            return MetricValue.quotient(selectedNegatives, negatives, else: .noActualNegatives)
        }
    }
}
