import Crypto
import Foundation
import Testing
@testable import Fairlead

/// `show` and `verify` read the history as evidence: read-only, never a byte changed, and
/// a file that is no history (or a damaged one) said as such.
@Suite struct HistoryReadOnlyTests {
    /// A closed history of two entries at `folder/h.sqlite`.
    static func history(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("h.sqlite").path
        let store = try HistoryStore(path: path)
        try store.append(try HistoryFixtures.smallReport(seconds: 0))
        try store.append(try HistoryFixtures.smallReport(seconds: 60))
        return path
    }

    /// The file's SHA-256 and modification time.
    static func fingerprint(_ path: String) throws -> (sha256: String, modified: Date?) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        return (digest, modified)
    }

    @Test func verifyAndReadingChangeNoByteOfTheFile() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.history(in: folder)
        let before = try Self.fingerprint(path)
        // The modification time has a resolution of a second or finer; a write in the same
        // second would still change the bytes, which are compared too.
        Thread.sleep(forTimeInterval: 1.1)
        for _ in 0..<3 {
            let store = try HistoryStore.openForReading(path: path)
            #expect(store.isReadOnly)
            let verification = try store.verify()
            #expect(verification.isIntact)
            #expect(verification.entryCount == 2)
            #expect(try store.entries().count == 2)
            _ = try store.report(of: 2)
        }
        let after = try Self.fingerprint(path)
        #expect(after.sha256 == before.sha256)
        #expect(after.modified == before.modified)
    }

    @Test func aReadOnlyStoreRefusesToWriteEvenForRoot() throws {
        // CI runs as root, where chmod 444 does not stop a write: SQLite's read-only
        // connection does.
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.history(in: folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        let before = try Self.fingerprint(path)
        let store = try HistoryStore.openForReading(path: path)
        #expect(try store.verify().isIntact)
        #expect(throws: FairleadError.self) { try store.append(try HistoryFixtures.smallReport(seconds: 120)) }
        #expect(throws: (any Error).self) { try store.rawExecute("DELETE FROM metric") }
        #expect(try Self.fingerprint(path).sha256 == before.sha256)
        #expect(try store.entries().count == 2)
    }

    @Test func aHistoryWithAWriteAheadLogIsReadWithItAndLeftAsItWas() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.history(in: folder)
        // A writer that is still open keeps its last transaction in the -wal file.
        let writer = try HistoryStore(path: path)
        try writer.rawExecute("PRAGMA wal_autocheckpoint = 0")
        let third = try writer.append(try HistoryFixtures.smallReport(seconds: 120))
        let log = path + "-wal"
        let before = (try Self.fingerprint(path), try Self.fingerprint(log))
        let reader = try HistoryStore.openForReading(path: path)
        let verification = try reader.verify()
        #expect(verification.isIntact)
        #expect(verification.entryCount == 3)
        #expect(verification.head == third.entryHash)
        #expect(try Self.fingerprint(path).sha256 == before.0.sha256)
        #expect(try Self.fingerprint(log).sha256 == before.1.sha256)
    }

    @Test(arguments: [
        ("", "not a Fairlead audit history: the file is empty"),
        ("PRAGMA user_version = 3", "not a Fairlead audit history: an SQLite file without tables"),
        ("CREATE TABLE customers (email TEXT)", "not a Fairlead audit history: an SQLite file with other tables"),
    ])
    func aFileThatIsNoHistoryIsSaid(sql: String, message: String) throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("h.sqlite").path
        if sql.isEmpty {
            FileManager.default.createFile(atPath: path, contents: Data())
        } else {
            let scratch = try HistoryStore(path: folder.appendingPathComponent("scratch.sqlite").path)
            try scratch.rawExecute("ATTACH DATABASE '\(path)' AS other")
            try scratch.rawExecute(sql.replacingOccurrences(of: "PRAGMA ", with: "PRAGMA other.")
                .replacingOccurrences(of: "TABLE ", with: "TABLE other."))
        }
        let before = try Self.fingerprint(path).sha256
        #expect(throws: FairleadError(.invalidData, message, at: SourceLocation(file: path))) {
            _ = try HistoryStore.openForReading(path: path)
        }
        #expect(try Self.fingerprint(path).sha256 == before)
    }

    /// Opening for writing creates a history where there is none (`audit --history`), but
    /// never in another program's database: it added its tables beside the others.
    @Test func aWriterNeverMakesAnotherDatabaseAHistory() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("crm.sqlite").path
        let scratch = try HistoryStore(path: folder.appendingPathComponent("scratch.sqlite").path)
        try scratch.rawExecute("ATTACH DATABASE '\(path)' AS other")
        try scratch.rawExecute("CREATE TABLE other.customers (email TEXT)")
        let before = try Self.fingerprint(path).sha256
        #expect(throws: FairleadError(.invalidData, "not a Fairlead audit history (an SQLite file with other tables); give a new path or one `fairlead history init` made",
                                      at: SourceLocation(file: path))) {
            _ = try HistoryStore(path: path)
        }
        #expect(try Self.fingerprint(path).sha256 == before)
        // An empty file is no one's database: it becomes a history.
        let empty = folder.appendingPathComponent("empty.sqlite").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        _ = try HistoryStore(path: empty).append(try HistoryFixtures.smallReport(seconds: 60))
        #expect(try HistoryStore.openForReading(path: empty).verify().entryCount == 1)
    }

    /// Another GRDB application records its migrations too (a "v1" among them), and any
    /// program may have a table called `entry`: neither is a history. `init --force`
    /// replaced the first, verify called it TAMPERED, and writers opened the second.
    @Test(arguments: [
        "CREATE TABLE other.grdb_migrations (identifier TEXT PRIMARY KEY); INSERT INTO other.grdb_migrations VALUES ('v1'); CREATE TABLE other.notes (body TEXT)",
        "CREATE TABLE other.entry (id INTEGER PRIMARY KEY, title TEXT)",
    ])
    func anotherApplicationsDatabaseIsNoHistoryToAnyone(sql: String) throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("app.sqlite").path
        let scratch = try HistoryStore(path: folder.appendingPathComponent("scratch.sqlite").path)
        try scratch.rawExecute("ATTACH DATABASE '\(path)' AS other")
        for statement in sql.split(separator: ";") { try scratch.rawExecute(String(statement)) }
        let before = try Self.fingerprint(path).sha256
        #expect(!HistoryStore.isHistory(path: path))
        #expect(throws: FairleadError(.invalidData, "not a Fairlead audit history: an SQLite file with other tables",
                                      at: SourceLocation(file: path))) {
            _ = try HistoryStore.openForReading(path: path)
        }
        #expect(throws: HistoryStore.otherDatabase(path: path)) { _ = try HistoryStore(path: path) }
        #expect(throws: HistoryStore.otherDatabase(path: path)) { _ = try HistoryStore(path: path, create: false) }
        #expect(try Self.fingerprint(path).sha256 == before)
    }

    /// Only a writer that creates histories (`audit --history`) makes one of an empty file;
    /// `redact --yes` and `label` did too, and left a 49 KB history behind.
    @Test func aWriterThatDoesNotCreateLeavesAnEmptyFileAlone() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("empty.sqlite").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(throws: FairleadError(.invalidData, "not a Fairlead audit history: an empty file", at: SourceLocation(file: empty))) {
            _ = try HistoryStore(path: empty, create: false)
        }
        #expect(try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int == 0)
        let bare = folder.appendingPathComponent("bare.sqlite").path
        let scratch = try HistoryStore(path: folder.appendingPathComponent("scratch.sqlite").path)
        try scratch.rawExecute("ATTACH DATABASE '\(bare)' AS other")
        try scratch.rawExecute("PRAGMA other.user_version = 7")
        let before = try Self.fingerprint(bare).sha256
        #expect(throws: FairleadError(.invalidData, "not a Fairlead audit history: an SQLite file without tables", at: SourceLocation(file: bare))) {
            _ = try HistoryStore(path: bare, create: false)
        }
        #expect(try Self.fingerprint(bare).sha256 == before)
    }

    @Test(arguments: [
        ("DROP TABLE metric", "the table metric is missing (dropped)"),
        ("DROP TABLE chain_head", "the table chain_head is missing (dropped)"),
        ("ALTER TABLE entry DROP COLUMN report_sha256", "the table entry lacks the column report_sha256"),
        ("DROP TABLE privacy_ledger", "the table privacy_ledger is missing (dropped)"),
    ])
    func aMissingTableOrColumnIsDamageNamed(sql: String, message: String) throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.history(in: folder)
        try HistoryStore(path: path).rawExecute(sql)
        let verification = try HistoryStore.openForReading(path: path).verify()
        #expect(verification.problems == [.init(kind: .damagedSchema, entry: nil, message: message)])
        #expect(!verification.isIntact)
    }

    @Test func aDamagedHistoryIsBadInputWhenAppendedToOrShown() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.history(in: folder)
        try HistoryStore(path: path).rawExecute("DROP TABLE metric")
        // A writer looks at the schema before it opens the file, and names the table as verify does.
        let before = try Self.fingerprint(path).sha256
        #expect(throws: FairleadError(.invalidData, "the audit history is damaged (the table metric is missing (dropped)); run `fairlead history verify`",
                                      at: SourceLocation(file: path))) {
            try HistoryStore(path: path).append(try HistoryFixtures.smallReport(seconds: 120))
        }
        #expect(try Self.fingerprint(path).sha256 == before)
        #expect(throws: FairleadError(.invalidData, "the audit history is damaged (no such table: metric); run `fairlead history verify`",
                                      at: SourceLocation(file: path))) {
            _ = try HistoryStore.openForReading(path: path).metricRows(of: 1)
        }
    }

    @Test func aNullInARebuiltTableIsAProblemNotACrash() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.history(in: folder)
        try HistoryStore(path: path).rawExecute("""
            CREATE TABLE rebuilt AS SELECT * FROM entry; DROP TABLE entry; ALTER TABLE rebuilt RENAME TO entry;
            UPDATE entry SET recorded_at = NULL WHERE id = 1
            """)
        let problems = try HistoryStore.openForReading(path: path).verify().problems
        #expect(problems == [.init(kind: .editedEntry, entry: 1, message: "the history is damaged: a row holds NULL in the column recorded_at")])
    }

    @Test(arguments: ["xyz", String(repeating: "g", count: 64), String(repeating: "a", count: 63), ""])
    func aMalformedHeadIsAUsageErrorNotTampering(head: String) throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore.openForReading(path: try Self.history(in: folder))
        #expect {
            _ = try store.verify(expectingHead: head)
        } throws: { error in
            (error as? FairleadError)?.kind == .usage
                && (error as? FairleadError)?.message.hasPrefix("--head expects a chain head") == true
        }
        #expect(try store.verify(expectingHead: String(repeating: "A", count: 64)).problems.map(\.kind) == [.unknownHead])
    }
}
