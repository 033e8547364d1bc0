import Foundation
import Testing

/// `fairlead explain` on files where a model feature is a column of its own whose name
/// also spells another column's indicator: `email_opens` beside an `email` column, and
/// pandas' `sex_Female` beside `sex`.
@Suite("fairlead explain: a feature column named as another column's indicator")
struct ExplainAmbiguousColumnsTests {
    /// `path` (a fixture) with a column `name` added, its value on data row `i` (0-based)
    /// `value(i)`, written to a temporary file.
    static func withColumn(_ path: String, _ name: String, _ value: (Int) -> String) throws -> String {
        let text = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent(path), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let out = ExplainCommandTests.temporaryPath("with-\(name).csv")
        let rows = lines.dropFirst().enumerated().map { "\($1),\(value($0))" }
        try ([lines[0] + ",\(name)"] + rows).joined(separator: "\n").appending("\n").write(toFile: out, atomically: true, encoding: .utf8)
        return out
    }

    @Test(arguments: ["two addresses", "all distinct"])
    func anEmailColumnLeavesTheEmailOpensReason(emails: String) throws {
        let data = try Self.withColumn("fixtures/leads/leads-sample.csv", "email") { row in
            emails == "two addresses" ? (row % 2 == 1 ? "a@x.com" : "b@x.com") : "lead\(row)@x.com"
        }
        defer { try? FileManager.default.removeItem(atPath: data) }
        let result = try CLIProcess.run(["explain", "--profile", ExplainCommandTests.profile, "--data", data, "--ids", "L0000001"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("    - Opened 3 emails (-2.8 pts)"))
        #expect(!result.standardOutput.contains("Email is"))
        #expect(!result.standardError.contains("email"))
    }

    @Test func theAuditAndGroupedAttributionsKeepEmailOpensAFeatureOfItsOwn() throws {
        // All distinct, an `email` column tells ethnicity apart: read as `email_opens`'s
        // column it was withheld as a proxy, and `email_opens` vanished from the audit.
        let data = try Self.withColumn("fixtures/leads/leads-sample.csv", "email") { "lead\($0)@x.com" }
        let out = ExplainCommandTests.temporaryPath("report.json")
        let attributions = ExplainCommandTests.temporaryPath("attributions.json")
        defer { for path in [data, out, attributions] { try? FileManager.default.removeItem(atPath: path) } }
        let audit = try CLIProcess.run(["audit", "--profile", ExplainCommandTests.profile, "--data", data, "--format", "json", "--out", out])
        #expect(audit.exitCode == 1, "\(audit.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        let explanations = try #require(report?["explanations"] as? [String: Any])
        let features = try #require(explanations["features"] as? [String])
        #expect(features.contains("email_opens") && !features.contains("email"))
        let withheld = try #require(explanations["withheld"] as? [String: [String: Any]])
        #expect(withheld.keys.sorted() == ["age_band", "postal_area"])
        // Read to tell `email_opens` from an indicator of it, and said so.
        #expect((explanations["columns_read"] as? [String])?.contains("email") == true)
        let grouped = try CLIProcess.run(["attributions", "--model", "fixtures/explanations/xgb-leads-score.json", "--data", data,
                                          "--group-features", "--format", "json", "--out", attributions, "--id-column", "lead_id"])
        #expect(grouped.exitCode == 0, "\(grouped.standardError)")
        let table = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: attributions))) as? [String: Any]
        let names = try #require(table?["features"] as? [String])
        #expect(names.contains("email_opens") && !names.contains("email"))
    }

    @Test func pandasIndicatorsBesideTheirSensitiveColumnStayWithheld() throws {
        // The one-hot export with the `sex` column get_dummies was given kept beside
        // `sex_Female` and `sex_Male` (its rows are onehot-leads.csv's first 200).
        let sexes = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent("fixtures/onehot/onehot-leads.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[6]) }
        let data = try Self.withColumn(ExplainOneHotTests.export, "sex") { sexes[$0] }
        defer { try? FileManager.default.removeItem(atPath: data) }
        let base = ["explain", "--model", ExplainOneHotTests.model, "--data", data]
        // Read as `sex`: its reason names the category, not an indicator (undeclared, `sex`
        // is named like a sensitive attribute: reps see it only when allowed).
        let shown = try CLIProcess.run(base + ["--top", "5", "--ids", "A0001", "--format", "json", "--allow", "sex"])
        #expect(shown.exitCode == 0, "\(shown.standardError)")
        let lead = try #require(try ExplainCommandTests.leads(shown.standardOutput).first)
        let features = ExplainOneHotTests.reasons(lead).compactMap { $0["feature"] as? String }
        #expect(features.contains("sex"))
        #expect(!features.contains { $0.hasPrefix("sex_") })
        // And withheld as `sex` when it is sensitive.
        let json = try CLIProcess.run(base + ["--sensitive", "sex", "--format", "json"])
        #expect(json.exitCode == 0, "\(json.standardError)")
        let leads = try ExplainCommandTests.leads(json.standardOutput)
        #expect(leads.count == 200)
        for lead in leads {
            for reason in ExplainOneHotTests.reasons(lead) {
                #expect(!(reason["feature"] as? String ?? "").hasPrefix("sex"), "\(lead["id"] ?? "")")
            }
        }
        #expect(json.standardError.contains("never shown to reps: age (named like a sensitive attribute), sex (sensitive)"),
                "\(json.standardError)")
    }
}
