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
            let queue = try openReadOnly(path: path)
            try queue.read { db in try checkIsReadableHistory(db, path: path) }
            return HistoryStore(path: path, readOnlyConnection: queue, limits: limits)
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

    /// `path` with the characters an SQLite URI gives a meaning to percent-encoded.
    private static func uriEscaped(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }
}
