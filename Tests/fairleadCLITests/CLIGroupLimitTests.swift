import Foundation
import Testing

/// `limits.max_groups` / `--max-groups`: an attribute or intersection with more groups
/// than the limit is refused before any metric, naming the data file, the column and how
/// to raise it; raised, the audit runs and reports every group.
@Suite struct CLIGroupLimitTests {
    /// Rows with `levels` regions and 12 channels, every region with rows of both labels.
    private static func folder(levels: Int) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-cli-groups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var csv = "score,converted,region,channel\n"
        for row in 0..<(levels * 4) {
            let score = Double((row * 7919) % 1000) / 1000
            csv += "\(score),\(row % 2),r\(row % levels),c\(row % 12)\n"
        }
        try csv.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        return folder
    }

    private static func profile(in folder: URL, sensitive: [String], intersections: Bool = false,
                                limit: Int? = nil) throws -> String {
        var text = "name: many\ndata:\n  path: d.csv\n  score: score\n  label: converted\n  score_range: [0, 1]\n"
        text += "decisions:\n  - threshold: 0.5\nsensitive:\n" + sensitive.map { "  - \($0)\n" }.joined()
        if intersections { text += "intersections:\n  - [\(sensitive.joined(separator: ", "))]\n" }
        text += "settings:\n  bootstrap: 0\n"
        if let limit { text += "limits:\n  max_groups: \(limit)\n" }
        let path = folder.appendingPathComponent("p-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private static func groupCount(_ json: String, attribute: String) throws -> Int? {
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let decision = (report?["decisions"] as? [String: Any])?["threshold_0.5"] as? [String: Any]
        let section = (decision?["attributes"] as? [String: Any])?[attribute] as? [String: Any]
        return (section?["groups"] as? [String: Any])?.count
    }

    @Test func anAttributeAboveTheLimitIsRefusedWithWhereAndHow() throws {
        let folder = try Self.folder(levels: 120)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.profile(in: folder, sensitive: ["region"])
        let refused = try CLIProcess.run(["audit", "--profile", profile, "--max-groups", "100"])
        #expect(refused.exitCode == 2)
        let message = refused.standardError
        #expect(message.contains("d.csv"), "\(message)")
        #expect(message.contains("region has 120 groups, more than the max_groups limit of 100"), "\(message)")
        #expect(message.contains("raise it with --max-groups N or limits.max_groups in the profile"), "\(message)")

        // Raised by the flag: every group is reported (above 64 groups, the queue's sparse pass).
        let raised = try CLIProcess.run(["audit", "--profile", profile, "--max-groups", "120", "--format", "json"])
        #expect(raised.exitCode <= 1, "\(raised.standardError)")
        #expect(try Self.groupCount(raised.standardOutput, attribute: "region") == 120)
    }

    @Test func theProfileKeySetsTheLimitAndTheFlagOverridesIt() throws {
        let folder = try Self.folder(levels: 120)
        defer { try? FileManager.default.removeItem(at: folder) }
        let low = try Self.profile(in: folder, sensitive: ["region"], limit: 100)
        let refused = try CLIProcess.run(["audit", "--profile", low])
        #expect(refused.exitCode == 2 && refused.standardError.contains("max_groups limit of 100"), "\(refused.standardError)")
        let overridden = try CLIProcess.run(["audit", "--profile", low, "--max-groups", "500"])
        #expect(overridden.exitCode <= 1, "\(overridden.standardError)")
        let high = try Self.profile(in: folder, sensitive: ["region"], limit: 500)
        #expect(try CLIProcess.run(["audit", "--profile", high]).exitCode <= 1)
    }

    @Test func anIntersectionCountsEveryCombination() throws {
        let folder = try Self.folder(levels: 12)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.profile(in: folder, sensitive: ["region", "channel"], intersections: true)
        let refused = try CLIProcess.run(["audit", "--profile", profile, "--max-groups", "100"])
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.contains("the intersection of region & channel has 144 groups (12 × 12 levels), more than the max_groups limit of 100"),
                "\(refused.standardError)")
        #expect(try CLIProcess.run(["audit", "--profile", profile, "--max-groups", "144"]).exitCode <= 1)
    }

    /// The default is 10,000: an identifier given as a sensitive attribute stops the audit.
    @Test func theDefaultStopsAnIdentifierColumn() throws {
        let folder = try Self.folder(levels: 1)
        defer { try? FileManager.default.removeItem(at: folder) }
        // 10,004 rows, each its own "region": an id column.
        var csv = "score,converted,region,channel\n"
        for row in 0..<10_004 { csv += "\(Double(row % 997) / 997),\(row % 2),id\(row),c\(row % 12)\n" }
        try csv.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let profile = try Self.profile(in: folder, sensitive: ["region"])
        let refused = try CLIProcess.run(["audit", "--profile", profile])
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.contains("region has 10004 groups, more than the max_groups limit of 10000"), "\(refused.standardError)")
    }

    /// Statistics parts are judged by the limit of the audit that merges them.
    @Test func partsAreJudgedByTheMergingAuditsLimit() throws {
        let folder = try Self.folder(levels: 120)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.profile(in: folder, sensitive: ["region"])
        let part = folder.appendingPathComponent("part.json").path
        let stats = try CLIProcess.run(["stats", "--profile", profile, "--out", part, "--max-groups", "200"])
        #expect(stats.exitCode == 0, "\(stats.standardError)")
        let refused = try CLIProcess.run(["audit", "--profile", profile, "--from-stats", part, "--max-groups", "100"])
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.contains("region has 120 groups, more than the max_groups limit of 100"), "\(refused.standardError)")
        let merged = try CLIProcess.run(["audit", "--profile", profile, "--from-stats", part, "--max-groups", "200", "--format", "json"])
        #expect(merged.exitCode <= 1, "\(merged.standardError)")
        #expect(try Self.groupCount(merged.standardOutput, attribute: "region") == 120)
    }
}
