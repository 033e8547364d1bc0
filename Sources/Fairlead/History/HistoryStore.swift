import FairleadCore
import Foundation
import GRDB

/// The audit history: an append-only SQLite file (through GRDB) holding every report
/// whole, its numbers as indexed rows, and a hash chain that makes edits evident.
///
///     let history = try HistoryStore(path: "audits.sqlite")          // created when missing
///     let entry = try history.append(report)                         // one transaction
///     let problems = try history.verify().problems                   // [] when intact
///
/// Several processes may append at once: the file is in WAL mode, a writer waits up to
/// ``busyTimeout`` for another's transaction, and each append is one IMMEDIATE
/// transaction, so entries get consecutive ids and a process killed mid-append leaves
/// nothing of its entry behind. docs/history.md describes the tables.
public final class HistoryStore: Sendable {
    /// The file as given.
    public let path: String
    /// A `DatabaseQueue` when opened for appending (the file in WAL mode), a read-only one when opened
    /// by ``openForReading(path:)``.
    let pool: any DatabaseWriter
    let fault: InjectedFault?
    /// Whether the file was opened read-only (``openForReading(path:)``): SQLite then
    /// refuses every write, so reading and verifying cannot change a byte of it.
    public let isReadOnly: Bool
    /// The limits its reports are read within: each is decoded once planned within
    /// `limits.memoryBudgetBytes` (``report(of:)``).
    public let limits: Limits

    /// How long a writer waits for another writer's transaction before giving up.
    public static let busyTimeout: TimeInterval = 30

    /// A failure injected into ``append(_:asOf:completes:reruns:recordedAt:)`` after some metric
    /// rows are written, to test that a failed or killed append leaves no partial entry.
    enum InjectedFault: Sendable, Equatable {
        /// Throw after this many metric rows (the transaction rolls back).
        case throwAfterRows(Int)
        /// Kill the process with SIGKILL after this many metric rows (SQLite recovers
        /// from its journal on the next open).
        case killAfterRows(Int)
    }

    /// Opens the history at `path`.
    ///
    /// - Parameter create: make the file (and its tables) when it does not exist; when
    ///   `false`, a missing file is an error.
    /// - Parameter limits: what its reports are read within (``report(of:)``).
    /// - Throws: `FairleadError(.usage)` when the file is missing and `create` is false,
    ///   `.invalidData` when it is not a Fairlead history or was written by a newer Fairlead.
    public convenience init(path: String, create: Bool = true, limits: Limits = Limits()) throws {
        #if DEBUG
        // The killed-writer test's fault injection; release builds do not read it.
        let fault = ProcessInfo.processInfo.environment["FAIRLEAD_HISTORY_KILL_AFTER_ROWS"].flatMap(Int.init)
            .map(InjectedFault.killAfterRows)
        #else
        let fault: InjectedFault? = nil
        #endif
        try self.init(path: path, create: create, fault: fault, limits: limits)
    }

    /// Whether closing removes the side files the read-only connection made
    /// (``removeSideFilesLeftByReading(path:)``).
    let removesSideFilesOnClose: Bool

    /// A store over an open connection (``openForReading(path:)``).
    init(path: String, readOnlyConnection: DatabaseQueue, limits: Limits, removesSideFilesOnClose: Bool = false) {
        self.path = path
        self.limits = limits
        self.fault = nil
        self.pool = readOnlyConnection
        self.isReadOnly = true
        self.removesSideFilesOnClose = removesSideFilesOnClose
    }

    deinit {
        guard removesSideFilesOnClose, let queue = pool as? DatabaseQueue else { return }
        try? queue.close()
        Self.removeSideFilesLeftByReading(path: path)
    }

