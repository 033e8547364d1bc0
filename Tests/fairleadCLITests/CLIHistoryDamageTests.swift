import Foundation
import Testing

/// Damage that SQLite or GRDB meets before the chain is read: `verify` reports it (exit 1,
/// docs/history.md), every other command refuses the file as bad input (exit 2) and says
/// to run `verify` — never an internal failure (exit 3).
@Suite struct CLIHistoryDamageTests {
    @Test func aDeletedMigrationRecordFailsVerifyAndRefusesAnAppend() throws {
        let (folder, path) = try CLIEvidenceTests.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CLIHistory.sqlite3(path, "DELETE FROM grdb_migrations WHERE identifier = 'v-redaction'")
        let message = "the migrations are not as recorded: grdb_migrations lacks v-redaction, yet the tables redaction and redacted_entry are there (its row was deleted)"
        let verify = try CLIProcess.run(["history", "verify", "--history", path])
        #expect(verify.exitCode == 1, "\(verify.standardError)")
        #expect(verify.standardOutput == "TAMPERED  1 problem in 1 entry:\n  \(message)\n")
        let json = try CLIProcess.run(["history", "verify", "--history", path, "--format", "json"])
        let problems = (try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])?["problems"] as? [[String: Any]]
        #expect(problems?.map { $0["kind"] as? String } == ["damaged_schema"])

        let audit = try CLIProcess.run(["audit", "--data", CLIEvidenceTests.data, "--score", "score", "--sensitive", "g",
                                        "--threshold", "0.5", "--history", path, "--as-of", "2026-03-09"])
        #expect(audit.exitCode == 2, "\(audit.standardError)")
        #expect(audit.standardError == "fairlead: \(path): the audit history is damaged (\(message)); run `fairlead history verify`\n")
        #expect(try CLIProcess.run(["history", "verify", "--history", path]).standardOutput == verify.standardOutput)
        // The commands that read without verifying refuse it too (show exited 0).
        for arguments in [["history", "show", "--history", path], ["history", "show", "--history", path, "--entry", "1"],
                          ["history", "ledger", "--history", path], ["history", "redact", "--history", path, "--before", "2026-03-20"]] {
            let read = try CLIProcess.run(arguments)
            #expect(read.exitCode == 2, "\(arguments): \(read.standardError)")
            #expect(read.standardError == "fairlead: \(path): the audit history is damaged (\(message)); run `fairlead history verify`\n",
                    "\(arguments)")
        }
    }

    /// `entry` replaced by a view of rows without end (a recursive CTE): verify reports the
    /// missing table at once. It once counted the view's rows and never finished.
    @Test func aViewInPlaceOfATableIsDamageNotALoop() throws {
        let (folder, path) = try CLIEvidenceTests.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CLIHistory.sqlite3(path, """
            ALTER TABLE entry RENAME TO entry_real;
            CREATE VIEW entry AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
              SELECT e.id + x AS id, e.report_json FROM c, entry_real e;
            """)
        let verify = try CLIProcess.run(["history", "verify", "--history", path])
        #expect(verify.exitCode == 1, "\(verify.standardError)")
        #expect(verify.standardOutput.hasPrefix("TAMPERED"), "\(verify.standardOutput)")
        #expect(verify.standardOutput.contains("the table entry is missing (dropped)"), "\(verify.standardOutput)")
    }

    @Test func anEmptiedMigrationRecordFailsVerifyAndRefusesAnAppend() throws {
        let (folder, path) = try CLIEvidenceTests.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CLIHistory.sqlite3(path, "DELETE FROM grdb_migrations")
        let message = "the migrations are not as recorded: grdb_migrations lists none, yet the history's tables are there (its rows were deleted)"
        let verify = try CLIProcess.run(["history", "verify", "--history", path])
        #expect(verify.exitCode == 1, "\(verify.standardError)")
        #expect(verify.standardOutput == "TAMPERED  1 problem in 1 entry:\n  \(message)\n")
        let audit = try CLIProcess.run(["audit", "--data", CLIEvidenceTests.data, "--score", "score", "--sensitive", "g",
                                        "--threshold", "0.5", "--history", path, "--as-of", "2026-03-09"])
        #expect(audit.exitCode == 2, "\(audit.standardError)")
        #expect(audit.standardError == "fairlead: \(path): the audit history is damaged (\(message)); run `fairlead history verify`\n")
    }

    @Test func aTruncatedHistoryIsDamageToVerifyAndBadInputToEveryOtherCommand() throws {
        let (folder, whole) = try CLIEvidenceTests.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("truncated.sqlite").path
        try Data(contentsOf: URL(fileURLWithPath: whole)).prefix(20000).write(to: URL(fileURLWithPath: path))
        let damage = "the file is damaged (SQLite: database disk image is malformed)"

        let verify = try CLIProcess.run(["history", "verify", "--history", path])
        #expect(verify.exitCode == 1, "\(verify.standardError)")
        #expect(verify.standardOutput == "TAMPERED  1 problem:\n  \(damage)\n")
        #expect(verify.standardError.isEmpty)
        let json = try CLIProcess.run(["history", "verify", "--history", path, "--format", "json"])
        #expect(json.exitCode == 1)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let problems = parsed["problems"] as? [[String: Any]]
        #expect(problems?.map { $0["kind"] as? String } == ["damaged_file"])
        #expect(problems?.first?["message"] as? String == damage)
        #expect(parsed["intact"] as? Bool == false && parsed["head"] as? String == "")

        let refused = "fairlead: \(path): the audit history is damaged (SQLite: database disk image is malformed); run `fairlead history verify`\n"
        let commands: [[String]] = [
            ["history", "show", "--history", path],
            ["history", "show", "--history", path, "--entry", "1"],
            ["history", "redact", "--history", path, "--before", "2027-01-01"],
            ["history", "redact", "--history", path, "--before", "2027-01-01", "--yes"],
            ["history", "label", "--history", path, "--entry", "1", "--labels", CLIHistory.outcomes, "--id", "lead_id", "--label", "converted"],
            ["audit", "--data", CLIEvidenceTests.data, "--score", "score", "--sensitive", "g", "--threshold", "0.5", "--history", path],
        ]
        for arguments in commands {
            let result = try CLIProcess.run(arguments)
            #expect(result.exitCode == 2, "\(arguments): \(result.standardError)")
            #expect(result.standardError == refused, "\(arguments)")
        }
    }
}
