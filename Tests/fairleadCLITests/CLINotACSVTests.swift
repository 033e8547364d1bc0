import Foundation
import Testing

/// A file that is not a CSV data file — a `.env`, a password file — given where data is
/// read is described, never echoed (docs/security-inputs.md): every command that reads a
/// CSV says its first row holds none of the columns asked for, and quotes nothing of it.
/// `privacy`, `attributions` and `history label` quoted the first line as the "closest"
/// column name (`closest: "DB_PASSWORD=hunter2SECRET"`).
@Suite struct CLINotACSVTests {
    static let secret = "hunter2SECRET"

    static func secretFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-csv-\(UUID().uuidString).env").path
        try "DB_PASSWORD=\(secret)\nAPI_KEY=\(secret)-2\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Refused with the file described, and nothing of it in either stream; `asked` begins
    /// the list of the columns asked for.
    static func expectDescribed(_ result: CLIProcess.Result, file: String, asked: String) {
        #expect(result.exitCode != 0)
        #expect(!result.standardError.contains(secret), "\(result.standardError)")
        #expect(!result.standardOutput.contains(secret), "\(result.standardOutput)")
        #expect(!result.standardError.contains("closest"), "\(result.standardError)")
        #expect(result.standardError.hasPrefix("fairlead: \(file):1: none of the columns asked for (\(asked)"), "\(result.standardError)")
        #expect(result.standardError.contains(") is in this file's first row (1 field): it is not a CSV file with a header row, or not the data expected"),
                "\(result.standardError)")
    }

    @Test func privacyData() throws {
        let file = try Self.secretFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try CLIProcess.run(["privacy", "--data", file, "--quasi", "x"])
        Self.expectDescribed(result, file: file, asked: "x)")
    }

    @Test func attributionsDataAndBackground() throws {
        let file = try Self.secretFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("not-csv-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let model = "fixtures/models/linear-leads-logistic.json"
        let data = try CLIProcess.run(["attributions", "--model", model, "--data", file, "--out", out])
        Self.expectDescribed(data, file: file, asked: "lead_source=cold_outbound, lead_source=paid_search")
        let background = try CLIProcess.run(["attributions", "--model", model, "--data", "fixtures/leads/leads-sample.csv",
                                             "--background", file, "--out", out])
        Self.expectDescribed(background, file: file, asked: "lead_source=cold_outbound, lead_source=paid_search")
    }

    @Test func historyLabelLabels() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.secretFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let audit = try CLIHistory.run(["audit", "--profile", profile, "--data", CLIHistory.week2, "--history", history, "--threads", "1"])
        #expect(audit.exitCode != 2, "\(audit.standardError)")
        let label = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--labels", file,
                                        "--id", "lead_id", "--label", "converted", "--threads", "1"])
        Self.expectDescribed(label, file: file, asked: "lead_id, converted")
    }

    /// A real CSV asked for one misspelt column still gets its typo offered: a name a typo
    /// away is quoted, a far line never is (`DB_PASSWORD=…` is no typo of `DB_PASSWORD`'s
    /// neighbour either: the whole first field is compared).
    @Test func aTypoOfAColumnIsStillOffered() throws {
        let typo = try CLIProcess.run(["privacy", "--data", "fixtures/leads/leads-sample.csv", "--quasi", "regoin"])
        #expect(typo.exitCode == 2)
        #expect(typo.standardError == "fairlead: fixtures/leads/leads-sample.csv:1: none of the columns asked for (regoin) is in this file's "
                + "first row (16 fields): did you mean \"region\" for \"regoin\"?\n", "\(typo.standardError)")
        let file = try Self.secretFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let near = try CLIProcess.run(["privacy", "--data", file, "--quasi", "DB_PASSWORD"])
        Self.expectDescribed(near, file: file, asked: "DB_PASSWORD)")
    }

    /// A first row of one field is never offered as a typo: a name asked for that holds
    /// most of a secret line (a URL with its credentials, `TOKEN=…`) would get the rest of
    /// it back. Each is within the edit distance a typo of a header's name is offered at.
    @Test(arguments: [("https://alice:s3cr3tT0ken@git.example.com", "https://alice:XXXXXXXXXX@git.example.com"),
                      ("AWS_SECRET=abcd1234efgh", "AWS_SECRET=abcdXXXXefgh")])
    func aOneFieldFirstRowIsNeverOfferedAsATypo(line: String, asked: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-onefield-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("cred.txt").path
        try (line + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["privacy", "--data", file, "--quasi", asked])
        #expect(result.exitCode == 2)
        #expect(!result.standardError.contains(line), "\(result.standardError)")
        #expect(!result.standardError.contains("did you mean"), "\(result.standardError)")
        #expect(result.standardError.contains("it is not a CSV file with a header row"), "\(result.standardError)")
    }
}

/// A message that quotes a value of a megabyte whole — a rule from a flag, a column name
/// from a profile — prints bounded lines (``MessageQuote/messageLines(_:)``).
@Suite struct CLILongMessageTests {
    @Test func aHugeValueInAMessageIsCutInTheMiddle() throws {
        let rule = String(repeating: "y", count: 100_000) + " >= 0.8"
        let result = try CLIProcess.run(["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score",
                                         "--sensitive", "ethnicity", "--threshold", "0.3", "--rule", rule])
        #expect(result.exitCode == 2)
        #expect(result.standardError.utf8.count < 8_192, "\(result.standardError.utf8.count) bytes")
        #expect(result.standardError.contains("characters left out"))
        #expect(result.standardError.hasPrefix("fairlead: "))
    }
}
