import Foundation
import Testing

/// `fairlead mitigate` as a process: the options of the walkthrough profile, the exit
/// codes, and the reweighing CSV against AIF360's weights (fixtures/mitigation/reweighing.json).
@Suite struct CLIMitigateTests {
    static let profile = "fixtures/profiles/leads-mitigation.yaml"
    static let sample = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path

    /// A fresh folder; the caller removes it.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mitigate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes a profile over the sample leads to `path`: a label, a [0, 1] score range,
    /// and `decisions`, `sensitive` and `rules` as given.
    static func writeSampleProfile(_ path: String, name: String, decisions: String = "[{threshold: 0.3}]",
                                   sensitive: String = "[{column: gender, reference: female}]", rules: String) throws {
        try """
            name: \(name)
            data: {path: \(sample), score: score, label: converted, score_range: [0, 1]}
            decisions: \(decisions)
            sensitive: \(sensitive)
            \(rules)
            """.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// `fairlead mitigate --profile PATH --format json`: the exit code, the report read
    /// as JSON, and standard error.
    static func json(_ path: String) throws -> (exitCode: Int32, report: [String: Any]?, error: String) {
        let result = try CLIProcess.run(["mitigate", "--profile", path, "--format", "json"])
        return (result.exitCode, try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any],
                result.standardError)
    }

    /// The single threshold as printed, given back to `audit --threshold`, selects what the
    /// option counted and passes as it said: printed rounded to four decimals (0.0363 for
    /// 0.036268), it selected 4466 leads, not 4468, and failed disparate_impact.
    @Test(arguments: ["text", "markdown"])
    func thePrintedSingleThresholdPassesWhenAudited(format: String) throws {
        let result = try CLIProcess.run(["mitigate", "--profile", Self.profile, "--format", format])
        let marker = format == "markdown" ? "single threshold: score &gt;= " : "single threshold: score >= "
        let line = try #require(result.standardOutput.split(separator: "\n").first { $0.contains(marker) })
        let after = line.components(separatedBy: marker)[1]
        let printed = String(after.prefix { "0123456789.e-".contains($0) })
        #expect(printed == "0.036268", "\(line)")
        let audit = try CLIProcess.run(["audit", "--profile", Self.profile, "--threshold", printed, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(audit.standardOutput.utf8)) as? [String: Any])
        let decisions = try #require(report["decisions"] as? [String: [String: Any]])
        #expect(decisions.values.first?["selected"] as? Int == 4468)
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(!findings.isEmpty && findings.allSatisfy { $0["verdict"] as? String == "pass" }, "\(audit.standardError)")
    }

    @Test func failingDecisionGetsGroupOptionsUnderWhichItsRulesHold() throws {
        let result = try CLIProcess.run(["mitigate", "--profile", Self.profile, "--format", "json"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "options_found")
        let decision = try #require((json["decisions"] as? [String: Any])?["threshold_0.3"] as? [String: Any])
        #expect(decision["status"] as? String == "options_found")
        let capacity = try #require(decision["capacity"] as? Double)
        let current = try #require(decision["current"] as? [String: Any])
        #expect((current["rules"] as? [[String: Any]])?.contains { $0["holds"] as? Bool == false } == true)
        let options = try #require(decision["group_thresholds"] as? [[String: Any]])
        // disparate_impact >= 0.8 leaves slack: an option within that limit joins exact parity.
        #expect(Set(options.compactMap { $0["constraint"] as? String })
                == ["demographic_parity", "demographic_parity_within_limits", "true_positive_rate_parity"])
        for option in options where option["constraint"] as? String != "demographic_parity_within_limits" {
            let cost = try #require(option["cost"] as? [String: Any])
            #expect((cost["selected"] as? Double ?? .infinity) <= capacity + 1e-6)
            #expect((cost["rules"] as? [[String: Any]])?.allSatisfy { $0["holds"] as? Bool == true } == true)
        }
    }

    @Test func textAndMarkdownSayTheyAreOptionsNotDecisions() throws {
        for format in ["text", "markdown"] {
            let result = try CLIProcess.run(["mitigate", "--profile", Self.profile, "--format", format])
            #expect(result.exitCode == 0)
            #expect(result.standardOutput.contains("These are options, not decisions"))
            #expect(result.standardOutput.contains("disparate treatment"))
        }
    }

