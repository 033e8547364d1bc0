import Foundation
import GRDB

extension HistoryStore {
    /// Whether the file at `path` is a Fairlead audit history: a regular SQLite file whose
    /// migrations table lists this schema's first migration. Read-only: the file (a
    /// history, another database, anything) is never changed by asking, so that
    /// `history init --force` can refuse to replace what is not a history.
    public static func isHistory(path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size >= 100,
              let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 16)) ?? Data()
        guard magic == Data("SQLite format 3\0".utf8) else { return false }
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration),
              let first = migrator.migrations.first else { return false }
        let found = try? queue.read { db -> (applied: Set<String>, tables: [String]) in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            guard tables.contains("grdb_migrations") else { return ([], tables) }
            return (try migrator.appliedIdentifiers(db), tables)
        }
        // Another GRDB application's database records a "v1" too: the tables decide.
        guard let found else { return false }
        return found.applied.contains(first) && looksLikeHistory(tables: found.tables)
    }

    /// The tables every history holds from its first migration; a file with at least two
    /// of them is a history, perhaps a damaged one, and one with fewer is not (another
    /// program may well have a table called `entry`, or a `grdb_migrations` of its own).
    static let historyTables: Set<String> = ["entry", "metric", "chain_head"]

    /// Whether `tables` (a file's) are a history's, perhaps a damaged one's.
    static func looksLikeHistory<Tables: Sequence<String>>(tables: Tables) -> Bool {
        tables.filter { historyTables.contains($0) }.count >= 2
    }

    /// The tables of the SQLite file at `path`, looked at read-only; `nil` when it is not
    /// a regular SQLite file that opens (empty, another format, damaged). Writers look
    /// before they open a file: opening for writing switches it to WAL, which rewrites its
    /// header, so even a refusal after opening would have changed it.
    static func tablesLookedAtReadOnly(path: String) -> [String]? {
        lookedAtReadOnly(path: path) { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
    }

    /// `body` on a read-only connection to the regular SQLite file at `path`; `nil` when
    /// it is not one, does not open, or `body` throws.
    static func lookedAtReadOnly<Result>(path: String, _ body: (Database) throws -> Result) -> Result? {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size >= 100,
              let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard (try? handle.read(upToCount: 16)) == Data("SQLite format 3\0".utf8) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return nil }
        return try? queue.read(body)
    }

    /// Why a writer must not open the existing file at `path`, or `nil`: another program's
    /// database (tables of its own and not a history's), or — unless the writer creates a
    /// history where there is none (`create`) — an empty file or one without tables.
    static func refusalBeforeWriting(path: String, create: Bool) -> FairleadError? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        if status.st_size == 0 {
            return create ? nil : notAHistory(path: path, "an empty file")
        }
        guard let tables = tablesLookedAtReadOnly(path: path) else { return nil }  // SQLite says what it is
        let own = tables.filter { !$0.hasPrefix("sqlite_") && $0 != "grdb_migrations" }
        if !own.isEmpty && !looksLikeHistory(tables: own) { return otherDatabase(path: path) }
        if own.isEmpty && !create { return notAHistory(path: path, "an SQLite file without tables") }
        // A history whose record of migrations disagrees with its tables: refused before
        // the writer opens it, so that the evidence keeps every byte.
        if looksLikeHistory(tables: own) {
            let damage: String?? = tables.contains("grdb_migrations")
                ? lookedAtReadOnly(path: path, migrationRecordDamage) : .some("the table grdb_migrations is missing (dropped)")
            if case let damage?? = damage {
                return FairleadError(.invalidData, damagedMessage(damage), at: SourceLocation(file: path))
            }
        }
        return nil
    }

    /// A file a writer found that holds no history.
    static func notAHistory(path: String, _ what: String) -> FairleadError {
        FairleadError(.invalidData, "not a Fairlead audit history: \(what)", at: SourceLocation(file: path))
    }
}
