import Testing
@testable import FairleadCore

/// Values that cannot be computed are undefined with their reason, never 0.
@Suite struct RankingUndefinedTests {
    private func grouped(_ columns: AuditColumns, policy: MissingSensitivePolicy = .ownGroup) throws -> GroupedRanking {
        try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["group"], missingPolicy: policy))
    }

    @Test func groupWithoutPositivesHasNoAUC() throws {
        let columns = columns(scores: [0.9, 0.4, 0.8, 0.3, 0.6], labels: [0, 0, 1, 0, 1], groups: ["a", "a", "b", "b", "b"])
        let separation = try ScoreSeparation(grouped(columns))
        #expect(separation.auc[0] == .undefined(.noActualPositives))
        #expect(separation.auc[1] == .value(1))
        #expect(separation.xauc(positivesOf: 0, negativesOf: 1) == .undefined(.noActualPositives))
        #expect(separation.xauc(positivesOf: 1, negativesOf: 0) == .value(0.5))
        #expect(separation.xaucVersusRest[0] == .undefined(.noActualPositives))
        #expect(separation.xaucDisparity[0] == .undefined(.undefinedOperand))
        // The AUC difference skips the undefined group.
        #expect(separation.aucDifference == .value(0))
        #expect(separation.ksVersusRest[0].isDefined)
    }

    @Test func groupWithoutNegativesHasNoAUC() throws {
        let columns = columns(scores: [0.9, 0.4, 0.8, 0.3], labels: [1, 1, 1, 0], groups: ["a", "a", "b", "b"])
        let separation = try ScoreSeparation(grouped(columns))
        #expect(separation.auc[0] == .undefined(.noActualNegatives))
        #expect(separation.xaucRestVersus[0] == .undefined(.noActualNegatives))
    }

    @Test func emptyGroupIsUndefinedEverywhere() throws {
        // Level "c" has no rows.
        let attribute = SensitiveAttribute(name: "group", codes: [0, 1, 0, 1], levels: ["a", "b", "c"])
        let columns = AuditColumns(scores: [0.9, 0.8, 0.3, 0.2], labels: [1, 0, 0, 1], attributes: [attribute])
        let ranking = try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["group"]))
        let metrics = try RankingMetrics(ranking, configuration: .init(cutoffs: [.count(2)], reference: .named(["a"])))
        let top = metrics.topK[0].byGroup[2]
        #expect(top.shareOfPopulation == .value(0))
        #expect(top.selectionRate == .undefined(.emptyGroup))
        #expect(top.skew == .undefined(.emptyGroup))
        #expect(top.exposure == .undefined(.emptyGroup))
        #expect(top.exposureRatio == .undefined(.emptyGroup))
        #expect(top.recall == .undefined(.noActualPositives))
        #expect(metrics.separation.auc[2] == .undefined(.emptyGroup))
        #expect(metrics.separation.ksVersusRest[2] == .undefined(.emptyGroup))
        #expect(metrics.separation.wassersteinVersusReference?[2] == .undefined(.emptyGroup))
        #expect(metrics.calibration.byGroup[2].brierScore == .undefined(.emptyGroup))
        #expect(metrics.calibration.byGroup[2].bins.allSatisfy { $0.meanScore == .undefined(.emptyGroup) })
        #expect(metrics.sweep.value(.selectionRate, group: 2, at: 0) == .undefined(.emptyGroup))
    }

    @Test func emptyTopK() throws {
        let columns = columns(scores: [0.9, 0.8, 0.3], labels: [1, 0, 0], groups: ["a", "b", "a"])
        let result = try TopKMetrics.compute(grouped(columns), cutoffs: [.count(0)])[0]
        #expect(result.k == 0)
        #expect(result.byGroup[0].shareOfTopK == .undefined(.noPredictedPositives))
        #expect(result.byGroup[0].skew == .undefined(.noPredictedPositives))
        #expect(result.byGroup[0].precision == .undefined(.noPredictedPositives))
        #expect(result.byGroup[0].selectionRate == .value(0))
        #expect(result.byGroup[0].exposureRatio == .undefined(.noPredictedPositives))
        #expect(result.ndkl == .undefined(.noPredictedPositives))
        #expect(result.minSkew == .undefined(.noDefinedGroups))
    }

    @Test func withoutLabels() throws {
        let columns = columns(scores: [0.95, 0.85, 0.3, 0.1], labels: nil, groups: ["a", "b", "a", "b"])
        let metrics = try RankingMetrics(grouped(columns))
        #expect(metrics.separation.auc == [.undefined(.labelsAbsent), .undefined(.labelsAbsent)])
        #expect(metrics.separation.overallAUC == .undefined(.labelsAbsent))
        #expect(metrics.separation.ksVersusRest == [.value(0.5), .value(0.5)])
        #expect(metrics.calibration.overall.expectedCalibrationError == .undefined(.labelsAbsent))
        #expect(metrics.calibration.overall.bins[9].observedRate == .undefined(.labelsAbsent))
        #expect(metrics.calibration.overall.bins[9].meanScore == .value(0.95))
        #expect(metrics.sweep.value(.truePositiveRate, group: 0, at: 50) == .undefined(.labelsAbsent))
        #expect(metrics.sweep.value(.selectionRate, group: 0, at: 50) == .value(0.5))
    }

    @Test func singleGroupHasNoRestToCompareWith() throws {
        let columns = columns(scores: [0.9, 0.3], labels: [1, 0], groups: ["a", "a"])
        let separation = try ScoreSeparation(grouped(columns))
        #expect(separation.ksVersusRest == [.undefined(.emptyGroup)])
        #expect(separation.xaucVersusRest == [.undefined(.emptyGroup)])
        #expect(separation.maximumXAUCDisparity == .undefined(.noDefinedGroups))
    }

    @Test func zeroMeritLeavesTheExposureRatioUndefined() throws {
        let columns = columns(scores: [0.9, 0.8, 0.3], labels: [0, 1, 1], groups: ["a", "b", "b"])
        let result = try TopKMetrics.compute(grouped(columns), cutoffs: [.fraction(1)])[0]
        #expect(result.byGroup[0].merit == .value(0))
        #expect(result.byGroup[0].exposureRatio == .undefined(.zeroDivisor))
        #expect(result.byGroup[1].exposureRatio.isDefined)
    }

    @Test func impossibleConfigurationsThrow() throws {
        let columns = columns(scores: [0.9, 0.3], labels: [1, 0], groups: ["a", "b"])
        let ranking = try grouped(columns)
        #expect(throws: FairleadError.self) { try TopKMetrics.compute(ranking, cutoffs: [.count(-1)]) }
        #expect(throws: FairleadError.self) { try TopKMetrics.compute(ranking, cutoffs: [.fraction(1.5)]) }
        #expect(throws: FairleadError.self) { try GroupCalibration(ranking, binCount: 0) }
        #expect(throws: FairleadError.self) { try ScoreSeparation(ranking, reference: .bestValued) }
        #expect(throws: FairleadError.self) { try ScoreSeparation(ranking, reference: .named(["z"])) }
    }
}
