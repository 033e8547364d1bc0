import Testing
@testable import FairleadCore

@Suite("Bootstrap intervals of equalized odds and average odds, from each replicate's two rates")
struct CombinedIntervalTests {
    /// Three groups in which every actual negative is selected (score 0.9): the false
    /// positive rate is 1 in every group and every replicate, so its differences are 0 and
    /// its ratios 1, and each combined metric reduces to the true positive rate's term.
    static func everyNegativeSelected() throws -> MetricFrame {
        var rows: [(score: Double, label: Double, group: String)] = []
        for (group, size, truePositives) in [("A", 600, 200), ("B", 300, 60), ("C", 200, 90)] {
            for i in 0..<size {
                let positive = i % 2 == 0
                rows.append((positive ? (i / 2 < truePositives ? 0.9 : 0.1) : 0.9, positive ? 1 : 0, group))
            }
        }
        return try frame(columns(scores: rows.map(\.score), labels: rows.map(\.label), groups: rows.map(\.group)))
    }

    @Test func withAConstantFalsePositiveRateEqualizedOddsIsTheTruePositiveRateTerm() throws {
        let frame = try Self.everyNegativeSelected()
        let intervals = try frame.bootstrap(BootstrapConfiguration(replicates: 400, seed: 5), reference: .named(["A"]))
        for method in DisparityMethod.allCases {
            let difference = try #require(intervals.interval(.truePositiveRate, .difference(method)))
            #expect(intervals.interval(.equalizedOddsDifference(method)) == difference)
            let ratio = try #require(intervals.interval(.truePositiveRate, .ratio(method)))
            #expect(intervals.interval(.equalizedOddsRatio(method)) == ratio)
        }
        for group in frame.groups {
            let rate = try #require(intervals.interval(.truePositiveRate, .differenceToReference(group)))
            let average = try #require(intervals.interval(.averageOddsDifference(group)))
            #expect(close(average.lower, rate.lower / 2) && close(average.upper, rate.upper / 2))
            let absolute = try #require(intervals.interval(.averageAbsoluteOddsDifference(group)))
            let magnitudes = [abs(rate.lower), abs(rate.upper)].sorted()
            if rate.lower >= 0 || rate.upper <= 0 {
                #expect(close(absolute.lower, magnitudes[0] / 2) && close(absolute.upper, magnitudes[1] / 2))
            }
        }
        // The point values sit inside their intervals.
        let observed = try #require(frame.equalizedOddsDifference().number)
        let interval = try #require(intervals.interval(.equalizedOddsDifference(.betweenGroups)))
        #expect(interval.lower <= observed && observed <= interval.upper)
    }

    @Test func theWorseOfTwoRatesBoundsBothRatesIntervalsFromAbove() throws {
        // max(a, b) ≥ a and ≥ b in every replicate, so each percentile of the maximum is at
        // least each rate's; min for ratios, the other way round.
        let frame = try frame(randomColumns(rows: 8_000, seed: 3), attributes: ["a"])
        let intervals = try frame.bootstrap(BootstrapConfiguration(replicates: 300, seed: 9))
        for method in DisparityMethod.allCases {
            let tpr = try #require(intervals.interval(.truePositiveRate, .difference(method)))
            let fpr = try #require(intervals.interval(.falsePositiveRate, .difference(method)))
            let odds = try #require(intervals.interval(.equalizedOddsDifference(method)))
            #expect(odds.lower >= max(tpr.lower, fpr.lower) && odds.upper >= max(tpr.upper, fpr.upper))
            let tprRatio = try #require(intervals.interval(.truePositiveRate, .ratio(method)))
            let fprRatio = try #require(intervals.interval(.falsePositiveRate, .ratio(method)))
            let oddsRatio = try #require(intervals.interval(.equalizedOddsRatio(method)))
            #expect(oddsRatio.lower <= min(tprRatio.lower, fprRatio.lower) && oddsRatio.upper <= min(tprRatio.upper, fprRatio.upper))
        }
    }

    @Test func withoutBothRatesThereIsNoCombinedInterval() throws {
        let frame = try Self.everyNegativeSelected()
        let intervals = try frame.bootstrap(BootstrapConfiguration(replicates: 50, seed: 1), metrics: [.truePositiveRate, .selectionRate])
        #expect(intervals.interval(.equalizedOddsDifference(.betweenGroups)) == nil)
        #expect(intervals.interval(.averageOddsDifference(["B"])) == nil)
    }
}
