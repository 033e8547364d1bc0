import Foundation
import Testing

/// A rule on a lead-queue value that compares groups — a difference or disparity between
/// groups, a group's skew or exposure against the whole, a distance or cross-AUC against
/// the rest — has nothing to compare when one group (or none) has rows: the value is 0 or 1
/// by construction. Those rules passed (`PASS queue / grp: 0.000 … 0 <= 0.1`, exit 0) on a
/// sensitive column holding one value, or none at all; each is now insufficient evidence
/// saying so. A rule on a group's own value (its AUC, its calibration) is still judged.
@Suite struct CLIQueueOneGroupTests {
    /// Every queue rule that compares groups.
    static let comparing = ["auc_difference<=0.1", "brier_score_difference<=0.05", "expected_calibration_error_difference<=0.1",
                            "calibration_in_the_large_difference<=0.1", "max_xauc_disparity<=0.1", "ndkl<=0.1",
                            "min_skew_at_k>=-0.5", "max_skew_at_k<=0.5", "exposure_disparity>=0.8",
                            "skew_at_k>=-0.5", "exposure_ratio>=0.8", "ks_statistic<=0.2", "wasserstein_distance<=0.1",
                            "xauc_disparity<=0.1", "xauc_versus_rest>=0.5"]

    /// 500 rows, scores spread over (0, 1) with no ties, every third converted; `grp` as given.
    static func rows(group: (Int) -> String) -> String {
        var text = "id,grp,score,y\n"
        for row in 0..<500 {
            let score = Double((row * 7_919) % 500 + 1) / 502
            text += "L\(row),\(group(row)),\(score),\(row % 3 == 0 ? 1 : 0)\n"
        }
        return text
    }

    static func audit(_ data: String, rules: [String]) throws -> (CLIProcess.Result, [[String: Any]]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-queue-one-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("leads.csv").path
        try data.write(toFile: path, atomically: true, encoding: .utf8)
        let arguments = ["audit", "--data", path, "--score", "score", "--label", "y", "--sensitive", "grp", "--score-range", "0,1",
                         "--top-k", "20%"] + rules.flatMap { ["--rule", $0] }
        let text = try CLIProcess.run(arguments)
        let json = try CLIProcess.run(arguments + ["--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        return (text, report["findings"] as? [[String: Any]] ?? [])
    }

    /// Every row's group: one value ("a"), or none ("").
    @Test(arguments: ["a", ""])
    func comparingRulesAreInsufficientEvidence(_ group: String) throws {
        let `case` = group.isEmpty ? "no value" : "one value"
        let (text, findings) = try Self.audit(Self.rows { _ in group }, rules: Self.comparing)
        #expect(text.standardOutput.hasPrefix("INSUFFICIENT EVIDENCE"), "\(`case`): \(text.standardOutput.prefix(400))")
        #expect(!findings.isEmpty)
        for finding in findings {
            #expect(finding["verdict"] as? String == "insufficient_evidence", "\(`case`): \(finding)")
            // Nothing to compare, or (a group against the rest) a rest of no rows.
            #expect(["nothing_to_compare", "too_few_rows", "no_labels"].contains(finding["undecided_cause"] as? String ?? ""), "\(finding)")
        }
        // Each rule has a finding, and each says why.
        let rules = Set(findings.compactMap { $0["rule"] as? String })
        #expect(rules.count == Self.comparing.count, "\(rules)")
        let undecided = findings.filter { $0["undecided_cause"] as? String == "nothing_to_compare" }
        if `case` == "one value" {
            #expect(undecided.count >= 11, "\(findings.filter { $0["undecided_cause"] as? String != "nothing_to_compare" })")
            #expect(undecided.contains { ($0["reason"] as? String)?.contains("only one group ('a') has rows: auc_difference compares groups, and there is nothing to compare") == true },
                    "\(undecided.map { $0["reason"] ?? "" })")
        }
    }

    /// A group's own AUC is its own: one group still has it, and the rule is judged.
    @Test func aGroupsOwnValueIsStillJudged() throws {
        let (text, findings) = try Self.audit(Self.rows { _ in "a" }, rules: ["auc>=0.3", "brier_score<=0.5"])
        #expect(text.exitCode == 0, "\(text.standardOutput.prefix(600))")
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { $0["verdict"] as? String == "pass" }, "\(findings)")
    }

    /// Two groups: the same rules are judged (here, on scores unrelated to the groups).
    @Test func twoGroupsAreCompared() throws {
        let (_, findings) = try Self.audit(Self.rows { $0 % 2 == 0 ? "a" : "b" }, rules: ["auc_difference<=0.5", "exposure_disparity>=0.5"])
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { ["pass", "fail"].contains($0["verdict"] as? String) }, "\(findings)")
    }
}
