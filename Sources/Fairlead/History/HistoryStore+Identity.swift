import Foundation
import GRDB

extension HistoryStore {
    /// Whether the file at `path` is a Fairlead audit history: a regular SQLite file whose
    /// migrations table lists this schema's first migration. Read-only: the file (a
    /// history, another database, anything) is never changed by asking, so that
    /// `history init --force` can refuse to replace what is not a history.
    public static func isHistory(path: String) -> Bool {
        guard let first = migrator.migrations.first,
              let found = lookedAtReadOnly(path: path, { db -> (applied: Set<String>, tables: [String]) in
                  let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                  guard tables.contains("grdb_migrations") else { return ([], tables) }
                  return (try migrator.appliedIdentifiers(db), tables)
              })
        else { return false }
        // Another GRDB application's database records a "v1" too: the tables decide.
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

    /// The tables of `tables` that are neither SQLite's own nor GRDB's record of migrations.
    static func ownTables<Tables: Sequence<String>>(_ tables: Tables) -> [String] {
        tables.filter { !$0.hasPrefix("sqlite_") && $0 != "grdb_migrations" }
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
        // Looking leaves nothing beside the file, which may be another program's database.
        let tidy = sideFilesCanBeRemovedAfterReading(path: path)
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return nil }
        let result = try? queue.read(body)
        if tidy { try? queue.close(); removeSideFilesLeftByReading(path: path) }
        return result
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
        // Writers look before they open a file: opening for writing switches it to WAL,
        // which rewrites its header, so even a refusal after opening would have changed it.
        // One read-only look gives the tables and, for a history, what is wrong with its
        // schema as `verify` judges it.
        let look = lookedAtReadOnly(path: path) { db -> (own: [String], refusal: FairleadError?) in
            let own = ownTables(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            guard looksLikeHistory(tables: own) else { return (own, nil) }
            return (own, try schemaRefusal(db, path: path))
        }
        guard let look else { return nil }  // not an SQLite file that opens: SQLite says what it is
        if !look.own.isEmpty && !looksLikeHistory(tables: look.own) { return otherDatabase(path: path) }
        if look.own.isEmpty && !create { return notAHistory(path: path, "an SQLite file without tables") }
        // A history of a newer Fairlead, or a damaged one (a table or column that a recorded
        // migration made is gone, or the record disagrees with the tables): refused before
        // the writer opens it, so that the evidence keeps every byte. A writer migrated past
        // a missing column and then failed on it (`table entry has no column named reruns`).
        return look.refusal
    }

    /// Why a writer must not open `path`, or `nil`: it is a symbolic link. A writer that
    /// followed one would create or change a history wherever the link points — a
    /// dangling link made a new history in another folder — so a writer, like
    /// `history init`, takes the file's own path only. Readers follow links. SQLite's
    /// side files (`-wal`, `-shm`, `-journal`) beside it are written as well, so a link in
    /// their place is refused the same way.
    static func refusalOfSymbolicLink(path: String) -> FairleadError? {
        func isLink(_ path: String) -> Bool {
            var status = stat()
            return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
        }
        if isLink(path) {
            return FairleadError(.usage, "not a regular file (a symbolic link); an audit history is a regular SQLite file, "
                                 + "written at its own path, never through a link", at: SourceLocation(file: path))
        }
        for suffix in sideFileSuffixes where isLink(path + suffix) {
            return FairleadError(.usage, "its SQLite side file \"\(MessageQuote.clipped((path as NSString).lastPathComponent + suffix))\" "
                                 + "is a symbolic link; SQLite writes that file beside the history, and a writer never "
                                 + "writes through a link: remove the link", at: SourceLocation(file: path))
        }
        return nil
    }

    /// The side files SQLite writes beside a history, as suffixes of its path: the
    /// write-ahead log, its shared-memory index, the rollback journal.
    public static let sideFileSuffixes = ["-wal", "-shm", "-journal"]

    /// A file a writer found that holds no history.
    static func notAHistory(path: String, _ what: String) -> FairleadError {
        FairleadError(.invalidData, "not a Fairlead audit history: \(what)", at: SourceLocation(file: path))
    }
}
