import Foundation
import Testing

/// Under `settings.verdict: interval`, a value without an interval is undecided; the
/// reason says why it has none: its metric carries none, or the bootstrap it comes from
/// is turned off by `settings.bootstrap: 0`.
@Suite struct CLIIntervalAbsenceTests {
    /// Every metric of the catalog whose interval comes from the bootstrap and that an
    /// interval verdict reads it from (the between-groups metrics are judged on the
    /// simultaneous Wilson interval of their groups' rates), with a bound it can hold.
    static let bootstrapMetrics = [
        "disparate_impact >= 0.8", "statistical_parity_difference >= -0.1",
        "average_odds_difference >= -0.1", "average_abs_odds_difference <= 0.1",
    ]

    /// Two groups of 40 rows with every confusion cell filled, the same in both.
    static func audit(rule: String, bootstrap: Int) throws -> [[String: Any]] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("intervals-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines = ["score,label,group"]
        for group in ["a", "b"] {
            for index in 0..<40 { lines.append("\(index % 2 == 0 ? 0.8 : 0.2),\(index % 4 < 2 ? 1 : 0),\(group)") }
        }
        let data = folder.appendingPathComponent("rows.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("p.yaml").path
        try """
            name: intervals
            data: {path: \(data), score: score, label: label, score_range: [0, 1]}
            decisions: [{threshold: 0.5}]
            sensitive: [{column: group, reference: a}]
            settings: {min_group_size: 5, bootstrap: \(bootstrap), verdict: interval}
            rules: ["\(rule)"]
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["audit", "--profile", profile, "--format", "json"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        return try #require(report["findings"] as? [[String: Any]])
    }

    @Test(arguments: bootstrapMetrics)
    func aBootstrapTurnedOffIsTheReasonNotTheMetric(rule: String) throws {
        let findings = try Self.audit(rule: rule, bootstrap: 0)
        #expect(findings.count == 1)
        for finding in findings {
            let reason = try #require(finding["reason"] as? String)
            #expect(finding["verdict"] as? String == "insufficient_evidence")
            #expect(finding["undecided_cause"] as? String == "no_interval")
            #expect(reason.hasSuffix(" has no interval to judge: its interval comes from the bootstrap, which settings.bootstrap: 0 turns off, "
                                     + "so settings.verdict: interval cannot decide it; settings.bootstrap: 1000 would give it one "
                                     + "(settings.verdict: point judges the value alone)"), "\(reason)")
            #expect(!reason.contains("carries none"), "\(reason)")
        }
        // With the bootstrap on, the same value has its interval and is judged on it.
        let judged = try Self.audit(rule: rule, bootstrap: 200)
        #expect(judged.allSatisfy { ($0["verdict"] as? String) != "insufficient_evidence" || ($0["undecided_cause"] as? String) != "no_interval" },
                "\(judged)")
    }

    /// A metric that never carries an interval still says so, bootstrap or not.
    @Test(arguments: [0, 200])
    func aMetricWithoutIntervalsStillSaysItCarriesNone(bootstrap: Int) throws {
        let findings = try Self.audit(rule: "theil_index <= 0.5", bootstrap: bootstrap)
        let reason = try #require(findings.first?["reason"] as? String)
        #expect(findings.count == 1)
        #expect(reason.hasSuffix(" has no interval to judge: this metric carries none (`fairlead metrics --format markdown`, column intervals), "
                                 + "so settings.verdict: interval cannot decide it; settings.verdict: point would"), "\(reason)")
    }
}
