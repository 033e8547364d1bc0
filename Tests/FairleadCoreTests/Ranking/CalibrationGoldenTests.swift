import Testing
@testable import FairleadCore

/// Reliability bins, ECE, Brier score and calibration-in-the-large against scikit-learn.
@Suite struct CalibrationGoldenTests {
    @Test(arguments: RankingCase.all)
    func binsMatchCalibrationCurve(_ testCase: RankingCase) throws {
        let golden = testCase.golden
        guard let sets = golden.calibration else { return }
        let ranking = try testCase.grouped()
        for (binText, set) in sets {
            let binCount = try #require(Int(binText))
            let calibration = try GroupCalibration(ranking, binCount: binCount)
            for (group, expected) in zip(calibration.byGroup + [calibration.overall], set.groups + [set.overall]) {
                guard let expected else {
                    #expect(group.bins.allSatisfy { $0.count == 0 })
                    #expect(group.expectedCalibrationError == .undefined(.emptyGroup))
                    continue
                }
                #expect(group.bins.map(\.count) == expected.counts, "\(binCount) bins")
                let nonEmpty = group.bins.filter { $0.count > 0 }
                #expect(goldenMismatch(nonEmpty.map(\.observedRate), expected.prob_true) == nil,
                        "\(binCount) bins: \(goldenMismatch(nonEmpty.map(\.observedRate), expected.prob_true) ?? "")")
                #expect(goldenMismatch(nonEmpty.map(\.meanScore), expected.prob_pred) == nil,
                        "\(binCount) bins: \(goldenMismatch(nonEmpty.map(\.meanScore), expected.prob_pred) ?? "")")
                #expect(matchesGolden(group.expectedCalibrationError, expected.ece, tolerance: 1e-9),
                        "\(binCount) bins: ECE \(group.expectedCalibrationError) vs \(expected.ece)")
            }
        }
    }

    @Test(arguments: RankingCase.all)
    func brierAndCalibrationInTheLargeMatch(_ testCase: RankingCase) throws {
        let golden = testCase.golden
        let calibration = try GroupCalibration(testCase.grouped())
        let brier = goldenMismatch(calibration.byGroup.map(\.brierScore), golden.brier)
        #expect(brier == nil, "\(brier ?? "")")
        #expect(matchesGolden(calibration.overall.brierScore, golden.overall_brier, tolerance: 1e-9))
        let large = goldenMismatch(calibration.byGroup.map(\.calibrationInTheLarge), golden.calibration_in_the_large)
        #expect(large == nil, "\(large ?? "")")
        #expect(matchesGolden(calibration.overall.calibrationInTheLarge, golden.overall_calibration_in_the_large,
                              tolerance: 1e-9))
    }

    @Test func binEdgesFollowSearchsortedLeft() {
        let edges = (0...10).map { $0 == 10 ? 1.0 : Double($0) * (1 / 10.0) }
        // An edge value belongs to the bin below it; 0 to the first, 1 to the last.
        #expect(GroupCalibration.bin(of: 0, edges: edges) == 0)
        #expect(GroupCalibration.bin(of: 0.1, edges: edges) == 0)
        #expect(GroupCalibration.bin(of: 0.1000001, edges: edges) == 1)
        #expect(GroupCalibration.bin(of: edges[3], edges: edges) == 2)
        #expect(GroupCalibration.bin(of: edges[3].nextUp, edges: edges) == 3)
        // The third edge is 3 × 0.1 = 0.30000000000000004, so 0.3 lies below it.
        #expect(GroupCalibration.bin(of: 0.3, edges: edges) == 2)
        #expect(GroupCalibration.bin(of: 1, edges: edges) == 9)
        #expect(GroupCalibration.bin(of: -5, edges: edges) == 0)
        #expect(GroupCalibration.bin(of: 1e300, edges: edges) == 9)
    }
}
