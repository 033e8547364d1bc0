import Foundation
import Testing

/// The lead-queue rules are judged on groups with enough evidence, as the decision
/// rules are: a group's effective rows when weighted, the rest's rows for a comparison
/// with the rest, and small groups set aside from a between-groups value, which can then
/// fail a rule but not pass it.
@Suite struct CLIQueueEvidenceTests {
    /// Groups of `sizes` rows; group i's scores separate its labels by `separations[i]`.
    /// `weight(group, row)` is each row's weight.
    private static func folder(sizes: [(name: String, rows: Int, separation: Double)], rules: [String],
                               extra: String = "", settings: String = "", positiveEvery: [String: Int] = [:],
                               weight: (String, Int) -> String = { _, _ in "1" }) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-queue-evidence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var csv = "score,y,g,w\n"
        for group in sizes {
            for row in 0..<group.rows {
                let label = row % (positiveEvery[group.name] ?? 2) == 1 || positiveEvery[group.name] == 1 ? 1 : 0
                let jitter = Double((row * 7919 + group.rows * 31) % 1000) / 1000 * (1 - group.separation)
                csv += "\(jitter + Double(label) * group.separation),\(label),\(group.name),\(weight(group.name, row))\n"
            }
        }
        try csv.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let profile = """
            name: queue-evidence
            data: {path: d.csv, score: score, label: y, weight: w, score_range: [0, 1]}
            decisions: [{threshold: 0.5}\(extra)]
            sensitive: [{column: g}]
            rules: [\(rules.joined(separator: ", "))]
            settings: {min_group_size: 30, bootstrap: 0\(settings)}
            \(extra.isEmpty ? "statistics: {score_grid: {bins: 1000}}" : "")
            """
        try profile.write(to: folder.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    private static func audit(_ folder: URL) throws -> [String: Any] {
        let result = try CLIProcess.run(["audit", "--profile", folder.appendingPathComponent("p.yaml").path, "--format", "json"])
        #expect(result.exitCode <= 1, "\(result.standardError)")
        return try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] ?? [:]
    }

    private static func findings(_ report: [String: Any], _ metric: String) -> [[String: Any]] {
        (report["findings"] as? [[String: Any]] ?? []).filter { $0["metric"] as? String == metric }
    }

    private static func groupValue(_ report: [String: Any], _ group: String, _ metric: String) -> Double? {
        let queue = (report["queue"] as? [String: Any])?["g"] as? [String: Any]
        return (((queue?["groups"] as? [String: Any])?[group] as? [String: Any])?[metric] as? [String: Any])?["value"] as? Double
    }

