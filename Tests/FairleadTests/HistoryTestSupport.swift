import Foundation
import GRDB
@testable import Fairlead

/// Reports and temporary histories shared by the history tests.
enum HistoryFixtures {
    /// A fresh folder for a history file; the caller removes it.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The leads sample audited at threshold 0.3 without bootstrap: about 600 metric rows.
    static let leadsReport: AuditReport = {
        var profile = AuditFixtures.goldenProfile(bootstrap: 0)
        profile.intersections = []
        do {
            return try Audit(profile: profile, threads: 1, clock: AuditFixtures.fixedClock).run()
        } catch {
            preconditionFailure("the leads sample audits: \(error)")
        }
    }()

    /// The small hand-made data of AuditBehaviourTests, audited: a report with few rows.
    static func smallReport(name: String = "t", seconds: Double = 0) throws -> AuditReport {
        var profile = AuditBehaviourTests.profile()
        profile.name = name
        let path = try AuditFixtures.temporaryCSV(AuditBehaviourTests.csv)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        return try Audit(profile: profile, dataPath: path, threads: 1,
                         clock: { Date(timeIntervalSince1970: 1_795_000_000 + seconds) }).run()
    }

    /// A history as a Fairlead from before re-runs wrote it, at `folder/old.sqlite`, and its
    /// entries: the history's own migrator ran its first migration only ("v1"), so
    /// `grdb_migrations` lists v1 alone and `entry` has no `reruns` column. The entries are
    /// `reports` appended by ``HistoryStore/append(_:asOf:completes:reruns:recordedAt:)`` to a
    /// current history beside it and copied over column by column: an entry that re-runs
    /// none hashes as one written before re-runs were recorded, so they are the rows an
    /// older Fairlead wrote. The file is in WAL mode and closed, as a writer leaves it.
    static func historyBeforeReruns(in folder: URL, reports: [AuditReport]) throws -> (path: String, entries: [HistoryEntry]) {
        let current = folder.appendingPathComponent("current.sqlite").path
        let store = try HistoryStore(path: current)
        let entries = try reports.enumerated().map { index, report in
            try store.append(report, recordedAt: Date(timeIntervalSince1970: 1_800_000_000 + 60 * Double(index)))
        }
        let path = folder.appendingPathComponent("old.sqlite").path
        let columns = (HistoryStore.schema(of: [HistoryStore.firstMigration]).first { $0.table == "entry" }?.columns ?? [])
            .joined(separator: ", ")
        let pool = try DatabasePool(path: path)
        try HistoryStore.migrator.migrate(pool, upTo: HistoryStore.firstMigration)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS current", arguments: [current])
            try db.inTransaction {
                try db.execute(sql: """
                    INSERT INTO main.entry (\(columns)) SELECT \(columns) FROM current.entry ORDER BY id;
                    INSERT INTO main.metric SELECT * FROM current.metric;
                    UPDATE main.chain_head SET sequence = (SELECT sequence FROM current.chain_head),
                                               entry_hash = (SELECT entry_hash FROM current.chain_head);
                    """)
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE current")
        }
        try pool.close()
        return (path, entries)
    }
}
