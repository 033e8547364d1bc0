import Foundation
import Testing

/// Consent and pseudonymized ids in `fairlead explain` and `fairlead audit`, and
/// `fairlead history redact`, run as processes.
@Suite struct CLIPrivacyOfLeadsTests {
    /// The first 40 leads of the sample with a consent column (every fifth lead refuses)
    /// and a profile extending leads-explanations with consent and pseudonymized ids.
    static func setUp(key: String = "a-key-of-thirty-two-bytes-length") throws -> (folder: URL, profile: String, data: String) {
        let folder = try CLIHistory.temporaryFolder()
        let sample = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv"), encoding: .utf8)
        let lines = sample.split(separator: "\n").prefix(41)
        var rows = [lines[0] + ",consent"]
        for (index, line) in lines.dropFirst().enumerated() {
            rows.append(line + (index % 5 == 4 ? ",marketing" : index % 2 == 0 ? ",yes" : ",fairness_audit;marketing"))
        }
        let data = folder.appendingPathComponent("leads.csv").path
        try (rows.joined(separator: "\n") + "\n").write(toFile: data, atomically: true, encoding: .utf8)
        try (key + "\n").write(toFile: folder.appendingPathComponent("lead-ids.key").path, atomically: true, encoding: .utf8)
        let base = CLIProcess.packageRoot.appendingPathComponent("fixtures/profiles/leads-explanations.yaml").path
        let profile = folder.appendingPathComponent("private.yaml").path
        try """
            extends: \(base)
            data:
              path: leads.csv
              consent: {column: consent, purpose: fairness_audit}
            privacy:
              pseudonymize_ids: true
              pseudonym_key: {file: lead-ids.key}
            settings:
              bootstrap: 0

            """.write(toFile: profile, atomically: true, encoding: .utf8)
        return (folder, profile, data)
    }

