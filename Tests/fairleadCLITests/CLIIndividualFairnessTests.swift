import Foundation
import Testing

/// `fairlead audit` on the individual-fairness path end to end: the profile
/// fixtures/profiles/individual-golden.yaml (400 synthetic leads, a logistic model that
/// reads gender, `consistency >= 0.9` and `counterfactual_flip_rate <= 0.01`) against
/// goldens computed without Fairlead — AIF360's consistency() and a recomputation of the
/// counterfactual in numpy (fixtures/mitigation/individual-audit.json, made by
/// fixtures/mitigation/make_individual_goldens.py) — in the JSON, the verdicts and exit
/// code, and every rendering (text, Markdown, HTML).
@Suite struct CLIIndividualFairnessTests {
    static let profile = "fixtures/profiles/individual-golden.yaml"

    struct Golden: Decodable {
        struct Check: Decodable {
            var leads: Int
            var flipped: Int
            var flip_rate: Double
            var flipped_by_group: [String: Int]
        }
        var decision: String
        var leads: Int
        var consistency: Double
        var neighbours: Int
        var counterfactual: [String: Check]
        var versions: [String: String]
    }

    static func golden() throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: CLIProcess.packageRoot
            .appendingPathComponent("fixtures/mitigation/individual-audit.json")))
    }

    /// "0.934" as the renderings print a value (3 decimals).
    static func printed(_ value: Double) -> String { String(format: "%.3f", value) }

    @Test func jsonHoldsAIF360sConsistencyAndTheRecomputedFlipRate() throws {
        let golden = try Self.golden()
        #expect(golden.versions["aif360"] != nil)
        let result = try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "json"])
        // The model reads gender and decides by it: the flip-rate rule fails, so exit 1.
        #expect(result.exitCode == 1, "\(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(report["status"] as? String == "fail")
        let section = try #require((report["individual_fairness"] as? [String: Any])?[golden.decision] as? [String: Any])
        let consistency = try #require((section["consistency"] as? [String: Any])?["value"] as? Double)
        #expect(abs(consistency - golden.consistency) <= 1e-12, "\(consistency) vs AIF360 \(golden.consistency)")
        #expect(section["neighbours"] as? Int == golden.neighbours)
        #expect(section["leads"] as? Int == golden.leads)
        let checks = try #require(section["counterfactual"] as? [String: Any])
        #expect(Set(checks.keys) == Set(golden.counterfactual.keys))
        for (key, expected) in golden.counterfactual {
            let check = try #require(checks[key] as? [String: Any])
            #expect(check["leads"] as? Int == expected.leads)
            #expect(check["flipped"] as? Int == expected.flipped)
            let rate = try #require((check["flip_rate"] as? [String: Any])?["value"] as? Double)
            #expect(abs(rate - expected.flip_rate) <= 1e-15)
            #expect(check["flipped_by_group"] as? [String: Int] == expected.flipped_by_group)
        }
        let findings = try #require(report["findings"] as? [[String: Any]])
        let consistencyFinding = try #require(findings.first { $0["metric"] as? String == "consistency" })
        #expect(consistencyFinding["verdict"] as? String == (golden.consistency >= 0.9 ? "pass" : "fail"))
        #expect(abs((consistencyFinding["value"] as? Double ?? .nan) - golden.consistency) <= 1e-12)
        let flipFinding = try #require(findings.first { $0["metric"] as? String == "counterfactual_flip_rate" })
        #expect(flipFinding["attribute"] as? String == "gender")
        #expect(flipFinding["verdict"] as? String == "fail")
        #expect(golden.counterfactual["gender"].map { $0.flip_rate > 0.01 } == true)
    }

    @Test(arguments: ["text", "markdown", "html"])
    func everyRenderingShowsTheSection(format: String) throws {
        let golden = try Self.golden()
        let check = try #require(golden.counterfactual["gender"])
        let result = try CLIProcess.run(["audit", "--profile", Self.profile, "--format", format, "--verbose"].filter {
            format == "text" || $0 != "--verbose"
        })
        #expect(result.exitCode == 1, "\(result.standardError)")
        let output = format == "text" ? CLIProcess.unwrapped(result.standardOutput) : result.standardOutput
        #expect(output.contains(Self.printed(golden.consistency)))
        #expect(output.contains(Self.printed(check.flip_rate)))
        switch format {
        case "text":
            #expect(output.contains("Individual fairness: are leads that look alike to the model decided alike?"))
            #expect(output.contains("Decision \(golden.decision): consistency \(Self.printed(golden.consistency)) over the 5 nearest"))
            #expect(output.contains("counterfactual_flip_rate <= 0.01: 1 failed, 0 passed"))
            for line in result.standardOutput.split(separator: "\n") {
                #expect(line.count <= 100, "\(line)")
            }
        case "markdown":
            #expect(output.contains("## Individual fairness"))
            #expect(output.contains("### Decision `\(golden.decision)`"))
            #expect(output.contains("over the \(golden.neighbours) nearest of \(golden.leads) leads"))
        default:
            #expect(output.contains("<h2 id=\"individual-fairness\">Individual fairness</h2>"))
            #expect(output.contains("href=\"#individual-fairness\""))
            #expect(output.contains("How alike the decision treats leads that look alike to the model"))
            #expect(output.contains(">\(check.flipped)<"))
            #expect(output.contains("FAIL counterfactual_flip_rate &lt;= 0.01"))
        }
    }
}

/// A published view carries no individual-fairness section: its per-group flip counts are
/// cells the suppression model does not cover, and the noisy release does not include it.
@Suite struct CLIIndividualFairnessPublishedTests {
    @Test(arguments: ["", "epsilon"])
    func publishedViewsWithholdTheSection(_ mode: String) throws {
        var arguments = ["audit", "--profile", "fixtures/profiles/individual-golden.yaml", "--publish", "--format", "json"]
        var cleanup: URL?
        if mode == "epsilon" {
            // The same profile with a differential privacy policy (and its groups declared), in a folder of its own.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-if-dp-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            cleanup = folder
            let root = CLIProcess.packageRoot.appendingPathComponent("fixtures")
            let text = try String(contentsOf: root.appendingPathComponent("profiles/individual-golden.yaml"), encoding: .utf8)
                .replacingOccurrences(of: "../mitigation/", with: root.appendingPathComponent("mitigation").path + "/")
                .replacingOccurrences(of: "    reference: male\n", with: "    reference: male\n    values: [female, male]\n")
                + "privacy:\n  epsilon: 1\n  budget: 5\n"
            let path = folder.appendingPathComponent("dp.yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            arguments = ["audit", "--profile", path, "--publish", "--noise-seed", "7", "--format", "json",
                         "--allow-profile-dir", root.path, "--history", folder.appendingPathComponent("h.sqlite").path]
        }
        defer { if let cleanup { try? FileManager.default.removeItem(at: cleanup) } }
        let result = try CLIProcess.run(arguments)
        #expect(result.exitCode == 1, "\(result.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(json["individual_fairness"] == nil)
        let withheld = ((json["privacy"] as? [String: Any])?["withheld"] as? [[String: Any]]) ?? []
        #expect(withheld.contains { $0["path"] as? String == "individual_fairness" })
    }
}
