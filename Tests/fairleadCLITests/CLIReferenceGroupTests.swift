import Foundation
import Testing

/// The default reference, the largest group, is a group of known members: the group
/// `unknown` of rows whose attribute is missing — the most rows here — would judge the
/// one known group against rows that could be anyone's. Every place that picks it agrees:
/// the decisions, the lead queue, and an audit completed from statistics parts.
@Suite struct CLIReferenceGroupTests {
    /// 200 rows: grp empty, NA or a in turn (134 of unknown membership, 66 in a), and
    /// 30 rows of b from row 200 on when `withB`.
    static func rows(withB: Bool = false) -> String {
        var lines = ["id,grp,score,y"]
        for index in 0..<200 {
            let group = ["", "NA", "a"][index % 3]
            lines.append("\(index),\(group),\(Double((index * 37) % 100) / 100),\((index * 7) % 3 == 0 ? 1 : 0)")
        }
        if withB {
            for index in 200..<230 { lines.append("\(index),b,\(Double((index * 37) % 100) / 100),\(index % 2)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func json(_ result: CLIProcess.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any],
                     "\(result.standardError)")
    }

    static func reference(_ report: [String: Any], decision: String = "threshold_0.5") -> String? {
        let decisions = report["decisions"] as? [String: Any]
        let attributes = (decisions?[decision] as? [String: Any])?["attributes"] as? [String: Any]
        return (attributes?["grp"] as? [String: Any])?["reference_group"] as? String
    }

    @Test(arguments: [false, true])
    func theLargestKnownGroupIsTheReference(withB: Bool) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("leads.csv").path
        try Self.rows(withB: withB).write(toFile: data, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["audit", "--data", data, "--score", "score", "--label", "y", "--sensitive", "grp",
                                         "--threshold", "0.5", "--rule", "disparate_impact>=0.8", "--format", "json"])
        let report = try Self.json(result)
        let groups = ((((report["decisions"] as? [String: Any])?["threshold_0.5"] as? [String: Any])?["attributes"] as? [String: Any])?["grp"] as? [String: Any])?["groups"] as? [String: Any]
        #expect((groups?["unknown"] as? [String: Any])?["count"] as? Int == 134)
        #expect(Self.reference(report) == "a")
        let queue = (report["queue"] as? [String: Any])?["grp"] as? [String: Any]
        #expect(queue?["reference_group"] as? String == "a", "\(String(describing: queue?["reference_group"]))")
        let text = try CLIProcess.run(["audit", "--data", data, "--score", "score", "--label", "y", "--sensitive", "grp",
                                       "--threshold", "0.5", "--rule", "disparate_impact>=0.8"])
        #expect(CLIProcess.unwrapped(text.standardOutput).contains("grp, reference a"), "\(text.standardOutput.prefix(600))")
    }

    /// Only rows of unknown membership: they are the reference, as the only group.
    @Test func unknownIsTheReferenceWhenNoKnownGroupHasRows() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("leads.csv").path
        let lines = ["id,grp,score,y"] + (0..<50).map { "\($0),NA,\(Double($0) / 50),\($0 % 2)" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["audit", "--data", data, "--score", "score", "--label", "y", "--sensitive", "grp",
                                         "--threshold", "0.5", "--format", "json"])
        #expect(Self.reference(try Self.json(result)) == "unknown")
    }

    /// Completed from statistics parts (decisions, and the queue from the score grid).
    @Test func anAuditFromStatisticsPicksTheSameReference() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("leads.csv").path
        try Self.rows().write(toFile: data, atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("p.yaml").path
        try """
            name: reference
            data: {path: leads.csv, score: score, label: y, score_range: [0, 1]}
            sensitive: [grp]
            decisions: [{threshold: 0.5}]
            rules: [disparate_impact >= 0.8]
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let part = folder.appendingPathComponent("part.stats.json").path
        let made = try CLIProcess.run(["stats", "--profile", profile, "--out", part])
        #expect(made.exitCode == 0, "\(made.standardError)")
        let report = try Self.json(try CLIProcess.run(["audit", "--profile", profile, "--from-stats", part, "--format", "json"]))
        #expect(Self.reference(report) == "a")
        if let queue = (report["queue"] as? [String: Any])?["grp"] as? [String: Any] {
            #expect(queue["reference_group"] as? String == "a")
        }
    }
}
