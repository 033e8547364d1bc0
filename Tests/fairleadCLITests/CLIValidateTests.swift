import Foundation
import Testing

@Suite struct CLIValidateTests {
    @Test func bundledProfileIsValidAndDescribed() throws {
        let result = try CLIProcess.run(["validate", "fixtures/profiles/leads-predeployment.yaml"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("reads only the columns: lead_id, score, converted, ethnicity, gender, age_band"))
        #expect(result.standardOutput.contains("threshold_0.3: selected when score ≥ 0.3"))
        #expect(result.standardOutput.contains("top_10pct: the top 10% of scores are selected"))
        #expect(result.standardOutput.hasSuffix("The profile is valid.\n"))
    }

    /// A model path that names no model (a text file, as `/etc/passwd` would be) was called
    /// valid; the audit refused it. validate reads the model as the audit does.
    @Test func aModelFileThatIsNoModelIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-nomodel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("passwd").path
        try "root:x:0:0:root:/root:/bin/bash\n".write(toFile: model, atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("p.yaml").path
        let data = FileManager.default.currentDirectoryPath + "/fixtures/leads/leads-sample.csv"
        try "name: x\ndata: {path: \(data), score: score}\ndecisions: [{threshold: 0.3}]\nsensitive: [ethnicity]\nmodel: {path: \(model)}\n"
            .write(toFile: profile, atomically: true, encoding: .utf8)
        let validate = try CLIProcess.run(["validate", profile])
        let audit = try CLIProcess.run(["audit", "--profile", profile])
        #expect(audit.exitCode == 2)
        #expect(validate.exitCode == 2, "\(validate.standardOutput)")
        #expect(validate.standardError.contains(model), "\(validate.standardError)")
        #expect(!validate.standardError.contains("root:x"), "\(validate.standardError)")
    }

    /// A profile of 100,000-character names printed them whole on standard output (340 KB):
    /// every line is bounded as a message line is, the names cut in the middle.
    @Test func hugeNamesAreCutOnEveryLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-huge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let name = String(repeating: "N", count: 100_000), column = String(repeating: "c", count: 70_000)
        let data = folder.appendingPathComponent("h.csv").path
        try "s,\(column)\n0.1,a\n".write(toFile: data, atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("p.yaml").path
        try "name: \(name)\ndata: {path: \(data), score: s}\ndecisions: [{threshold: 0.5, name: \(name)}]\nsensitive: [\(column)]\n"
            .write(toFile: profile, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["validate", profile])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput.utf8.count < 30_000, "\(result.standardOutput.utf8.count) bytes")
        #expect(result.standardOutput.split(separator: "\n").allSatisfy { $0.count <= 4_200 })
        #expect(result.standardOutput.contains("characters left out"))
        #expect(result.standardOutput.hasSuffix("The profile is valid.\n"))
    }

