import Foundation
import Testing

@Suite struct CLIAuditTests {
    static let profile = "fixtures/profiles/leads-predeployment.yaml"

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-cli-\(UUID().uuidString)-\(name)").path
    }

    @Test func bundledAuditFindsThePlantedBiasAndExitsOne() throws {
        let result = try CLIProcess.run(["audit", "--profile", Self.profile, "--threads", "2"])
        #expect(result.exitCode == 1)
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "FAIL  leads-predeployment: 3 of 3 rules judged · 33 passed, 21 failed, 20 insufficient evidence")
        // The first screen: the failing rule with its worst group, before any table.
        let worst = try #require(lines.firstIndex(of: "    top_10pct / ethnicity*gender / black & female   0.256  95% CI 0.098–0.444  0.544 below 0.8"))
        #expect(lines[worst - 1] == "  disparate_impact >= 0.8: 13 fail (10 groups across 2 decisions), 33 pass, 16 insufficient evidence")
        #expect(worst < (lines.firstIndex { $0.hasPrefix("Decision ") } ?? 0))
        #expect(lines.contains("All 74 rule findings, each with its reason: --verbose, or --format json|markdown"))
        #expect(lines.allSatisfy { $0.count <= 100 })
        #expect(!result.standardOutput.contains("\u{1B}["), "no colour when stdout is not a terminal")
        // Every finding, with its reason, behind --verbose.
        let verbose = try CLIProcess.run(["audit", "--profile", Self.profile, "--threads", "2", "--verbose"])
        #expect(verbose.exitCode == 1)
        let every = CLIProcess.unwrapped(verbose.standardOutput).split(separator: "\n").map(String.init)
        #expect(every.contains("    FAIL  threshold_0.3 / ethnicity / black: 0.380 (95% CI 0.298–0.479), 0.420 below 0.8 — 0.3802 is not >= 0.8"))
        #expect(every.filter { $0.hasPrefix("    PASS  ") || $0.hasPrefix("    FAIL  ") || $0.hasPrefix("    INSUFFICIENT EVIDENCE  ") }.count == 74)
        #expect(verbose.standardOutput.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }

    @Test func jsonReportDecodesAndAnswersByNames() throws {
        let result = try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "json"])
        #expect(result.exitCode == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(report["schema_version"] as? Int == 2)
        #expect(report["status"] as? String == "fail")
        let decisions = try #require(report["decisions"] as? [String: Any])
        let threshold = try #require(decisions["threshold_0.3"] as? [String: Any])
        let attributes = try #require(threshold["attributes"] as? [String: Any])
        let ethnicity = try #require(attributes["ethnicity"] as? [String: Any])
        let groups = try #require(ethnicity["groups"] as? [String: Any])
        let black = try #require(groups["black"] as? [String: Any])
        let metrics = try #require(black["metrics"] as? [String: Any])
        let selection = try #require(metrics["selection_rate"] as? [String: Any])
        #expect(selection["value"] as? Double == 69.0 / 658.0)
    }

    @Test func markdownGoesToAFileAtomically() throws {
        let out = temporaryPath("report.md")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "markdown", "--out", out])
        #expect(result.exitCode == 1)
        #expect(result.standardOutput.isEmpty)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("# Fairness audit: leads-predeployment — FAIL\n"))
        // The rule is shown as code (HTML is not read there); the other cells, text, have `>` as an
        // entity and Markdown punctuation (`_`, `[`, `]`) backslash-escaped.
        #expect(text.contains("| FAIL | `disparate_impact >= 0.8` | threshold\\_0.3 | ethnicity | black | 0.380 | \\[0.298, 0.479\\] | 0.3802 is not &gt;= 0.8 |"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (out as NSString).deletingLastPathComponent)
            .filter { $0.hasSuffix(".tmp") && $0.contains("report.md") }
        #expect(leftovers.isEmpty)
    }

    @Test func adHocAuditWithoutRulesSaysNoRulesNotPass() throws {
        let result = try CLIProcess.run(["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score",
                                         "--label", "converted", "--sensitive", "ethnicity,gender", "--threshold", "0.3",
                                         "--reference", "ethnicity=white", "--format", "json"])
        #expect(result.exitCode == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(report["status"] as? String == "no_rules")
        #expect((report["data"] as? [String: Any])?["columns"] as? [String] == ["score", "converted", "ethnicity", "gender"])
        let text = try CLIProcess.run(["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score",
                                       "--sensitive", "ethnicity", "--threshold", "0.3"])
        #expect(text.standardOutput.hasPrefix("NO RULES  ad-hoc: no rules, nothing judged\nadd rules to the profile (or --rule 'disparate_impact >= 0.8')\n"))
    }

    @Test func adHocRulesAreJudged() throws {
        let result = try CLIProcess.run(["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score",
                                         "--label", "converted", "--sensitive", "ethnicity", "--threshold", "0.3",
                                         "--reference", "ethnicity=white", "--rule", "disparate_impact >= 0.8",
                                         "--rule", "equal_opportunity_difference <= 0.1", "--format", "json"])
        #expect(result.exitCode == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(report["status"] as? String == "fail")
        let findings = try #require(report["findings"] as? [[String: Any]])
        // disparate impact for asian, black, hispanic, other; equal opportunity once.
        #expect(findings.count == 5)
        let black = try #require(findings.first { $0["group"] as? String == "black" })
        #expect(black["verdict"] as? String == "fail")
        #expect(abs((black["value"] as? Double ?? 0) - 0.38024) < 1e-4)
        let misspelt = try CLIProcess.run(["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score",
                                           "--sensitive", "ethnicity", "--threshold", "0.3", "--rule", "disparate_impcat >= 0.8"])
        #expect(misspelt.exitCode == 2)
        #expect(misspelt.standardError.contains("unknown metric 'disparate_impcat' in rule 'disparate_impcat >= 0.8'; did you mean 'disparate_impact'?"))
        #expect((report["data"] as? [String: Any])?["columns"] as? [String] == ["score", "converted", "ethnicity"])
    }

    @Test func flagsOverrideTheProfile() throws {
        let result = try CLIProcess.run(["audit", "--profile", Self.profile, "--top-k", "250", "--sensitive", "gender",
                                         "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let decisions = try #require(report["decisions"] as? [String: Any])
        #expect(decisions.keys.sorted() == ["top_250"])
        let top = try #require(decisions["top_250"] as? [String: Any])
        #expect(top["selected"] as? Int == 250)
        #expect((top["attributes"] as? [String: Any])?.keys.sorted() == ["gender"])
    }

    /// `--threshold` and `--top-k` become decisions directly, never through profile text: a
    /// value that closes a quote and writes YAML adds no decision and no key, and is refused
    /// with the value shown on its line.
    @Test func decisionFlagsCannotWriteTheProfile() throws {
        let result = try CLIProcess.run(["audit", "--profile", Self.profile, "--threshold", "0.3", "--top-k", "10%", "--top-k", "250",
                                         "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect((report["decisions"] as? [String: Any])?.keys.sorted() == ["threshold_0.3", "top_10pct", "top_250"], "\(result.standardError)")
        for hostile in ["5\"\n  - threshold: 0.9\n    name: \"pwned", "5\"\n    name: \"pwned", "\\u0031\\u0030", "0x1p-1", "nan%"] {
            let refused = try CLIProcess.run(["audit", "--profile", Self.profile, "--top-k", hostile])
            #expect(refused.exitCode == 2, "\(hostile): \(refused.standardError)")
            #expect(refused.standardError.hasPrefix("fairlead: --top-k expects a positive count such as 100, or a share such as 10% or 0.1, found '"),
                    "\(refused.standardError)")
            #expect(refused.standardError.split(separator: "\n").count == 1 && !refused.standardOutput.contains("pwned"))
        }
        let twice = try CLIProcess.run(["audit", "--profile", Self.profile, "--top-k", "250", "--top-k", "250"])
        #expect(twice.exitCode == 2 && twice.standardError.contains("give the decision top_250 twice"), "\(twice.standardError)")
    }

    /// A `--reference` that names no sensitive column is quoted clipped, as the other
    /// `--reference` refusals are: a 10,000-character value was echoed whole.
    @Test func aLongReferenceIsQuotedClipped() throws {
        let value = "gender\u{1B}[2J=" + String(repeating: "a", count: 10_000)
        let refused = try CLIProcess.run(["audit", "--profile", Self.profile, "--reference", value])
        #expect(refused.exitCode == 2)
        #expect(refused.standardError == "fairlead: --reference expects ATTRIBUTE=GROUP with ATTRIBUTE one of the sensitive columns, found 'gender\\x1B[2J="
                + String(repeating: "a", count: 69) + "…'\n", "\(refused.standardError.prefix(300))")
    }

    @Test(arguments: [
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score"], "without --profile, give --data, --score and --sensitive"),
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender"], "give a decision rule"),
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "scor", "--sensitive", "gender", "--threshold", "0.5"],
         "fairlead: fixtures/leads/leads-sample.csv:1 (scor): no column \"scor\"; closest: \"score\""),
        (["audit", "--profile", "fixtures/profiles/leads-predeployment.yaml", "--reference", "race=white"], "--reference expects ATTRIBUTE=GROUP"),
        // A column audited twice counted each finding twice; a profile's `sensitive: [g, g]` is refused too.
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender, ethnicity,gender", "--threshold", "0.5"],
         "fairlead: --sensitive: the sensitive column 'gender' is listed twice"),
        // An empty name was dropped: with none left the audit judged nothing and exited 0.
        (["audit", "--profile", "fixtures/profiles/leads-predeployment.yaml", "--sensitive", ""],
         "fairlead: --sensitive holds an empty column name (''); give names separated by single commas, such as ethnicity,gender"),
        (["audit", "--profile", "fixtures/profiles/leads-predeployment.yaml", "--sensitive", " , "], "fairlead: --sensitive holds an empty column name"),
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender,,ethnicity", "--threshold", "0.5"],
         "fairlead: --sensitive holds an empty column name ('gender,,ethnicity')"),
        (["privacy", "--data", "fixtures/leads/leads-sample.csv", "--quasi", "gender,age_band,", "--sensitive", "ethnicity"],
         "Error: --quasi holds an empty column name"),
        // Two reference groups for one attribute kept the last, silently.
        (["audit", "--profile", "fixtures/profiles/leads-predeployment.yaml", "--reference", "gender=male", "--reference", "gender=female"],
         "fairlead: --reference names the attribute 'gender' twice, as 'male' and as 'female': give one reference group per attribute"),
        (["audit", "--profile", "fixtures/profiles/leads-predeployment.yaml", "--reference", "gender=male", "--reference", "ethnicity=white",
          "--reference", "gender=male"],
         "fairlead: --reference names the attribute 'gender' twice, as 'male' and as 'male'"),
        (["audit", "--profile", "fixtures/profiles/leads-predeployment.yaml", "--data", "missing.csv"], "fairlead: missing.csv"),
        // A mistyped option is reported as unknown, not as the missing option it was meant
        // to be (ArgumentParser runs a command's validate() first): for every command whose
        // validate() checks what options were given.
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensative", "gender", "--threshold", "0.5"],
         "Unknown option '--sensative'. Did you mean '--sensitive'?"),
        (["audit", "--profile", "fixtures/profiles/leads-predeployment.yaml", "--as-of", "2026-01-01", "--histroy", "h.jsonl"],
         "Unknown option '--histroy'"),
        (["explain", "--modle", "m.json", "--data", "fixtures/leads/leads-sample.csv"], "Unknown option '--modle'"),
        (["sql", "--profile", "fixtures/profiles/leads-sharded.yaml", "--dialect", "postgres", "--tabel", "leads"], "Unknown option '--tabel'"),
        (["audit", "--threads", "0", "--bogus"], "Unknown option '--bogus'"),
        // Nor as the option a command requires that it was meant to be (ArgumentParser
        // looks for required options first).
        (["history", "verify", "--histroy", "h.db"], "Unknown option '--histroy'. Did you mean '--history'?"),
        (["attributions", "--modle", "m.json", "--data", "d.csv", "--out", "o.csv"], "Unknown option '--modle'. Did you mean '--model'?"),
        (["history", "label", "--history", "h.db", "--entry", "1", "--labels", "l.csv", "--id", "lead_id", "--lable", "won"],
         "Unknown option '--lable'"),
        // A negative number is an option's value, not an option (ArgumentParser said
        // "Missing value for '--threshold <threshold>'").
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender", "--threshold", "-0.5"],
         "fairlead: fixtures/leads/leads-sample.csv: the threshold -0.5 of decision 'threshold_-0.5' lies outside the scores' observed range"),
        (["audit", "--profile", "fixtures/profiles/leads-predeployment.yaml", "--threads", "-1"], "--threads must be at least 1, found -1"),
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender", "--threshold", "0.3",
          "--threshold", "-2", "--threads", "-3"], "--threads must be at least 1, found -3"),
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender", "--threshold", "-0.5x"],
         "--threshold expects a finite number such as 0.3, found '-0.5x'"),
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender", "--top-k", "-10%"],
         "-10%"),
        // The server's timers take whole milliseconds: an infinite or huge timeout trapped.
        (["serve", "--profile", "fixtures/profiles/leads-explanations.yaml", "--idle-timeout", "inf"],
         "--idle-timeout must be above 0 and at most 86400 seconds, found inf"),
        (["serve", "--profile", "fixtures/profiles/leads-explanations.yaml", "--request-timeout", "1e300"],
         "--request-timeout must be above 0 and at most 86400 seconds, found 1e+300"),
        (["serve", "--profile", "fixtures/profiles/leads-explanations.yaml", "--rate", "1e-300"],
         "--rate must be 0 (no limit) or from 1/86400 to 1000000 requests a second, found 1e-300"),
        (["serve", "--profile", "fixtures/profiles/leads-explanations.yaml", "--burst", "-1"], "--burst must be at least 1, found -1"),
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender", "--threshold", "nan"],
         "--threshold expects a finite number such as 0.3, found 'nan'"),
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender", "--threshold", "-1e400"],
         "--threshold expects a finite number such as 0.3, found '-1e400'"),
        // Hex and a number below a double's range were read as 0.5 and 0.
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender", "--threshold", "0x1p-1"],
         "--threshold expects a finite number such as 0.3, found '0x1p-1'"),
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender", "--threshold", "1e-400"],
         "--threshold expects a finite number such as 0.3, found '1e-400'"),
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender", "--threshold", "0.5",
          "--rule", "disparate_impact >= 0x1"], "expected 'METRIC OP NUMBER'"),
        (["audit", "--profile", "fixtures/profiles/leads-predeployment.yaml", "--score-range", "0x0,1"], "--score-range expects LOW,HIGH"),
        // A value that is missing is still said to be.
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender", "--threshold"],
         "Missing value for '--threshold <threshold>'"),
        (["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "gender", "--threshold", "--top-k", "5"],
         "Missing value for '--threshold <threshold>'"),
        // A required option that is missing, with nothing mistyped, is still said to be missing.
        (["history", "verify"], "Missing expected argument '--history <history>'"),
        (["attributions", "--model", "m.json", "--out", "o.csv"], "Missing expected argument '--data <data>'"),
    ])
    func badInputExitsTwo(arguments: [String], message: String) throws {
        let result = try CLIProcess.run(arguments)
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }
}
