import Foundation
import Testing

/// `mitigation:` in a profile: `fairlead audit` adds the options `fairlead mitigate`
/// computes — the same values, from the same code — to the report JSON and to every
/// rendering; the section's keys are checked before any row is read.
@Suite struct CLIAuditMitigationTests {
    /// A folder with `audit.yaml`: the walkthrough's leads-mitigation profile plus `section`.
    static func profile(_ section: String, label: Bool = true) throws -> (folder: URL, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("audit-mitigation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let data = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path
        let profile = folder.appendingPathComponent("audit.yaml")
        try """
            name: leads-mitigation
            data: {path: \(data), id: lead_id, score: score\(label ? ", label: converted" : ""), score_range: [0, 1]}
            decisions: [{threshold: 0.3}]
            sensitive: [{column: ethnicity, reference: white}]
            rules: [disparate_impact >= 0.8\(label ? ", equal_opportunity_difference <= 0.1" : "")]
            settings: {bootstrap: 0}
            \(section)
            """.write(to: profile, atomically: true, encoding: .utf8)
        return (folder, profile.path)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func theReportHoldsWhatMitigateComputes() throws {
        let (folder, path) = try Self.profile("mitigation: {thresholds: true, reweighing: true, reweigh_by: ethnicity}")
        defer { try? FileManager.default.removeItem(at: folder) }
        let audit = try CLIProcess.run(["audit", "--profile", path, "--format", "json"])
        // The options do not change the verdict: the audit fails as without them.
        #expect(audit.exitCode == 1, "\(audit.standardError)")
        let report = try Self.json(audit.standardOutput)
        #expect(report["status"] as? String == "fail")
        let section = try #require(report["mitigation"] as? [String: Any])
        let out = folder.appendingPathComponent("weights.csv")
        let mitigate = try CLIProcess.run(["mitigate", "--profile", path, "--format", "json", "--reweigh-out", out.path,
                                           "--reweigh-by", "ethnicity"])
        #expect(mitigate.exitCode == 0, "\(mitigate.standardError)")
        let standalone = try Self.json(mitigate.standardOutput)
        for key in ["status", "objective", "notes", "decisions", "reweighing"] {
            // Wrapped in an array: a bare string or number is no JSON document to Foundation.
            let ours = try JSONSerialization.data(withJSONObject: [try #require(section[key])], options: [.sortedKeys])
            let theirs = try JSONSerialization.data(withJSONObject: [try #require(standalone[key])], options: [.sortedKeys])
            #expect(ours == theirs, "\(key)")
        }
        let decision = try #require((section["decisions"] as? [String: Any])?["threshold_0.3"] as? [String: Any])
        #expect(decision["status"] as? String == "options_found")
        let factors = try #require((section["reweighing"] as? [String: Any])?["factors"] as? [String: [String: Double]])
        #expect(factors.keys.contains("white"))
    }

    /// Reweighing alone: no threshold option was computed, and the section says so
    /// (its status was `options_found`, headlined OPTIONS FOUND, over no decision).
    @Test func reweighingAloneSaysNoThresholdOptionsWereAskedFor() throws {
        let (folder, path) = try Self.profile("mitigation: {thresholds: false, reweighing: true}")
        defer { try? FileManager.default.removeItem(at: folder) }
        let section = try #require(try Self.json(try CLIProcess.run(["audit", "--profile", path, "--format", "json"]).standardOutput)["mitigation"]
            as? [String: Any])
        #expect(section["status"] as? String == "not_asked")
        #expect((section["decisions"] as? [String: Any])?.isEmpty == true)
        let markdown = try CLIProcess.run(["audit", "--profile", path, "--format", "markdown"]).standardOutput
        #expect(markdown.contains("**NO THRESHOLD OPTIONS ASKED FOR**"), "\(markdown)")
        #expect(!markdown.contains("OPTIONS FOUND"))
    }

    @Test(arguments: ["text", "markdown", "html"])
    func everyRenderingShowsTheOptions(format: String) throws {
        let (folder, path) = try Self.profile("mitigation: {thresholds: true}")
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = try Self.json(try CLIProcess.run(["audit", "--profile", path, "--format", "json"]).standardOutput)
        let decision = try #require(((json["mitigation"] as? [String: Any])?["decisions"] as? [String: Any])?["threshold_0.3"] as? [String: Any])
        let capacity = try #require(decision["capacity"] as? Double)
        let options = try #require(decision["group_thresholds"] as? [[String: Any]])
        let parity = try #require(options.first { $0["constraint"] as? String == "demographic_parity" })
        let rate = try #require(parity["common_rate"] as? Double)
        let result = try CLIProcess.run(["audit", "--profile", path, "--format", format])
        #expect(result.exitCode == 1, "\(result.standardError)")
        let output = result.standardOutput
        #expect(output.contains("capacity \(Int(capacity)) leads"))
        #expect(output.contains("ethnicity, demographic parity: common rate \(String(format: "%.3f", rate))"))
        #expect(output.contains("These are options, not decisions"))
        switch format {
        case "text": #expect(output.contains("Mitigation options: what it would take to pass, and what it would cost"))
        case "markdown": #expect(output.contains("## Mitigation options: what it would take to pass, and what it would cost"))
        default:
            #expect(output.contains("<h2 id=\"mitigation\">Mitigation options</h2>"))
            #expect(output.contains("href=\"#mitigation\""))
        }
    }

    @Test func withoutTheSectionTheReportHasNone() throws {
        let (folder, path) = try Self.profile("")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try Self.json(try CLIProcess.run(["audit", "--profile", path, "--format", "json"]).standardOutput)
        #expect(report["mitigation"] == nil)
    }

    @Test(arguments: [
        ("mitigation: {thresholds: true, reweigh: true}", "mitigation.reweigh"),
        ("mitigation: {thresholds: maybe}", "expected true or false, found 'maybe'"),
        ("mitigation: {thresholds: false}", "asks for nothing"),
        ("mitigation: {reweighing: true, reweigh_by: ethnicty}", "did you mean 'ethnicity'"),
        // No name is a typo away from this one: none is offered (the attributes are listed).
        ("mitigation: {reweighing: true, reweigh_by: postcode}", "found 'postcode'"),
    ])
    func badSectionsStopBeforeReading(section: String, message: String) throws {
        let (folder, path) = try Self.profile(section)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIProcess.run(["validate", path])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardError.contains("did you mean") == message.hasPrefix("did you mean"), "\(result.standardError)")
    }

    @Test func theSectionNeedsLabels() throws {
        let (folder, path) = try Self.profile("mitigation: {thresholds: true}", label: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIProcess.run(["audit", "--profile", path])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("data.label"), "\(result.standardError)")
    }
}
