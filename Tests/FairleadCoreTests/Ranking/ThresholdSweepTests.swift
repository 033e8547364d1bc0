import Testing
@testable import FairleadCore

/// The sweep equals the group metrics engine at every threshold, and its rule ranges
/// match the golden ones.
@Suite struct ThresholdSweepTests {
    @Test(arguments: RankingCase.all)
    func ruleRangesMatchTheGolden(_ testCase: RankingCase) throws {
        let golden = testCase.golden
        let sweep = try ThresholdSweep(testCase.grouped(), grid: .standard)
        let rules: [String: SweepRule] = [
            "disparate_impact>=0.8": SweepRule(rate: .selectionRate, statistic: .ratioToReference(.named(GroupKey(golden.reference))),
                                               comparison: .atLeast, bound: 0.8),
            "selection_rate_difference<=0.1": SweepRule(rate: .selectionRate, statistic: .differenceBetweenGroups,
                                                        comparison: .atMost, bound: 0.1),
            "true_positive_rate_difference<=0.1": SweepRule(rate: .truePositiveRate, statistic: .differenceBetweenGroups,
                                                            comparison: .atMost, bound: 0.1),
        ]
        for (name, rule) in rules {
            let expected = try #require(golden.sweep_ranges[name])
            let ranges = try sweep.ranges(where: rule)
            #expect(ranges.map { [$0.lowerBound, $0.upperBound] } == expected, "\(name)")
        }
    }

    @Test(arguments: RankingCase.all)
    func everyPointEqualsTheMetricFrameOfItsThreshold(_ testCase: RankingCase) throws {
        let golden = testCase.golden
        let columns = testCase.columns
        let grouping = try Grouping(columns: columns, attributes: golden.attributes)
        let sweep = try ThresholdSweep(ScoreRanking(columns: columns).grouped(by: grouping), grid: .uniform(count: 21))
        #expect(sweep.thresholds.count == 21)
        for (index, threshold) in sweep.thresholds.enumerated() {
            let frame = MetricFrame(stats: try GroupStats.accumulate(columns, rule: .threshold(threshold), grouping: grouping),
                                    grouping: grouping)
            for rate in SweepRate.allCases {
                for group in grouping.groups.indices {
                    let value = sweep.value(rate, group: group, at: index)
                    let expected = frame.value(rate.groupMetric, group: group)
                    #expect(value.undefinedReason == expected.undefinedReason, "t = \(threshold) \(rate) group \(group)")
                    #expect(close(value.number ?? 0, expected.number ?? 0, tolerance: 1e-12),
                            "t = \(threshold) \(rate) group \(group): \(value) vs \(expected)")
                }
                let overall = sweep.overall(rate, at: index)
                #expect(close(overall.number ?? -1, frame.overall(rate.groupMetric).number ?? -1, tolerance: 1e-12))
            }
        }
    }

    @Test func distinctScoreGridIsExactBetweenScores() throws {
        let columns = columns(scores: [0.9, 0.7, 0.7, 0.4, 0.2, 0.2], labels: [1, 0, 1, 1, 0, 0],
                              groups: ["a", "b", "a", "b", "a", "b"])
        let ranking = try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["group"]))
        let sweep = try ThresholdSweep(ranking, grid: .distinctScores)
        #expect(sweep.thresholds == [0.2, 0.4, 0.7, 0.9])
        // a = rows 0, 2, 4; b = rows 1, 3, 5. At t = 0.7: a selects 0.9, 0.7; b selects 0.7.
        #expect(sweep.value(.selectionRate, group: 0, at: 2) == .value(2.0 / 3))
        #expect(sweep.value(.selectionRate, group: 1, at: 2) == .value(1.0 / 3))
        #expect(sweep.value(.truePositiveRate, group: 1, at: 2) == .value(0))
        #expect(sweep.value(.falsePositiveRate, group: 1, at: 2) == .value(0.5))
        #expect(sweep.value(.truePositiveRate, group: 0, at: 3) == .value(0.5))
    }

    @Test func closureAndRuleAgree() throws {
        let columns = randomColumns(rows: 3000, seed: 11)
        let grouping = try Grouping(columns: columns, attributes: ["b"])
        let sweep = try ThresholdSweep(ScoreRanking(columns: columns).grouped(by: grouping))
        let rule = SweepRule(rate: .selectionRate, statistic: .ratioBetweenGroups, comparison: .atLeast, bound: 0.9)
        let byClosure = sweep.ranges { point in
            let rates = point.values(.selectionRate).compactMap(\.number)
            guard let low = rates.min(), let high = rates.max(), high > 0 else { return false }
            return low / high >= 0.9
        }
        let byRule = try sweep.ranges(where: rule)
        #expect(byRule == byClosure)
        #expect(!byRule.isEmpty)
    }

    @Test func bestValuedReferenceIsResolvedAtEachThreshold() throws {
        // a's rate is above b's at low thresholds and below it at high ones.
        let columns = columns(scores: [0.9, 0.8, 0.3, 0.3, 0.95, 0.1, 0.1, 0.1],
                              labels: [1, 1, 0, 0, 1, 0, 0, 0],
                              groups: ["a", "a", "a", "a", "b", "b", "b", "b"])
        let sweep = try ThresholdSweep(ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["group"])),
                                       grid: .values([0.2, 0.85]))
        let rule = SweepRule(rate: .selectionRate, statistic: .ratioToReference(.bestValued), comparison: .atLeast, bound: 0.5)
        // t = 0.2: a 1.0, b 0.25 -> worst ratio 0.25; t = 0.85: a 0.25, b 0.25 -> 1.
        #expect(try sweep.statistic(rule, at: 0) == .value(0.25))
        #expect(try sweep.statistic(rule, at: 1) == .value(1))
        #expect(try sweep.ranges(where: rule) == [0.85...0.85])
    }

    @Test func undefinedStatisticDoesNotHold() throws {
        let columns = columns(scores: [0.5, 0.4, 0.3], labels: [1, 0, 0], groups: ["a", "b", "b"])
        let sweep = try ThresholdSweep(ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["group"])),
                                       grid: .values([0, 0.9]))
        let rule = SweepRule(rate: .selectionRate, statistic: .ratioToReference(.named(["a"])), comparison: .atLeast, bound: 0.8)
        // At 0.9 nobody is selected: the reference rate is 0 and the ratio undefined.
        #expect(try sweep.statistic(rule, at: 1) == .undefined(.zeroDivisor))
        #expect(try sweep.ranges(where: rule) == [0...0])
        #expect(throws: FairleadError.self) {
            try sweep.ranges(where: SweepRule(rate: .selectionRate, statistic: .ratioToReference(.named(["z"])),
                                              comparison: .atLeast, bound: 0.8))
        }
        #expect(throws: FairleadError.self) { try ThresholdSweep(sweepRanking(), grid: .uniform(count: 1)) }
        #expect(throws: FairleadError.self) { try ThresholdSweep(sweepRanking(), grid: .values([.nan])) }
    }

    private func sweepRanking() throws -> GroupedRanking {
        let columns = columns(scores: [0.5], labels: [1], groups: ["a"])
        return try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["group"]))
    }
}
