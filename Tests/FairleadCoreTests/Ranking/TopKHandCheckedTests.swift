import Foundation
import Testing
@testable import FairleadCore

/// Skew@k, NDKL and exposure on rankings small enough to work out by hand.
@Suite struct TopKHandCheckedTests {
    /// Ranks 1…6: a(y=1), a(0), b(1), a(0), b(1), b(0); half of the rows are in each group.
    private func sixLeads() throws -> GroupedRanking {
        let columns = columns(scores: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], labels: [1, 0, 1, 0, 1, 0],
                              groups: ["a", "a", "b", "a", "b", "b"])
        return try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["group"]))
    }

    @Test func skewIsTheLogOfShareOverDesiredShare() throws {
        let results = try TopKMetrics.compute(sixLeads(), cutoffs: [.count(2), .count(3)])
        // Top 2 = a, a: a holds all of it against a desired half; b is absent.
        #expect(results[0].byGroup[0].skew == .value(log(2)))
        #expect(results[0].byGroup[1].skew == .undefined(.absentFromTopK))
        #expect(results[0].minSkew == .value(log(2)))
        // Top 3 = a, a, b.
        #expect(close(results[1].byGroup[0].skew.number, log(4.0 / 3)))
        #expect(close(results[1].byGroup[1].skew.number, log(2.0 / 3)))
        #expect(close(results[1].minSkew.number, log(2.0 / 3)))
        #expect(close(results[1].maxSkew.number, log(4.0 / 3)))
    }

    @Test func ndklAveragesPrefixDivergencesWithLogDiscounts() throws {
        let results = try TopKMetrics.compute(sixLeads(), cutoffs: [.count(1), .count(3)])
        // Prefix 1 and 2 are all a: KL((1, 0) ‖ (½, ½)) = ln 2. Prefix 3 is (⅔, ⅓).
        #expect(close(results[0].ndkl.number, log(2)))
        let third = 2.0 / 3 * log(4.0 / 3) + 1.0 / 3 * log(2.0 / 3)
        let expected = (log(2) / log2(2) + log(2) / log2(3) + third / log2(4)) / (1 / log2(2) + 1 / log2(3) + 1 / log2(4))
        #expect(close(results[1].ndkl.number, expected))
    }

    @Test func ndklAndSkewAreZeroForASingleGroup() throws {
        // With one group every prefix has the population's shares.
        let columns = columns(scores: [0.9, 0.8, 0.7], labels: [1, 0, 1], groups: ["a", "a", "a"])
        let ranking = try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["group"]))
        let result = try TopKMetrics.compute(ranking, cutoffs: [.fraction(1)])[0]
        #expect(result.ndkl == .value(0))
        #expect(result.byGroup[0].skew == .value(0))
    }

    @Test func exposureUsesTheLogPositionDiscount() throws {
        let result = try TopKMetrics.compute(sixLeads(), cutoffs: [.fraction(1)])[0]
        let exposureA = (1 / log2(2.0) + 1 / log2(3.0) + 1 / log2(5.0)) / 3
        let exposureB = (1 / log2(4.0) + 1 / log2(6.0) + 1 / log2(7.0)) / 3
        let exposureAll = (exposureA + exposureB) / 2
        #expect(close(result.byGroup[0].exposure.number, exposureA))
        #expect(close(result.byGroup[1].exposure.number, exposureB))
        #expect(close(result.exposure.number, exposureAll))
        #expect(close(result.byGroup[0].exposureShare.number, exposureA / (exposureA + exposureB)))
        // Merit: a converts 1 of 3, b 2 of 3, all rows 1 of 2.
        #expect(close(result.byGroup[0].merit.number, 1.0 / 3))
        #expect(close(result.byGroup[1].merit.number, 2.0 / 3))
        let ratioA = exposureA / (exposureAll * (1.0 / 3) / 0.5)
        let ratioB = exposureB / (exposureAll * (2.0 / 3) / 0.5)
        #expect(close(result.byGroup[0].exposureRatio.number, ratioA))
        #expect(close(result.byGroup[1].exposureRatio.number, ratioB))
        #expect(close(result.exposureDisparity.number, ratioB / ratioA))
        #expect(result.meritIsBaseRate)
    }

    @Test func exposureBeyondTheCutoffIsZero() throws {
        let result = try TopKMetrics.compute(sixLeads(), cutoffs: [.count(2)])[0]
        #expect(close(result.byGroup[0].exposure.number, (1 + 1 / log2(3.0)) / 3))
        #expect(result.byGroup[1].exposure == .value(0))
        #expect(result.byGroup[1].exposureRatio == .value(0))
        #expect(result.exposureDisparity == .value(0))
    }

    @Test func precisionAndRecallAtK() throws {
        let result = try TopKMetrics.compute(sixLeads(), cutoffs: [.count(3)])[0]
        #expect(result.precision == .value(2.0 / 3))
        #expect(result.recall == .value(2.0 / 3))
        #expect(result.byGroup[0].precision == .value(0.5))
        #expect(result.byGroup[0].recall == .value(1))
        #expect(result.byGroup[1].precision == .value(1))
        #expect(result.byGroup[1].recall == .value(0.5))
        #expect(result.byGroup[0].selectionRate == .value(2.0 / 3))
        #expect(result.byGroup.map(\.countInTopK) == [2, 1])
    }

    @Test func meritIsTheMeanScoreWithoutLabels() throws {
        let columns = columns(scores: [0.9, 0.6, 0.3, 0.2], labels: nil, groups: ["a", "b", "a", "b"])
        let ranking = try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["group"]))
        let result = try TopKMetrics.compute(ranking, cutoffs: [.fraction(1)])[0]
        #expect(!result.meritIsBaseRate)
        #expect(close(result.byGroup[0].merit.number, 0.6))
        #expect(close(result.byGroup[1].merit.number, 0.4))
        #expect(result.precision == .undefined(.labelsAbsent))
        #expect(result.byGroup[0].recall == .undefined(.labelsAbsent))
        let exposureA = (1 + 1 / log2(4.0)) / 2
        let exposureB = (1 / log2(3.0) + 1 / log2(5.0)) / 2
        let ratioA = exposureA / ((exposureA + exposureB) / 2 * 0.6 / 0.5)
        #expect(close(result.byGroup[0].exposureRatio.number, ratioA))
    }

    @Test func weightsScaleSharesAndPrefixes() throws {
        // b's single row weighs 3: the population is ¼ a, ¾ b.
        let columns = columns(scores: [0.9, 0.5], labels: [1, 0], groups: ["a", "b"], weights: [1, 3])
        let ranking = try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["group"]))
        let result = try TopKMetrics.compute(ranking, cutoffs: [.count(1), .count(2)])
        #expect(close(result[0].byGroup[0].skew.number, log(4)))
        #expect(close(result[0].ndkl.number, log(4)))
        // Prefix 2 mirrors the population: KL 0.
        #expect(close(result[1].ndkl.number, log(4) / (1 + 1 / log2(3.0))))
        #expect(result[1].byGroup[1].shareOfTopK == .value(0.75))
    }
}
