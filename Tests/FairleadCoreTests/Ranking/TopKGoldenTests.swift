import Testing
@testable import FairleadCore

/// Top-k shares, rates, skew@k, NDKL and exposure against numpy, scipy and scikit-learn.
@Suite struct TopKGoldenTests {
    @Test(arguments: RankingCase.all)
    func topKMatchesTheGolden(_ testCase: RankingCase) throws {
        let golden = testCase.golden
        let results = try TopKMetrics.compute(testCase.grouped(), cutoffs: golden.top_k.map(\.cutoff.rankingCutoff))
        for (result, expected) in zip(results, golden.top_k) {
            let label = "\(result.cutoff) (k = \(result.k))"
            #expect(result.k == expected.k, "\(label)")
            let groups = expected.groups
            #expect(result.byGroup.map(\.countInTopK) == groups.count_in_top_k, "\(label)")
            let checks: [(String, [MetricValue], [Double?])] = [
                ("share of top k", result.byGroup.map(\.shareOfTopK), groups.share_of_top_k),
                ("share of population", result.byGroup.map(\.shareOfPopulation), groups.share_of_population),
                ("selection rate", result.byGroup.map(\.selectionRate), groups.selection_rate),
                ("precision", result.byGroup.map(\.precision), groups.precision),
                ("recall", result.byGroup.map(\.recall), groups.recall),
                ("skew", result.byGroup.map(\.skew), groups.skew),
                ("exposure", result.byGroup.map(\.exposure), groups.exposure),
                ("exposure share", result.byGroup.map(\.exposureShare), groups.exposure_share),
                ("merit", result.byGroup.map(\.merit), groups.merit),
                ("exposure ratio", result.byGroup.map(\.exposureRatio), groups.exposure_ratio),
            ]
            for (name, values, expectedValues) in checks {
                let mismatch = goldenMismatch(values, expectedValues)
                #expect(mismatch == nil, "\(label) \(name): \(mismatch ?? "")")
            }
            #expect(matchesGolden(result.precision, expected.precision, tolerance: 1e-9), "\(label) precision")
            #expect(matchesGolden(result.recall, expected.recall, tolerance: 1e-9), "\(label) recall")
            #expect(matchesGolden(result.ndkl, expected.ndkl, tolerance: 1e-9),
                    "\(label) NDKL \(result.ndkl) vs \(expected.ndkl.map { "\($0)" } ?? "null")")
        }
    }

    @Test(arguments: RankingCase.all)
    func topKRatesEqualTheGroupMetricsOfTheTopKRule(_ testCase: RankingCase) throws {
        let golden = testCase.golden
        let columns = testCase.columns
        let grouping = try Grouping(columns: columns, attributes: golden.attributes)
        let cutoffs = golden.top_k.map(\.cutoff.rankingCutoff)
        let results = try TopKMetrics.compute(ScoreRanking(columns: columns).grouped(by: grouping), cutoffs: cutoffs)
        for (cutoff, result) in zip(cutoffs, results) {
            let frame = MetricFrame(stats: try GroupStats.accumulate(columns, rule: cutoff.decisionRule, grouping: grouping),
                                    grouping: grouping)
            let pairs: [([MetricValue], GroupMetric)] = [
                (result.byGroup.map(\.selectionRate), .selectionRate),
                (result.byGroup.map(\.precision), .positivePredictiveValue),
                (result.byGroup.map(\.recall), .truePositiveRate),
                (result.byGroup.map(\.shareOfPopulation), .share),
            ]
            for (values, metric) in pairs {
                for (value, expected) in zip(values, frame.byGroup(metric)) {
                    #expect(value.isDefined == expected.isDefined, "\(cutoff) \(metric)")
                    #expect(close(value.number ?? 0, expected.number ?? 0, tolerance: 1e-12), "\(cutoff) \(metric): \(value) vs \(expected)")
                }
            }
            let selected = frame.stats.overall.truePositives.count + frame.stats.overall.falsePositives.count
            #expect(result.byGroup.map(\.countInTopK).reduce(0, +) == selected, "\(cutoff)")
        }
    }
}
