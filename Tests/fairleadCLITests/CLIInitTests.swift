import Foundation
import Testing

@Suite struct CLIInitTests {
    @Test func initDraftsAProfileThatValidatesAndAudits() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("leads.yaml").path
        let written = try CLIProcess.run(["init", "--data", "fixtures/leads/leads-sample.csv", "--out", profile])
        #expect(written.exitCode == 0)
        #expect(written.standardError == "fairlead: wrote \(profile): score score, label converted, sensitive gender, age_band, ethnicity\n")
        let text = try String(contentsOfFile: profile, encoding: .utf8)
        #expect(text.contains("\n  id: lead_id\n  score: score\n  label: converted"))
        #expect(text.contains("# Possible proxies of a sensitive attribute (check before using them as features): postal_area"))

        let validated = try CLIProcess.run(["validate", profile])
        #expect(validated.exitCode == 0)
        #expect(validated.standardOutput.contains("reads only the columns: lead_id, score, converted, gender, age_band, ethnicity"))

        let audited = try CLIProcess.run(["audit", "--profile", profile, "--format", "json"])
        #expect(audited.exitCode == 1)
        #expect(audited.standardOutput.contains("\"status\" : \"fail\""))

        let again = try CLIProcess.run(["init", "--data", "fixtures/leads/leads-sample.csv", "--out", profile])
        #expect(again.exitCode == 2)
        #expect(again.standardError == "fairlead: \(profile) exists; pass --force to overwrite it\n")
    }

    /// A first-time user's export: three `p_…` model columns and no "score", the outcome as
    /// won/lost, a numeric age. `init`, `validate` and `audit` in a row, with no edit.
    @Test func newUsersFileGoesFromInitToAJudgedAuditWithoutEdits() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("new-user.yaml").path
        let written = try CLIProcess.run(["init", "--data", "fixtures/init/new-user-leads.csv", "--out", profile])
        #expect(written.exitCode == 0)
        #expect(written.standardError == "fairlead: wrote \(profile): score p_xgb, label y_true, sensitive sex, race, age\n")
        let text = try String(contentsOfFile: profile, encoding: .utf8)
        #expect(!text.contains("SCORE_COLUMN") && !text.contains("SENSITIVE_COLUMN"))
        #expect(text.contains("# other candidates: p_logistic, p_lgbm"))
        #expect(text.contains("\n  label: {column: y_true, positive: [won]} "))
        #expect(text.contains("\n    bins: [30, 40, 50, 60, 70] "))
        #expect(text.contains("of the 2,000 rows in new-user-leads.csv"))

        let validated = try CLIProcess.run(["validate", profile])
        #expect(validated.exitCode == 0, "\(validated.standardError)")
        #expect(validated.standardOutput.contains("label y_true: won → 1 (positive), every other value → 0"))
        #expect(validated.standardOutput.contains("age (groups <30, 30-39, 40-49, 50-59, 60-69, 70+; reference: the largest group;"))

        let audited = try CLIProcess.run(["audit", "--profile", profile, "--format", "json"])
        #expect(audited.exitCode == 0 || audited.exitCode == 1, "\(audited.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(audited.standardOutput.utf8)) as? [String: Any])
        #expect(["pass", "fail"].contains(report["status"] as? String))
        let findings = try #require(report["findings"] as? [[String: Any]])
        let verdicts = findings.compactMap { $0["verdict"] as? String }
        #expect(verdicts.count == findings.count && !findings.isEmpty)
        #expect(verdicts.filter { $0 == "pass" || $0 == "fail" }.count > verdicts.count / 2, "\(verdicts)")
        let judgedAttributes = Set(findings.filter { ($0["verdict"] as? String) != "insufficient_evidence" }.compactMap { $0["attribute"] as? String })
        #expect(judgedAttributes == ["sex", "race", "age"])
        #expect(Set(findings.compactMap { $0["metric"] as? String }) == ["disparate_impact", "equal_opportunity_difference"])
    }

    /// No score column recognised: the profile says so with a placeholder and a message,
    /// and the audit's error suggests the numeric columns first.
    @Test func fileWithoutAScoreColumnNamesThePlaceholderAndSuggestsNumericColumns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("export.csv").path
        var csv = "sex,y_true,row,model_output\n"
        for row in 1...40 { csv += "\(row % 2 == 0 ? "f" : "m"),\(row % 3 == 0 ? "won" : "lost"),\(row),\(Double(row) * 2.5)\n" }
        try csv.write(toFile: data, atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("export.yaml").path
        let written = try CLIProcess.run(["init", "--data", data, "--out", profile])
        #expect(written.exitCode == 0)
        #expect(written.standardError.hasSuffix("fairlead: no score column recognised in \(data): replace SCORE_COLUMN "
                                                + "in \(profile) with the column holding the model's scores\n"))
        #expect(try String(contentsOfFile: profile, encoding: .utf8).contains("\n  score: SCORE_COLUMN "))

        let audited = try CLIProcess.run(["audit", "--profile", profile])
        #expect(audited.exitCode == 2)
        #expect(audited.standardError == "fairlead: \(profile) (data.score): 'SCORE_COLUMN' is a placeholder left by `fairlead init`; "
                + "name the data's column here (candidates: \"row\", \"model_output\", \"sex\")\n", "\(audited.standardError)")
        // validate says the same, before any row is read.
        #expect(try CLIProcess.run(["validate", profile]).standardError == audited.standardError)
    }

    @Test func initWithoutOutPrintsTheProfile() throws {
        let result = try CLIProcess.run(["init", "--data", "fixtures/leads/leads-sample.csv", "--name", "demo"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("\nname: demo\n"))
        #expect(result.standardOutput.contains("\n  path: fixtures/leads/leads-sample.csv\n"))
    }

    /// A 70,000-character column name was written whole into the draft's comments too: the
    /// comments cut it, the value that names the column keeps it whole, and the draft validates.
    @Test func aHugeColumnNameIsCutInCommentsOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let column = "ethnicity" + String(repeating: "c", count: 70_000)
        let data = folder.appendingPathComponent("h.csv").path
        let rows = (0..<200).map { "\($0),0.\($0 % 10),\($0 % 2),\($0 % 2 == 0 ? "a" : "b"),\($0 % 2 == 0 ? "f" : "m")" }
        try ("lead_id,score,converted,\(column),gender\n" + rows.joined(separator: "\n") + "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("p.yaml").path
        let written = try CLIProcess.run(["init", "--data", data, "--out", profile])
        #expect(written.exitCode == 0, "\(written.standardError)")
        let text = try String(contentsOfFile: profile, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("#") }.allSatisfy { $0.count <= 4_200 })
        #expect(lines.contains { $0 == "  - column: \(column)" })
        #expect(try CLIProcess.run(["validate", profile]).exitCode == 0)
    }
}