    init(path: String, create: Bool, fault: InjectedFault?, limits: Limits = Limits()) throws {
        self.path = path
        self.limits = limits
        self.fault = fault
        self.isReadOnly = false
        self.removesSideFilesOnClose = false
        if let refusal = Self.refusalOfSymbolicLink(path: path) { throw refusal }
        let exists = FileManager.default.fileExists(atPath: path)
        guard exists || create else {
            throw FairleadError(.usage, "no audit history here; `fairlead audit --history` creates one", at: SourceLocation(file: path))
        }
        // A FIFO, a device or a folder is no history: SQLite would fail on it with an I/O
        // error after making its journal beside it (`/dev/null-journal`, as root).
        var info = stat()
        if exists, stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw FairleadError(.usage, "not a file; an audit history is an SQLite file", at: SourceLocation(file: path))
        }
        if exists, let refusal = Self.refusalBeforeWriting(path: path, create: create) {
            throw refusal
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "fairlead.history"
        configuration.prepareDatabase { db in
            // An audit trail must survive a power loss too, not only a crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        // Processes that open a new history at the same moment race to switch it to WAL and
        // to create the tables; SQLite answers some of those races with an immediate
        // SQLITE_BUSY rather than waiting, so opening is retried until the busy timeout.
        let deadline = Date().addingTimeInterval(Self.busyTimeout)
        while true {
            do {
                // A queue, not a pool: GRDB's pool writes on every open (it creates and drops
                // a table to make a WAL file), so that a command refused before appending
                // (`history label --entry 99`, an audit of a missing file) still changed the
                // history's bytes and SHA-256 — a CI job committing it saw a change. The
                // file stays in WAL mode (set when it is created, kept by SQLite), and other
                // processes read it while this one writes.
                let opened = try DatabaseQueue(path: path, configuration: configuration)
                try Self.migrate(opened, path: path, create: create || !exists)
                pool = opened
                return
            } catch let error as DatabaseError where Self.isBusy(error) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            } catch let error as FairleadError {
                throw error
            } catch {
                throw Self.fairleadError(error, path: path)
            }
        }
    }

