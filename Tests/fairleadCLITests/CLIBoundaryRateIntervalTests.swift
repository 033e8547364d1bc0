import Foundation
import Testing

/// A group whose rate sits at 0 or 1 (none of its rows selected, or all of them) has that
/// rate in every bootstrap replicate: its percentile interval says nothing of it. The
/// intervals of comparisons with the reference, and the verdicts resting on them, are
/// widened to what the group's counts support, so fair data with one lead selected is
/// undecided, not failed; data whose counts do decide still fail or pass.
@Suite struct CLIBoundaryRateIntervalTests {
    /// 100 leads, f rows 0–57 and m rows 58–99, every score under 0.99 but row 0's (f,
    /// 0.995, converted): a threshold of 0.99 or the top 1 selects 1 of 58 in f, 0 of 42 in m.
    static let oneSelected: String = {
        let rows = (0..<100).map { index in
            let score = index == 0 ? 0.995 : Double((index * 37) % 97 + 1) / 100
            return "\(index),\(score),\(index < 58 ? "f" : "m"),\((index + 1) % 2)"
        }
        return "id,score,gender,converted\n" + rows.joined(separator: "\n") + "\n"
    }()

    /// The same leads with 40 of 58 in f and `mSelected` of 42 in m scored 0.9, the others 0.1.
    static func split(mSelected: Int) -> String {
        let rows = (0..<100).map { index in
            let selected = index < 58 ? index < 40 : index - 58 < mSelected
            return "\(index),\(selected ? 0.9 : 0.1),\(index < 58 ? "f" : "m"),\((index + 1) % 2)"
        }
        return "id,score,gender,converted\n" + rows.joined(separator: "\n") + "\n"
    }

