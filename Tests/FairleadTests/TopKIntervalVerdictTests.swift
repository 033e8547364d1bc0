import Foundation
import Testing
@testable import Fairlead

/// `settings.verdict: interval` on the top-k rates judges each group's Wilson interval at
/// the Bonferroni level, as it does the decisions' group rates.
@Suite struct TopKIntervalVerdictTests {
    /// Three groups of 100 rows; each has its first 50 scored 0.9, the rest 0.1, so the top
    /// 150 holds 50 of each. Among them a has 45 converters, b 25, c 10: precision@k 0.9,
    /// 0.5 and 0.2.
    static let csv: String = {
        var lines = ["score,y,g"]
        for (group, converters) in [("a", 45), ("b", 25), ("c", 10)] {
            for index in 0..<100 {
                let selected = index < 50
                let converted = selected ? index < converters : index % 2 == 0
                lines.append("\(selected ? 0.9 : 0.1),\(converted ? 1 : 0),\(group)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static func profile(verdict: AuditProfile.VerdictMode) throws -> AuditProfile {
        var profile = AuditBehaviourTests.profile(rules: [try VerdictTests.rule("precision_at_k >= 0.4")], minimumGroupSize: 30)
        profile.decisions = [.init(name: "top_150", kind: .topCount(150))]
        profile.settings.verdict = verdict
        return profile
    }

    @Test func anIntervalVerdictOnPrecisionAtKFollowsItsWilsonInterval() throws {
        let report = try VerdictTests.run(try Self.profile(verdict: .interval), csv: Self.csv)
        let findings = report.findings(.precisionAtK)
        #expect(findings.map(\.decision) == ["top_150", "top_150", "top_150"])
        // Three groups judged: each interval at 1 − 0.05/3.
        let level = 1 - 0.05 / 3
        for (group, precision, verdict) in [("a", 0.9, AuditReport.Verdict.pass), ("b", 0.5, .insufficientEvidence),
                                            ("c", 0.2, .fail)] {
            let finding = try #require(report.findings(.precisionAtK, group: group).first)
            let simultaneous = try #require(ConfidenceInterval.wilson(proportion: precision, sampleSize: 50, level: level))
            let shown = try #require(ConfidenceInterval.wilson(proportion: precision, sampleSize: 50, level: 0.95))
            #expect(finding.value == precision)
            #expect(finding.verdictInterval == [simultaneous.lower, simultaneous.upper], "\(group)")
            #expect(finding.interval == [shown.lower, shown.upper], "\(group)")
            #expect(finding.verdict == verdict, "\(group): \(finding.reason)")
        }
        // a: [0.754, 0.963] wholly ≥ 0.4; c: [0.099, 0.363] wholly below; b: [0.340, 0.660] straddles.
        let b = try #require(report.findings(.precisionAtK, group: "b").first)
        #expect(b.reason.hasPrefix("0.5, but its interval [0.3397, 0.6603] straddles 0.4"))
        #expect(b.reason.contains("rows in 'b' (now 100) would decide it"))
        #expect(!b.reason.contains("no interval to judge"))
        #expect(report.status == .fail)
    }

    @Test func pointVerdictsOnPrecisionAtKAreUnchanged() throws {
        let report = try VerdictTests.run(try Self.profile(verdict: .point), csv: Self.csv)
        #expect(report.findings(.precisionAtK).map(\.verdict) == [.pass, .pass, .fail])
        #expect(report.findings(.precisionAtK).allSatisfy { $0.verdictInterval == nil })
    }

    @Test func queueMetricsWithoutIntervalsStillSaySo() throws {
        var profile = try Self.profile(verdict: .interval)
        profile.rules = [try VerdictTests.rule("skew_at_k >= -0.5")]
        let report = try VerdictTests.run(profile, csv: Self.csv)
        let skew = report.findings(.skewAtK)
        #expect(skew.count == 3)
        #expect(skew.allSatisfy { $0.verdict == .insufficientEvidence && $0.reason.contains("has no interval to judge") })
    }
}
