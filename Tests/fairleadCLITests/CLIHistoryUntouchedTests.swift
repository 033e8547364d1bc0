import Foundation
import Testing

/// A command that appends nothing leaves every byte of the history: GRDB's pool wrote on
/// every open (a table created and dropped), so a refused `history label --entry 99`, an
/// audit of a missing file or a redaction of nothing changed the file's SHA-256 — and a CI
/// job that commits the history after the audit (`if: always()`) committed a change.
@Suite struct CLIHistoryUntouchedTests {
    @Test func commandsThatAppendNothingLeaveTheFileAsItWas() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-untouched-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = "fixtures/profiles/leads-weekly.yaml"
        let history = folder.appendingPathComponent("h.sqlite").path
        let first = try CLIProcess.run(["audit", "--profile", profile, "--history", history, "--as-of", "2026-03-02"])
        #expect([0, 1].contains(first.exitCode), "\(first.standardError)")
        let before = try Data(contentsOf: URL(fileURLWithPath: history))
        let labels = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-week2.csv").path
        let refused: [[String]] = [
            ["history", "label", "--history", history, "--entry", "99", "--labels", labels, "--id", "lead_id", "--label", "converted"],
            ["audit", "--profile", profile, "--data", folder.appendingPathComponent("missing.csv").path, "--history", history],
            ["history", "redact", "--history", history, "--before", "1990-01-01", "--yes"],
            ["audit", "--profile", profile, "--history", history, "--as-of", "2026-03-02"],  // a re-run: nothing appended
        ]
        for arguments in refused {
            let result = try CLIProcess.run(arguments)
            #expect(result.exitCode != 3, "\(arguments): \(result.standardError)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: history)) == before, "\(arguments) changed the history's bytes")
        }
        // An append still appends, and the file is still in WAL mode for concurrent readers.
        let second = try CLIProcess.run(["audit", "--profile", profile, "--history", history, "--as-of", "2026-03-09"])
        #expect([0, 1].contains(second.exitCode), "\(second.standardError)")
        let after = try Data(contentsOf: URL(fileURLWithPath: history))
        #expect(after != before)
        // SQLite's header: bytes 18 and 19 are 2 in WAL mode.
        #expect(after.count > 20 && after[18] == 2 && after[19] == 2)
    }

    /// Reading leaves nothing beside the file: a read-only SQLite connection to a file in
    /// WAL mode made `-wal` and `-shm` files it could not remove, so `history show` left
    /// two files beside the history, and a refused audit left them beside another
    /// program's database. A log left by a writer that crashed is evidence: it stays.
    @Test func readingLeavesNoSideFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-side-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() }
        let history = folder.appendingPathComponent("h.sqlite").path
        let first = try CLIProcess.run(["audit", "--profile", "fixtures/profiles/leads-weekly.yaml", "--history", history,
                                        "--as-of", "2026-03-02", "--out", folder.appendingPathComponent("r.md").path])
        #expect([0, 1].contains(first.exitCode), "\(first.standardError)")
        #expect(try files() == ["h.sqlite", "r.md"])
        let before = try Data(contentsOf: URL(fileURLWithPath: history))
        for arguments in [["history", "show", "--history", history], ["history", "show", "--history", history, "--format", "json"],
                          ["history", "verify", "--history", history]] {
            let result = try CLIProcess.run(arguments)
            #expect(result.exitCode == 0, "\(arguments): \(result.standardError)")
            #expect(try files() == ["h.sqlite", "r.md"], "\(arguments)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: history)) == before, "\(arguments) changed the history's bytes")
        }
        // Another program's database in WAL mode, refused as a history: left as it was.
        let other = folder.appendingPathComponent("crm.db").path
        try CLIHistory.sqlite3(other, "PRAGMA journal_mode = WAL; CREATE TABLE leads (id INTEGER);")
        let otherBefore = try Data(contentsOf: URL(fileURLWithPath: other))
        for arguments in [["audit", "--profile", "fixtures/profiles/leads-weekly.yaml", "--history", other],
                          ["history", "show", "--history", other]] {
            let result = try CLIProcess.run(arguments)
            #expect(result.exitCode == 2, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("not a Fairlead audit history"), "\(result.standardError)")
            #expect(try files() == ["crm.db", "h.sqlite", "r.md"], "\(arguments)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == otherBefore)
        }
    }
}
