import FairleadCore
import GRDB

extension HistoryStore {
    /// Runs SQL statements outside any check: how the tamper tests edit a history as
    /// someone with the `sqlite3` shell would. Not public.
    func rawExecute(_ sql: String) throws {
        try pool.write { db in try db.execute(sql: sql) }
    }

    /// The integers the first column of `sql` gives.
    func rawIntegers(_ sql: String) throws -> [Int64] {
        try pool.read { db in try Int64.fetchAll(db, sql: sql) }
    }

    /// The text of the first row's first column of `sql`.
    func rawText(_ sql: String) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: sql) }
    }
}
