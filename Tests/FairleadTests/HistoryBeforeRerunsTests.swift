import Foundation
import GRDB
import Testing
@testable import Fairlead

/// A history written before re-runs were recorded: `grdb_migrations` lists v1 alone and
/// `entry` has no `reruns` column (``HistoryFixtures/historyBeforeReruns(in:reports:)``
/// makes one with the first migration only). It is intact, read as it is without a byte
/// changed, and migrated by the first writer; `verify` called it damaged, and every
/// reader failed on `no such column: reruns`.
@Suite struct HistoryBeforeRerunsTests {
    static func reports() throws -> [AuditReport] {
        [try HistoryFixtures.smallReport(name: "weekly", seconds: 0), try HistoryFixtures.smallReport(name: "weekly", seconds: 60),
         try HistoryFixtures.smallReport(name: "nightly", seconds: 120)]
    }

    @Test func itVerifiesIntactAndEveryReaderReadsItWithoutChangingAByte() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reports = try Self.reports()
        let (path, entries) = try HistoryFixtures.historyBeforeReruns(in: folder, reports: reports)
        let before = try HistoryReadOnlyTests.fingerprint(path)
        Thread.sleep(forTimeInterval: 1.1)

        let verification = try HistoryStore.verify(path: path)
        #expect(verification.problems == [])
        #expect(verification.isIntact && verification.entryCount == 3)
        #expect(verification.head == entries[2].entryHash)
        let store = try HistoryStore.openForReading(path: path)
        #expect(try store.rawText("SELECT group_concat(identifier) FROM grdb_migrations") == "v1")
        #expect(try store.rawIntegers("SELECT count(*) FROM pragma_table_info('entry') WHERE name = 'reruns'") == [0])
        try store.requireIntactSchema()
        #expect(try store.verify(expectingHead: entries[0].entryHash).isIntact)
        #expect(try store.entries() == entries)
        #expect(try store.entries(profile: "nightly") == [entries[2]])
        #expect(try store.entry(2) == entries[1])
        #expect(try store.entries().allSatisfy { $0.reruns == nil })
        #expect(try store.report(of: 1) == reports[0])
        #expect(try store.metricRows(of: 3) == HistoryMetricRow.rows(of: reports[2]))
        #expect(entries[1].status == .noRules && entries[1].driftStatus == nil)
        #expect(try store.lastPassing(profile: "weekly") == entries[1])
        #expect(try DriftBaseline.entry(2, in: store).report == reports[1])
        let asOf = try HistoryTime.parse(entries[1].asOf, option: "as_of")
        #expect(try store.earlierRun(of: reports[1], asOf: asOf) == entries[1])
        #expect(try store.redactionCandidates(before: Date(timeIntervalSince1970: 1_800_000_061)) == [entries[0], entries[1]])
        #expect(try store.privacyLedger().isEmpty)
        #expect(try store.redactions().isEmpty)
        let trend = try HistoryTrend(history: store, metric: "selection_rate")
        #expect(trend.tables.map(\.profile).sorted() == ["nightly", "weekly"])
        #expect(try HTMLHistoryRendering.render(history: store).contains("weekly"))