    /// Every rule holds today: there is nothing to mitigate, and the headline says so (it
    /// said OPTIONS FOUND over a table of today alone).
    @Test func aDecisionThatPassesHasNothingToMitigate() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("lenient.yaml").path
        try Self.writeSampleProfile(profile, name: "lenient", rules: "rules: [disparate_impact >= 0.01]")
        let json = try Self.json(profile)
        #expect(json.exitCode == 0, "\(json.error)")
        #expect(json.report?["status"] as? String == "passes")
        #expect(((json.report?["decisions"] as? [String: Any])?["threshold_0.3"] as? [String: Any])?["status"] as? String == "passes")
        let text = try CLIProcess.run(["mitigate", "--profile", profile])
        #expect(text.exitCode == 0)
        #expect(text.standardOutput.contains("\nNOTHING TO MITIGATE · objective:"), "\(text.standardOutput)")
        #expect(!text.standardOutput.contains("OPTIONS FOUND"))
    }

    /// No rule options can check (an inequality index): the audit fails it, and mitigate
    /// said NOTHING TO MITIGATE, "passes today", and offered a threshold that "held" no
    /// rule. Without rules it said the same; an audit says NO RULES.
    @Test(arguments: [("rules: [theil_index <= 0.0001]", "not_checked", "NOT CHECKED"), ("rules: []", "no_rules", "NO RULES")])
    func nothingCheckedIsNotNothingToMitigate(rules: String, status: String, words: String) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("p.yaml").path
        try Self.writeSampleProfile(profile, name: "unchecked", rules: rules)
        let json = try Self.json(profile)
        #expect(json.exitCode == 0, "\(json.error)")
        #expect(json.report?["status"] as? String == status)
        let decision = (json.report?["decisions"] as? [String: Any])?["threshold_0.3"] as? [String: Any]
        #expect(decision?["status"] as? String == "not_checked")
        #expect(decision?["single_threshold"] == nil)
        let text = try CLIProcess.run(["mitigate", "--profile", profile])
        #expect(text.standardOutput.contains("\n\(words) · objective:"), "\(text.standardOutput)")
        #expect(text.standardOutput.contains("not checked: no rule of it can be checked on options"))
        #expect(!text.standardOutput.contains("passes today") && !text.standardOutput.contains("NOTHING TO MITIGATE"))
    }

    /// Some rules checked on options and others not: the checked ones hold, so mitigate
    /// said NOTHING TO MITIGATE, and the decision "passes today", beside a rule it never
    /// checked (a note listed it). The status is not_checked, the rules are listed.
    @Test func rulesLeftUncheckedAreNotNothingToMitigate() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("mixed.yaml").path
        try Self.writeSampleProfile(profile, name: "mixed", rules: "rules: [disparate_impact >= 0.01, theil_index <= 0.0001]")
        let json = try Self.json(profile)
        #expect(json.exitCode == 0, "\(json.error)")
        #expect(json.report?["status"] as? String == "not_checked")
        #expect(json.report?["unchecked_rules"] as? [String] == ["theil_index <= 0.0001"])
        let decision = (json.report?["decisions"] as? [String: Any])?["threshold_0.3"] as? [String: Any]
        #expect(decision?["status"] as? String == "not_checked")
        #expect(decision?["unchecked_rules"] as? [String] == ["theil_index <= 0.0001"])
        let text = try CLIProcess.run(["mitigate", "--profile", profile])
        #expect(text.standardOutput.contains("\nNOT CHECKED · objective:"), "\(text.standardOutput)")
        #expect(text.standardOutput.contains("· passes today on the rules checked; not checked on options: theil_index <= 0.0001\n"))
        #expect(text.standardOutput.contains("note: not checked on options (they depend on more than who is selected per group): theil_index <= 0.0001"))
        #expect(!text.standardOutput.contains("NOTHING TO MITIGATE"))

        // The rule options cannot check applies to one decision: only that one is not checked.
        try Self.writeSampleProfile(profile, name: "mixed", decisions: "[{threshold: 0.3}, {top_k: 10%}]",
                                    rules: "rules: [disparate_impact >= 0.01, {check: theil_index <= 0.0001, decisions: [threshold_0.3]}]")
        let scoped = try Self.json(profile)
        let decisions = scoped.report?["decisions"] as? [String: [String: Any]]
        #expect(scoped.report?["status"] as? String == "not_checked", "\(scoped.error)")
        #expect(decisions?["threshold_0.3"]?["status"] as? String == "not_checked")
        #expect(decisions?["top_10pct"]?["status"] as? String == "passes")
        #expect(decisions?["top_10pct"]?.keys.contains("unchecked_rules") == false)

        // Every rule checkable and holding: nothing to mitigate, and no `unchecked_rules`.
        try Self.writeSampleProfile(profile, name: "mixed", rules: "rules: [disparate_impact >= 0.01]")
        let checked = try Self.json(profile)
        #expect(checked.report?["status"] as? String == "passes")
        #expect(checked.report?.keys.contains("unchecked_rules") == false)
    }

    /// An intersection with nine unconverted leads and no converter leaves no threshold to
    /// trade: `mitigate` of the bundled pre-deployment profile stopped (exit 2), and an
    /// audit asking for options with it lost its verdict. That attribute gets no group
    /// thresholds, and says why; the rest of the options stand.
    @Test func aGroupOfOneLabelLeavesItsAttributeWithoutGroupThresholds() throws {
        let json = try Self.json("fixtures/profiles/leads-predeployment.yaml")
        #expect(json.exitCode == 0 || json.exitCode == 1, "\(json.error)")
        let decision = (json.report?["decisions"] as? [String: Any])?["threshold_0.3"] as? [String: Any]
        let notes = decision?["group_threshold_notes"] as? [String]
        #expect(notes == ["ethnicity*gender: no group thresholds: group 'other & nonbinary' has only unconverted leads: no threshold trades one off against the other (Fairlearn: degenerate labels)"],
                "\(String(describing: decision?["group_threshold_notes"]))")
        // Other attributes' options were computed: age_band's hold for no rule, so none is feasible.
        #expect(decision?["status"] as? String == "none_feasible")
        #expect((decision?["group_thresholds"] as? [[String: Any]])?.contains { $0["attribute"] as? String == "ethnicity" } == true)
        let text = try CLIProcess.run(["mitigate", "--profile", "fixtures/profiles/leads-predeployment.yaml"])
        #expect(text.standardOutput.contains("\n  ethnicity*gender: no group thresholds: group 'other & nonbinary' has only unconverted leads"),
                "\(text.standardOutput)")

        // The audit asking for options keeps its verdict and exit code.
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("with-options.yaml").path
        let base = CLIProcess.packageRoot.appendingPathComponent("fixtures/profiles/leads-predeployment.yaml").path
        try "extends: \(base)\nsettings: {bootstrap: 100}\nmitigation: {thresholds: true}\n".write(toFile: profile, atomically: true, encoding: .utf8)
        let audit = try CLIProcess.run(["audit", "--profile", profile, "--threads", "1"], environment: CLIProcess.fixtureProfilesAllowed)
        #expect(audit.exitCode == 1, "\(audit.standardError)")
        #expect(audit.standardOutput.hasPrefix("FAIL  leads-predeployment: "))
        #expect(audit.standardOutput.contains("ethnicity*gender: no group thresholds: "))
    }

    @Test func noFeasibleOptionExitsOne() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("impossible.yaml").path
        // Parity makes disparate impact 1 at best: no option reaches 1.5.
        try Self.writeSampleProfile(profile, name: "impossible", sensitive: "[{column: ethnicity, reference: white}]",
                                    rules: "rules: [disparate_impact >= 1.5]")
        let json = try Self.json(profile)
        #expect(json.exitCode == 1, "\(json.error)")
        #expect(json.report?["status"] as? String == "none_feasible")
    }

    /// A group without converters has no true positive rate: equal opportunity over the one
    /// group left is no evidence of parity. The decision is insufficient evidence, as the
    /// audit says, not "passes" with a difference of 0 (it was, exit 0 and "2 of 2 held").
    @Test func aRuleOnARateAGroupLacksIsUndecidedNotHeld() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var csv = "id,score,label,grp\n"
        for row in 0..<400 {
            let group = row < 200 ? "a" : "b"
            let label = group == "a" ? row % 2 : 0
            csv += "\(row),\(Double((row * 37) % 100) / 100),\(label),\(group)\n"
        }
        try csv.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("p.yaml")
        try """
            name: p
            data: {path: d.csv, id: id, score: score, label: label, score_range: [0, 1]}
            sensitive: [{column: grp, reference: a}]
            decisions: [{threshold: 0.5}]
            rules: [equal_opportunity_difference <= 0.1, disparate_impact >= 0.8]
            """.write(to: profile, atomically: true, encoding: .utf8)
        let json = try CLIProcess.run(["mitigate", "--profile", profile.path, "--format", "json"])
        #expect(json.exitCode == 0, "\(json.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        let decision = (report?["decisions"] as? [String: Any])?["threshold_0.5"] as? [String: Any]
        #expect(decision?["status"] as? String == "insufficient_evidence")
        // The report's headline too: it said OPTIONS FOUND over a table with no option.
        #expect(report?["status"] as? String == "insufficient_evidence")
        let rules = ((decision?["current"] as? [String: Any])?["rules"] as? [[String: Any]]) ?? []
        let equalOpportunity = rules.first { $0["rule"] as? String == "equal_opportunity_difference <= 0.1" }
        #expect(equalOpportunity?["holds"] as? Bool == false)
        // The audit's own reason for its finding (the same judge).
        #expect(equalOpportunity?["undecided"] as? String == "only one group ('a') has a value, nothing to compare: group 'b' has 200 rows but no actual positives (label 1), which true_positive_rate needs; labelled leads that converted (label 1) in 'b' would decide it")
        let held = rules.first { $0["rule"] as? String == "disparate_impact >= 0.8" }
        #expect(held?["holds"] as? Bool != nil && held?["undecided"] == nil)
        let text = try CLIProcess.run(["mitigate", "--profile", profile.path])
        #expect(text.standardOutput.contains("insufficient evidence today"), "\(text.standardOutput)")
        #expect(text.exitCode == 0)
        #expect(text.standardOutput.contains("\nINSUFFICIENT EVIDENCE · objective:"), "\(text.standardOutput)")
        #expect(!text.standardOutput.contains("OPTIONS FOUND"))
        #expect(text.standardOutput.contains("? equal_opportunity_difference <= 0.1, grp: insufficient evidence: only one group ('a') has a value, nothing to compare"))

        // The audit's tables: the disparity over the one group with a true positive rate is
        // undefined, with no interval, not 0.000 [0.000, 0.000]; no threshold "holds" it.
        let audit = try CLIProcess.run(["audit", "--profile", profile.path, "--format", "json"])
        let auditReport = try JSONSerialization.jsonObject(with: Data(audit.standardOutput.utf8)) as? [String: Any]
        let section = ((auditReport?["decisions"] as? [String: Any])?["threshold_0.5"] as? [String: Any])?["attributes"] as? [String: Any]
        let fairness = (section?["grp"] as? [String: Any])?["fairness"] as? [String: Any]
        let difference = fairness?["equal_opportunity_difference"] as? [String: Any]
        #expect(difference?["value"] == nil && difference?["undefined_reason"] as? String == "one_defined_group", "\(String(describing: difference))")
        #expect(difference?["interval"] == nil)
        let verbose = try CLIProcess.run(["audit", "--profile", profile.path, "--verbose"])
        #expect(!verbose.standardOutput.contains("equal_opportunity_difference <= 0.1 holds for score thresholds"), "\(verbose.standardOutput)")
    }

    @Test func reweighingCSVHoldsAIF360sWeights() throws {
        struct Golden: Decodable {
            struct Case: Decodable { var attribute: String; var weighted: Bool; var groups: [String: Group] }
            struct Group: Decodable { var rows: [String: Double] }
            var cases: [Case]
        }
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: CLIProcess.packageRoot
            .appendingPathComponent("fixtures/mitigation/reweighing.json")))
        let expected = try #require(golden.cases.first { $0.attribute == "ethnicity" && !$0.weighted })
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("weights-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try CLIProcess.run(["mitigate", "--profile", Self.profile, "--reweigh-out", out.path, "--reweigh-by", "ethnicity"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let text = try String(contentsOf: out, encoding: .utf8)
        // One line per lead and a header, each ended once: no empty line between rows.
        #expect(text.hasSuffix("\n") && !text.contains("\n\n"))
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.first == ["lead_id", "group", "label", "weight"])
        #expect(lines.count == 5001)
        for (group, entry) in expected.groups {
            for (row, weight) in entry.rows {
                let line = lines[try #require(Int(row)) + 1]
                #expect(line[1] == group)
                #expect(abs((Double(line[3]) ?? .nan) - weight) <= 1e-12, "row \(row)")
            }
        }
    }

    @Test func reweighByMustNameAnAttribute() throws {
        let result = try CLIProcess.run(["mitigate", "--profile", Self.profile, "--reweigh-out", "/tmp/unused-weights.csv", "--reweigh-by", "ethnicty"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("did you mean 'ethnicity'?"))
    }
}
