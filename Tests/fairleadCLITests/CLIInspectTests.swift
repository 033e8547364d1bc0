import Foundation
import Testing

@Suite struct CLIInspectTests {
    @Test func bundledLeadsAreDescribed() throws {
        let result = try CLIProcess.run(["inspect", "fixtures/leads/leads-sample.csv", "--threads", "2"])
        #expect(result.exitCode == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "fixtures/leads/leads-sample.csv: 5000 rows, 16 columns")
        #expect(lines.contains { $0.hasPrefix("gender") && $0.contains("categorical") && $0.contains(" 134  ") })
        #expect(lines.contains { $0.hasPrefix("converted") && $0.contains("boolean") && $0.contains("false 3873, true 1127") })
        #expect(lines.contains { $0.hasPrefix("web_visits") && $0.contains("numeric") && $0.hasSuffix(" 94") })
    }

    @Test func jsonOutputDecodes() throws {
        let result = try CLIProcess.run(["inspect", "fixtures/leads/leads-sample.csv", "--format", "json"])
        #expect(result.exitCode == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(object?["rows"] as? Int == 5000)
        #expect((object?["columns"] as? [Any])?.count == 16)
    }

    @Test func raggedRowExitsTwoWithTheLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ragged-\(UUID().uuidString).csv").path
        try "a,b\n1,2\n3\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLIProcess.run(["inspect", path])
        #expect(result.exitCode == 2)
        #expect(result.standardError.hasPrefix("fairlead: \(path):3"))
        #expect(result.standardOutput.isEmpty)
    }

    /// A column whose only value is `1` is a constant number, not a yes/no column; `0`
    /// and `1` both, or a word, make one boolean. A column with no value is said to be
    /// empty, not typed by the reader's default.
    @Test func typesNeedValuesToDecideThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-types-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let values = folder.appendingPathComponent("values.csv").path
        try "ones,flag,word,none\n1,0,true,NA\n1,1,true,\n".write(toFile: values, atomically: true, encoding: .utf8)
        let headerOnly = folder.appendingPathComponent("header-only.csv").path
        try "a,b\n".write(toFile: headerOnly, atomically: true, encoding: .utf8)

        let result = try CLIProcess.run(["inspect", values, "--format", "json"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let columns = (object?["columns"] as? [[String: Any]]) ?? []
        #expect(columns.map { $0["type"] as? String } == ["numeric", "boolean", "boolean", "empty"])

        let text = try CLIProcess.run(["inspect", values])
        let lines = text.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("ones") && $0.contains("numeric") && !$0.contains("true") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("none") && $0.contains("empty") && $0.hasSuffix("no values (every one missing)") }, "\(lines)")

        let empty = try CLIProcess.run(["inspect", headerOnly])
        #expect(empty.exitCode == 0, "\(empty.standardError)")
        let emptyLines = empty.standardOutput.split(separator: "\n").map(String.init)
        #expect(emptyLines.first == "\(headerOnly): 0 rows, 2 columns")
        for name in ["a", "b"] {
            #expect(emptyLines.contains { $0.hasPrefix(name + " ") && $0.contains("empty") && $0.hasSuffix("no values (the file has no rows)") },
                    "\(emptyLines)")
        }
        #expect(!empty.standardOutput.contains("numeric"))
    }

    @Test func missingFileExitsTwo() throws {
        let result = try CLIProcess.run(["inspect", "no-such-file.csv"])
        #expect(result.exitCode == 2)
        #expect(result.standardError == "fairlead: no-such-file.csv: cannot read the file: No such file or directory\n")
    }
}