        let after = try HistoryReadOnlyTests.fingerprint(path)
        #expect(after.sha256 == before.sha256)
        #expect(after.modified == before.modified)
    }

    /// The entry hash covers `reruns` only when an entry re-runs another, so an older
    /// entry's hash is the formula without it: an edit is found as on any history.
    @Test(arguments: [
        ("UPDATE entry SET recorded_at = '2027-01-15T08:00:00.001Z' WHERE id = 2", [HistoryVerification.Problem.Kind.editedEntry], [Int64(2)]),
        ("UPDATE entry SET completes = 1 WHERE id = 3", [.editedEntry], [3]),
        // A link to no earlier entry is part of the one edit (it was a second problem).
        ("UPDATE entry SET completes = 9 WHERE id = 3", [.editedEntry], [3]),
        ("UPDATE entry SET report_json = CAST('{}' AS BLOB) WHERE id = 1", [.editedReport], [1]),
        ("UPDATE metric SET value = value + 0.125 WHERE entry_id = 3 AND metric = 'selection_rate' AND group_name = 'a'", [.editedMetricRow], [3]),
        ("DELETE FROM entry WHERE id = 2", [.deletedEntry, .deletedEntry], [3, 2]),
    ])
    func anEditIsFound(sql: String, kinds: [HistoryVerification.Problem.Kind], entries: [Int64]) throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (path, _) = try HistoryFixtures.historyBeforeReruns(in: folder, reports: try Self.reports())
        try Self.edit(path, sql)
        let problems = try HistoryStore.verify(path: path).problems
        #expect(problems.map(\.kind) == kinds)
        #expect(problems.map(\.entry) == entries)
    }

    @Test func aWriterMigratesItAndItStaysIntact() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reports = try Self.reports()
        let (path, entries) = try HistoryFixtures.historyBeforeReruns(in: folder, reports: reports)
        let store = try HistoryStore(path: path, create: false)
        #expect(try store.rawText("SELECT group_concat(identifier) FROM grdb_migrations") == "v1,v2,v-privacy-ledger,v-redaction")
        #expect(try store.entries() == entries)
        #expect(try store.verify().isIntact)
        let rerun = try store.append(reports[1], asOf: try HistoryTime.parse(entries[1].asOf, option: "as_of"), reruns: 2,
                                     recordedAt: Date(timeIntervalSince1970: 1_800_000_600))
        #expect(rerun.id == 4 && rerun.reruns == 2 && rerun.previousHash == entries[2].entryHash)
        let verification = try HistoryStore.verify(path: path)
        #expect(verification.problems == [])
        #expect(verification.entryCount == 4 && verification.head == rerun.entryHash)
        #expect(try HistoryStore.openForReading(path: path).entries() == entries + [rerun])
    }

    @Test func itIsRedactedAfterMigrating() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (path, _) = try HistoryFixtures.historyBeforeReruns(in: folder, reports: try Self.reports())
        try HistoryStore.verifyBeforeRedacting(path: path)
        let redaction = try HistoryStore(path: path, create: false).redact(before: Date(timeIntervalSince1970: 1_800_000_061))
        #expect(redaction?.entries.map(\.entry) == [1, 2])
        let verification = try HistoryStore.verify(path: path)
        #expect(verification.problems == [])
        #expect(verification.redacted.map(\.entry) == [1, 2])
    }

    /// The record decides what the file must hold; a record and tables that disagree
    /// are damage, named as such, and refused by writers before they migrate.
    @Test(arguments: [
        // A column of v2 there while v2 is not recorded.
        ("ALTER TABLE entry ADD COLUMN reruns INTEGER",
         ["the migrations are not as recorded: grdb_migrations lacks v2, yet the column entry.reruns is there (its row was deleted)"]),
        // v2 recorded while its column is missing.
        ("INSERT INTO grdb_migrations (identifier) VALUES ('v2')",
         ["the table entry lacks the column reruns"]),
        // v2 without v1.
        ("UPDATE grdb_migrations SET identifier = 'v2'; ALTER TABLE entry ADD COLUMN reruns INTEGER",
         ["the migrations are not as recorded: grdb_migrations lacks v1, yet the tables entry, metric and chain_head are there (its row was deleted)"]),
        // A later migration recorded, and its table there, without the one before it.
        ("INSERT INTO grdb_migrations (identifier) VALUES ('v-privacy-ledger'); CREATE TABLE privacy_ledger (id INTEGER PRIMARY KEY NOT NULL, recorded_at TEXT NOT NULL, data_sha256 TEXT NOT NULL, profile TEXT NOT NULL, mechanism TEXT NOT NULL, epsilon_nanos INTEGER NOT NULL, budget_nanos INTEGER NOT NULL, previous_hash TEXT NOT NULL, row_hash TEXT NOT NULL)",
         ["the migrations are not as recorded: grdb_migrations lists v-privacy-ledger but not v2, which comes before it"]),
    ])
    func aRecordThatDisagreesWithTheTablesIsDamage(sql: String, messages: [String]) throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (path, _) = try HistoryFixtures.historyBeforeReruns(in: folder, reports: try Self.reports())
        try Self.edit(path, sql)
        let verification = try HistoryStore.verify(path: path)
        #expect(verification.problems == messages.map { .init(kind: .damagedSchema, entry: nil, message: $0) })
        #expect(verification.entryCount == 3 && verification.head.isEmpty)
        let refused = FairleadError(.invalidData, HistoryStore.damagedMessage(messages[0]), at: SourceLocation(file: path))
        #expect(throws: refused) { try HistoryStore.openForReading(path: path).requireIntactSchema() }
        let before = try HistoryReadOnlyTests.fingerprint(path).sha256
        #expect(throws: refused) { try HistoryStore(path: path, create: false).append(try HistoryFixtures.smallReport(seconds: 600)) }
        #expect(try HistoryReadOnlyTests.fingerprint(path).sha256 == before)
    }

    /// A migration this Fairlead does not know is a newer Fairlead's: said so, to readers
    /// and writers alike, and the file is left as it was.
    @Test func aNewerFairleadsMigrationIsSaidPlainly() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (path, _) = try HistoryFixtures.historyBeforeReruns(in: folder, reports: try Self.reports())
        try Self.edit(path, "INSERT INTO grdb_migrations (identifier) VALUES ('v3')")
        let before = try HistoryReadOnlyTests.fingerprint(path).sha256
        let newer = FairleadError(.invalidData, "the history was written by a newer Fairlead (schema v3); upgrade Fairlead to read it",
                                  at: SourceLocation(file: path))
        #expect(throws: newer) { _ = try HistoryStore.verify(path: path) }
        #expect(throws: newer) { _ = try HistoryStore.openForReading(path: path) }
        #expect(throws: newer) { try HistoryStore(path: path, create: false).append(try HistoryFixtures.smallReport(seconds: 600)) }
        #expect(try HistoryReadOnlyTests.fingerprint(path).sha256 == before)
    }

    /// Edits the file as the `sqlite3` shell would: SQL on a plain connection, no migration.
    static func edit(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try $0.execute(sql: sql) }
        try queue.close()
    }
}