    /// The audit of `csv` under one decision and `rules`, as text and as JSON.
    static func audit(_ csv: String, decision: String, rules: [String], verdict: String = "interval")
        throws -> (exitCode: Int32, text: String, report: [String: Any]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-boundary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("s100.csv").path
        let profile = folder.appendingPathComponent("v.yaml").path
        try csv.write(toFile: data, atomically: true, encoding: .utf8)
        try """
            name: v
            data: {path: \(data), score: score, label: converted, score_range: [0, 1]}
            sensitive: [gender]
            rules: [\(rules.joined(separator: ", "))]
            decisions: [{\(decision)}]
            settings: {verdict: \(verdict), min_group_size: 20}
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let text = try CLIProcess.run(["audit", "--profile", profile, "--verbose"])
        let json = try CLIProcess.run(["audit", "--profile", profile, "--format", "json"])
        #expect(json.exitCode == text.exitCode, "\(json.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        return (text.exitCode, CLIProcess.unwrapped(text.standardOutput), report)
    }

    static func findings(_ report: [String: Any]) -> [String: [String: Any]] {
        let list = report["findings"] as? [[String: Any]] ?? []
        return Dictionary(list.map { (($0["rule"] as? String ?? "") + "/" + ($0["group"] as? String ?? "-"), $0) },
                          uniquingKeysWith: { first, _ in first })
    }

    /// Was FAIL on interval [0, 0] (disparate impact) and PASS on [−0.05, 0] (average odds,
    /// m's true positive rate 0 of 21 held at 0), under a threshold and under a top k.
    @Test(arguments: ["threshold: 0.99", "top_k: 1"])
    func oneSelectedLeadIsUndecided(decision: String) throws {
        let rules = ["disparate_impact >= 0.8", "average_odds_difference >= -0.1", "statistical_parity_difference >= -0.07"]
        let (exitCode, text, report) = try Self.audit(Self.oneSelected, decision: decision, rules: rules)
        #expect(exitCode == 0, "\(text.prefix(600))")
        #expect(text.hasPrefix("INSUFFICIENT EVIDENCE"), "\(text.prefix(600))")
        #expect(report["status"] as? String == "insufficient_evidence")
        let findings = Self.findings(report)
        for rule in rules {
            let finding = try #require(findings[rule + "/m"], "\(findings.keys.sorted())")
            #expect(finding["verdict"] as? String == "insufficient_evidence", "\(rule): \(finding)")
            #expect(finding["undecided_cause"] as? String == "interval_straddles", "\(rule): \(finding)")
            // Neither the interval shown nor the one judged is narrower than m's 0 of 42 allows.
            let shown = try #require(finding["interval"] as? [Double], "\(rule): \(finding)")
            let judged = try #require(finding["verdict_interval"] as? [Double], "\(rule): \(finding)")
            #expect(shown[1] - shown[0] > 0.05 && judged[1] - judged[0] >= shown[1] - shown[0], "\(rule): \(shown) \(judged)")
        }
        // Disparate impact of m: 0 ÷ (1/58), its upper end at least m's Wilson upper bound over f's rate.
        let impact = try #require(findings["disparate_impact >= 0.8/m"]?["interval"] as? [Double])
        #expect(impact[0] == 0 && impact[1] > 0.8, "\(impact)")
        let reason = findings["disparate_impact >= 0.8/m"]?["reason"] as? String ?? ""
        #expect(reason.hasSuffix("straddles 0.8; 'm' has selection_rate 0 of 42, a rate the bootstrap cannot vary, so the interval "
                                 + "is its counts' Wilson interval; more rows there would decide it"), "\(reason)")
        #expect(!text.contains("0.000–0.000"), "\(text)")
        if decision.hasPrefix("threshold") { try Self.decidingCountsStillDecide() }
    }

    /// The interval shown beside a point verdict is no point either, in every comparison
    /// with the reference of a rate; the point verdict itself is as before.
    @Test func thePointVerdictShowsAnHonestInterval() throws {
        let (exitCode, _, report) = try Self.audit(Self.oneSelected, decision: "threshold: 0.99",
                                                   rules: ["disparate_impact >= 0.8"], verdict: "point")
        #expect(exitCode == 1)
        let finding = try #require(Self.findings(report)["disparate_impact >= 0.8/m"])
        #expect(finding["verdict"] as? String == "fail" && finding["value"] as? Double == 0, "\(finding)")
        let shown = try #require(finding["interval"] as? [Double])
        #expect(shown[0] == 0 && shown[1] > 0.8, "\(shown)")
        let attribute = (((report["decisions"] as? [String: Any])?["threshold_0.99"] as? [String: Any])?["attributes"]
            as? [String: Any])?["gender"] as? [String: Any]
        let disparities = try #require(attribute?["disparities"] as? [String: Any], "\(String(describing: attribute))")
        for (rate, key) in [("selection_rate", "ratio_to_reference"), ("selection_rate", "difference_to_reference"),
                            ("true_positive_rate", "difference_to_reference"), ("false_positive_rate", "difference_to_reference")] {
            let estimate = ((disparities[rate] as? [String: Any])?[key] as? [String: Any])?["m"] as? [String: Any]
            let interval = try #require(estimate?["interval"] as? [Double], "\(rate) \(key): \(String(describing: estimate))")
            #expect(interval[1] - interval[0] > 0.05, "\(rate) \(key): \(interval)")
        }
        // Between groups too: 0 of 42 ÷ 1 of 58 was shown with [0, 0].
        for name in ["demographic_parity_ratio", "equal_opportunity_ratio"] {
            let estimate = (attribute?["fairness"] as? [String: Any])?[name] as? [String: Any]
            let interval = try #require(estimate?["interval"] as? [Double], "\(name): \(String(describing: estimate))")
            #expect(interval[0] == 0 && interval[1] > 0.8, "\(name): \(interval)")
        }
    }

    /// Counts that decide still decide (with the threshold's case above): 40 of 58 against 0 of 42 fails (m's rate at 0, but
    /// its Wilson bound far under the four-fifths of f's), and 40 of 58 against 20 of 42,
    /// no rate at 0 or 1, gives the bootstrap's verdicts as before.
    static func decidingCountsStillDecide() throws {
        let none = try Self.audit(Self.split(mSelected: 0), decision: "threshold: 0.5", rules: ["disparate_impact >= 0.8"])
        #expect(none.exitCode == 1, "\(none.text.prefix(600))")
        #expect(Self.findings(none.report)["disparate_impact >= 0.8/m"]?["verdict"] as? String == "fail")
        let fails = try Self.audit(Self.split(mSelected: 10), decision: "threshold: 0.5", rules: ["disparate_impact >= 0.8"])
        #expect(fails.exitCode == 1, "\(fails.text.prefix(600))")
        let passes = try Self.audit(Self.split(mSelected: 25), decision: "threshold: 0.5", rules: ["disparate_impact >= 0.3"])
        #expect(passes.exitCode == 0 && passes.report["status"] as? String == "pass", "\(passes.text.prefix(600))")
    }
}
