import Foundation
import Testing

/// A history written before re-runs were recorded (`grdb_migrations` lists v1 alone, and
/// `entry` has no `reruns` column): `verify` called it damaged (`the table entry lacks the
/// column reruns`) and `show` failed on `no such column: reruns`. It is intact, read as it
/// is, and migrated by the first command that writes to it.
@Suite struct CLIHistoryBeforeRerunsTests {
    /// A history of two ad hoc audits, then taken back to the schema of a Fairlead from
    /// before re-runs with the `sqlite3` shell: the migrations after v1 undone (the column
    /// `reruns`, the ledger and redaction tables, their rows of `grdb_migrations`). No
    /// entry re-runs another, so each hashes as one written before re-runs were recorded.
    static func history() throws -> (folder: URL, path: String) {
        let (folder, path) = try CLIEvidenceTests.history()
        let audit = try CLIProcess.run(["audit", "--data", CLIEvidenceTests.data, "--score", "score", "--sensitive", "g",
                                        "--threshold", "0.5", "--history", path, "--as-of", "2026-03-09"])
        #expect(audit.standardError.contains("appended entry 2"), "\(audit.standardError)")
        try CLIHistory.sqlite3(path, """
            ALTER TABLE entry DROP COLUMN reruns; DROP TABLE privacy_ledger; DROP TABLE redaction; DROP TABLE redacted_entry;
            DELETE FROM grdb_migrations WHERE identifier <> 'v1'
            """)
        #expect(try Self.query(path, "SELECT group_concat(identifier) FROM grdb_migrations") == "v1\n")
        return (folder, path)
    }

    /// What the `sqlite3` shell prints for `sql`.
    static func query(_ path: String, _ sql: String) throws -> String {
        let result = try CLIProcess.run(["sqlite3", path, sql], program: URL(fileURLWithPath: "/usr/bin/env"))
        try #require(result.exitCode == 0, "sqlite3 is needed to read the history: \(result.standardError)")
        return result.standardOutput
    }

    @Test func everyReaderReadsItAsItIsAndVerifyCallsItIntact() throws {
        let (folder, path) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try CLIEvidenceTests.fingerprint(path)
        Thread.sleep(forTimeInterval: 1.1)

        let verify = try CLIProcess.run(["history", "verify", "--history", path])
        #expect(verify.exitCode == 0, "\(verify.standardError)")
        #expect(verify.standardOutput == "INTACT  2 entries: every report, metric row and link checks out\n")
        let json = try CLIProcess.run(["history", "verify", "--history", path, "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        #expect(object?["intact"] as? Bool == true)
        #expect((object?["problems"] as? [Any])?.isEmpty == true)

        let show = try CLIProcess.run(["history", "show", "--history", path, "--attribute", "g"])
        #expect(show.exitCode == 0, "\(show.standardError)")
        let rows = show.standardOutput.split(separator: "\n").filter { $0.hasPrefix("    ") }
        #expect(rows == ["    1  2026-03-02  no_rules  —      1.000  0.000      0.500",
                         "    2  2026-03-09  no_rules  —      1.000  0.000      0.500"])
        let entry = try CLIProcess.run(["history", "show", "--history", path, "--entry", "2", "--format", "json"])
        #expect(entry.exitCode == 0, "\(entry.standardError)")
        #expect(entry.standardOutput.contains("\"profile\""))
        let page = try CLIProcess.run(["history", "show", "--history", path, "--format", "html"])
        #expect(page.exitCode == 0, "\(page.standardError)")
        let ledger = try CLIProcess.run(["history", "ledger", "--history", path])
        #expect(ledger.exitCode == 0, "\(ledger.standardError)")
        #expect(ledger.standardOutput == "no differentially private release recorded\n")
        let dryRun = try CLIProcess.run(["history", "redact", "--history", path, "--before", "2099-01-01"])
        #expect(dryRun.exitCode == 0, "\(dryRun.standardError)")
        #expect(dryRun.standardOutput.hasPrefix("would redact 2 entries recorded before 2099-01-01T00:00:00Z (nothing changed; add --yes to redact):\n  entry 1  recorded "))

        let after = try CLIEvidenceTests.fingerprint(path)
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
    }

    @Test func anEditIsStillFound() throws {
        let (folder, path) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CLIHistory.sqlite3(path, "UPDATE entry SET as_of = '2026-03-01T00:00:00Z' WHERE id = 1")
        let verify = try CLIProcess.run(["history", "verify", "--history", path])
        #expect(verify.exitCode == 1, "\(verify.standardError)")
        #expect(verify.standardOutput.hasPrefix("TAMPERED  "))
        #expect(verify.standardOutput.contains("entry 1: its fields (id, times, link, report SHA-256, completes or reruns) no longer give its hash: the entry was edited"))
    }

