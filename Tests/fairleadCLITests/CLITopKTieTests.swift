import Foundation
import Testing

/// A top-k cut through tied scores takes some of the tied rows in row order: the verdict
/// of a rule on that decision would follow the file's row order, not the scores. The
/// report says so and the rules are insufficient evidence, whatever the order.
@Suite struct CLITopKTieTests {
    /// 200 rows: 10 at 0.9, 190 tied at 0.5; group a is rows 100–199 (so row order puts
    /// every tied a row after every tied b row), labels alternate.
    static func rows(sortedByGroup: Bool) -> String {
        var rows = (0..<200).map { index in
            "\(index),\(index < 10 ? "0.9" : "0.5"),\(index % 2),\(index < 100 ? "b" : "a")"
        }
        if sortedByGroup { rows.sort { $0.split(separator: ",")[3] < $1.split(separator: ",")[3] } }
        return "id,score,label,g\n" + rows.joined(separator: "\n") + "\n"
    }

    @Test func theVerdictDoesNotFollowTheRowOrder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-ties-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var outputs: [(Int32, String, [String: Any])] = []
        for sorted in [false, true] {
            let path = folder.appendingPathComponent(sorted ? "sorted.csv" : "ties.csv").path
            try Self.rows(sortedByGroup: sorted).write(toFile: path, atomically: true, encoding: .utf8)
            let arguments = ["audit", "--data", path, "--score", "score", "--label", "label", "--sensitive", "g",
                             "--reference", "g=b", "--top-k", "20", "--rule", "disparate_impact>=0.8"]
            let text = try CLIProcess.run(arguments)
            let json = try CLIProcess.run(arguments + ["--format", "json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
            outputs.append((text.exitCode, CLIProcess.unwrapped(text.standardOutput), report))
        }
        // The old verdicts: FAIL (a got none of the 10 tied places) and PASS (a got them all).
        for (exitCode, text, report) in outputs {
            #expect(exitCode == 0, "\(text.prefix(400))")
            #expect(text.hasPrefix("INSUFFICIENT EVIDENCE"), "\(text.prefix(400))")
            #expect(text.contains("Note: the top k cuts through 190 rows tied at score 0.5: 10 of them were taken in row order"), "\(text)")
            let decision = (report["decisions"] as? [String: Any])?["top_20"] as? [String: Any]
            let tie = decision?["tie_at_cutoff"] as? [String: Any]
            #expect(tie?["score"] as? Double == 0.5 && tie?["tied"] as? Int == 190 && tie?["selected"] as? Int == 10, "\(String(describing: tie))")
            let findings = report["findings"] as? [[String: Any]] ?? []
            #expect(!findings.isEmpty && findings.allSatisfy { $0["undecided_cause"] as? String == "tied_at_cutoff" }, "\(findings)")
        }
    }

    /// A cut between two scores, or one that takes every tied row, says nothing.
    @Test func aCutBetweenScoresIsNoTie() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-ties-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ties.csv").path
        try Self.rows(sortedByGroup: false).write(toFile: path, atomically: true, encoding: .utf8)
        let json = try CLIProcess.run(["audit", "--data", path, "--score", "score", "--label", "label", "--sensitive", "g",
                                       "--reference", "g=b", "--top-k", "10", "--rule", "disparate_impact>=0.8", "--format", "json"])
        #expect(json.exitCode == 1, "\(json.standardError)")
        #expect(!json.standardOutput.contains("tie_at_cutoff"))
        #expect(!json.standardOutput.contains("tied_at_cutoff"))
    }
}
