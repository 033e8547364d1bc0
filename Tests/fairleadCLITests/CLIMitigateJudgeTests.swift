import Foundation
import Testing

/// `fairlead mitigate` judges today's decision and every option as `fairlead audit` judges
/// a decision: a way of selecting that selects every lead (or none) compares no groups and
/// holds no rule, and a rule's value is the one its verdict rests on, the worst group's.
@Suite struct CLIMitigateJudgeTests {
    /// 100 leads in each of A, B and C, scored 0.75 or 0.25 only: at 0.5, 50, 35 and 30 are
    /// selected (rates 0.5, 0.35, 0.3; disparate impact versus A 0.7 and 0.6).
    static func setUp() throws -> (folder: URL, profile: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mitigate-judge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var csv = "id,score,label,grp\n"
        for (group, high) in [("A", 50), ("B", 35), ("C", 30)] {
            for row in 0..<100 {
                csv += "\(group)\(row),\(row < high ? 0.75 : 0.25),\(row % 2),\(group)\n"
            }
        }
        try csv.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("p3.yaml")
        try """
            name: p3
            data: {path: d.csv, id: id, score: score, label: label, score_range: [0, 1]}
            sensitive: [{column: grp, reference: A}]
            decisions: [{threshold: 0.5}]
            rules: [disparate_impact >= 0.8]
            settings: {bootstrap: 0}
            """.write(to: profile, atomically: true, encoding: .utf8)
        return (folder, profile.path)
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Selecting score ≥ 0.25 selects all 300 leads: the audit says insufficient evidence,
    /// so it is no single threshold that holds the rule (it was listed, "rules held 1 of 1").
    @Test func aThresholdThatSelectsEveryLeadHoldsNoRule() throws {
        let (folder, profile) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let audit = try CLIProcess.run(["audit", "--profile", profile, "--threshold", "0.25", "--format", "json"])
        let findings = try Self.object(audit.standardOutput)["findings"] as? [[String: Any]] ?? []
        #expect(!findings.isEmpty && findings.allSatisfy { $0["verdict"] as? String == "insufficient_evidence" }, "\(audit.standardOutput)")

        let json = try CLIProcess.run(["mitigate", "--profile", profile, "--format", "json"])
        let decision = try #require((try Self.object(json.standardOutput)["decisions"] as? [String: Any])?["threshold_0.5"] as? [String: Any],
                                    "\(json.standardOutput)\(json.standardError)")
        #expect(decision["single_threshold"] == nil, "\(decision)")
        #expect(decision["single_threshold_note"] as? String == "no single score threshold makes every checked rule hold")
        let text = try CLIProcess.run(["mitigate", "--profile", profile])
        #expect(text.standardOutput.contains("single threshold: no single score threshold makes every checked rule hold"), "\(text.standardOutput)")
    }

    /// Today's value of `disparate_impact >= 0.8` is C's 0.6, the worst group's, on which
    /// the audit's verdict rests; it was B's 0.7, the first failing group.
    @Test func todaysValueIsTheWorstGroupsAsInTheAudit() throws {
        let (folder, profile) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let audit = try CLIProcess.run(["audit", "--profile", profile, "--format", "json"])
        let findings = try Self.object(audit.standardOutput)["findings"] as? [[String: Any]] ?? []
        let values = findings.compactMap { $0["value"] as? Double }
        #expect(values.count == 2 && abs((values.min() ?? .nan) - 0.6) < 1e-12, "\(findings)")

        let json = try CLIProcess.run(["mitigate", "--profile", profile, "--format", "json"])
        let decision = (try Self.object(json.standardOutput)["decisions"] as? [String: Any])?["threshold_0.5"] as? [String: Any]
        let rules = (decision?["current"] as? [String: Any])?["rules"] as? [[String: Any]] ?? []
        #expect(rules.count == 1)
        #expect(abs((rules.first?["value"] as? Double ?? .nan) - 0.6) < 1e-12, "\(rules)")
        #expect(rules.first?["holds"] as? Bool == false)
        let text = try CLIProcess.run(["mitigate", "--profile", profile])
        let today = text.standardOutput.split(separator: "\n").filter { $0.contains("disparate_impact >= 0.8") }
        #expect(today.contains { $0.contains("0.600") } && !today.contains { $0.contains("0.700") }, "\(text.standardOutput)")
    }
}
