import Testing
@testable import FairleadCore

/// Labels as a byte per row (`LabelColumn`) and attribute codes as a byte per row when
/// they fit (`AttributeCodes`): the same values read back, the same statistics, rankings
/// and errors as Doubles and `Int32`s give.
@Suite struct CompactColumnsTests {
    @Test func labelsFromDoublesAreCodes() {
        let labels = LabelColumn([1, 0, .nan, 1])
        #expect(labels.codes == [1, 0, LabelColumn.missingCode, 1])
        #expect(labels.givenValues == nil)
        #expect(labels[0] == 1 && labels[1] == 0 && labels[2].isNaN)
        #expect(labels.values.map { $0.isNaN ? -1 : $0 } == [1, 0, -1, 1])
        #expect(labels == LabelColumn(codes: [1, 0, 2, 1]))
        #expect(labels != LabelColumn(codes: [1, 0, 0, 1]))
    }

    @Test func aLabelOtherThanZeroOrOneIsKeptAsGiven() {
        let labels: LabelColumn = [1, 0.5, .nan, -3]
        #expect(labels.codes == [1, LabelColumn.invalidCode, LabelColumn.missingCode, LabelColumn.invalidCode])
        #expect(labels[1] == 0.5 && labels[3] == -3)
        #expect(labels.values[1] == 0.5)
        #expect(labels == LabelColumn([1, 0.5, .nan, -3]))
        #expect(labels != LabelColumn([1, 0.25, .nan, -3]))
    }

    @Test func codesFitABytePerRowUpTo254() {
        #expect(AttributeCodes([0, 1, -1]).isNarrow)
        #expect(AttributeCodes([254, -1]).isNarrow)
        #expect(!AttributeCodes([255, 0]).isNarrow)
        #expect(!AttributeCodes([-2, 0]).isNarrow)
        let wide = AttributeCodes([300, -1, 7])
        #expect(Array(wide) == [300, -1, 7] && wide.wide == [300, -1, 7])
        let narrow: AttributeCodes = [3, -1, 0]
        #expect(Array(narrow) == [3, -1, 0] && narrow.wide == [3, -1, 0])
        #expect(narrow == AttributeCodes(wide: [3, -1, 0]))
        #expect(narrow != AttributeCodes(wide: [3, 0, 0]))
    }

    /// The same columns with codes held as `Int32`s.
    static func widened(_ columns: AuditColumns) -> AuditColumns {
        AuditColumns(scores: columns.scores, labelColumn: columns.labels, weights: columns.weights,
                     predictions: columns.predictions,
                     attributes: columns.attributes.map {
                         SensitiveAttribute(name: $0.name, codes: AttributeCodes(wide: $0.codes.wide), levels: $0.levels)
                     })
    }

    @Test(arguments: [DecisionRule.threshold(0.4), .topCount(700)])
    func statisticsAreTheSameFromBytesAndInt32s(rule: DecisionRule) throws {
        let narrow = randomColumns(rows: 3_000, seed: 21)
        #expect(narrow.attributes.allSatisfy { $0.codes.isNarrow })
        let wide = Self.widened(narrow)
        #expect(!wide.attributes.contains { $0.codes.isNarrow })
        for attributes in [["a"], ["b"], ["a", "b"]] {
            for policy in [MissingSensitivePolicy.exclude, .ownGroup] {
                let statistics = try [narrow, wide].map { columns in
                    try GroupStats.accumulate(columns, rule: rule,
                                              grouping: Grouping(columns: columns, attributes: attributes, missingPolicy: policy),
                                              threads: 2)
                }
                #expect(statsClose(statistics[0], statistics[1], tolerance: 0))
                #expect(statistics[0].exclusions == statistics[1].exclusions)
                #expect(statistics[0].cells.map(\.count) == statistics[1].cells.map(\.count))
            }
        }
        // Labels given as Doubles: the same codes as the bytes the columns hold.
        let labels = try #require(narrow.labels)
        #expect(LabelColumn(labels.values) == labels)
    }

    @Test func rankingsAreTheSameFromBytesAndInt32s() throws {
        let narrow = randomColumns(rows: 5_000, seed: 5)
        let wide = Self.widened(narrow)
        for held in [false, true] {
            var rankings = try [narrow, wide].map { try ScoreRanking(columns: $0, threads: 2) }
            if held { for index in rankings.indices { rankings[index].keepAttributeCodesInRankOrder(threads: 2) } }
            #expect(rankings[0].rows == rankings[1].rows && rankings[0].labels == rankings[1].labels)
            let grouping = try Grouping(columns: narrow, attributes: ["a", "b"], missingPolicy: .ownGroup)
            let grouped = rankings.map { $0.grouped(by: grouping, threads: 2) }
            #expect(grouped[0].codes == grouped[1].codes)
            let ranks = [[1, 2], [1], [3, 5], [2]]
            let statistics = rankings.map { $0.ascendingOrderStatistics(attribute: 0, missingGroup: 3, ranks: ranks) }
            #expect(statistics[0] == statistics[1])
            let cuts: [[Double]?] = [[0.2, 0.7], [0.5], nil, [0.1]]
            let counts = rankings.map { $0.binCounts(attribute: 0, missingGroup: 3, cuts: cuts) }
            #expect(counts[0] == counts[1])
            #expect(counts[0][0]?.reduce(0, +) ?? 0 > 0)
        }
    }

