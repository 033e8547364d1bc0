import Foundation
import Testing

/// Every JSON the CLI writes escapes DEL, C1 controls and bidirectional characters as
/// `\uXXXX`, as the report's does (docs/security-escaping.md), and still decodes to the
/// original strings: a profile's name and a data file's header, through `validate`,
/// `stats`, `history show` and `history verify`.
@Suite("JSON outputs escape hidden characters")
struct CLIJSONEscapingTests {
    /// A profile name with a CSI and a column name with CSI, NEL, a right-to-left override and DEL.
    static let profileName = "n\u{9B}31m"
    static let column = "g\u{9B}2J\u{85}\u{202E}\u{7F}"

    /// The raw UTF-8 of the hidden characters, by name, that occur in `output`.
    static func rawHidden(_ output: String) -> [String] {
        let bytes = Array(output.utf8)
        let needles: [(String, [UInt8])] = [("DEL", [0x7F]), ("CSI", [0xC2, 0x9B]), ("NEL", [0xC2, 0x85]), ("RLO", [0xE2, 0x80, 0xAE])]
        return needles.compactMap { name, needle in
            (0...(max(0, bytes.count - needle.count))).contains { Array(bytes[$0..<min(bytes.count, $0 + needle.count)]) == needle } ? name : nil
        }
    }

    /// A folder with `data.csv` (100 rows, the hostile column holding `a` and `b`) and `profile.json`.
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-json-escaping-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var csv = "score,y,\"\(column)\"\n"
        for row in 0..<100 { csv += "\(Double((row * 37) % 100) / 100),\(row % 2),\(row % 3 == 0 ? "a" : "b")\n" }
        try csv.write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        // Written with `\u` escapes, as a YAML reader refuses these characters raw.
        let profile = #"{"name": "n\u009b31m", "data": {"path": "data.csv", "score": "score", "label": "y"}, "decisions": [{"threshold": 0.5}], "#
            + #""sensitive": ["g\u009b2J\u0085\u202e\u007f"], "rules": ["disparate_impact >= 0.8"], "settings": {"bootstrap": 0, "min_group_size": 1}}"#
        try profile.write(to: folder.appendingPathComponent("profile.json"), atomically: true, encoding: .utf8)
        return folder
    }

    static func object(_ output: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    @Test func validateJSON() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIProcess.run(["validate", "profile.json", "--format", "json"], directory: folder)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(Self.rawHidden(result.standardOutput).isEmpty, "\(Self.rawHidden(result.standardOutput))")
        #expect(result.standardOutput.contains("\\u009b31m"))
        let answer = try Self.object(result.standardOutput)
        #expect(answer["profile"] as? String == Self.profileName)
        #expect((answer["columns"] as? [String])?.contains(Self.column) == true)
    }

    @Test func statsPart() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIProcess.run(["stats", "--profile", "profile.json"], directory: folder)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(Self.rawHidden(result.standardOutput).isEmpty, "\(Self.rawHidden(result.standardOutput))")
        #expect(result.standardOutput.contains("\\u202e\\u007f"))
        // The escaped part reads back with the same names: an audit over it names the column.
        let merged = try CLIProcess.run(["stats", "--profile", "profile.json", "--out", "part.json"], directory: folder)
        #expect(merged.exitCode == 0, "\(merged.standardError)")
        let audit = try CLIProcess.run(["audit", "--profile", "profile.json", "--from-stats", "part.json", "--format", "json"], directory: folder)
        #expect([0, 1].contains(audit.exitCode), "\(audit.standardError)")
        let report = try Self.object(audit.standardOutput)
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(!findings.isEmpty)
        #expect(findings.allSatisfy { $0["attribute"] as? String == Self.column })
    }

    @Test func historyShowAndVerifyJSON() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let audit = try CLIProcess.run(["audit", "--profile", "profile.json", "--history", "h.sqlite", "--as-of", "2026-03-02"], directory: folder)
        #expect([0, 1].contains(audit.exitCode), "\(audit.standardError)")
        let show = try CLIProcess.run(["history", "show", "--history", "h.sqlite", "--metric", "selection_rate", "--format", "json"], directory: folder)
        #expect(show.exitCode == 0, "\(show.standardError)")
        #expect(Self.rawHidden(show.standardOutput).isEmpty, "\(Self.rawHidden(show.standardOutput))")
        let tables = try #require(try Self.object(show.standardOutput)["tables"] as? [[String: Any]])
        #expect(tables.first?["profile"] as? String == Self.profileName)
        #expect(tables.contains { ($0["columns"] as? [String])?.contains(Self.column) == true || $0["attribute"] as? String == Self.column })
        let verify = try CLIProcess.run(["history", "verify", "--history", "h.sqlite", "--format", "json"], directory: folder)
        #expect(verify.exitCode == 0, "\(verify.standardError)")
        #expect(Self.rawHidden(verify.standardOutput).isEmpty)
    }
}
