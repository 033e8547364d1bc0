import Foundation
import Testing
@testable import Fairlead
import FairleadCore

/// The pieces of the drift check on hand-made numbers: bins, PSI, the χ² tail, normal
/// quantiles, MOVER intervals.
@Suite struct HistoryDriftStatisticsTests {
    @Test func cutsAreInvertedCDFQuantilesAndCountsFollowThem() {
        let scores: [Double] = [0.1, 0.2, 0.2, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
        // n = 12: cut j is the ⌈1.2·j⌉-th smallest: 2nd, 3rd, 4th, 5th, 6th, 8th, 9th, 10th, 11th.
        let cuts = ScoreSummary.cuts(sorted: scores, bins: 10)
        #expect(cuts == [0.2, 0.2, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9])
        // Ties pile into the first of equal cuts; the bins between equal cuts stay empty.
        #expect(ScoreSummary.counts(sorted: scores, cuts: cuts) == [4, 0, 0, 1, 1, 2, 1, 1, 1, 1])
        #expect(ScoreSummary.counts(sorted: [0.05, 0.85, 0.95, 2], cuts: cuts) == [1, 0, 0, 0, 0, 0, 0, 0, 1, 2])
        #expect(ScoreSummary.cuts(sorted: [], bins: 10) == [])
        #expect(ScoreSummary.cuts(sorted: [0.4], bins: 10) == Array(repeating: 0.4, count: 9))
    }

    @Test func groupsMatchTheAuditsGrouping() throws {
        let attribute = SensitiveAttribute(name: "g", values: ["b", "", "a", "b", "NA", "a"])
        let scores = [0.9, 0.1, 0.5, .nan, 0.3, 0.2]
        let ranking = try ScoreRanking(columns: AuditColumns(scores: scores, attributes: [attribute]))
        let own = ScoreSummary.groups(of: attribute, missing: .unknownGroup)
        #expect(own.names == ["a", "b", "unknown"])
        #expect(ranking.ascendingOrderStatistics(codes: attribute.codes.wide, missingGroup: own.unknownSlot, ranks: [[1, 2], [1], [1, 2]])
                == [[0.2, 0.5], [0.9], [0.1, 0.3]])
        let excluded = ScoreSummary.groups(of: attribute, missing: .exclude)
        #expect(excluded.names == ["a", "b"])
        #expect(excluded.unknownSlot == nil)
        #expect(ranking.ascendingOrderStatistics(codes: attribute.codes.wide, missingGroup: nil, ranks: [[1, 2], [1]])
                == [[0.2, 0.5], [0.9]])
    }

    @Test func psiByHand() {
        #expect(PopulationStability.index(baseline: [10, 20, 30], current: [10, 20, 30]) == 0)
        // Shares smoothed by half a row: e = (10.5, 20.5, 30.5)/61.5, a = (30.5, 20.5, 10.5)/61.5.
        let e = [10.5, 20.5, 30.5].map { $0 / 61.5 }, a = [30.5, 20.5, 10.5].map { $0 / 61.5 }
        let expected = zip(a, e).reduce(0) { $0 + ($1.0 - $1.1) * log($1.0 / $1.1) }
        let psi = PopulationStability.index(baseline: [10, 20, 30], current: [30, 20, 10])
        #expect(abs(psi - expected) < 1e-15)
        #expect(abs(psi - PopulationStability.index(baseline: [30, 20, 10], current: [10, 20, 30])) < 1e-15)
        #expect(PopulationStability.index(baseline: [0, 5], current: [5, 0]).isFinite)
    }

    @Test(arguments: HistoryDriftTests.golden.chi2Sf.indices)
    func chiSquareTailMatchesScipy(_ index: Int) {
        let point = HistoryDriftTests.golden.chi2Sf[index]
        let tail = ChiSquare.survival(point.x, degreesOfFreedom: point.df)
        #expect(abs(tail - point.sf) <= 1e-12 * point.sf + 1e-300, "χ²(\(point.df)) ≥ \(point.x): \(tail) vs \(point.sf)")
    }

    @Test(arguments: HistoryDriftTests.golden.normalUpperQuantile.indices)
    func normalQuantilesMatchScipy(_ index: Int) {
        let point = HistoryDriftTests.golden.normalUpperQuantile[index]
        #expect(abs(StandardNormal.upperQuantile(point.p) - point.z) < 1e-12)
    }

    @Test func moverIntervalByHand() throws {
        // Baseline 0.30 [0.25, 0.36], now 0.40 [0.33, 0.46].
        let interval = try #require(DriftEvaluation.differenceInterval(current: (0.40, [0.33, 0.46]), baseline: (0.30, [0.25, 0.36])))
        #expect(abs(interval[0] - (0.10 - (0.07 * 0.07 + 0.06 * 0.06).squareRoot())) < 1e-15)
        #expect(abs(interval[1] - (0.10 + (0.06 * 0.06 + 0.05 * 0.05).squareRoot())) < 1e-15)
        #expect(DriftEvaluation.differenceInterval(current: (0.4, nil), baseline: (0.3, [0.2, 0.4])) == nil)
    }

    @Test func wideningScalesBothSidesByTheQuantileRatio() {
        // From 95% to 99.9% two-sided: 3.2905 / 1.9600.
        let widened = DriftEvaluation.widened([0.05, 0.2], change: 0.1, alpha: 0.001, level: 0.95)
        let factor = 3.2905267314918945 / 1.959963984540054
        #expect(abs(widened[0] - (0.1 - 0.05 * factor)) < 1e-9 && abs(widened[1] - (0.1 + 0.1 * factor)) < 1e-9)
    }
}
