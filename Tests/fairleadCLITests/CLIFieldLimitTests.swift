import Foundation
import Testing

/// `limits.max_field_bytes` / `--max-field-bytes` holds for every field of a CSV file, the
/// header's names and the columns nobody reads included, however short the records: it
/// was checked only on the fields a command keeps and on records too long for the read
/// block, so `validate --max-field-bytes 1` passed a header of 7-byte names.
@Suite struct CLIFieldLimitTests {
    /// A folder holding `d.csv` — the header `header`, then four short rows of a score,
    /// a label, a region and a note nobody reads (`note` on the third) — and `p.yaml`,
    /// a profile auditing it.
    private static func folder(header: String, note: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-cli-fields-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let names = header.split(separator: ",")
        var csv = header + "\n"
        for row in 0..<4 { csv += "0.\(row + 2),\(row % 2),r\(row % 2),\(row == 2 ? note : "n")\n" }
        try csv.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let profile = "name: fields\ndata:\n  path: d.csv\n  score: \(names[0])\n  label: \(names[1])\n  score_range: [0, 1]\n"
            + "decisions:\n  - threshold: 0.5\nsensitive:\n  - \(names[2])\nsettings:\n  bootstrap: 0\n"
        try profile.write(to: folder.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    /// The commands that read `folder`'s CSV file (`region` its third column), whole;
    /// `validate` reads its header alone.
    private static func commands(_ folder: URL, region: String) -> [[String]] {
        let data = folder.appendingPathComponent("d.csv").path
        let profile = folder.appendingPathComponent("p.yaml").path
        return [["audit", "--profile", profile, "--threads", "1"], ["stats", "--profile", profile, "--threads", "1"],
                ["mitigate", "--profile", profile, "--threads", "1"], ["inspect", data], ["init", "--data", data],
                ["privacy", "--data", data, "--quasi", region]]
    }

    @Test func aTinyLimitRefusesAHeaderOfShortNames() throws {
        let folder = try Self.folder(header: "score,converted,region,note", note: "n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("d.csv").path
        for command in [["validate", folder.appendingPathComponent("p.yaml").path]] + Self.commands(folder, region: "region") {
            let result = try CLIProcess.run(command + ["--max-field-bytes", "1"])
            #expect(result.exitCode == 2, "\(command[0]): \(result.standardError)")
            #expect(result.standardError == "fairlead: \(data):1:1: a field longer than 1 byte (the max_field_bytes limit); raise it with --max-field-bytes N or limits.max_field_bytes in the profile\n",
                    "\(command[0]): \(result.standardError)")
            #expect(result.standardOutput.isEmpty, "\(command[0])")
        }
    }

    /// A short field over the limit in a column no command reads (`n`, on line 4) is
    /// refused where it lies; within the limit, the file reads.
    @Test func aShortFieldInAColumnNobodyReadsIsRefused() throws {
        let folder = try Self.folder(header: "s,y,g,n", note: "abcdef")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("d.csv").path
        for command in Self.commands(folder, region: "g") {
            let refused = try CLIProcess.run(command + ["--max-field-bytes", "5"])
            #expect(refused.exitCode == 2, "\(command[0]): \(refused.standardError)")
            #expect(refused.standardError == "fairlead: \(data):4:4 (n): a field longer than 5 bytes (the max_field_bytes limit); raise it with --max-field-bytes N or limits.max_field_bytes in the profile\n",
                    "\(command[0]): \(refused.standardError)")
            let read = try CLIProcess.run(command + ["--max-field-bytes", "6"])
            #expect(read.exitCode <= 1, "\(command[0]): \(read.standardError)")
        }
    }
}
