import FairleadCore
import Foundation
import GRDB

extension HistoryStore {
    /// What every command but `verify` says of a damaged history: bad input, and where to
    /// look further.
    static func damagedMessage(_ reason: String) -> String {
        "the audit history is damaged (\(reason)); run `fairlead history verify`"
    }

    /// Refuses a history whose tables, columns or record of migrations are not as its
    /// migrations made them — what `verify` reports as `damaged_schema` — for the commands
    /// that read it without verifying it (`show`, `ledger`, a dry run of `redact`): a
    /// deleted row of `grdb_migrations` changes no query, so they answered as if intact.
    ///
    /// - Throws: `FairleadError(.invalidData)` naming the first problem and saying to run
    ///   `fairlead history verify`.
    public func requireIntactSchema() throws {
        if let damage = try read({ try Self.schemaDamage($0) }).first {
            throw FairleadError(.invalidData, Self.damagedMessage(damage), at: SourceLocation(file: path))
        }
    }

    /// Opens an existing history read-only, for `show` and `verify`: the file is evidence,
    /// and reading it must not change a byte of it.
    ///
    /// SQLite is asked for a read-only connection, so no statement, journal-mode switch or
    /// checkpoint can write to the file, whoever runs it (root included). A history in WAL
    /// mode is read together with its `-wal` file; in a folder Fairlead may not write to,
    /// where SQLite cannot make the `-shm` index it reads the log through, a history
    /// without a `-wal` file is opened as immutable (the main file alone is the history).
    ///
    /// - Throws: `FairleadError(.usage)` when the file is missing or not a regular file;
    ///   `.invalidData` when it is empty, not an SQLite database, an SQLite database with
    ///   none of the history's tables, or written by a newer Fairlead; `.invalidData` saying
    ///   to run `verify` when SQLite finds the file damaged (a truncated or overwritten
    ///   page). A history with a table missing opens: ``verify(expectingHead:)`` names the
    ///   damage, and ``verify(path:expectingHead:)`` a damaged file too.
    public static func openForReading(path: String, limits: Limits = Limits()) throws -> HistoryStore {
        do {
            return try openForReadingUnlessDamaged(path: path, limits: limits)
        } catch let damaged as DamagedFile {
            throw FairleadError(.invalidData, damagedMessage(damaged.reason), at: SourceLocation(file: path))
        }
    }

    /// A file SQLite cannot read although it is an SQLite file (`SQLITE_CORRUPT`: a torn,
    /// truncated or overwritten page), found while opening it: `verify` reports it as
    /// damage, every other command refuses it.
    struct DamagedFile: Error {
        /// SQLite's words (`database disk image is malformed`).
        var reason: String
    }

    /// ``openForReading(path:)``, throwing ``DamagedFile`` when SQLite finds the file damaged.
    static func openForReadingUnlessDamaged(path: String, limits: Limits = Limits()) throws -> HistoryStore {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw FairleadError(.usage, "no audit history here; `fairlead audit --history` creates one", at: SourceLocation(file: path))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw FairleadError(.usage, "not a file; an audit history is an SQLite file", at: SourceLocation(file: path))
        }
        guard info.st_size > 0 else {
            throw FairleadError(.invalidData, "not a Fairlead audit history: the file is empty", at: SourceLocation(file: path))
        }
        do {
            let tidy = sideFilesCanBeRemovedAfterReading(path: path)
            let queue = try openReadOnly(path: path)
            do {
                try queue.read { db in try checkIsReadableHistory(db, path: path) }
            } catch {
                if tidy { try? queue.close(); removeSideFilesLeftByReading(path: path) }
                throw error
            }
            return HistoryStore(path: path, readOnlyConnection: queue, limits: limits, removesSideFilesOnClose: tidy)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
            throw DamagedFile(reason: "SQLite: " + (error.message ?? "\(error.resultCode)"))
        } catch let error as FairleadError {
            throw error
        } catch {
            throw fairleadError(error, path: path)
        }
    }

    /// Refuses a file that holds none of the history's tables, or a newer Fairlead's history.
    private static func checkIsReadableHistory(_ db: Database, path: String) throws {
        let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        guard looksLikeHistory(tables: tables) else {
            throw FairleadError(.invalidData,
                                tables.isEmpty ? "not a Fairlead audit history: an SQLite file without tables"
                                               : "not a Fairlead audit history: an SQLite file with other tables",
                                at: SourceLocation(file: path))
        }
        if let unknown = try? newerMigration(db) {
            throw newerFairlead(unknown, path: path)
        }
    }

    /// A read-only connection; immutable when SQLite cannot open the WAL index beside a
    /// history that has no log to read.
    private static func openReadOnly(path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "fairlead.history.readonly"
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            // Opening is lazy about the file; the first read finds out whether it can be read.
            _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            return queue
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN {
            let log = path + "-wal"
            var info = stat()
            if stat(log, &info) == 0, info.st_size > 0 {
                throw FairleadError(.usage,
                                    "cannot read the history's write-ahead log (\(log)) read-only: SQLite needs to create \(path)-shm beside it; copy the history, its -wal and -shm files to a folder you can write to and verify the copy",
                                    at: SourceLocation(file: path))
            }
            let queue = try DatabaseQueue(path: "file:" + uriEscaped(path) + "?immutable=1", configuration: configuration)
            _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            return queue
        }
    }

    /// Whether none of SQLite's side files exists beside `path`, and `path` and its folder
    /// may be written: then the side files a read-only connection makes can be removed
    /// after it closes (``removeSideFilesLeftByReading(path:)``).
    static func sideFilesCanBeRemovedAfterReading(path: String) -> Bool {
        var status = stat()
        for suffix in sideFileSuffixes where lstat(path + suffix, &status) == 0 { return false }
        let folder = (path as NSString).deletingLastPathComponent
        return access(path, R_OK | W_OK) == 0 && access(folder.isEmpty ? "." : folder, W_OK | X_OK) == 0
    }

    /// Removes the `-wal` and `-shm` files a read-only connection made beside `path`, once
    /// it is closed.
    ///
    /// A read-only connection to a file in WAL mode makes the files it reads the log
    /// through and cannot remove them when it closes: `history show` left two files beside
    /// the history (a CI job committing its folder saw them), and a refused command left
    /// them beside another program's database. SQLite removes them when the last
    /// connection that may write closes, having written back what the log holds (nothing:
    /// this is asked only when no side file existed before the read, so the log is the
    /// empty one the read made, or one a concurrent writer fills, which it may write back
    /// itself). So a connection that may write opens, reads (GRDB reads under
    /// `PRAGMA query_only`), and closes; when another connection is open it leaves the
    /// files, as SQLite does, for the last one.
    static func removeSideFilesLeftByReading(path: String) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(1)
        configuration.label = "fairlead.history.tidy"
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return }
        _ = try? queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        try? queue.close()
    }

    /// `path` with the characters an SQLite URI gives a meaning to percent-encoded.
    private static func uriEscaped(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }
}
