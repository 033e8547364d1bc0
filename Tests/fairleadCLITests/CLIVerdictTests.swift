import Foundation
import Testing

/// The verdicts a new user reported as saying more than was checked, end to end.
@Suite struct CLIVerdictTests {
    static let leads = "fixtures/leads/leads-sample.csv"

    /// The leads sample with its score column rewritten by `transform` (score is column 2).
    static func rescaledLeads(_ transform: (Double) -> String) throws -> (folder: URL, path: String) {
        let text = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent(leads), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let scoreIndex = try #require(header.firstIndex(of: "score"))
        for index in 1..<lines.count where !lines[index].isEmpty {
            var cells = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if let value = Double(cells[scoreIndex]) { cells[scoreIndex] = transform(value) }
            lines[index] = cells.joined(separator: ",")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verdicts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("leads.csv").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return (folder, path)
    }

    static func json(_ result: CLIProcess.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    @Test func rowsThatAreAllExcludedStopWithTheCounts() throws {
        let (folder, path) = try Self.rescaledLeads { _ in "NaN" }
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIProcess.run(["audit", "--data", path, "--score", "score", "--label", "converted",
                                         "--sensitive", "ethnicity", "--threshold", "0.3", "--rule", "disparate_impact >= 0.8"])
        #expect(result.exitCode == 2)
        #expect(result.standardError == "fairlead: \(path): no usable rows: all 5000 rows read were excluded (5000 missing score); check the score and label columns and data.missing_markers\n")
    }

    @Test func aTopKOfEveryoneDecidesNothing() throws {
        let result = try CLIProcess.run(["audit", "--data", Self.leads, "--score", "score", "--sensitive", "ethnicity",
                                         "--top-k", "100000", "--rule", "disparate_impact >= 0.8", "--format", "json"])
        #expect(result.exitCode == 0)
        let report = try Self.json(result)
        #expect(report["status"] as? String == "insufficient_evidence")
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.count == 4)
        #expect(findings.allSatisfy { ($0["reason"] as? String)?.hasPrefix("top_k 100000 selects every one of the 5000 rows used; it compares no groups") == true })
    }

    @Test func aThresholdAboveEveryScoreDecidesNothingAndSaysSo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verdicts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("p.yaml").path
        try """
            name: above
            data: {path: \(CLIProcess.packageRoot.appendingPathComponent(Self.leads).path), score: score, score_range: [0, 1]}
            decisions: [{threshold: 0.999}]
            sensitive: [ethnicity]
            rules: [disparate_impact >= 0.8]
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["audit", "--profile", profile, "--verbose"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.hasPrefix("INSUFFICIENT EVIDENCE  above: 0 of 1 rules judged · 0 passed, 0 failed, 4 insufficient evidence\n"))
        #expect(CLIProcess.unwrapped(result.standardOutput).contains("the decision score ≥ 0.999 selects none of the 5000 rows used (scores run 0.0011–0.9987); it compares no groups; a threshold inside the scores' range would decide it"))
    }

    /// 0.5 on scores of 0–100 selects nearly every lead, so the rule passed on a
    /// decision no one makes, with a note: it is refused, and a declared scale says it
    /// is meant.
    @Test func aProbabilityThresholdOnAHundredPointScoreIsRefused() throws {
        let (folder, path) = try Self.rescaledLeads { String($0 * 100) }
        defer { try? FileManager.default.removeItem(at: folder) }
        let message = "the threshold 0.5 of decision 'threshold_0.5' looks like a probability, but the scores run 0.1124–99.8742 and it selects 99.7% of the 5000 rows used (4986): give a threshold on their scale (50 on a 0–100 scale), or declare data.score_range (--score-range) if 0.5 is meant on it\n"
        let audit = try CLIProcess.run(["audit", "--data", path, "--score", "score", "--sensitive", "ethnicity",
                                        "--threshold", "0.5", "--rule", "disparate_impact >= 0.8"])
        #expect(audit.exitCode == 2 && audit.standardOutput.isEmpty)
        #expect(audit.standardError == "fairlead: \(path): " + message, "\(audit.standardError)")
        // A score below 0 among them, and the audit from statistics parts: refused too
        // (they passed, the one as "log-odds", the other with no count of the selected).
        var first = true
        let (negativeFolder, negative) = try Self.rescaledLeads { value in
            defer { first = false }
            return first ? "-0.01" : String(value * 100)
        }
        defer { try? FileManager.default.removeItem(at: negativeFolder) }
        let profile = negativeFolder.appendingPathComponent("p.yaml").path
        try """
            name: negative
            data: {path: \(negative), id: lead_id, score: score, label: converted}
            decisions: [{threshold: 0.5}]
            sensitive: [{column: ethnicity, reference: white}]
            rules: [disparate_impact >= 0.8]
            settings: {bootstrap: 100}
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let part = negativeFolder.appendingPathComponent("part.stats.json").path
        for arguments in [["audit", "--profile", profile], ["mitigate", "--profile", profile], ["stats", "--profile", profile, "--out", part]] {
            let refused = try CLIProcess.run(arguments + ["--threads", "1"])
            let expected = arguments[0] == "stats" ? 0 : 2
            #expect(refused.exitCode == expected, "\(arguments[0]): \(refused.standardError)")
            if expected == 2 {
                #expect(refused.standardError.contains("looks like a probability, but the scores run -0.01–99.8742 and it selects 99.7% of the 5000 rows used (4985): "),
                        "\(arguments[0]): \(refused.standardError)")
            }
        }
        let fromStats = try CLIProcess.run(["audit", "--profile", profile, "--from-stats", part])
        #expect(fromStats.exitCode == 2)
        #expect(fromStats.standardError.contains("looks like a probability, but the scores run -0.01–99.8742 and it selects 99.7% of the 5000 rows used (4985): "),
                "\(fromStats.standardError)")

        let meant = try CLIProcess.run(["audit", "--data", path, "--score", "score", "--sensitive", "ethnicity",
                                        "--threshold", "0.5", "--score-range", "0,100", "--rule", "disparate_impact >= 0.8"])
        #expect(meant.exitCode == 0 || meant.exitCode == 1, "\(meant.standardError)")
        #expect(CLIProcess.unwrapped(meant.standardOutput).contains("scores declared [0, 100]"))
        #expect(!meant.standardOutput.contains("looks like a probability"))
    }

    @Test func aDeclaredScaleMakesAProbabilityThresholdAnError() throws {
        let (folder, path) = try Self.rescaledLeads { String($0 * 100) }
        defer { try? FileManager.default.removeItem(at: folder) }
        let inside = try CLIProcess.run(["audit", "--data", path, "--score", "score", "--sensitive", "ethnicity",
                                         "--threshold", "30", "--score-range", "0,100", "--rule", "disparate_impact >= 0.8"])
        #expect(inside.exitCode == 1)
        #expect(CLIProcess.unwrapped(inside.standardOutput).contains("scores declared [0, 100]"))
        let offScale = try CLIProcess.run(["audit", "--data", path, "--score", "score", "--sensitive", "ethnicity",
                                           "--threshold", "30", "--score-range", "0,1"])
        #expect(offScale.exitCode == 2)
        #expect(offScale.standardError.contains("the threshold 30.0 of decision 'threshold_30' lies outside data.score_range [0.0, 1.0]"))
        let bad = try CLIProcess.run(["audit", "--data", path, "--score", "score", "--sensitive", "ethnicity",
                                      "--threshold", "0.5", "--score-range", "0,1"])
        #expect(bad.exitCode == 2)
        #expect(bad.standardError.contains("expected a finite score within 0.0...1.0"))   // the first score outside it
    }

    @Test func calibrationOfADecileScoreIsNotApplicable() throws {
        let (folder, path) = try Self.rescaledLeads { String(min(10, Int($0 * 10) + 1)) }
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIProcess.run(["audit", "--data", path, "--score", "score", "--label", "converted",
                                         "--sensitive", "gender", "--threshold", "5", "--format", "json",
                                         "--rule", "brier_score <= 0.3"])
        let report = try Self.json(result)
        let queue = try #require((report["queue"] as? [String: Any])?["gender"] as? [String: Any])
        let female = try #require((queue["groups"] as? [String: Any])?["female"] as? [String: Any])
        #expect((female["brier_score"] as? [String: Any])?["undefined_reason"] as? String == "not_probabilities")
        #expect((female["expected_calibration_error"] as? [String: Any])?["value"] == nil)
        #expect((female["auc"] as? [String: Any])?["value"] as? Double != nil)
        let scale = try #require((report["data"] as? [String: Any])?["score_scale"] as? [String: Any])
        #expect(scale["range"] as? [Double] == [1, 10] && scale["probabilities"] as? Bool == false)
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.allSatisfy { $0["verdict"] as? String == "insufficient_evidence" })
        let ranges = (queue["threshold_ranges"] as? [String: [[Double]]]) ?? [:]
        #expect(ranges.values.joined().allSatisfy { $0[0] >= 1 && $0[1] <= 10 })
    }
}
