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

    @Test func missingFileExitsTwo() throws {
        let result = try CLIProcess.run(["inspect", "no-such-file.csv"])
        #expect(result.exitCode == 2)
        #expect(result.standardError == "fairlead: no-such-file.csv: cannot read the file: No such file or directory\n")
    }
}
