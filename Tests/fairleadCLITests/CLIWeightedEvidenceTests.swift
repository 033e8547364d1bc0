import Foundation
import Testing

/// A group's evidence is its effective number of rows when weighted: a group whose weight
/// sits on one row is one row's evidence however many rows it lists, and a rule on it is
/// insufficient evidence, not a pass.
@Suite struct CLIWeightedEvidenceTests {
    /// 100 rows of group A (weight 1) and 100 of group B, whose weights are `weightOfB(i)`
    /// for its i-th row; B's first row has score 0.9.
    private static func folder(weightOfB: (Int) -> String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-cli-weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var csv = "id,score,y,g,w\n"
        for row in 0..<200 {
            let inB = row >= 100
            let score = inB && row == 100 ? 0.9 : Double((row * 7919) % 1000) / 1000
            csv += "\(row),\(score),\(row % 3 == 0 ? 1 : 0),\(inB ? "B" : "A"),\(inB ? weightOfB(row - 100) : "1")\n"
        }
        try csv.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let profile = """
            name: weights
            data: {path: d.csv, score: score, label: y, weight: w, score_range: [0, 1]}
            decisions: [{threshold: 0.5}]
            sensitive: [{column: g, reference: A}]
            rules: [disparate_impact >= 0.8, equal_opportunity_difference <= 0.5]
            settings: {min_group_size: 30, bootstrap: 0}
            """
        try profile.write(to: folder.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    private static func findings(_ json: String) throws -> [[String: Any]] {
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return report?["findings"] as? [[String: Any]] ?? []
    }

    @Test(arguments: ["zero", "huge"])
    func aGroupWhoseWeightSitsOnOneRowIsInsufficientEvidence(_ kind: String) throws {
        let folder = try Self.folder { $0 == 0 ? (kind == "zero" ? "1" : "1e50") : (kind == "zero" ? "0" : "1") }
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("p.yaml").path
        let result = try CLIProcess.run(["audit", "--profile", profile, "--format", "json"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(report?["status"] as? String == "insufficient_evidence", "\(result.standardOutput.prefix(400))")
        let disparateImpact = try Self.findings(result.standardOutput).first { $0["metric"] as? String == "disparate_impact" && $0["group"] as? String == "B" }
        #expect(disparateImpact?["verdict"] as? String == "insufficient_evidence")
        let reason = disparateImpact?["reason"] as? String ?? "\(disparateImpact ?? [:])"
        #expect(reason.contains("group 'B' has 1 effective rows by their weights (of 100 read: (Σw)²/Σw²), under the minimum of 30"), "\(reason)")
    }

    /// The report gives a weighted group's effective rows, and the drift check counts
    /// them: a change in a group whose weight sits on one row is not judged.
    @Test func driftCountsAGroupsEffectiveRows() throws {
        let folder = try Self.folder { $0 == 0 ? "1" : "0" }
        defer { try? FileManager.default.removeItem(at: folder) }
        let baseline = folder.appendingPathComponent("baseline.json").path
        let first = try CLIProcess.run(["audit", "--profile", folder.appendingPathComponent("p.yaml").path, "--format", "json",
                                        "--out", baseline])
        #expect(first.exitCode == 0, "\(first.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: baseline))) as? [String: Any]
        let attribute = ((report?["decisions"] as? [String: Any])?["threshold_0.5"] as? [String: Any]).flatMap {
            ($0["attributes"] as? [String: Any])?["g"] as? [String: Any]
        }
        let groups = attribute?["groups"] as? [String: [String: Any]]
        #expect(groups?["B"]?["effective_count"] as? Int == 1, "\(groups?["B"] ?? [:])")
        #expect(groups?["A"]?["effective_count"] == nil, "unweighted rows have no effective_count: \(groups?["A"] ?? [:])")
        // Every row of B selected now: its selection rate moves by far more than the tolerance.
        let data = folder.appendingPathComponent("d.csv")
        let lines = try String(contentsOf: data, encoding: .utf8).split(separator: "\n").map { line -> String in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return fields.count == 5 && fields[3] == "B" ? "\(fields[0]),0.99,\(fields[2]),B,\(fields[4])" : String(line)
        }
        try (lines.joined(separator: "\n") + "\n").write(to: data, atomically: true, encoding: .utf8)
        let watched = folder.appendingPathComponent("watched.yaml")
        try "extends: p.yaml\ndrift: {baseline: {pinned: baseline.json}, tolerance: 0.01}\n"
            .write(to: watched, atomically: true, encoding: .utf8)
        let second = try CLIProcess.run(["audit", "--profile", watched.path, "--format", "json"])
        #expect(second.exitCode <= 1, "\(second.standardError)")
        let drift = (try JSONSerialization.jsonObject(with: Data(second.standardOutput.utf8)) as? [String: Any])?["drift"] as? [String: Any]
        let findings = drift?["findings"] as? [[String: Any]] ?? []
        let b = findings.first { $0["group"] as? String == "B" && $0["kind"] as? String == "group_difference" }
        #expect(b?["verdict"] as? String == "insufficient_evidence", "\(b ?? [:])")
        #expect((b?["reason"] as? String ?? "").contains("group 'B' has 1 effective rows by their weights (1 in the baseline), under the minimum of 30"),
                "\(b ?? [:])")
    }

    /// Rows of one equal weight are as many rows of evidence as they are rows.
    @Test func equalWeightsCountEveryRow() throws {
        let folder = try Self.folder { _ in "2.5" }
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIProcess.run(["audit", "--profile", folder.appendingPathComponent("p.yaml").path, "--format", "json"])
        #expect(result.exitCode <= 1, "\(result.standardError)")
        let disparateImpact = try Self.findings(result.standardOutput).first { $0["metric"] as? String == "disparate_impact" && $0["group"] as? String == "B" }
        #expect(["pass", "fail"].contains(disparateImpact?["verdict"] as? String ?? ""), "\(disparateImpact ?? [:])")
    }
}
