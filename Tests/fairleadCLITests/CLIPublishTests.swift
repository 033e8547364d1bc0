import Foundation
import Testing

/// `fairlead audit --publish` and `fairlead history ledger` as processes.
@Suite struct CLIPublishTests {
    static let published = "fixtures/profiles/leads-published.yaml"
    static let dp = "fixtures/profiles/leads-published-dp.yaml"

    @Test func publishingSuppressesAndKeepsTheVerdict() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(Self.published, in: folder)
        let full = try CLIHistory.run(["audit", "--profile", profile, "--threads", "2", "--format", "json"])
        let result = try CLIHistory.run(["audit", "--profile", profile, "--publish", "--threads", "2", "--format", "json"])
        #expect(full.exitCode == 1 && result.exitCode == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let privacy = try #require(report["privacy"] as? [String: Any])
        #expect(privacy["method"] as? String == "suppression")
        let suppressed = try #require(privacy["suppressed"] as? [[String: Any]])
        #expect(suppressed.contains { $0["group"] as? String == "other & nonbinary" && $0["reason"] as? String == "below min_cell" })
        #expect(!full.standardOutput.contains("\"privacy\""))
        let fullReport = try #require(try JSONSerialization.jsonObject(with: Data(full.standardOutput.utf8)) as? [String: Any])
        #expect(report["status"] as? String == fullReport["status"] as? String)
    }

    /// A value the published view withholds is `withheld` in every text rendering, as in
    /// its JSON (`undefined_reason: withheld`); it read `undefined` / `n/a`, the words for
    /// a value that does not exist. Values that do not exist keep them.
    @Test func withheldValuesReadWithheldNotUndefined() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(Self.published, in: folder)
        let text = try CLIHistory.run(["audit", "--profile", profile, "--publish", "--threads", "2", "--verbose"]).standardOutput
        #expect(text.contains("    threshold_0.3 / age_band           withheld\n"), "\(text)")
        #expect(text.contains("/ 55+: withheld — value withheld in the published view"), "\(text)")
        #expect(!text.contains("undefined — value withheld"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try CLIHistory.run(
            ["audit", "--profile", profile, "--publish", "--threads", "2", "--format", "json"]).standardOutput.utf8)) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        let hidden = findings.filter { ($0["reason"] as? String)?.hasPrefix("value withheld in the published view") == true }
        #expect(!hidden.isEmpty && hidden.allSatisfy { $0["value"] == nil })
        let markdown = try CLIHistory.run(["audit", "--profile", profile, "--publish", "--threads", "2", "--format", "markdown"]).standardOutput
        // The disparities a published view blanks (`undefined_reason: withheld`) and the findings.
        #expect(markdown.contains("| withheld |"), "\(markdown)")
        let full = try CLIHistory.run(["audit", "--profile", profile, "--threads", "2", "--verbose"]).standardOutput
        #expect(!full.contains("withheld"))
    }

    /// The profile's privacy section changes nothing without --publish: the report is the
    /// extended profile's, but for its name.
    /// The HTML page of a published view says what was withheld, as the text, Markdown and
    /// JSON do: the policy, every withheld cell with its reason, and the sections left out.
    @Test func thePublishedPageSaysWhatWasWithheld() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(Self.published, in: folder)
        let json = try CLIHistory.run(["audit", "--profile", profile, "--publish", "--threads", "2", "--format", "json"])
        let html = try CLIHistory.run(["audit", "--profile", profile, "--publish", "--threads", "2", "--format", "html"])
        #expect(html.exitCode == 1, "\(html.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let privacy = try #require(report["privacy"] as? [String: Any])
        let suppressed = try #require(privacy["suppressed"] as? [[String: Any]])
        let withheld = try #require(privacy["withheld"] as? [[String: Any]])
        let page = html.standardOutput
        #expect(page.contains("<section id=\"privacy\">") && page.contains("href=\"#privacy\""))
        #expect(page.contains("Cells withheld (\(suppressed.count))") && suppressed.count > 10)
        #expect(page.contains("other &amp; nonbinary") && page.contains("below min_cell") && page.contains("complementary"))
        for part in withheld {
            #expect(page.contains("<th scope=\"row\">\(part["path"] as? String ?? "?")</th>"))
        }
        // The full report's page has no such section.
        let full = try CLIHistory.run(["audit", "--profile", profile, "--threads", "2", "--format", "html"])
        #expect(!full.standardOutput.contains("id=\"privacy\""))
    }

    @Test func withoutPublishTheOutputIsTheFullReport() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = try CLIHistory.run(["audit", "--profile", try CLIHistory.quick(Self.published, in: folder), "--threads", "2"])
        #expect(!plain.standardOutput.contains("published view"))
        let predeployment = try CLIHistory.run(["audit", "--profile", try CLIHistory.quick("fixtures/profiles/leads-predeployment.yaml", in: folder),
                                                "--threads", "2"])
        #expect(plain.standardOutput.replacingOccurrences(of: "leads-published", with: "leads-predeployment") == predeployment.standardOutput)
    }

    @Test func aPrivateReleaseNeedsAHistoryAndStopsAtTheBudget() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("h.sqlite").path
        let noHistory = try CLIHistory.run(["audit", "--profile", Self.dp, "--publish", "--threads", "2"])
        #expect(noHistory.exitCode == 2)
        #expect(noHistory.standardError.contains("give --history"))
        for spent in ["0.5", "1"] {
            let release = try CLIHistory.run(["audit", "--profile", Self.dp, "--publish", "--history", history, "--threads", "2"])
            #expect(release.exitCode == 1, "\(release.standardError)")
            #expect(release.standardOutput.contains("published view: differentially private release"))
            #expect(release.standardOutput.contains("ε spent \(spent) of 1"))
            // A finding's value is not released (its verdict rests on the full data): it
            // reads withheld, as in a view with suppressed cells; it read `undefined`.
            let lines = release.standardOutput.split(separator: "\n")
            #expect(lines.contains { $0.hasSuffix("threshold_0.3 / ethnicity / black  withheld") }, "\(release.standardOutput)")
            #expect(!lines.contains { $0.hasSuffix(" undefined") }, "\(release.standardOutput)")
        }
        let refused = try CLIHistory.run(["audit", "--profile", Self.dp, "--publish", "--history", history, "--threads", "2"])
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.contains("spent ε = 1 of 1, remaining 0; this release needs ε = 0.5"))
        #expect(refused.standardOutput.isEmpty)
        let ledger = try CLIHistory.run(["history", "ledger", "--history", history])
        #expect(ledger.exitCode == 0)
        let rows = ledger.standardOutput.split(separator: "\n").filter { $0.contains("discrete_laplace") }
        #expect(rows.count == 2)
        #expect(rows.last?.hasSuffix("leads-published-dp  discrete_laplace      0.5      1       1          0") == true, "\(ledger.standardOutput)")
        #expect(ledger.standardError.contains("ledger head "))
        let verify = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(verify.exitCode == 0)
        #expect(verify.standardOutput.contains("2 entries"))
    }

    /// The budget belongs to the leads, not to the form their bytes take: a gzip copy of
    /// the file (which has bytes of its own: a name, a time) and the statistics part of it
    /// are charged to the file's budget. (Each was a fresh budget.)
    @Test func aGzipCopyOrAPartOfTheDataSpendsTheSameBudget() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("h.sqlite").path
        let plain = folder.appendingPathComponent("leads.csv").path
        try FileManager.default.copyItem(atPath: "fixtures/leads/leads-sample.csv", toPath: plain)
        #expect(try CLIProcess.run(["gzip", "-k", plain], program: URL(fileURLWithPath: "/usr/bin/env")).exitCode == 0)
        let release = try CLIHistory.run(["audit", "--profile", Self.dp, "--publish", "--history", history, "--threads", "2"])
        #expect(release.exitCode == 1, "\(release.standardError)")
        let gzipped = try CLIHistory.run(["audit", "--profile", Self.dp, "--data", plain + ".gz", "--publish", "--history", history, "--threads", "2"])
        #expect(gzipped.exitCode == 1, "\(gzipped.standardError)")
        #expect(gzipped.standardOutput.contains("ε spent 1 of 1"), "\(gzipped.standardOutput)")
        let part = folder.appendingPathComponent("part.stats.json").path
        let stats = try CLIHistory.run(["stats", "--profile", Self.dp, "--data", plain + ".gz", "--out", part])
        #expect(stats.exitCode == 0, "\(stats.standardError)")
        let fromPart = try CLIHistory.run(["audit", "--profile", Self.dp, "--from-stats", part, "--publish", "--history", history, "--threads", "2"])
        #expect(fromPart.exitCode == 2)
        #expect(fromPart.standardError.contains("spent ε = 1 of 1, remaining 0; this release needs ε = 0.5"), "\(fromPart.standardError)")
        let ledger = try CLIHistory.run(["history", "ledger", "--history", history])
        #expect(ledger.standardOutput.split(separator: "\n").filter { $0.contains("discrete_laplace") }.count == 2, "\(ledger.standardOutput)")
    }

    @Test func aSeededReleaseSaysItIsNotPrivate() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("h.sqlite").path
        let result = try CLIHistory.run(["audit", "--profile", Self.dp, "--publish", "--history", history, "--noise-seed", "3",
                                         "--threads", "2", "--format", "json"])
        #expect(result.standardOutput.contains("NOT differentially private"))
        let unpublished = try CLIHistory.run(["audit", "--profile", Self.dp, "--noise-seed", "3"])
        #expect(unpublished.exitCode == 2)
    }
}
