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
        let applied = try? queue.read { db -> Set<String> in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try migrator.appliedIdentifiers(db)
        }
        return applied?.contains(first) ?? false
    }

    /// Whether `path` is another program's SQLite database: tables of its own and none of
    /// a history's. Looked at read-only, before a writer opens it: opening for writing
    /// switches a file to WAL, which rewrites its header, so even a refusal after opening
    /// would have changed it.
    static func isOtherDatabase(path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size >= 100,
              let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard (try? handle.read(upToCount: 16)) == Data("SQLite format 3\0".utf8) else { return false }
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration),
              let tables = try? queue.read({ try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") })
        else { return false }
        let own = tables.filter { !$0.hasPrefix("sqlite_") && $0 != "grdb_migrations" }
        return !own.isEmpty && !own.contains { name in schema.contains { $0.table == name } }
    }
}