    /// Whether `error` is SQLite's busy or locked answer (extended codes included).
    static func isBusy(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// Creates the tables, or checks that an existing file holds a history this version
    /// reads. Database errors are thrown as they are (the caller retries busy ones).
    private static func migrate(_ pool: DatabaseQueue, path: String, create: Bool) throws {
        let migrator = Self.migrator
        func snapshot() throws -> (Set<String>, [String]) {
            try pool.read { db -> (Set<String>, [String]) in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                guard tables.contains("grdb_migrations") else { return ([], tables) }
                return (try migrator.appliedIdentifiers(db), tables)
            }
        }
        var (applied, tables) = try snapshot()
        // A process creating the history at the same moment can be seen half-way (its
        // tables before its migration's record): look again for up to two seconds before
        // calling the file damaged.
        var attempts = 0
        while create, applied.isEmpty, tables.contains(where: { name in schema.contains { $0.table == name } }), attempts < 40 {
            attempts += 1
            usleep(50_000)
            (applied, tables) = try snapshot()
        }
        let known = Set(migrator.migrations)
        if let unknown = applied.subtracting(known).sorted().first {
            throw newerFairlead(unknown, path: path)
        }
        if applied == known { return }
        let isHistory = looksLikeHistory(tables: tables)
        if isHistory {
            // Migrating runs every migration grdb_migrations lacks: over tables that are
            // still there it would fail half-way (`table redaction already exists`).
            let damage = tables.contains("grdb_migrations") ? try pool.read(migrationRecordDamage)
                                                            : "the table grdb_migrations is missing (dropped)"
            if let damage {
                throw FairleadError(.invalidData, damagedMessage(damage),
                                    at: SourceLocation(file: path))
            }
        } else if !ownTables(tables).isEmpty {
            throw otherDatabase(path: path)
        } else if !create {
            // Only a command that creates a history where there is none makes one of an
            // empty file (`audit --history`); redact and label found nothing to work on.
            throw notAHistory(path: path, "an SQLite file without tables")
        }
        do {
            // WAL (readers never wait for the writer, nor it for them), persistent in the file.
            try pool.writeWithoutTransaction { db in
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                if mode?.lowercased() != "wal" {
                    throw DatabaseError(message: "could not switch the history to WAL mode (journal mode \(mode ?? "unknown"))")
                }
            }
            try migrator.migrate(pool)
        } catch {
            // Another process may have created the tables between our check and
            // our migration; that is success.
            let done = try pool.read { db in try db.tableExists("grdb_migrations") && migrator.hasCompletedMigrations(db) }
            if !done { throw error }
        }
    }

    /// Another program's database, refused by every writer: never made into a history,
    /// even by a command that creates one where there is none (`audit --history` added its
    /// tables beside the others and appended).
    static func otherDatabase(path: String) -> FairleadError {
        FairleadError(.invalidData, "not a Fairlead audit history (an SQLite file with other tables); give a new path or one `fairlead history init` made",
                      at: SourceLocation(file: path))
    }

    /// The schema, versioned by GRDB migrations (`grdb_migrations` lists those applied).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(firstMigration) { db in
            try db.execute(sql: """
                CREATE TABLE entry (
                    id INTEGER PRIMARY KEY NOT NULL,
                    recorded_at TEXT NOT NULL,
                    as_of TEXT NOT NULL,
                    profile TEXT NOT NULL,
                    status TEXT NOT NULL,
                    drift_status TEXT,
                    completes INTEGER,
                    report_json BLOB NOT NULL,
                    report_sha256 TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    entry_hash TEXT NOT NULL
                );
                CREATE INDEX entry_by_profile ON entry(profile, id);
                CREATE TABLE metric (
                    entry_id INTEGER NOT NULL,
                    profile TEXT NOT NULL,
                    decision TEXT NOT NULL,
                    attribute TEXT NOT NULL,
                    group_name TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    value REAL,
                    lower REAL,
                    upper REAL,
                    time TEXT NOT NULL,
                    PRIMARY KEY (entry_id, decision, attribute, group_name, metric)
                ) WITHOUT ROWID;
                CREATE INDEX metric_trend ON metric(metric, profile, time);
                CREATE TABLE chain_head (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    sequence INTEGER NOT NULL,
                    entry_hash TEXT NOT NULL
                );
                INSERT INTO chain_head (singleton, sequence, entry_hash) VALUES (1, 0, '\(HistoryEntry.genesisHash)');
                """)
        }
        // v2: an entry may re-run an earlier one (`fairlead audit --rerun`).
        migrator.registerMigration(rerunsMigration) { db in
            try db.execute(sql: "ALTER TABLE entry ADD COLUMN reruns INTEGER")
        }
        // The privacy budget ledger of differentially private releases (docs/privacy.md).
        migrator.registerMigration(privacyLedgerMigration) { db in
            try createPrivacyLedger(db)
        }
        // Redactions of old reports (`fairlead history redact`, docs/history.md).
        migrator.registerMigration(redactionMigration) { db in
            try createRedactionTables(db)
        }
        return migrator
    }

    // MARK: - Appending

    /// Appends `report` as the next entry, with its metric rows, in one transaction.
    ///
    /// - Parameters:
    ///   - asOf: the time the audited data describes; the report's `generated_at` when `nil`.
    ///   - completes: the entry this report completes with late labels.
    ///   - reruns: the earlier entry this one re-runs (``earlierRun(of:asOf:)``).
    ///   - recordedAt: the append time (fixed in tests).
    /// - Throws: `FairleadError(.invalidData)` when the chain head does not match the last
    ///   entry (the history was edited: run `verify`); `.usage` for an `asOf` with a
    ///   fraction of a second (``HistoryTime/requireWholeSecond(_:option:)``) or outside
    ///   the years 0001 to 9999 in UTC.
    @discardableResult
    public func append(_ report: AuditReport, asOf: Date? = nil, completes: Int64? = nil, reruns: Int64? = nil,
                       recordedAt: Date = Date()) throws -> HistoryEntry {
        if let asOf {
            try HistoryTime.requireWholeSecond(asOf, option: "as_of")
            _ = try HistoryTime.requireInRange(asOf, text: HistoryTime.preciseString(asOf), option: "as_of")
        }
        let json = try report.jsonData()
        let reportSHA256 = ContentDigest.sha256(json)
        let asOfText = Self.asOfText(asOf, report: report)
        let recordedText = HistoryTime.preciseString(recordedAt)
        let rows = HistoryMetricRow.rows(of: report)
        do {
            return try pool.writeWithoutTransaction { db in
                var entry: HistoryEntry?
                try db.inTransaction(.immediate) {
                    guard let head = try Row.fetchOne(db, sql: "SELECT sequence, entry_hash FROM chain_head WHERE singleton = 1") else {
                        throw FairleadError(.invalidData, "the history has no chain head; run `fairlead history verify`", at: SourceLocation(file: path))
                    }
                    let headSequence: Int64 = try Self.column(head, "sequence")
                    let headHash: String = try Self.column(head, "entry_hash")
                    let last = try Row.fetchOne(db, sql: "SELECT id, entry_hash FROM entry ORDER BY id DESC LIMIT 1")
                    let lastID: Int64 = try last.map { try Self.column($0, "id") } ?? 0
                    let lastHash: String = try last.map { try Self.column($0, "entry_hash") } ?? HistoryEntry.genesisHash
                    guard lastID == headSequence, lastHash == headHash else {
                        throw FairleadError(.invalidData,
                                            "the chain head (entry \(headSequence)) does not match the last entry (\(lastID)): the history was edited; run `fairlead history verify`",
                                            at: SourceLocation(file: path))
                    }
                    for earlier in [completes, reruns].compactMap({ $0 }) {
                        guard try Int64.fetchOne(db, sql: "SELECT id FROM entry WHERE id = ?", arguments: [earlier]) != nil else {
                            throw Self.missingEntry(earlier, last: try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM entry"), path: path)
                        }
                    }
                    let id = headSequence + 1
                    let hash = HistoryEntry.chainHash(previousHash: headHash, reportSHA256: reportSHA256, sequence: id,
                                                      recordedAt: recordedText, asOf: asOfText, completes: completes,
                                                      reruns: reruns)
                    let appended = HistoryEntry(id: id, recordedAt: recordedText, asOf: asOfText, profile: report.profile.name,
                                                status: report.status, driftStatus: report.drift?.status, completes: completes,
                                                reruns: reruns, reportSHA256: reportSHA256, previousHash: headHash, entryHash: hash)
                    try db.execute(sql: """
                        INSERT INTO entry (id, recorded_at, as_of, profile, status, drift_status, completes, reruns,
                                           report_json, report_sha256, previous_hash, entry_hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, recordedText, asOfText, appended.profile, appended.status.rawValue,
                                         appended.driftStatus?.rawValue, completes, reruns, json, reportSHA256, headHash, hash])
                    let insert = try db.makeStatement(sql: """
                        INSERT INTO metric (entry_id, profile, decision, attribute, group_name, metric, value, lower, upper, time)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    for (index, row) in rows.enumerated() {
                        try injectFault(afterRows: index)
                        try insert.execute(arguments: [id, appended.profile, row.decision, row.attribute, row.group, row.metric,
                                                       row.value, row.lower, row.upper, asOfText])
                    }
                    try db.execute(sql: "UPDATE chain_head SET sequence = ?, entry_hash = ? WHERE singleton = 1",
                                   arguments: [id, hash])
                    entry = appended
                    return .commit
                }
                guard let entry else {
                    throw FairleadError(.internalFailure, "the append transaction ended without an entry")
                }
                // Copy the new pages into the main file now, so that the file alone holds
                // every entry (an archived or uploaded copy without its -wal file is whole).
                // A passive checkpoint never waits; what it cannot copy, a later one will.
                _ = try? db.checkpoint(.passive)
                return entry
            }
        } catch let error as FairleadError {
            throw located(error)
        } catch {
            throw Self.fairleadError(error, path: path)
        }
    }

    private func injectFault(afterRows count: Int) throws {
        switch fault {
        case .throwAfterRows(let rows) where rows == count:
            throw FairleadError(.internalFailure, "injected failure after \(rows) metric rows")
        case .killAfterRows(let rows) where rows == count:
            kill(getpid(), SIGKILL)
        default:
            break
        }
    }

    // MARK: - Reading

    /// Every entry (without its report), by id; only `profile`'s when given.
    public func entries(profile: String? = nil) throws -> [HistoryEntry] {
        try read { db in
            var sql = "SELECT \(try Self.entryColumns(db)) FROM entry"
            var arguments: StatementArguments = []
            if let profile {
                sql += " WHERE profile = ?"
                arguments = [profile]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments).map { try Self.entry($0) }
        }
    }

    /// The entry `id`, or `nil` when the history has none.
    public func entry(_ id: Int64) throws -> HistoryEntry? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(try Self.entryColumns(db)) FROM entry WHERE id = ?", arguments: [id]).map { try Self.entry($0) }
        }
    }

    /// The error for an entry `id` the history does not hold, saying which it holds:
    /// `entry 99 is not in the history (it has entries 1–12)`.
    public func missingEntry(_ id: Int64) throws -> FairleadError {
        Self.missingEntry(id, last: try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM entry") }, path: path)
    }

    /// ``missingEntry(_:)`` within a transaction, given the last entry's id.
    static func missingEntry(_ id: Int64, last: Int64?, path: String) -> FairleadError {
        FairleadError(.usage, "entry \(id) is not in the history (it has \(last.map { $0 == 1 ? "entry 1" : "entries 1–\($0)" } ?? "no entries"))",
                      at: SourceLocation(file: path))
    }

    /// The report of entry `id`, after checking it against the SHA-256 the entry recorded.
    ///
    /// - Throws: `FairleadError(.usage)` when there is no such entry, `.invalidData` when
    ///   the report was edited, or naming ``Limits/Name/memoryBudgetBytes`` when decoding
    ///   it is planned above ``limits`` (``JSONMemoryPlan``).
    public func report(of id: Int64) throws -> AuditReport {
        let stored = try read { db in
            try Row.fetchOne(db, sql: "SELECT report_json, report_sha256 FROM entry WHERE id = ?", arguments: [id])
                .map { (json: try Self.column($0, "report_json") as Data, sha256: try Self.column($0, "report_sha256") as String) }
        }
        guard let stored else { throw try missingEntry(id) }
        if stored.json.isEmpty, let redaction = try redaction(of: id) {
            throw FairleadError(.usage, "the report of entry \(id) was redacted on \(HistoryTime.display(redaction.redactedAt)) (`fairlead history redact`, entries recorded before \(HistoryTime.display(redaction.before))); only its metadata and metric rows remain, so it cannot be shown, compared with or completed",
                                at: SourceLocation(file: path))
        }
        guard ContentDigest.sha256(stored.json) == stored.sha256 else {
            throw FairleadError(.invalidData, "the report of entry \(id) does not match its SHA-256: the history was edited; run `fairlead history verify`",
                                at: SourceLocation(file: path))
        }
        return try AuditReport.decode(json: stored.json, source: "\(path) entry \(id)", limits: limits)
    }

    /// The entry of `profile` whose rules passed (or that had no rules to judge) and whose
    /// drift check did not fail, describing the latest time (`as_of`) before `bound`; of
    /// entries describing the same time, the last appended.
    ///
    /// - Parameter bound: the time an audit describes, in history time (``HistoryTime/string(_:)``):
    ///   only entries before it are earlier audits, at most it with `inclusive`. An audit
    ///   of a week compares with an earlier week, never with a run of its own week (a
    ///   re-run would compare with itself) nor with a later one (a week audited late would
    ///   compare backwards). `nil`: every entry.
    public func lastPassing(profile: String, before bound: String? = nil, inclusive: Bool = false) throws -> HistoryEntry? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT \(try Self.entryColumns(db)) FROM entry
                WHERE profile = ? AND status IN ('pass', 'no_rules') AND (drift_status IS NULL OR drift_status != 'fail')
                AND (? IS NULL OR as_of \(inclusive ? "<=" : "<") ?)
                ORDER BY as_of DESC, id DESC LIMIT 1
                """, arguments: [profile, bound, bound]).map { try Self.entry($0) }
        }
    }

    /// The stored metric rows of one entry, in key order.
    public func metricRows(of id: Int64) throws -> [HistoryMetricRow] {
        try read { db in try Self.metricRows(db, entry: id) }
    }

    static func metricRows(_ db: Database, entry id: Int64) throws -> [HistoryMetricRow] {
        try Row.fetchAll(db, sql: """
            SELECT decision, attribute, group_name, metric, value, lower, upper FROM metric
            WHERE entry_id = ? ORDER BY decision, attribute, group_name, metric
            """, arguments: [id]).map { row in
            HistoryMetricRow(decision: try column(row, "decision"), attribute: try column(row, "attribute"),
                             group: try column(row, "group_name"), metric: try column(row, "metric"),
                             value: try optionalColumn(row, "value"), lower: try optionalColumn(row, "lower"),
                             upper: try optionalColumn(row, "upper"))
        }
    }

    /// The columns of `entry` that ``entry(_:)`` reads; ``entryColumns(_:)`` selects them
    /// as the file's schema has them.
    static let entryColumnNames = ["id", "recorded_at", "as_of", "profile", "status", "drift_status", "completes", "reruns",
                                   "report_sha256", "previous_hash", "entry_hash"]

    static func entry(_ row: Row) throws -> HistoryEntry {
        HistoryEntry(id: try column(row, "id"), recordedAt: try column(row, "recorded_at"), asOf: try column(row, "as_of"),
                            profile: try column(row, "profile"),
                            status: try verdictColumn(row, "status"),
                            driftStatus: try optionalVerdictColumn(row, "drift_status"),
                            completes: try optionalColumn(row, "completes"), reruns: try optionalColumn(row, "reruns"),
                            reportSHA256: try column(row, "report_sha256"), previousHash: try column(row, "previous_hash"),
                            entryHash: try column(row, "entry_hash"))
    }

    /// The value of `name` in `row`. GRDB's subscript traps on NULL or a value of another
    /// type; a history is evidence that may have been edited, so that is damage to report.
    static func column<T: DatabaseValueConvertible>(_ row: Row, _ name: String) throws -> T {
        let stored: DatabaseValue = row[name]
        // An id or a link is an integer: GRDB reads 2.9 as 2, so an edited link to 2.9
        // would read as the link the entry's hash covers, and verify as intact.
        if T.self == Int64.self || T.self == Int.self, case .double = stored.storage {
            throw FairleadError(.invalidData, "the history is damaged: a row holds a value of the wrong type in the column \(name)")
        }
        guard let value = T.fromDatabaseValue(stored) else {
            throw FairleadError(.invalidData, "the history is damaged: a row holds \(stored.isNull ? "NULL" : "a value of the wrong type") in the column \(name)")
        }
        return value
    }

    /// The damage ``column(_:_:)`` and ``optionalColumn(_:_:)`` found, placed in this file
    /// and saying to run `verify` (they know the row, not the file); any other error as it is.
    func located(_ error: FairleadError) -> FairleadError {
        guard error.location == nil, error.kind == .invalidData, error.message.hasPrefix("the history is damaged:") else {
            return error
        }
        var placed = error
        placed.location = SourceLocation(file: path)
        placed.message += "; run `fairlead history verify`"
        return placed
    }

    /// The value of `name` in `row`, `nil` for NULL (see ``column(_:_:)``).
    static func optionalColumn<T: DatabaseValueConvertible>(_ row: Row, _ name: String) throws -> T? {
        let stored: DatabaseValue = row[name]
        return stored.isNull ? nil : try column(row, name) as T
    }

    /// The verdict in `name` (an entry's `status` or `drift_status`): text the history
    /// never writes is damage, as ``column(_:_:)`` says — not a verdict to guess.
    static func verdictColumn(_ row: Row, _ name: String) throws -> AuditReport.Verdict {
        let text: String = try column(row, name)
        guard let verdict = AuditReport.Verdict(rawValue: text) else {
            throw FairleadError(.invalidData, "the history is damaged: a row holds \"\(MessageQuote.clipped(text))\" "
                                + "in the column \(name), which holds pass, fail, insufficient_evidence or no_rules")
        }
        return verdict
    }

    /// ``verdictColumn(_:_:)``, or `nil` for NULL.
    static func optionalVerdictColumn(_ row: Row, _ name: String) throws -> AuditReport.Verdict? {
        let stored: DatabaseValue = row[name]
        return stored.isNull ? nil : try verdictColumn(row, name)
    }

    /// A read, with database errors turned into `FairleadError`s, and the damage
    /// ``column(_:_:)`` finds placed in this file.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as FairleadError {
            throw located(error)
        } catch {
            throw Self.fairleadError(error, path: path)
        }
    }

    /// Database errors in the terms of DESIGN.md's exit codes: a file that is not a
    /// history is bad input (2); a lock held too long or a full disk is a failure (3).
    static func fairleadError(_ error: Error, path: String) -> FairleadError {
        if error is RowDecodingError {
            // A value GRDB cannot convert to what the schema stores there (text in an
            // INTEGER column of a table rebuilt without its types): the file was edited.
            return FairleadError(.invalidData, damagedMessage("a row holds a value of the wrong type"),
                                 at: SourceLocation(file: path))
        }
        guard let error = error as? DatabaseError else {
            return FairleadError(.internalFailure, "the audit history failed: \(error)", at: SourceLocation(file: path))
        }
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return FairleadError(.invalidData, "not a readable audit history: \(error.message ?? "\(error.resultCode)")",
                                 at: SourceLocation(file: path))
        case .SQLITE_CORRUPT:
            // An SQLite file with a torn, truncated or overwritten page: `verify` names it.
            return FairleadError(.invalidData, damagedMessage("SQLite: " + (error.message ?? "\(error.resultCode)")),
                                 at: SourceLocation(file: path))
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM:
            return FairleadError(.usage, "cannot open the audit history: \(error.message ?? "\(error.resultCode)")",
                                 at: SourceLocation(file: path))
        case .SQLITE_ERROR where ["no such table", "no such column"].contains(where: { (error.message ?? "").hasPrefix($0) }):
            // A table or column the schema creates is gone: the file was edited.
            return FairleadError(.invalidData,
                                 damagedMessage(error.message ?? "a table is missing"),
                                 at: SourceLocation(file: path))
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return FairleadError(.internalFailure,
                                 "another process held the audit history locked for more than \(Int(busyTimeout)) s (SQLite: \(error.message ?? "\(error.extendedResultCode)"))",
                                 at: SourceLocation(file: path))
        default:
            return FairleadError(.internalFailure, "the audit history failed: \(error.message ?? "\(error.resultCode)")",
                                 at: SourceLocation(file: path))
        }
    }
}
