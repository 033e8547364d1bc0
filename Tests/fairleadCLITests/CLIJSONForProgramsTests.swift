import Foundation
import Testing

/// The JSON that programs read rather than people (the Python package is one):
/// `validate --format json`'s columns, and `history show --format json`'s trend tables.
@Suite struct CLIJSONForProgramsTests {
    static let header = ["lead_id", "lead_source", "industry", "company_size", "region", "postal_area", "web_visits",
                         "email_opens", "pricing_page_views", "days_since_first_touch", "job_level", "gender", "age_band",
                         "ethnicity", "score", "converted"]

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The columns validate names are those the audit then reads (its report's
    /// `data.columns`) and the id column it checks, in the header's order.
    @Test(arguments: [("leads-predeployment.yaml", "lead_id"), ("leads-explanations.yaml", "lead_id")] as [(String, String?)])
    func validateNamesTheColumnsTheAuditReads(profile: String, id: String?) throws {
        let path = "fixtures/profiles/\(profile)"
        let validated = try CLIProcess.run(["validate", path, "--format", "json"])
        #expect(validated.exitCode == 0)
        let answer = try Self.object(validated.standardOutput)
        #expect(answer["valid"] as? Bool == true)
        #expect(answer["data"] as? String == "fixtures/leads/leads-sample.csv")
        let columns = try #require(answer["columns"] as? [String])

        let audited = try CLIProcess.run(["audit", "--profile", path, "--format", "json", "--threads", "1"])
        #expect(audited.exitCode == 1)
        let data = try #require(try Self.object(audited.standardOutput)["data"] as? [String: Any])
        let read = Set(try #require(data["columns"] as? [String]))
        #expect(columns == Self.header.filter { read.contains($0) || $0 == id })
        #expect(Set(columns).isSuperset(of: read))
    }

    @Test func validateWithoutAHeaderGivesNoColumns() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("no-data.yaml")
        try """
        name: no-data
        data: {score: score, label: converted}
        sensitive: [ethnicity]
        decisions: [{threshold: 0.3}]
        """.write(to: profile, atomically: true, encoding: .utf8)
        let validated = try CLIProcess.run(["validate", profile.path, "--format", "json"])
        #expect(validated.exitCode == 0)
        let answer = try Self.object(validated.standardOutput)
        #expect(answer["columns"] == nil)
        #expect(answer["profile"] as? String == "no-data")
    }

    /// The trend as JSON holds, per entry, the very numbers of the stored reports.
    @Test func historyShowGivesTheTrendAsJSON() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        let first = try CLIHistory.run(["audit", "--profile", profile, "--history", history, "--as-of", "2026-03-02",
                                        "--threads", "1", "--format", "json"])
        let second = try CLIHistory.run(["audit", "--profile", profile, "--data", CLIHistory.week2, "--history", history,
                                         "--as-of", "2026-03-09", "--threads", "1", "--format", "json"])
        #expect(first.exitCode == 1 && second.exitCode == 1)

        let shown = try CLIHistory.run(["history", "show", "--history", history, "--attribute", "ethnicity", "--format", "json"])
        #expect(shown.exitCode == 0)
        let trend = try Self.object(shown.standardOutput)
        #expect(trend["metric"] as? String == "selection_rate")
        let tables = try #require(trend["tables"] as? [[String: Any]])
        #expect(tables.count == 1)
        let table = tables[0]
        #expect(table["profile"] as? String == "leads-reaudit")
        #expect(table["decision"] as? String == "threshold_0.3")
        #expect(table["attribute"] as? String == "ethnicity")
        #expect(table["columns"] as? [String] == ["asian", "black", "hispanic", "other", "white", "(overall)"])
        let rows = try #require(table["rows"] as? [[String: Any]])
        #expect(rows.map { $0["entry"] as? Int } == [1, 2])
        #expect(rows.map { $0["as_of"] as? String } == ["2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z"])
        #expect(rows.map { $0["status"] as? String } == ["fail", "fail"])
        for (row, report) in zip(rows, [first.standardOutput, second.standardOutput]) {
            let values = try #require(row["values"] as? [String: Double])
            let section = try #require(((try Self.object(report)["decisions"] as? [String: Any])?["threshold_0.3"]
                as? [String: Any])?["attributes"] as? [String: Any])
            let ethnicity = try #require(section["ethnicity"] as? [String: Any])
            let groups = try #require(ethnicity["groups"] as? [String: [String: Any]])
            for (group, body) in groups {
                let value = ((body["metrics"] as? [String: Any])?["selection_rate"] as? [String: Any])?["value"] as? Double
                #expect(values[group] == value, "\(group)")
            }
            let overall = (((ethnicity["overall"] as? [String: Any])?["metrics"] as? [String: Any])?["selection_rate"]
                as? [String: Any])?["value"] as? Double
            #expect(values["(overall)"] == overall)
        }
        // The same history gives the same bytes.
        #expect(try CLIHistory.run(["history", "show", "--history", history, "--attribute", "ethnicity", "--format", "json"])
            .standardOutput == shown.standardOutput)
    }
}