    @Test(arguments: ["text", "json", "csv", "html"])
    func explainPrintsNoRawIdAndSkipsLeadsWithoutConsent(format: String) throws {
        let (folder, profile, _) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIHistory.run(["explain", "--profile", profile, "--format", format, "--threads", "1"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(!result.standardOutput.contains("L00000"))
        #expect(!result.standardError.contains("L00000"))
        #expect(!result.standardOutput.contains("a-key-of-thirty-two"))
        #expect(result.standardError.contains("fairlead: 32 leads explained;"))
        #expect(result.standardError.contains("; 8 leads without consent to 'fairness_audit' skipped; ids pseudonymized (HMAC-SHA-256)"))
        if format == "json" {
            let leads = try ExplainCommandTests.leads(result.standardOutput)
            #expect(leads.count == 32)
            for lead in leads {
                let id = try #require(lead["id"] as? String)
                #expect(id.count == 64 && id.allSatisfy { "0123456789abcdef".contains($0) })
            }
        }
    }

    @Test func aRequestedIdIsFoundByItsPseudonymAndTheKeyChangesIt() throws {
        let (folder, profile, _) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try CLIHistory.run(["explain", "--profile", profile, "--format", "json", "--ids", "L0000001", "--threads", "1"])
        #expect(first.exitCode == 0, "\(first.standardError)")
        let leads = try ExplainCommandTests.leads(first.standardOutput)
        let id = try #require(leads.first?["id"] as? String)
        #expect(id.count == 64)
        try "another-key-of-at-least-16-bytes\n".write(toFile: folder.appendingPathComponent("lead-ids.key").path, atomically: true, encoding: .utf8)
        let second = try CLIHistory.run(["explain", "--profile", profile, "--format", "json", "--ids", "L0000001", "--threads", "1"])
        let again = try ExplainCommandTests.leads(second.standardOutput)
        #expect((again.first?["id"] as? String).map { $0 != id && $0.count == 64 } == true)
    }

    @Test func aShortKeyStopsExplainWithoutQuotingIt() throws {
        let (folder, profile, _) = try Self.setUp(key: "too-short")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIHistory.run(["explain", "--profile", profile, "--format", "json"])
        #expect(result.exitCode == 2)
        #expect(result.standardOutput == "")
        #expect(result.standardError.hasSuffix("(privacy.pseudonym_key): the pseudonym key is 9 bytes long; it must have at least 16\n"))
        #expect(!result.standardError.contains("too-short"))
    }

    @Test func theAuditCountsRowsWithoutConsentAndSaysIdsArePseudonymized() throws {
        let (folder, profile, _) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = try CLIHistory.run(["audit", "--profile", profile, "--format", "json", "--threads", "1"])
        #expect([0, 1].contains(json.exitCode), "\(json.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let rows = try #require(report["rows"] as? [String: Any])
        #expect(rows["read"] as? Int == 40)
        #expect((rows["excluded"] as? [String: Int])?["no_consent"] == 8)
        let data = try #require(report["data"] as? [String: Any])
        #expect(data["pseudonymized_ids"] as? String == "HMAC-SHA-256")
        #expect((data["consent"] as? [String: Any])?["excluded"] as? Int == 8)
        #expect(!json.standardOutput.contains("a-key-of-thirty-two"))
        let text = try CLIHistory.run(["audit", "--profile", profile, "--format", "text", "--threads", "1"])
        #expect(text.standardOutput.contains("8 no consent"))
        let markdown = try CLIHistory.run(["audit", "--profile", profile, "--format", "markdown", "--threads", "1"])
        #expect(markdown.standardOutput.contains("8 excluded: no consent"))
        let html = try CLIHistory.run(["audit", "--profile", profile, "--format", "html", "--threads", "1"])
        #expect(html.standardOutput.contains("excluded: no consent"))
    }

    @Test func redactIsADryRunWithoutYesThenRedactsAndVerifyStillPasses() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        for (week, data) in [("2026-03-02", "fixtures/leads/leads-sample.csv"), ("2026-03-09", CLIHistory.week2)] {
            let audit = try CLIHistory.run(["audit", "--profile", profile, "--data", data, "--history", history, "--as-of", week,
                                            "--threads", "1", "--format", "json"])
            #expect([0, 1].contains(audit.exitCode), "\(audit.standardError)")
        }
        let tomorrow = HistoryDate.tomorrow
        let dry = try CLIHistory.run(["history", "redact", "--history", history, "--before", tomorrow])
        #expect(dry.exitCode == 0)
        #expect(dry.standardOutput.hasPrefix("would redact 2 entries recorded before \(tomorrow)T00:00:00Z (nothing changed; add --yes to redact):\n  entry 1  recorded "))
        #expect(try CLIHistory.run(["history", "show", "--history", history, "--entry", "1", "--format", "json"]).exitCode == 0)

        let redact = try CLIHistory.run(["history", "redact", "--history", history, "--before", tomorrow, "--yes"])
        #expect(redact.exitCode == 0, "\(redact.standardError)")
        #expect(redact.standardOutput == "redacted 2 entries recorded before \(tomorrow)T00:00:00Z (redaction 1): 1, 2\n")
        let verify = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(verify.exitCode == 0)
        #expect(verify.standardOutput.hasPrefix("INTACT  2 entries: every remaining report, metric row and link checks out\nREDACTED  2 entries hold only metadata, hashes and metric rows (their reports were removed by `fairlead history redact`):\n  entry 1: redaction 1 at "))
        let verifyJSON = try CLIHistory.run(["history", "verify", "--history", history, "--format", "json"])
        #expect(verifyJSON.standardOutput.contains("\"redacted\" : ["))
        let show = try CLIHistory.run(["history", "show", "--history", history, "--entry", "2"])
        #expect(show.exitCode == 0)
        #expect(show.standardOutput.hasPrefix("REDACTED  entry 2\nThe report of this entry was removed by `fairlead history redact`"))
        #expect(show.standardOutput.contains("profile         leads-reaudit\n"))
        // The command is a code span in Markdown (its backticks were escaped into the text).
        let showMarkdown = try CLIHistory.run(["history", "show", "--history", history, "--entry", "2", "--format", "markdown"])
        #expect(showMarkdown.standardOutput.hasPrefix("# History entry 2 (redacted)\n\nThe report of this entry was removed by `fairlead history redact`; "))
        let showJSON = try CLIHistory.run(["history", "show", "--history", history, "--entry", "2", "--format", "json"])
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(showJSON.standardOutput.utf8)) as? [String: Any])
        #expect(entry["redacted"] as? Bool == true)
        #expect(entry["as_of"] as? String == "2026-03-09T00:00:00Z")
        let page = try CLIHistory.run(["history", "show", "--history", history, "--format", "html"])
        #expect(page.exitCode == 0)
        #expect(page.standardOutput.contains("(report redacted)"))
        let card = try CLIHistory.run(["history", "show", "--history", history, "--entry", "1", "--format", "html"])
        #expect(card.standardOutput.contains("History entry 1 (redacted)"))
        // Trends still come from the metric rows.
        let trend = try CLIHistory.run(["history", "show", "--history", history, "--attribute", "ethnicity"])
        #expect(trend.exitCode == 0)
        #expect(trend.standardOutput.split(separator: "\n").count == 5)
        // Completing a redacted entry is refused with the reason.
        let label = try CLIHistory.run(["history", "label", "--history", history, "--entry", "2", "--labels", CLIHistory.outcomes,
                                        "--id", "lead_id", "--label", "converted"])
        #expect(label.exitCode == 2)
        #expect(label.standardError.contains("the report of entry 2 was redacted on "))
        let again = try CLIHistory.run(["history", "redact", "--history", history, "--before", tomorrow, "--yes"])
        #expect(again.standardOutput == "nothing to redact: no entry recorded before \(tomorrow)T00:00:00Z still holds its report\n")
    }

    @Test(arguments: ["2026-02-30", "yesterday", "2026-13-01"])
    func aBadDateIsAUsageError(date: String) throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIHistory.run(["history", "redact", "--history", folder.appendingPathComponent("none.sqlite").path, "--before", date])
        #expect(result.exitCode == 2)
        #expect(result.standardError.hasPrefix("fairlead: --before "))
        #expect(result.standardOutput == "")
    }
}

/// Dates for redaction tests: entries are recorded now, so "before tomorrow" takes all.
enum HistoryDate {
    static var tomorrow: String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Date().addingTimeInterval(86_400 + 60))
    }
}
