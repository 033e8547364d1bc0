import Foundation
import Testing

/// A model trained on `get_dummies(drop_first=True)` has no feature for each column's
/// first level, which it reads as every indicator 0 by design. Declared as the column's
/// baseline level (`model.baseline_levels`, `--baseline-level`), that level is not reported
/// as a value the model never saw, and its leads get their reason from the column again;
/// other values the model lacks are still reported. It was reported as unseen, and the
/// lead's reason from the column withheld ("a known limit").
@Suite("baseline levels of drop_first encodings")
struct ExplainBaselineLevelsTests {
    /// A logistic model over three of the bundled leads' lead sources: `cold_outbound`
    /// is its dropped level; `referral` and `webinar` it never saw.
    static let model = #"{"format":"fairlead-linear","version":1,"link":"logit","intercept":-1,"features":[{"name":"lead_source=paid_search","coefficient":1.0},{"name":"lead_source=trade_show","coefficient":0.5},{"name":"lead_source=web_form","coefficient":-0.5}]}"#
    static let leads = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-baseline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try model.write(to: folder.appendingPathComponent("model.json"), atomically: true, encoding: .utf8)
        return folder
    }

    static func profile(in folder: URL, baseline: String) throws -> String {
        let path = folder.appendingPathComponent("profile.yaml").path
        try """
            name: drop-first
            data:
              path: \(leads)
              id: lead_id
              score: score
              label: converted
              score_range: [0, 1]
            sensitive: [gender]
            decisions:
              - threshold: 0.3
            rules:
              - disparate_impact >= 0.8
            model:
              path: model.json
            \(baseline)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let unseenWithBaseline = "lead_source: 1104 rows hold values the model has no feature for (\"referral\", \"webinar\"): "
        + "read as none of the lead_source levels the model knows (all its lead_source features 0)"

    @Test func theDroppedLevelIsAReasonAgainAndOnlyUnseenValuesAreReported() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.json").path
        // L0000004's lead source is cold_outbound.
        let plain = try CLIProcess.run(["explain", "--model", model, "--data", Self.leads, "--ids", "L0000004"])
        #expect(plain.exitCode == 0, "\(plain.standardError)")
        #expect(!plain.standardOutput.contains("Lead source"))
        #expect(plain.standardError.contains("(\"cold_outbound\")"), "\(plain.standardError)")

        let declared = try CLIProcess.run(["explain", "--model", model, "--data", Self.leads, "--ids", "L0000004",
                                           "--baseline-level", "lead_source=cold_outbound"])
        #expect(declared.exitCode == 0, "\(declared.standardError)")
        // Linear SHAP: −Σ βⱼ · (mean of indicator j) over the bundled leads, in probability points.
        #expect(declared.standardOutput.contains("Lead L0000004: score 0.269\n"), "\(declared.standardOutput)")
        #expect(declared.standardOutput.contains("    - Lead source is cold_outbound — the strongest reason against it (-2.5 pts)\n"),
                "\(declared.standardOutput)")
        #expect(!declared.standardError.contains("no feature for"), "\(declared.standardError)")
        #expect(declared.standardOutput.hasPrefix("Up to 1 reason raising and 1 lowering each lead's score;"))

        // The whole file: referral and webinar are still values the model never saw.
        let json = try CLIProcess.run(["explain", "--model", model, "--data", Self.leads, "--format", "json",
                                       "--baseline-level", "lead_source=cold_outbound"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let unseen = try #require(document["unseen_levels"] as? [[String: Any]])
        #expect(unseen.first?["rows"] as? Int == 1104)
        #expect(unseen.first?["examples"] as? [String] == ["referral", "webinar"])
    }

    @Test func attributionsCountTheSameValues() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.json").path
        let out = folder.appendingPathComponent("attributions.json").path
        let plain = try CLIProcess.run(["attributions", "--model", model, "--data", Self.leads, "--format", "json", "--out", out])
        #expect(plain.standardError == "fairlead: warning: \(Self.leads): lead_source: 2002 rows hold values the model has no feature for "
                + "(\"cold_outbound\", \"referral\", \"webinar\"): read as none of the lead_source levels the model knows (all its lead_source features 0)\n")
        let declared = try CLIProcess.run(["attributions", "--model", model, "--data", Self.leads, "--format", "json", "--out", out,
                                           "--baseline-level", "lead_source=cold_outbound"])
        #expect(declared.exitCode == 0)
        #expect(declared.standardError == "fairlead: warning: \(Self.leads): \(Self.unseenWithBaseline)\n")
    }

    @Test func aProfileDeclaresThemForExplainAndTheAudit() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.profile(in: folder, baseline: "  baseline_levels: {lead_source: cold_outbound}")
        let explained = try CLIProcess.run(["explain", "--profile", profile, "--ids", "L0000004"])
        #expect(explained.exitCode == 0, "\(explained.standardError)")
        #expect(explained.standardOutput.contains("    - Lead source is cold_outbound — the strongest reason against it (-2.5 pts)\n"))
        let audit = try CLIProcess.run(["audit", "--profile", profile, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(audit.standardOutput.utf8)) as? [String: Any])
        let notes = (report["notes"] as? [String] ?? []).filter { $0.contains("lead_source") }
        #expect(notes == ["explanations: " + Self.unseenWithBaseline], "\(notes)")
    }

    @Test(arguments: [
        (["--baseline-level", "lead_source=web_form"],
         "fairlead: --baseline-level: 'web_form' of 'lead_source' is not a dropped level: the model has a feature for it ('lead_source=web_form'); a baseline level is the one the encoding left out, which no feature names\n"),
        (["--baseline-level", "lead_sourc=cold_outbound"],
         "fairlead: --baseline-level: 'lead_sourc' is not a column the model's one-hot features come from; its one-hot columns are 'lead_source'\n"),
        (["--baseline-level", "lead_source"],
         "fairlead: --baseline-level expects COLUMN=LEVEL, such as lead_source=cold_outbound, found 'lead_source'\n"),
        (["--baseline-level", "lead_source=cold_outbound", "--baseline-level", "lead_source=referral"],
         "fairlead: --baseline-level names the column 'lead_source' twice, as 'cold_outbound' and as 'referral': an encoding drops one level per column\n"),
    ])
    func aDeclarationThatIsNoDroppedLevelIsRefused(flags: [String], message: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.json").path
        let explain = try CLIProcess.run(["explain", "--model", model, "--data", Self.leads, "--ids", "L0000004"] + flags)
        #expect(explain.exitCode == 2)
        #expect(explain.standardError == message)
        #expect(explain.standardOutput.isEmpty)
        let out = folder.appendingPathComponent("attributions.csv").path
        let attributions = try CLIProcess.run(["attributions", "--model", model, "--data", Self.leads, "--out", out] + flags)
        #expect(attributions.exitCode == 2)
        // Its reader checks with the same words (one check, FeatureSources.checkBaselineLevels).
        #expect(attributions.standardError == message)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aProfileDeclarationIsChecked() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wrongLevel = try Self.profile(in: folder, baseline: "  baseline_levels: {lead_source: paid_search}")
        let explain = try CLIProcess.run(["explain", "--profile", wrongLevel, "--ids", "L0000004"])
        #expect(explain.exitCode == 2)
        #expect(explain.standardError.hasPrefix("fairlead: model.baseline_levels: 'paid_search' of 'lead_source' is not a dropped level"),
                "\(explain.standardError)")
        let audit = try CLIProcess.run(["audit", "--profile", wrongLevel])
        #expect(audit.exitCode == 2)
        #expect(audit.standardError.hasPrefix("fairlead: model.baseline_levels: 'paid_search' of 'lead_source' is not a dropped level"),
                "\(audit.standardError)")
        let list = try Self.profile(in: folder, baseline: "  baseline_levels: [cold_outbound]")
        let listed = try CLIProcess.run(["explain", "--profile", list, "--ids", "L0000004"])
        #expect(listed.exitCode == 2)
        #expect(listed.standardError == "fairlead: \(list):15:20 (model.baseline_levels): expected a mapping of keys to values, found a list\n",
                "\(listed.standardError)")
    }
}
