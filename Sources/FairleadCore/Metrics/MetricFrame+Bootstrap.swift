import Foundation

extension MetricFrame {
    /// Bootstrap percentile intervals on every difference and ratio of `metrics`:
    /// between groups and to overall (Fairlearn's), and each group to the reference.
    ///
    /// Each replicate redraws every group with n rows (a stratified bootstrap: group
    /// sizes are fixed, as when resampling rows within each group). Metrics that need no
    /// labels (``GroupMetric/needsLabels``) are computed from a draw of the group's
    /// selected and not-selected rows, a binomial with probability selected / n;
    /// metrics that need labels from a draw of its four confusion cells, a multinomial
    /// with probabilities count_cell / n. A cell drawn d times gets d rows and its
    /// weight and score sums scaled by d / count (its rows taken as exchangeable; exact
    /// when unweighted).
    ///
    /// Each group and draw family has its own random stream, seeded by the
    /// configuration's seed and their names (``BootstrapStream``), and replicate r uses
    /// `SeededGenerator(seed: streamSeed, stream: r)` of it. So the intervals are the
    /// same on any machine and thread count, and a metric's intervals do not depend on
    /// which other metrics are bootstrapped: an audit without labels and the same audit
    /// completed with late labels give identical label-free intervals. The reference
    /// group is resolved once, on the observed data. The replicates are drawn on up to
    /// `threads` threads at once (by default, one per core).
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` when a named reference is not a group.
    /// The working memory ``bootstrap(_:reference:metrics:threads:)`` holds, in bytes: each
    /// replicate's values of every metric (four summaries and two per group), drawn into
    /// chunks and gathered again per value for the percentiles.
    public static func bootstrapBytes(replicates: Int, metrics: Int, groups: Int) -> Double {
        Double(replicates) * Double(metrics) * Double(4 + 2 * groups) * Double(MemoryLayout<Double>.size) * 2
    }

    public func bootstrap(_ configuration: BootstrapConfiguration = BootstrapConfiguration(),
                          reference: ReferenceGroup = .largest,
                          metrics: [GroupMetric] = GroupMetric.allCases,
                          threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> BootstrapIntervals {
        let groupCount = groups.count
        let referenceIndices = try metrics.map { try referenceIndex(reference, for: $0) }
        let perMetric = 4 + 2 * groupCount
        let width = metrics.count * perMetric
        let replicates = configuration.replicates
        let cells = stats.cells
        let isLabeled = stats.isLabeled
        let grouping = self.grouping
        let labelFreeProbabilities: [[Double]] = cells.map { group in
            let n = Double(group.count)
            let selected = group.truePositives.count + group.falsePositives.count
            return n == 0 ? [] : [Double(selected) / n, Double(group.count - selected) / n]
        }
        let labelledProbabilities: [[Double]] = cells.map { group in
            let n = Double(group.count)
            return n == 0 ? [] : group.all.map { Double($0.count) / n }
        }
        // Label-free metrics read the selected (TP + FP) and not-selected (TN + FN) rows
        // only; drawn as such, they are the same whether or not the rows carry labels.
        let selectedCells = cells.map { (selected: $0.truePositives + $0.falsePositives,
                                          notSelected: $0.trueNegatives + $0.falseNegatives) }
        let drawsLabelFree = metrics.contains { !$0.needsLabels }
        let drawsLabelled = isLabeled && metrics.contains(where: \.needsLabels)
        let attributeNames = grouping.attributeNames
        let labelFreeSeeds = groups.map { BootstrapStream.seed(configuration.seed, family: .labelFree,
                                                               attributes: attributeNames, group: $0) }
        let labelledSeeds = groups.map { BootstrapStream.seed(configuration.seed, family: .labelled,
                                                              attributes: attributeNames, group: $0) }

        let chunks = _ChunkedWork.map(count: replicates, chunkSize: 8, threads: threads) { range -> [Double] in
            var values = [Double](repeating: .nan, count: range.count * width)
            for replicate in range {
                var labelFreeFrame: MetricFrame?
                if drawsLabelFree {
                    var drawn = [ConfusionCells](repeating: ConfusionCells(), count: groupCount)
                    for group in 0..<groupCount where !labelFreeProbabilities[group].isEmpty {
                        var generator = SeededGenerator(seed: labelFreeSeeds[group], stream: UInt64(replicate))
                        let observed = selectedCells[group]
                        let counts = _BinomialSampler.multinomial(cells[group].count, labelFreeProbabilities[group],
                                                                  using: &generator)
                        drawn[group] = ConfusionCells(
                            truePositives: CellStats(), falsePositives: observed.selected.resampled(count: counts[0]),
                            trueNegatives: observed.notSelected.resampled(count: counts[1]), falseNegatives: CellStats())
                    }
                    labelFreeFrame = MetricFrame(stats: GroupStats(cells: drawn, isLabeled: false), grouping: grouping,
                                                 keepsBestValued: false)
                }
                var labelledFrame: MetricFrame?
                if drawsLabelled {
                    var drawn = [ConfusionCells](repeating: ConfusionCells(), count: groupCount)
                    for group in 0..<groupCount where !labelledProbabilities[group].isEmpty {
                        var generator = SeededGenerator(seed: labelledSeeds[group], stream: UInt64(replicate))
                        let observed = cells[group]
                        let counts = _BinomialSampler.multinomial(observed.count, labelledProbabilities[group],
                                                                  using: &generator)
                        drawn[group] = ConfusionCells(
                            truePositives: observed.truePositives.resampled(count: counts[0]),
                            falsePositives: observed.falsePositives.resampled(count: counts[1]),
                            trueNegatives: observed.trueNegatives.resampled(count: counts[2]),
                            falseNegatives: observed.falseNegatives.resampled(count: counts[3]))
                    }
                    labelledFrame = MetricFrame(stats: GroupStats(cells: drawn, isLabeled: true), grouping: grouping,
                                                keepsBestValued: false)
                }
                let base = (replicate - range.lowerBound) * width
                for (position, metric) in metrics.enumerated() {
                    // A label-dependent metric of an unlabelled frame stays NaN (undefined).
                    guard let frame = metric.needsLabels ? labelledFrame : labelFreeFrame else { continue }
                    let offset = base + position * perMetric
                    frame.writeDisparities(metric, referenceIndex: referenceIndices[position],
                                           into: &values, at: offset)
                }
            }
            return values
        }

        let minimumDefined = BootstrapInterval.minimumDefinedReplicates(level: configuration.level)
        /// The percentile interval of a value read from each replicate's `width` values
        /// (`values`, the replicate's first at `start`).
        func percentileInterval(_ value: (_ values: [Double], _ start: Int) -> Double) -> BootstrapInterval? {
            var samples: [Double] = []
            samples.reserveCapacity(replicates)
            for chunk in chunks {
                for start in stride(from: 0, to: chunk.count, by: width) { samples.append(value(chunk, start)) }
            }
            // Too few defined replicates give no interval (``BootstrapInterval/minimumDefinedReplicates(level:)``).
            return BootstrapInterval.percentile(samples, level: configuration.level, replicates: replicates)
                .flatMap { $0.definedReplicates >= minimumDefined ? $0 : nil }
        }

        var intervals: [GroupMetric: [Disparity: BootstrapInterval]] = [:]
        var referenceGroups: [GroupMetric: GroupKey] = [:]
        for (position, metric) in metrics.enumerated() {
            if let index = referenceIndices[position] { referenceGroups[metric] = groups[index] }
            let disparities = Self.disparityOrder(groups: groups)
            var byDisparity: [Disparity: BootstrapInterval] = [:]
            for (slot, disparity) in disparities.enumerated() {
                byDisparity[disparity] = percentileInterval { $0[$1 + position * perMetric + slot] }
            }
            intervals[metric] = byDisparity
        }
        var combined: [CombinedDisparity: BootstrapInterval] = [:]
        if let tpr = metrics.firstIndex(of: .truePositiveRate), let fpr = metrics.firstIndex(of: .falsePositiveRate) {
            // Per replicate, from the two rates' disparities already drawn: the combined
            // metric's distribution, not a combination of the two intervals.
            func interval(_ slot: Int, _ combine: (Double, Double) -> Double) -> BootstrapInterval? {
                percentileInterval { values, start in
                    let (a, b) = (values[start + tpr * perMetric + slot], values[start + fpr * perMetric + slot])
                    return a.isNaN || b.isNaN ? .nan : combine(a, b)
                }
            }
            for (slot, method) in [DisparityMethod.betweenGroups, .toOverall].enumerated() {
                combined[.equalizedOddsDifference(method)] = interval(slot, max)
                combined[.equalizedOddsRatio(method)] = interval(2 + slot, min)
            }
            if referenceIndices[tpr] == referenceIndices[fpr] {
                for (index, group) in groups.enumerated() {
                    combined[.averageOddsDifference(group)] = interval(4 + 2 * index) { ($0 + $1) / 2 }
                    combined[.averageAbsoluteOddsDifference(group)] = interval(4 + 2 * index) { (abs($0) + abs($1)) / 2 }
                }
            }
        }
        return BootstrapIntervals(configuration: configuration, reference: reference,
                                  referenceGroups: referenceGroups, intervals: intervals, combined: combined)
    }

    /// The disparities in storage order: the four Fairlearn reductions, then per group
    /// the difference and the ratio to the reference.
    static func disparityOrder(groups: [GroupKey]) -> [Disparity] {
        var order: [Disparity] = [.difference(.betweenGroups), .difference(.toOverall),
                                  .ratio(.betweenGroups), .ratio(.toOverall)]
        for group in groups {
            order.append(.differenceToReference(group))
            order.append(.ratioToReference(group))
        }
        return order
    }

    /// Writes the disparities of `metric` in ``disparityOrder(groups:)``, NaN for undefined.
    private func writeDisparities(_ metric: GroupMetric, referenceIndex: Int?,
                                  into values: inout [Double], at offset: Int) {
        values[offset] = difference(metric, method: .betweenGroups).number ?? .nan
        values[offset + 1] = difference(metric, method: .toOverall).number ?? .nan
        values[offset + 2] = ratio(metric, method: .betweenGroups).number ?? .nan
        values[offset + 3] = ratio(metric, method: .toOverall).number ?? .nan
        let groupValues = byGroup(metric)
        let referenceValue = referenceIndex.map { groupValues[$0] }
        for (group, value) in groupValues.enumerated() {
            values[offset + 4 + 2 * group] = Self.signedDifference(value, referenceValue).number ?? .nan
            values[offset + 5 + 2 * group] = Self.signedRatio(value, referenceValue).number ?? .nan
        }
    }
}
