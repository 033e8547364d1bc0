import Foundation
import Testing

/// The notes on a score or prediction column that is the label are the same from the rows
/// and from their statistics (`--from-stats` said nothing), and absent when one row differs.
@Suite struct CLIOutcomeCopyNoteTests {
    static func notes(_ csv: String) throws -> (rows: [String], statistics: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try csv.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        try """
            name: copy
            data: {path: d.csv, score: s, label: y, score_range: [0, 1]}
            decisions: [{threshold: 0.5}, {prediction: p}]
            sensitive: [g]
            rules: [disparate_impact >= 0.8]
            settings: {bootstrap: 0}
            """.write(to: folder.appendingPathComponent("copy.yaml"), atomically: true, encoding: .utf8)
        func notes(_ arguments: [String]) throws -> [String] {
            let result = try CLIProcess.run(["audit", "--profile", "copy.yaml", "--format", "json"] + arguments, directory: folder)
            #expect(result.exitCode <= 1, "\(result.standardError)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            return (report["notes"] as? [String] ?? []).filter { $0.contains("equals the label column") }
        }
        let stats = try CLIProcess.run(["stats", "--profile", "copy.yaml", "--out", "part.json"], directory: folder)
        #expect(stats.exitCode == 0, "\(stats.standardError)")
        return (try notes([]), try notes(["--from-stats", "part.json"]))
    }

    @Test func theNotesAreTheSameFromTheRowsAndTheirStatistics() throws {
        // Row 0 is a positive of group a, row 1 a negative of group b; `first` and `second`
        // are their score and prediction.
        func csv(first: String = "1,1,1", second: String = "0,0,0") -> String {
            var text = "s,y,p,g\n"
            for row in 0..<300 {
                let positive = row % 3 == 0
                let values = row == 0 ? first : row == 1 ? second : positive ? "1,1,1" : "0,0,0"
                text += "\(values),\(row % 2 == 0 ? "a" : "b")\n"
            }
            return text + "0.4,,1,a\n"  // no label: not compared
        }
        let copied = try Self.notes(csv())
        #expect(copied.rows == [
            "the score column s equals the label column y on every labelled row (300): scores that are the outcomes make every separation and calibration metric perfect; is data.score the label?",
            "the prediction column p equals the label column y on every labelled row (300): a decision that is the outcome makes every error rate (TPR, FPR, precision) perfect in every group; is it the decision made?",
        ])
        #expect(copied.statistics == copied.rows)
        // One positive scored 0.99, one negative predicted 1: neither is the label.
        let differing = try Self.notes(csv(first: "0.99,1,1", second: "0,0,1"))
        #expect(differing.rows.isEmpty && differing.statistics.isEmpty, "\(differing)")
    }
}