    /// `drift.metrics` naming a rate that needs labels, with no label column: validate
    /// says so (only the audit's drift note did).
    @Test func driftMetricsThatNeedLabelsAreNoted() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("drift-\(UUID().uuidString).yaml").path
        try "name: x\ndata: {score: s}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\ndrift: {baseline: last_passing, metrics: [selection_rate, true_positive_rate, equal_opportunity_difference]}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLIProcess.run(["validate", path])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Note: the data has no label column (data.label), and drift.metrics names values that need observed outcomes: "
                                               + "true_positive_rate, equal_opportunity_difference; drift compares them only once labels are joined"),
                "\(result.standardOutput)")
    }

    @Test func badProfileExitsTwoNamingTheKey() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml").path
        try "name: x\ndata: {score: s}\ndecisions: [{threshold: 1}]\nsensitive: [g]\nrules: [disparate_impact => 0.8]\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLIProcess.run(["validate", path])
        #expect(result.exitCode == 2)
        #expect(result.standardError == "fairlead: \(path):5:9 (rules[0]): expected 'METRIC OP NUMBER' with OP one of >=, <=, >, < (such as 'disparate_impact >= 0.8'), found 'disparate_impact => 0.8'\n")
    }

    /// Rules the profile as written cannot judge were called valid, and every audit left
    /// them insufficient evidence: `consistency` without `model:`, a label metric without
    /// `data.label`, calibration on a 0–100 score. validate names each, and the audit
    /// agrees: exactly those rules are never judged.
    @Test func rulesTheProfileCannotJudgeAreNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-needs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The bundled leads with the score in points (0–100).
        let leads = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv"), encoding: .utf8)
        var lines = leads.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let score = try #require(header.firstIndex(of: "score"))
        for index in lines.indices.dropFirst() {
            var cells = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[score] = String(format: "%.4f", (Double(cells[score]) ?? 0) * 100)
            lines[index] = cells.joined(separator: ",")
        }
        let data = folder.appendingPathComponent("leads.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("p.yaml").path
        try """
            name: needs
            data: {path: leads.csv, score: score, id: lead_id, score_range: [0, 100]}
            sensitive: [gender]
            decisions: [{threshold: 30}]
            rules: ["consistency >= 0.8", "equal_opportunity_difference <= 0.1", "brier_score <= 0.2", "disparate_impact >= 0.8"]

            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["validate", profile])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let said = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(said.contains("Warning: the profile names no model (model:), and these rules read its features: consistency >= 0.8; "
                              + "every audit of this profile leaves them insufficient evidence"), "\(result.standardOutput)")
        #expect(said.contains("Note: the data has no label column (data.label), and these rules need observed outcomes: "
                              + "equal_opportunity_difference <= 0.1, brier_score <= 0.2; they are insufficient evidence until labels "
                              + "are joined (data.label, or `fairlead history label`)"))
        #expect(said.contains("Warning: data.score_range declares scores that are not probabilities, and these rules need "
                              + "probabilities: brier_score <= 0.2; every audit of this profile leaves them insufficient evidence"))
        #expect(result.standardOutput.hasSuffix("The profile is valid.\n"))
        // The audit judges only the rule validate did not name.
        let audit = try CLIProcess.run(["audit", "--profile", profile, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(audit.standardOutput.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        let judged = Set(findings.filter { ["pass", "fail"].contains($0["verdict"] as? String) }.compactMap { $0["rule"] as? String })
        #expect(judged == ["disparate_impact >= 0.8"], "\(audit.standardError)")
        let ruled = Set(findings.compactMap { $0["rule"] as? String })
        #expect(ruled.count == 4)
        // The bundled profiles need nothing they lack.
        let bundled = try CLIProcess.run(["validate", "fixtures/profiles/leads-predeployment.yaml"])
        #expect(!bundled.standardOutput.contains("Warning:") && !bundled.standardOutput.contains("these rules"))
    }

    @Test func missingProfileFileExitsTwo() throws {
        let result = try CLIProcess.run(["validate", "no/such/profile.yaml"])
        #expect(result.exitCode == 2)
        #expect(result.standardError == "fairlead: no/such/profile.yaml: the profile does not exist\n")
    }
}

/// Over a corpus of bad profiles, `validate` rejects exactly what `audit` rejects for the
/// profile's sake, with the same message, and reads no data row to do it.
@Suite struct CLIValidateCorpusTests {
    static let good = """
        name: corpus
        data: {path: data.csv, score: score, label: y, score_range: [0, 1]}
        decisions: [{threshold: 0.5}]
        sensitive: [g]
        rules: [disparate_impact >= 0.8]
        """

    /// (what is wrong, the profile's text) — each derived from the good one.
    static let corpus: [(String, String)] = [
        ("misspelt metric", good.replacingOccurrences(of: "disparate_impact >= 0.8", with: "disparate_impcat >= 0.8")),
        ("placeholder left by init", good.replacingOccurrences(of: "score: score", with: "score: SCORE_COLUMN")),
        ("missing data file", good.replacingOccurrences(of: "path: data.csv", with: "path: missing.csv")),
        ("column not in the header", good.replacingOccurrences(of: "sensitive: [g]", with: "sensitive: [gender]")),
        ("label not in the header", good.replacingOccurrences(of: "label: y", with: "label: converted")),
        ("threshold outside score_range", good.replacingOccurrences(of: "threshold: 0.5", with: "threshold: 50")),
        ("unknown key", good + "\nsetings: {bootstrap: 10}"),
        ("reported metric that is not a group rate", good + "\nmetrics: [selection_rate, disparate_impact]"),
        ("bad verdict mode", good + "\nsettings: {verdict: strict}"),
        ("missing model file", good + "\nmodel: {path: model.json}"),
    ]

    @Test func validateRejectsExactlyWhatAuditRejects() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "score,y,g\n0.9,1,a\n0.2,0,a\n0.7,1,b\n0.1,0,b\n".write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let goodPath = folder.appendingPathComponent("good.yaml").path
        try Self.good.write(toFile: goodPath, atomically: true, encoding: .utf8)
        #expect(try CLIProcess.run(["validate", goodPath]).exitCode == 0)
        #expect([0, 1].contains(try CLIProcess.run(["audit", "--profile", goodPath]).exitCode))

        for (index, (what, text)) in Self.corpus.enumerated() {
            let path = folder.appendingPathComponent("bad-\(index).yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let validated = try CLIProcess.run(["validate", path])
            let audited = try CLIProcess.run(["audit", "--profile", path])
            #expect(validated.exitCode == 2, "\(what): validate")
            #expect(audited.exitCode == 2, "\(what): audit")
            #expect(!validated.standardError.isEmpty && validated.standardError == audited.standardError, "\(what)")
        }
    }

    /// Profiles whose privacy: section `audit --publish` refuses before reading data:
    /// `validate --publish` refuses them with the same message; `validate` warns.
    static let publishingCorpus: [(String, String)] = [
        ("weighted release", good.replacingOccurrences(of: "label: y,", with: "label: y, weight: w,")
            .replacingOccurrences(of: "sensitive: [g]", with: "sensitive: [{column: g, values: [a, b]}]") + "\nprivacy: {epsilon: 1, budget: 2}"),
        ("release of undeclared groups", good + "\nprivacy: {epsilon: 1, budget: 2}"),
        ("metrics without the cells", good + "\nmetrics: [selection_rate, true_positive_rate]\nprivacy: {min_cell: 10}"),
    ]

    @Test func validateChecksWhatPublishingChecks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("publish-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "score,y,g,w\n0.9,1,a,1\n0.2,0,a,1\n0.7,1,b,1\n0.1,0,b,1\n".write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        for (index, (what, text)) in Self.publishingCorpus.enumerated() {
            let path = folder.appendingPathComponent("publish-\(index).yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let history = folder.appendingPathComponent("h-\(index).sqlite").path
            let published = try CLIProcess.run(["audit", "--profile", path, "--publish", "--history", history])
            let strict = try CLIProcess.run(["validate", path, "--publish"])
            let lenient = try CLIProcess.run(["validate", path])
            #expect(published.exitCode == 2, "\(what): audit --publish")
            #expect(strict.exitCode == 2, "\(what): validate --publish")
            #expect(!strict.standardError.isEmpty && strict.standardError == published.standardError, "\(what): \(strict.standardError)")
            #expect(lenient.exitCode == 0, "\(what): validate \(lenient.standardError)")
            let message = CLIProcess.unwrapped(published.standardError).dropFirst("fairlead: ".count).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(CLIProcess.unwrapped(lenient.standardOutput).contains("Warning: `fairlead audit --publish` refuses this profile: " + message),
                    "\(what): \(lenient.standardOutput)")
        }
        // A profile that publishes: no warning, and a release is reminded of its history.
        let release = folder.appendingPathComponent("release.yaml").path
        try Self.good.replacingOccurrences(of: "sensitive: [g]", with: "sensitive: [{column: g, values: [a, b]}]")
            .appending("\nprivacy: {epsilon: 1, budget: 2}").write(toFile: release, atomically: true, encoding: .utf8)
        let checked = try CLIProcess.run(["validate", release, "--publish"])
        #expect(checked.exitCode == 0, "\(checked.standardError)")
        #expect(!checked.standardOutput.contains("Warning"))
        #expect(checked.standardOutput.contains("Note: its differentially private release is charged to the privacy budget of a history: publish with --history."))
    }

    @Test func validateNamesWhatItChecked() throws {
        let result = try CLIProcess.run(["validate", "fixtures/profiles/leads-predeployment.yaml"])
        #expect(result.standardOutput.contains("its header has all 6 columns the profile names (of "))
    }
}
