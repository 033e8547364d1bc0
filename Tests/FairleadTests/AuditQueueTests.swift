import Foundation
import Testing
@testable import Fairlead

/// The lead-queue section of the report, against scikit-learn and scipy on the same file
/// (fixtures/ranking/leads-sample.json), and rules on queue metrics.
@Suite struct AuditQueueTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            var attributes: [String]
            var weighted: Bool
            var groups: [[String]]
            var auc: [Double?]
            var brier: [Double?]
            var ks_versus_rest: [Double?]
            var calibration_in_the_large: [Double?]
        }
        var cases: [Case]
    }

    static let report: AuditReport? = try? Audit(profile: AuditFixtures.goldenProfile(), threads: 2,
                                                 clock: AuditFixtures.fixedClock).run()

    @Test func queueMetricsEqualScikitLearnAndScipy() throws {
        let url = AuditFixtures.root.appendingPathComponent("fixtures/ranking/leads-sample.json")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        let queue = try #require(Self.report?.queue)
        let cases = golden.cases.filter { !$0.weighted && $0.attributes.count == 1 }
        #expect(cases.count == 3)
        for entry in cases {
            let section = try #require(queue[entry.attributes[0]])
            for (index, group) in entry.groups.enumerated() {
                let name = group.joined(separator: " & ")
                let values = try #require(section.groups[name], "no group \(name)")
                for (key, expected) in [("auc", entry.auc[index]), ("brier_score", entry.brier[index]),
                                        ("ks_statistic", entry.ks_versus_rest[index]),
                                        ("calibration_in_the_large", entry.calibration_in_the_large[index])] {
                    let actual = values[key]?.value
                    if let expected, let actual {
                        #expect(abs(actual - expected) <= 1e-9, "\(name) \(key): \(actual) vs \(expected)")
                    } else {
                        #expect(actual == nil && expected == nil, "\(name) \(key)")
                    }
                }
            }
        }
    }

    @Test func thresholdRangesShowWhereTheFourFifthsRuleHolds() throws {
        let queue = try #require(Self.report?.queue?["ethnicity"])
        // The planted bias: only when nearly every lead is called does black reach 4/5 of white.
        // Threshold 0 selects everyone (the lowest score is 0.0011): it compares nothing, and
        // is left out.
        #expect(queue.thresholdRanges["disparate_impact >= 0.8"] == [[0.01, 0.03]])
        #expect(queue.referenceGroup == "white")
        #expect(queue.topK["top_10pct"]?.k == 500)
    }

    @Test func rulesOnQueueMetricsBecomeFindings() throws {
        var profile = AuditFixtures.goldenProfile()
        profile.decisions.append(.init(name: "top_500", kind: .topCount(500)))
        profile.rules = [.init(metric: .skewAtK, comparison: .atLeast, bound: -0.5, attributes: ["ethnicity"]),
                         .init(metric: .aucDifference, comparison: .atMost, bound: 0.1, attributes: ["ethnicity"])]
        let report = try Audit(profile: profile, threads: 1, clock: AuditFixtures.fixedClock).run()
        let skew = report.findings.filter { $0.metric == "skew_at_k" }
        #expect(skew.map(\.decision) == Array(repeating: "top_500", count: 5))
        #expect(skew.filter { $0.verdict == .fail }.map(\.group) == ["black"])
        let auc = report.findings.filter { $0.metric == "auc_difference" }
        #expect(auc.map(\.decision) == ["queue"])
        #expect(auc.first?.verdict == .pass)
    }
}
