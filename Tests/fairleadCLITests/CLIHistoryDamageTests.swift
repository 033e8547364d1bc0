import Foundation
import Testing

/// Damage met before the chain is read: `verify` reports it (exit 1, docs/history.md),
/// every other command refuses the file as bad input (exit 2) and says to run `verify` —
/// never an internal failure (exit 3).
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
}