    /// Two large groups with nearly the same AUC pass `auc_difference <= 0.3` between
    /// them; a third of 5 rows cannot be judged, so the rule is not passed.
    @Test func aBetweenGroupsPassOverASmallGroupIsInsufficientEvidence() throws {
        let folder = try Self.folder(sizes: [("A", 100, 0.3), ("B", 100, 0.32), ("C", 5, 0.3)], rules: ["auc_difference <= 0.3"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try Self.audit(folder)
        let finding = Self.findings(report, "auc_difference").first
        #expect(finding?["verdict"] as? String == "insufficient_evidence", "\(finding ?? [:])")
        #expect((finding?["reason"] as? String ?? "").contains("groups 'C' are under the minimum of 30 rows"), "\(finding ?? [:])")
        #expect(report["status"] as? String == "insufficient_evidence")
    }

    /// With `settings.verdict: interval` the lead-queue values, which carry no interval,
    /// say so — per group, and between groups with a small group set aside — and the
    /// terminal summary names that cause, not an interval that "does not settle it".
    @Test func anIntervalVerdictSaysAQueueValueHasNoInterval() throws {
        let folder = try Self.folder(sizes: [("A", 100, 0.6), ("B", 100, 0.2), ("C", 5, 0.0)],
                                     rules: ["auc_difference <= 0.1", "auc >= 0.5"], settings: ", verdict: interval")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try Self.audit(folder)
        let difference = Self.findings(report, "auc_difference").first
        #expect(difference?["verdict"] as? String == "insufficient_evidence", "\(difference ?? [:])")
        let reason = difference?["reason"] as? String ?? ""
        #expect(reason.hasPrefix("groups 'C' are too small to judge, and ") && reason.contains(" among the others has no interval to judge")
                && reason.hasSuffix("settings.verdict: point would fail it"), "\(reason)")
        let a = Self.findings(report, "auc").first { $0["group"] as? String == "A" }
        #expect(a?["verdict"] as? String == "insufficient_evidence" && (a?["reason"] as? String ?? "").contains("has no interval to judge"),
                "\(a ?? [:])")
        let text = try CLIProcess.run(["audit", "--profile", folder.appendingPathComponent("p.yaml").path])
        #expect(text.standardOutput.contains("no interval to judge: g / A at queue") && !text.standardOutput.contains("not settled by the interval"),
                "\(text.standardOutput)")
    }

    /// Between two large groups far apart, the rule fails on them alone; the value it is
    /// judged on is theirs, without the small group.
    @Test func aBetweenGroupsFailAmongTheLargeGroupsFails() throws {
        let folder = try Self.folder(sizes: [("A", 100, 0.6), ("B", 100, 0.2), ("C", 5, 0.0)], rules: ["auc_difference <= 0.1"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try Self.audit(folder)
        let finding = Self.findings(report, "auc_difference").first
        #expect(finding?["verdict"] as? String == "fail", "\(finding ?? [:])")
        let a = try #require(Self.groupValue(report, "A", "auc")), b = try #require(Self.groupValue(report, "B", "auc"))
        let judged = try #require(finding?["judged_value"] as? Double)
        #expect(abs(judged - abs(a - b)) < 1e-12, "judged \(judged), |A − B| = \(abs(a - b))")
        let c = try #require(Self.groupValue(report, "C", "auc"))
        let value = try #require(finding?["value"] as? Double)
        #expect(c < b && abs(value - (a - c)) < 1e-12,
                "the value over every group has C, set aside, as the lowest: \(finding ?? [:]), C \(c)")
    }

    /// KS compares a group with the rest: a large group whose rest is 5 rows is not judged.
    @Test func aComparisonWithASmallRestIsInsufficientEvidence() throws {
        let folder = try Self.folder(sizes: [("A", 100, 0.3), ("C", 5, 0.3)], rules: ["ks_statistic <= 0.99"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try Self.audit(folder)
        let a = Self.findings(report, "ks_statistic").first { $0["group"] as? String == "A" }
        #expect(a?["verdict"] as? String == "insufficient_evidence", "\(a ?? [:])")
        #expect((a?["reason"] as? String ?? "").contains("compares 'A' with the other groups together, which have 5 rows, under the minimum of 30"),
                "\(a ?? [:])")
    }

    /// A group of 100 rows whose weight sits on one is one row's evidence for its AUC,
    /// from the rows and from statistics.
    @Test(arguments: [false, true])
    func aGroupWhoseWeightSitsOnOneRowIsNotJudged(fromStatistics: Bool) throws {
        let folder = try Self.folder(sizes: [("A", 100, 0.3), ("B", 100, 0.3)], rules: ["auc >= 0.5"]) { group, row in
            group == "B" && row > 0 ? "0" : "1"
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let report: [String: Any]
        if fromStatistics {
            let profile = folder.appendingPathComponent("p.yaml").path, part = folder.appendingPathComponent("part.json").path
            let made = try CLIProcess.run(["stats", "--profile", profile, "--out", part])
            #expect(made.exitCode == 0, "\(made.standardError)")
            let result = try CLIProcess.run(["audit", "--profile", profile, "--from-stats", part, "--format", "json"])
            #expect(result.exitCode <= 1, "\(result.standardError)")
            report = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] ?? [:]
        } else {
            report = try Self.audit(folder)
        }
        let b = Self.findings(report, "auc").first { $0["group"] as? String == "B" }
        #expect(b?["verdict"] as? String == "insufficient_evidence", "\(b ?? [:])")
        #expect((b?["reason"] as? String ?? "").contains("group 'B' has 1 effective rows by their weights (of 100 read: (Σw)²/Σw²)"),
                "\(b ?? [:])")
        let a = Self.findings(report, "auc").first { $0["group"] as? String == "A" }
        #expect(a?["verdict"] as? String == "pass", "\(a ?? [:])")
    }

    /// AUC rests on a group's positives and negatives, recall@k on its positives and
    /// precision@k on its rows in the top k, as the decision rules count a rate's
    /// denominator: 100 rows with 10 positives are not enough for them.
    @Test func perGroupValuesCountTheRowsTheyRestOn() throws {
        let folder = try Self.folder(sizes: [("A", 100, 0.3), ("B", 100, 0.3)],
                                     rules: ["auc >= 0.5", "recall_at_k >= 0.01", "precision_at_k >= 0.01", "skew_at_k >= -5"],
                                     extra: ", {top_k: 40}", positiveEvery: ["B": 10])
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try Self.audit(folder)
        func finding(_ metric: String, _ group: String) -> [String: Any]? {
            Self.findings(report, metric).first { $0["group"] as? String == group }
        }
        for metric in ["auc", "recall_at_k"] {
            #expect(finding(metric, "A")?["verdict"] as? String == "pass", "\(finding(metric, "A") ?? [:])")
            #expect(finding(metric, "B")?["verdict"] as? String == "insufficient_evidence", "\(finding(metric, "B") ?? [:])")
            #expect((finding(metric, "B")?["reason"] as? String ?? "").contains("group 'B' has 10 actual positives for \(metric), under the minimum of 30"),
                    "\(finding(metric, "B") ?? [:])")
        }
        // 40 leads in the top k: at least one group has fewer than 30 of them.
        let precision = ["A", "B"].compactMap { finding("precision_at_k", $0) }
        #expect(precision.contains { ($0["reason"] as? String ?? "").contains("rows in the top k for precision_at_k, under the minimum of 30") },
                "\(precision)")
        // Skew compares shares of the whole group: both groups' 100 rows decide it.
        #expect(["A", "B"].allSatisfy { finding("skew_at_k", $0)?["verdict"] as? String == "pass" })
    }

    /// The queue's default top 10% of 200 leads holds 20: precision@k has fewer than 30
    /// rows in any group, from the rows and from a score grid (its rows certainly in the
    /// top k).
    @Test(arguments: [false, true])
    func precisionAtKCountsTheRowsInTheTopK(fromStatistics: Bool) throws {
        let folder = try Self.folder(sizes: [("A", 100, 0.3), ("B", 100, 0.3)], rules: ["precision_at_k >= 0.01"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("p.yaml").path
        var arguments = ["audit", "--profile", profile, "--format", "json"]
        if fromStatistics {
            let part = folder.appendingPathComponent("part.json").path
            let made = try CLIProcess.run(["stats", "--profile", profile, "--out", part])
            #expect(made.exitCode == 0, "\(made.standardError)")
            arguments += ["--from-stats", part]
        }
        let result = try CLIProcess.run(arguments)
        #expect(result.exitCode <= 1, "\(result.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] ?? [:]
        let findings = Self.findings(report, "precision_at_k")
        #expect(findings.count == 2, "\(findings)")
        for finding in findings {
            #expect(finding["verdict"] as? String == "insufficient_evidence", "\(finding)")
            #expect((finding["reason"] as? String ?? "").contains("rows in the top k for precision_at_k, under the minimum of 30"), "\(finding)")
        }
    }

    /// NDKL weighs every group's share of the top k: with a small group it is not judged.
    @Test func ndklWithASmallGroupIsInsufficientEvidence() throws {
        let folder = try Self.folder(sizes: [("A", 100, 0.3), ("B", 100, 0.3), ("C", 5, 0.3)], rules: ["ndkl <= 5"],
                                     extra: ", {top_k: 20}")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try Self.audit(folder)
        let finding = Self.findings(report, "ndkl").first
        #expect(finding?["verdict"] as? String == "insufficient_evidence", "\(finding ?? [:])")
        #expect((finding?["reason"] as? String ?? "").contains("ndkl weighs every group's share of the top k"), "\(finding ?? [:])")
    }
}