    @Test func anAuditAppendsAfterMigratingItAndItStaysIntact() throws {
        let (folder, path) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let audit = try CLIProcess.run(["audit", "--data", CLIEvidenceTests.data, "--score", "score", "--sensitive", "g",
                                        "--threshold", "0.5", "--history", path, "--as-of", "2026-03-09", "--rerun"])
        #expect(audit.standardError.hasPrefix("fairlead: appended entry 3 to \(path), a re-run of entry 2\n"), "\(audit.standardError)")
        #expect(try Self.query(path, "SELECT group_concat(identifier) FROM grdb_migrations") == "v1,v2,v-privacy-ledger,v-redaction\n")
        #expect(try Self.query(path, "SELECT id, reruns FROM entry ORDER BY id") == "1|\n2|\n3|2\n")
        let verify = try CLIProcess.run(["history", "verify", "--history", path])
        #expect(verify.exitCode == 0, "\(verify.standardError)")
        #expect(verify.standardOutput == "INTACT  3 entries: every report, metric row and link checks out\n")
    }

    @Test func redactingMigratesItAndItStaysIntact() throws {
        let (folder, path) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let redact = try CLIProcess.run(["history", "redact", "--history", path, "--before", "2099-01-01", "--yes"])
        #expect(redact.exitCode == 0, "\(redact.standardError)")
        #expect(redact.standardOutput == "redacted 2 entries recorded before 2099-01-01T00:00:00Z (redaction 1): 1, 2\n")
        #expect(try Self.query(path, "SELECT group_concat(identifier) FROM grdb_migrations") == "v1,v2,v-privacy-ledger,v-redaction\n")
        let verify = try CLIProcess.run(["history", "verify", "--history", path])
        #expect(verify.exitCode == 0, "\(verify.standardError)")
        #expect(verify.standardOutput.hasPrefix("""
            INTACT  2 entries: every remaining report, metric row and link checks out
            REDACTED  2 entries hold only metadata, hashes and metric rows (their reports were removed by `fairlead history redact`):
              entry 1: redaction 1 at
            """), "\(verify.standardOutput)")
    }

    @Test func labellingMigratesItAndItStaysIntact() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let path = folder.appendingPathComponent("audits.sqlite").path
        let audit = try CLIHistory.run(["audit", "--profile", profile, "--data", CLIHistory.week2, "--history", path, "--threads", "1"])
        #expect(audit.standardError.hasPrefix("fairlead: appended entry 1 to \(path)\n"), "\(audit.standardError)")
        // Taken back to v1 as ``history()`` does.
        try CLIHistory.sqlite3(path, """
            ALTER TABLE entry DROP COLUMN reruns; DROP TABLE privacy_ledger; DROP TABLE redaction; DROP TABLE redacted_entry;
            DELETE FROM grdb_migrations WHERE identifier <> 'v1'
            """)
        let label = try CLIHistory.run(["history", "label", "--history", path, "--entry", "1"] + CLIHistoryLabelTests.labels)
        #expect(label.standardError == "fairlead: appended entry 2 to \(path), completing entry 1\n")
        #expect(try Self.query(path, "SELECT group_concat(identifier) FROM grdb_migrations") == "v1,v2,v-privacy-ledger,v-redaction\n")
        let verify = try CLIProcess.run(["history", "verify", "--history", path])
        #expect(verify.exitCode == 0, "\(verify.standardError)")
        #expect(verify.standardOutput == "INTACT  2 entries: every report, metric row and link checks out\n")
    }

    /// The record says which migrations ran: one recorded whose column is gone, or a column
    /// there whose migration is not recorded, is damage — and a writer refuses it before it
    /// opens the file (it migrated the rest of the file first, then stopped on the column).
    @Test(arguments: [
        ("INSERT INTO grdb_migrations (identifier) VALUES ('v2')", "the table entry lacks the column reruns"),
        ("ALTER TABLE entry ADD COLUMN reruns INTEGER",
         "the migrations are not as recorded: grdb_migrations lacks v2, yet the column entry.reruns is there (its row was deleted)"),
    ])
    func aRecordThatDisagreesWithTheColumnsIsDamage(sql: String, message: String) throws {
        let (folder, path) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CLIHistory.sqlite3(path, sql)
        let verify = try CLIProcess.run(["history", "verify", "--history", path])
        #expect(verify.exitCode == 1, "\(verify.standardError)")
        #expect(verify.standardOutput == "TAMPERED  1 problem in 2 entries:\n  \(message)\n")
        let before = try CLIEvidenceTests.fingerprint(path).0
        let audit = try CLIProcess.run(["audit", "--data", CLIEvidenceTests.data, "--score", "score", "--sensitive", "g",
                                        "--threshold", "0.5", "--history", path, "--as-of", "2026-03-16"])
        #expect(audit.exitCode == 2, "\(audit.standardError)")
        #expect(audit.standardError == "fairlead: \(path): the audit history is damaged (\(message)); run `fairlead history verify`\n")
        #expect(try CLIEvidenceTests.fingerprint(path).0 == before)
        let show = try CLIProcess.run(["history", "show", "--history", path])
        #expect(show.exitCode == 2, "\(show.standardError)")
        #expect(show.standardError == "fairlead: \(path): the audit history is damaged (\(message)); run `fairlead history verify`\n")
    }
}
