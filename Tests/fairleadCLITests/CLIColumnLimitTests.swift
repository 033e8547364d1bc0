import Foundation
import Testing

/// `limits.max_columns` / `--max-columns`: a CSV header of more columns than the limit is
/// refused by every command that reads one, at line 1 with the count and how to raise it,
/// before any record is read; raised, the file reads.
@Suite struct CLIColumnLimitTests {
    /// A folder holding `d.csv` — `score,converted,region` and `columns - 3` more, four
    /// rows — and `p.yaml`, a profile auditing it (with `limits:` when given).
    private static func folder(columns: Int, limits: String? = nil) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-cli-columns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let extra = (3..<columns).map { "c\($0)" }
        var csv = (["score", "converted", "region"] + extra).joined(separator: ",") + "\n"
        for row in 0..<4 {
            csv += (["0.\(row + 2)", "\(row % 2)", "r\(row % 2)"] + extra.map { _ in "1" }).joined(separator: ",") + "\n"
        }
        try csv.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        var profile = "name: wide\ndata:\n  path: d.csv\n  score: score\n  label: converted\n  score_range: [0, 1]\n"
        profile += "decisions:\n  - threshold: 0.5\nsensitive:\n  - region\nsettings:\n  bootstrap: 0\n"
        if let limits { profile += "limits:\n  \(limits)\n" }
        try profile.write(to: folder.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    /// Every command that reads a CSV header, on the folder's files.
    private static func commands(_ folder: URL) -> [[String]] {
        let data = folder.appendingPathComponent("d.csv").path
        let profile = folder.appendingPathComponent("p.yaml").path
        return [["inspect", data], ["init", "--data", data], ["audit", "--profile", profile], ["validate", profile],
                ["stats", "--profile", profile], ["privacy", "--data", data, "--quasi", "region"],
                ["explain", "--profile", "fixtures/profiles/leads-explanations.yaml", "--data", data]]
    }

    @Test func everyCommandRefusesAHeaderPastTheDefaultLimit() throws {
        let folder = try Self.folder(columns: 10_001)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("d.csv").path
        for command in Self.commands(folder) {
            let result = try CLIProcess.run(command)
            #expect(result.exitCode == 2, "\(command[0]): \(result.standardError)")
            #expect(result.standardError == "fairlead: \(data):1: the header row has 10001 columns, more than the max_columns limit of 10000; raise it with --max-columns N or limits.max_columns in the profile\n",
                    "\(command[0]): \(result.standardError)")
        }
    }

    @Test func theFlagAndTheProfileKeyRaiseIt() throws {
        let folder = try Self.folder(columns: 10_001)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("d.csv").path
        let inspected = try CLIProcess.run(["inspect", data, "--max-columns", "10001"])
        #expect(inspected.exitCode == 0, "\(inspected.standardError)")
        #expect(inspected.standardOutput.hasPrefix("\(data): 4 rows, 10001 columns\n"))
        let drafted = try CLIProcess.run(["init", "--data", data, "--max-columns", "10001"])
        #expect(drafted.exitCode == 0, "\(drafted.standardError)")
        // The starter profile raises the limit it was drafted with, so that it reads its file.
        #expect(drafted.standardOutput.contains("\nlimits:\n  max_columns: 10001 "), "\(drafted.standardOutput.suffix(300))")
        let audited = try CLIProcess.run(["audit", "--profile", folder.appendingPathComponent("p.yaml").path, "--max-columns", "10001"])
        #expect(audited.exitCode <= 1, "\(audited.standardError)")

        let keyed = try Self.folder(columns: 10_001, limits: "max_columns: 10001")
        defer { try? FileManager.default.removeItem(at: keyed) }
        let profile = keyed.appendingPathComponent("p.yaml").path
        #expect(try CLIProcess.run(["audit", "--profile", profile]).exitCode <= 1)
        let lowered = try CLIProcess.run(["audit", "--profile", profile, "--max-columns", "100"])
        #expect(lowered.exitCode == 2 && lowered.standardError.contains("more than the max_columns limit of 100;"),
                "\(lowered.standardError)")
        let malformed = try CLIProcess.run(["inspect", data, "--max-columns", "many"])
        #expect(malformed.exitCode == 2 && malformed.standardError.contains("--max-columns expects a positive whole number, found 'many'"),
                "\(malformed.standardError)")
    }

    /// A hostile file: 10 MB, a header of a million columns. Refused from the first
    /// block, before the reader holds anything per column (it once crashed `inspect` and
    /// `init`, at 32 KB per column).
    @Test func aMillionColumnsAreRefusedFromTheFirstBlock() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-cli-million-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("million.csv").path
        let header = (0..<1_000_000).map { "c\($0)" }.joined(separator: ",")
        try (header + "\n" + String(repeating: "1,", count: 999_999) + "1\n").write(toFile: path, atomically: true, encoding: .utf8)
        for command in [["inspect", path], ["init", "--data", path]] {
            let result = try CLIProcess.run(command)
            #expect(result.exitCode == 2, "\(command[0]): \(result.standardError)")
            #expect(result.standardError.hasPrefix("fairlead: \(path):1: the header row has at least "), "\(result.standardError)")
            #expect(result.standardError.hasSuffix(" columns in its first 1 MiB, more than the max_columns limit of 10000; raise it with --max-columns N or limits.max_columns in the profile\n"),
                    "\(result.standardError)")
        }
    }
}