    /// Every metric family of the lead queue reads each position's group held as a byte
    /// or as an `Int32`: the same values either way.
    @Test func queueFamiliesAreTheSameFromByteAndInt32Groups() throws {
        let columns = randomColumns(rows: 4_000, seed: 13)
        let ranking = try ScoreRanking(columns: columns, threads: 2)
        for attributes in [["a"], ["a", "b"]] {
            let grouping = try Grouping(columns: columns, attributes: attributes)
            let narrow = GroupedRanking(ranking: ranking, grouping: grouping, threads: 2, narrowCodes: true)
            let wide = GroupedRanking(ranking: ranking, grouping: grouping, threads: 2, narrowCodes: false)
            #expect(narrow.codes.isNarrow && !wide.codes.isNarrow)
            #expect(narrow.codes == wide.codes)
            #expect(narrow.codes.contains(-1) && narrow.codes.contains(Int32(grouping.groupCount - 1)))
            #expect(narrow.counts == wide.counts && narrow.weights == wide.weights && narrow.scoreSums == wide.scoreSums)
            #expect(narrow.exclusions == wide.exclusions)
            let cutoffs: [RankingCutoff] = [.count(100), .fraction(0.25), .count(4_000)]
            #expect(try TopKMetrics.compute(narrow, cutoffs: cutoffs) == TopKMetrics.compute(wide, cutoffs: cutoffs))
            #expect(try ScoreSeparation(narrow) == ScoreSeparation(wide))
            #expect(try GroupCalibration(narrow, binCount: 10) == GroupCalibration(wide, binCount: 10))
            #expect(try ThresholdSweep(narrow, grid: .distinctScores) == ThresholdSweep(wide, grid: .distinctScores))
            let options = try [narrow, wide].map {
                try ThresholdOptimizer.optimize($0, constraint: .equalizedOdds, objective: .accuracy, gridSize: 200)
            }
            let (first, second) = (try #require(options[0]), try #require(options[1]))
            #expect(first.x == second.x && first.objectiveValue == second.objectiveValue && first.groups == second.groups)
        }
    }

    /// More groups than a byte holds: each position's group is an `Int32`, and the sweep
    /// still equals the group metrics engine at each threshold.
    @Test func moreThan255GroupsAreHeldAsInt32s() throws {
        let rows = 6_000
        var generator = SeededGenerator(seed: 17)
        let scores = (0..<rows).map { _ in (generator.nextUniform() * 1_000).rounded() / 1_000 }
        let labels = scores.map { generator.nextUniform() < $0 ? 1.0 : 0.0 }
        let codes = (0..<rows).map { $0 % 97 == 0 ? -1 : Int32($0 % 300) }
        let attribute = SensitiveAttribute(name: "region", codes: codes, levels: (0..<300).map { "r\($0)" })
        #expect(!attribute.codes.isNarrow)
        let columns = AuditColumns(scores: scores, labels: labels, attributes: [attribute])
        let grouping = try Grouping(columns: columns, attributes: ["region"])
        var ranking = try ScoreRanking(columns: columns, threads: 2)
        ranking.keepAttributeCodesInRankOrder(threads: 2)
        #expect(ranking.rankedCodes[0] == nil)
        let grouped = ranking.grouped(by: grouping, threads: 2)
        #expect(!grouped.codes.isNarrow && grouped.groupCount == 301)
        let sweep = try ThresholdSweep(grouped, grid: .uniform(count: 11))
        for (index, threshold) in sweep.thresholds.enumerated() {
            let frame = MetricFrame(stats: try GroupStats.accumulate(columns, rule: .threshold(threshold), grouping: grouping),
                                    grouping: grouping)
            for group in [0, 1, 150, 299, 300] {
                let value = sweep.value(.selectionRate, group: group, at: index)
                let expected = frame.value(SweepRate.selectionRate.groupMetric, group: group)
                #expect(value.undefinedReason == expected.undefinedReason)
                #expect(abs((value.number ?? 0) - (expected.number ?? 0)) <= 1e-12, "t = \(threshold) group \(group)")
            }
        }
    }

    @Test func theLowestBadRowIsNamedWhicheverColumnItIsIn() throws {
        var scores = [Double](repeating: 0.5, count: 20)
        var labels = [Double](repeating: 1, count: 20)
        labels[7] = 0.5
        let attribute = SensitiveAttribute(name: "g", codes: [Int32](repeating: 0, count: 20), levels: ["x"])
        func message(_ scores: [Double], _ labels: [Double]) -> (String?, Int?) {
            let columns = AuditColumns(scores: scores, labels: labels, attributes: [attribute])
            do {
                _ = try GroupStats.accumulate(columns, rule: .threshold(0.5),
                                              grouping: Grouping(columns: columns, attributes: ["g"]))
                return (nil, nil)
            } catch let error as FairleadError {
                // The ranking validates the same rows the same way.
                #expect(throws: FairleadError.self) { try ScoreRanking(columns: columns) }
                return (error.message, error.row)
            } catch {
                return (nil, nil)
            }
        }
        #expect(message(scores, labels) == ("label is 0.5, expected 0 or 1 (or missing)", 7))
        scores[9] = 2
        #expect(message(scores, labels) == ("label is 0.5, expected 0 or 1 (or missing)", 7))
        scores[3] = 2
        #expect(message(scores, labels).1 == 3)
    }

    @Test func narrowCodesBeyondTheLevelsAreRefused() {
        var attribute = SensitiveAttribute(name: "g", codes: [0, -1, 3], levels: ["a", "b", "c", "d"])
        #expect(attribute.codes.isNarrow)
        attribute.levels = ["a", "b"]
        let columns = AuditColumns(scores: [0.1, 0.2, 0.3], attributes: [attribute])
        #expect {
            try Grouping(columns: columns, attributes: ["g"])
        } throws: { error in
            let error = error as? FairleadError
            return error?.message == "sensitive attribute \"g\" has code 3, expected -1 (missing) or 0..<2" && error?.row == 2
        }
    }
}
