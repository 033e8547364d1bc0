import Foundation
import Testing

/// A category the model has no one-hot feature for (`WEB_FORM` where it knows
/// `lead_source=web_form`) is read as none of its levels; `explain` and `attributions` say
/// so, per column, with the rows and the first values, and no reason presents the value as
/// one the model weighed. It was silent: lead L0000001 scored 0.223 instead of 0.205 and
/// read "Lead source is WEB_FORM (+1.6 pts)".
@Suite("values the model has no feature for")
struct ExplainUnseenLevelsTests {
    static let profile = "fixtures/profiles/leads-explanations.yaml"

    /// The bundled leads with L0000001 and L0000004's lead source upper-cased or changed,
    /// L0000002's spelt with a space, L0000003's holding an escape sequence.
    static func changedLeads() throws -> String {
        let text = try String(contentsOfFile: CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path,
                              encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        let changes = ["L0000001,web_form,": "L0000001,WEB_FORM,", "L0000002,web_form,": "L0000002,Web Form,",
                       "L0000003,web_form,": "L0000003,web\u{1B}[31mform,", "L0000004,cold_outbound,": "L0000004,WEB_FORM,"]
        for (index, line) in lines.enumerated() {
            for (old, new) in changes where line.hasPrefix(old) {
                lines[index] = new + line.dropFirst(old.count)
            }
        }
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("fairlead-unseen-\(UUID().uuidString)-leads.csv").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let warning = "fairlead: warning: lead_source: 4 rows hold values the model has no feature for "
        + "(\"WEB_FORM\", \"Web Form\", \"web\\x1B[31mform\"): read as none of the lead_source levels the model knows "
        + "(all its lead_source features 0)"

    @Test func textSaysSoAndGivesNoReasonFromTheUnseenValue() throws {
        let data = try Self.changedLeads()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let result = try CLIProcess.run(["explain", "--profile", Self.profile, "--data", data, "--ids", "L0000001"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        // The model's score of what it read: none of its lead sources.
        #expect(lines.contains("Lead L0000001: score 0.223"))
        #expect(!result.standardOutput.contains("Lead source"), "\(result.standardOutput)")
        #expect(!result.standardOutput.contains("WEB_FORM"))
        #expect(result.standardError.contains("\nfairlead: warning: lead_source: 1 row holds a value the model has no feature for (\"WEB_FORM\"): "
            + "read as none of the lead_source levels the model knows (all its lead_source features 0); not given as a reason for that lead\n"),
            "\(result.standardError)")
    }

    @Test func jsonCarriesTheCountsAndTheWarning() throws {
        let data = try Self.changedLeads()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let result = try CLIProcess.run(["explain", "--profile", Self.profile, "--data", data, "--format", "json", "--batch-size", "2"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let unseen = try #require(document["unseen_levels"] as? [[String: Any]])
        #expect(unseen.count == 1)
        #expect(unseen.first?["column"] as? String == "lead_source")
        #expect(unseen.first?["rows"] as? Int == 4)
        #expect(unseen.first?["examples"] as? [String] == ["WEB_FORM", "Web Form", "web\u{1B}[31mform"])
        let warnings = try #require(document["warnings"] as? [String])
        #expect(warnings == [String(Self.warning.dropFirst("fairlead: warning: ".count)) + "; not given as a reason for those leads"])
        #expect(result.standardError.contains(Self.warning + "; not given as a reason for those leads\n"), "\(result.standardError)")
        let leads = try #require(document["leads"] as? [[String: Any]])
        #expect(leads.count == 5000)
        let first = try #require(leads.first { $0["id"] as? String == "L0000001" })
        #expect(abs((first["score"] as? Double ?? 0) - 0.223) < 0.0005)
        // Its reasons come from other columns: two raising and three lowering (a third
        // raising factor moves it by under 0.05 pts, which is no reason).
        let reasons = (first["raising"] as? [[String: Any]] ?? []) + (first["lowering"] as? [[String: Any]] ?? [])
        #expect(reasons.count == 5)
        #expect(reasons.allSatisfy { abs($0["points"] as? Double ?? 0) >= 0.05 })
        #expect(!reasons.contains { $0["feature"] as? String == "lead_source" })
        // A lead whose value the model knows still reads its lead source.
        let known = leads.filter { !["L0000001", "L0000002", "L0000003", "L0000004"].contains($0["id"] as? String) }
        #expect(known.contains { lead in
            ((lead["raising"] as? [[String: Any]] ?? []) + (lead["lowering"] as? [[String: Any]] ?? []))
                .contains { $0["feature"] as? String == "lead_source" }
        })
    }

    @Test func csvAndTheBundledLeadsSayNothing() throws {
        let data = try Self.changedLeads()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let changed = try CLIProcess.run(["explain", "--profile", Self.profile, "--data", data, "--format", "csv",
                                          "--ids", "L0000002,L0000005"])
        #expect(changed.exitCode == 0)
        #expect(changed.standardError.contains("fairlead: warning: lead_source: 1 row holds a value the model has no feature for "
            + "(\"Web Form\"): read as none of the lead_source levels the model knows (all its lead_source features 0); not given as a reason for that lead\n"),
            "\(changed.standardError)")
        let bundled = try CLIProcess.run(["explain", "--profile", Self.profile, "--format", "json", "--ids", "L0000001"])
        #expect(bundled.exitCode == 0)
        #expect(!bundled.standardError.contains("no feature for"))
        #expect(!bundled.standardOutput.contains("unseen_levels"))
    }

    @Test func attributionsSaySo() throws {
        let data = try Self.changedLeads()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let out = data + ".attributions.json"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try CLIProcess.run(["attributions", "--model", "fixtures/explanations/xgb-leads-score.json",
                                         "--data", data, "--format", "json", "--out", out])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardError == "fairlead: warning: \(data): \(String(Self.warning.dropFirst("fairlead: warning: ".count)))\n")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let unseen = try #require(document["unseen_levels"] as? [[String: Any]])
        #expect(unseen.first?["rows"] as? Int == 4)
        #expect(unseen.first?["examples"] as? [String] == ["WEB_FORM", "Web Form", "web\u{1B}[31mform"])
        #expect((document["warnings"] as? [String])?.count == 1)
    }
}
