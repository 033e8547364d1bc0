import Testing
@testable import FairleadCore

/// MetricFrame values against Fairlearn's MetricFrame and fairness functions
/// (fixtures/metrics/*.json, made by fixtures/metrics/make_goldens.py), to 1e-9.
@Suite struct FairlearnGoldenTests {
    static let metricNames: [String: GroupMetric] = Dictionary(
        uniqueKeysWithValues: GroupMetric.allCases.filter { $0 != .share }.map { ($0.rawValue, $0) })

    @Test func goldenFilesNameTheirLibraryVersions() {
        for file in MetricsGoldenFile.all.values {
            #expect(file.versions["fairlearn"] == "0.15.0")
            #expect(file.versions["aif360"] == "0.6.1")
            #expect(file.versions["numpy"] != nil && file.versions["pandas"] != nil && file.versions["python"] != nil)
        }
        #expect(GoldenCase.fairlearn().count == 11)
    }

    @Test(arguments: GoldenCase.fairlearn())
    func byGroupAndOverall(golden: GoldenCase) throws {
        let expected = golden.file.fairlearn[golden.index]
        let frame = try golden.file.frame(attributes: expected.attributes, weighted: expected.weighted)
        // Same groups (Fairlearn sorts "unknown" among the levels; match by key).
        #expect(Set(frame.groups.map(\.values)) == Set(expected.groups))
        #expect(frame.groups.count == expected.groups.count)
        for (name, values) in expected.by_group {
            let metric = try #require(Self.metricNames[name], "unknown metric \(name)")
            for (position, key) in expected.groups.enumerated() {
                let value = try #require(frame.value(metric, group: GroupKey(key)))
                #expect(matchesGolden(value, values[position]), "\(name) \(key): \(value) vs \(String(describing: values[position]))")
            }
            #expect(matchesGolden(frame.overall(metric), expected.overall[name] ?? nil), "overall \(name)")
        }
    }

    @Test(arguments: GoldenCase.fairlearn())
    func extremesDifferencesAndRatios(golden: GoldenCase) throws {
        let expected = golden.file.fairlearn[golden.index]
        let frame = try golden.file.frame(attributes: expected.attributes, weighted: expected.weighted)
        for (name, minimum) in expected.group_min {
            let metric = try #require(Self.metricNames[name])
            #expect(matchesGolden(frame.groupMin(metric), minimum), "group_min \(name)")
            #expect(matchesGolden(frame.groupMax(metric), expected.group_max[name] ?? nil), "group_max \(name)")
        }
        for method in DisparityMethod.allCases {
            for (name, difference) in expected.difference[method.rawValue] ?? [:] {
                let metric = try #require(Self.metricNames[name])
                #expect(matchesGolden(frame.difference(metric, method: method), difference), "difference \(method) \(name)")
            }
            for (name, ratio) in expected.ratio[method.rawValue] ?? [:] {
                let metric = try #require(Self.metricNames[name])
                #expect(matchesGolden(frame.ratio(metric, method: method), ratio), "ratio \(method) \(name)")
            }
        }
    }

    @Test(arguments: GoldenCase.fairlearn())
    func namedFairnessFunctions(golden: GoldenCase) throws {
        let expected = golden.file.fairlearn[golden.index]
        let frame = try golden.file.frame(attributes: expected.attributes, weighted: expected.weighted)
        for method in DisparityMethod.allCases {
            let named = try #require(expected.named[method.rawValue])
            let computed: [String: MetricValue] = [
                "demographic_parity_difference": frame.demographicParityDifference(method: method),
                "demographic_parity_ratio": frame.demographicParityRatio(method: method),
                "equal_opportunity_difference": frame.equalOpportunityDifference(method: method),
                "equal_opportunity_ratio": frame.equalOpportunityRatio(method: method),
                "equalized_odds_difference_worst_case": frame.equalizedOddsDifference(method: method, aggregation: .worstCase),
                "equalized_odds_difference_mean": frame.equalizedOddsDifference(method: method, aggregation: .mean),
                "equalized_odds_ratio_worst_case": frame.equalizedOddsRatio(method: method, aggregation: .worstCase),
                "equalized_odds_ratio_mean": frame.equalizedOddsRatio(method: method, aggregation: .mean),
            ]
            #expect(Set(named.keys) == Set(computed.keys))
            for (name, value) in computed {
                #expect(matchesGolden(value, named[name] ?? nil), "\(name) \(method): \(value)")
            }
        }
    }

    @Test func toOverallRatioIsInvertedAboveOne() throws {
        // leads, gender: some group is above the overall selection rate, so a plain
        // min(g / overall) would differ from Fairlearn's inverted ratio.
        let golden = GoldenCase(dataset: "leads-sample", index: 0)
        let expected = golden.file.fairlearn[0]
        let frame = try golden.file.frame(attributes: expected.attributes, weighted: false)
        let overall = try #require(frame.overall(.selectionRate).number)
        let plain = frame.byGroup(.selectionRate).compactMap(\.number).map { $0 / overall }
        #expect(plain.contains { $0 > 1 })
        let inverted = plain.map { $0 > 1 ? 1 / $0 : $0 }.min()
        #expect(frame.ratio(.selectionRate, method: .toOverall).number == inverted)
        #expect(matchesGolden(frame.ratio(.selectionRate, method: .toOverall), expected.ratio["to_overall"]?["selection_rate"] ?? nil))
    }
}
