import Foundation
import Testing
@testable import Fairlead

/// `grdb_migrations` must agree with the tables: a row of it deleted is damage that
/// `verify` names, and that every writer refuses before GRDB runs the migration again
/// over tables that are still there (`duplicate column name: reruns`, exit 3).
@Suite struct HistoryMigrationRecordTests {
    @Test(arguments: [
        ("DELETE FROM grdb_migrations",
         "the migrations are not as recorded: grdb_migrations lists none, yet the history's tables are there (its rows were deleted)"),
        ("DELETE FROM grdb_migrations WHERE identifier = 'v2'",
         "the migrations are not as recorded: grdb_migrations lacks v2, yet the column entry.reruns is there (its row was deleted)"),
        ("DELETE FROM grdb_migrations WHERE identifier = 'v-redaction'",
         "the migrations are not as recorded: grdb_migrations lacks v-redaction, yet the tables redaction and redacted_entry are there (its row was deleted)"),
        ("DELETE FROM grdb_migrations WHERE identifier IN ('v2', 'v-privacy-ledger')",
         "the migrations are not as recorded: grdb_migrations lacks v2 and v-privacy-ledger, yet the table privacy_ledger and the column entry.reruns are there (their rows were deleted)"),
        ("DELETE FROM grdb_migrations WHERE identifier = 'v-privacy-ledger'; DROP TABLE privacy_ledger",
         "the migrations are not as recorded: grdb_migrations lists v-redaction but not v-privacy-ledger, which comes before it"),
    ])
    func aRecordThatDisagreesWithTheTablesIsDamageAndRefusedForWriting(sql: String, message: String) throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try HistoryReadOnlyTests.history(in: folder)
        try HistoryStore(path: path).rawExecute(sql)

        let verification = try HistoryStore.openForReading(path: path).verify()
        #expect(verification.problems == [.init(kind: .damagedSchema, entry: nil, message: message)])
        #expect(verification.entryCount == 2 && verification.head.isEmpty)
        let refused = FairleadError(.invalidData, "the audit history is damaged (\(message)); run `fairlead history verify`",
                                    at: SourceLocation(file: path))
        // Refused before a writer opens it: the evidence keeps every byte (opening for
        // writing bumped its change counter and schema cookie).
        let files = [path, path + "-wal"].filter { FileManager.default.fileExists(atPath: $0) }
        let before = try files.map { try HistoryReadOnlyTests.fingerprint($0).sha256 }
        #expect(throws: refused) { try HistoryStore(path: path, create: false).append(try HistoryFixtures.smallReport(seconds: 120)) }
        #expect(throws: refused) { try HistoryStore(path: path).append(try HistoryFixtures.smallReport(seconds: 120)) }
        #expect(try files.map { try HistoryReadOnlyTests.fingerprint($0).sha256 } == before)
        // Refused before anything was written: the record is still the damaged one.
        #expect(try HistoryStore.openForReading(path: path).verify().problems.map(\.message) == [message])
    }

    @Test func aDroppedRecordIsNamedAsTheMissingTable() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try HistoryReadOnlyTests.history(in: folder)
        try HistoryStore(path: path).rawExecute("DROP TABLE grdb_migrations")
        #expect(try HistoryStore.openForReading(path: path).verify().problems
                == [.init(kind: .damagedSchema, entry: nil, message: "the table grdb_migrations is missing (dropped)")])
        #expect(throws: FairleadError(.invalidData,
                                      "the audit history is damaged (the table grdb_migrations is missing (dropped)); run `fairlead history verify`",
                                      at: SourceLocation(file: path))) {
            try HistoryStore(path: path, create: false).append(try HistoryFixtures.smallReport(seconds: 120))
        }
    }
}
