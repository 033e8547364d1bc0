import Crypto
import FairleadCore
import Foundation
import GRDB

extension AuditReport.DataInfo {
    /// What identifies the data set, whatever form its bytes take, for the privacy ledger:
    /// the CSV a gzip file inflates to (``contentSHA256``), so a file and its gzip copies
    /// are one data set; for an audit from statistics parts, its one shard's digest (the
    /// same as an audit of that file), or the SHA-256 of its shards' (sorted,
    /// newline-joined), so neither their order nor gzip makes another data set.
    public var datasetSHA256: String {
        guard let shards, !shards.isEmpty else { return contentSHA256 ?? sha256 }
        let digests = shards.map { $0.contentSHA256 ?? $0.sha256 }
        if digests.count == 1 { return digests[0] }
        return ContentDigest.hex(SHA256.hash(data: Data(digests.sorted().joined(separator: "\n").utf8)))
    }

    /// The ledger keys a release of this data is charged under: ``datasetSHA256``, and
    /// the stored bytes' ``sha256`` when it differs (the key of releases recorded before
    /// data sets were told by their content).
    var ledgerKeys: [String] {
        datasetSHA256 == sha256 ? [sha256] : [datasetSHA256, sha256]
    }
}

/// The privacy budget ledger (docs/privacy.md): the table `privacy_ledger`, created by
/// the migration ``privacyLedgerMigration``.
extension HistoryStore {
    /// The migration that adds the ledger to a history.
    static let privacyLedgerMigration = "v-privacy-ledger"

    static func createPrivacyLedger(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE privacy_ledger (
                id INTEGER PRIMARY KEY NOT NULL,
                recorded_at TEXT NOT NULL,
                data_sha256 TEXT NOT NULL,
                profile TEXT NOT NULL,
                mechanism TEXT NOT NULL,
                epsilon_nanos INTEGER NOT NULL,
                budget_nanos INTEGER NOT NULL,
                previous_hash TEXT NOT NULL,
                row_hash TEXT NOT NULL
            );
            CREATE INDEX privacy_ledger_by_data ON privacy_ledger(data_sha256, id);
            """)
    }

    static let privacyLedgerColumns = ["id", "recorded_at", "data_sha256", "profile", "mechanism", "epsilon_nanos",
                                       "budget_nanos", "previous_hash", "row_hash"]

    /// Records a differentially private release of `release` (a report made by
    /// ``PublishedReport/make(from:policy:using:)`` with ε) and returns its row and the ε
    /// the data set had spent before it. The check and the append are one IMMEDIATE
    /// transaction, so concurrent releases cannot both fit into the last of a budget.
    ///
    /// Basic composition: the ε of all releases of one data set add up; a release whose ε
    /// would take the sum past `policy.budget` is refused. A data set's first release
    /// fixes its budget: a later profile may lower it, never raise it (raising it once
    /// the budget is spent would make the ledger's limit whatever the last profile says).
    ///
    /// - Throws: `FairleadError(.usage)` when the release would exceed the budget (the
    ///   message says what was spent and what remains), when `policy.budget` is above the
    ///   budget of the data set's first release, or `policy` has no ε or budget.
    @discardableResult
    public func chargePrivacyBudget(_ release: AuditReport, policy: PrivacyPolicy,
                                    recordedAt: Date = Date()) throws -> (row: PrivacyLedgerRow, spentBefore: PrivacyBudgetAmount) {
        guard let epsilon = policy.epsilon, let budget = policy.budget else {
            throw FairleadError(.usage, "a differentially private release needs privacy.epsilon and privacy.budget")
        }
        let data = release.data.datasetSHA256
        let keys = release.data.ledgerKeys
        let recorded = HistoryTime.preciseString(recordedAt)
        let mechanism = release.privacy?.release?.mechanism ?? NoisyRelease.mechanism
        do {
            return try pool.writeWithoutTransaction { db in
                var result: (row: PrivacyLedgerRow, spentBefore: PrivacyBudgetAmount)?
                try db.inTransaction(.immediate) {
                    let spent = try Self.spent(db, keys: keys)
                    let among = keys.map { _ in "?" }.joined(separator: ", ")
                    if let first = try Row.fetchOne(db, sql: "SELECT id, recorded_at, budget_nanos FROM privacy_ledger WHERE data_sha256 IN (\(among)) ORDER BY id LIMIT 1",
                                                    arguments: StatementArguments(keys)) {
                        let committed = PrivacyBudgetAmount(nanos: UInt64(clamping: try Self.column(first, "budget_nanos") as Int64))
                        guard budget.nanos <= committed.nanos else {
                            let id: Int64 = try Self.column(first, "id")
                            let when: String = try Self.column(first, "recorded_at")
                            throw FairleadError(.usage, "privacy.budget is \(budget), above the \(committed) the first release of data SHA-256 \(data.prefix(12))… "
                                                + "committed to (ledger row \(id), \(when)): a data set's budget is fixed by its first release and may only be lowered; "
                                                + "spent ε = \(spent)",
                                                at: SourceLocation(file: path))
                        }
                    }
                    let (after, overflow) = spent.nanos.addingReportingOverflow(epsilon.nanos)
                    guard !overflow, after <= budget.nanos else {
                        let remaining = PrivacyBudgetAmount(nanos: budget.nanos > spent.nanos ? budget.nanos - spent.nanos : 0)
                        throw FairleadError(.usage, "privacy budget exhausted for data SHA-256 \(data.prefix(12))…: spent ε = \(spent) of \(budget), remaining \(remaining); this release needs ε = \(epsilon)",
                                            at: SourceLocation(file: path))
                    }
                    let last = try Row.fetchOne(db, sql: "SELECT id, row_hash FROM privacy_ledger ORDER BY id DESC LIMIT 1")
                    let lastID: Int64 = try last.map { try Self.column($0, "id") } ?? 0
                    let id = lastID + 1
                    let previous: String = try last.map { try Self.column($0, "row_hash") } ?? HistoryEntry.genesisHash
                    var row = PrivacyLedgerRow(id: id, recordedAt: recorded, dataSHA256: data, profile: release.profile.name,
                                               mechanism: mechanism, epsilon: epsilon, budget: budget, previousHash: previous, rowHash: "")
                    row.rowHash = row.recomputedHash
                    try db.execute(sql: """
                        INSERT INTO privacy_ledger (id, recorded_at, data_sha256, profile, mechanism, epsilon_nanos, budget_nanos,
                                                    previous_hash, row_hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, recorded, data, row.profile, mechanism, Int64(clamping: epsilon.nanos),
                                         Int64(clamping: budget.nanos), previous, row.rowHash])
                    result = (row, spent)
                    return .commit
                }
                guard let result else {
                    throw FairleadError(.internalFailure, "the ledger transaction ended without a row")
                }
                _ = try? db.checkpoint(.passive)
                return result
            }
        } catch let error as FairleadError {
            throw located(error)
        } catch {
            throw Self.fairleadError(error, path: path)
        }
    }

    /// ε spent so far on the data set with this SHA-256.
    public func privacyBudgetSpent(dataSHA256: String) throws -> PrivacyBudgetAmount {
        try read { db in try Self.spent(db, keys: [dataSHA256]) }
    }

    /// The ledger's rows, by id; only one data set's when given. Empty for a history
    /// written before the ledger existed.
    public func privacyLedger(dataSHA256: String? = nil) throws -> [PrivacyLedgerRow] {
        try read { db in
            guard try db.tableExists("privacy_ledger") else { return [] }
            var sql = "SELECT \(Self.privacyLedgerColumns.joined(separator: ", ")) FROM privacy_ledger"
            var arguments: StatementArguments = []
            if let dataSHA256 {
                sql += " WHERE data_sha256 = ?"
                arguments = [dataSHA256]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments).map(Self.ledgerRow)
        }
    }

    /// ε spent on releases recorded under any of `keys` (one data set's).
    private static func spent(_ db: Database, keys: [String]) throws -> PrivacyBudgetAmount {
        let among = keys.map { _ in "?" }.joined(separator: ", ")
        let amounts = try Row.fetchAll(db, sql: "SELECT epsilon_nanos FROM privacy_ledger WHERE data_sha256 IN (\(among))",
                                       arguments: StatementArguments(keys))
        var total: UInt64 = 0
        for row in amounts {
            let nanos: Int64 = try column(row, "epsilon_nanos")
            total = total.addingReportingOverflow(UInt64(clamping: nanos)).partialValue
        }
        return PrivacyBudgetAmount(nanos: total)
    }

    static func ledgerRow(_ row: Row) throws -> PrivacyLedgerRow {
        let epsilon: Int64 = try column(row, "epsilon_nanos")
        let budget: Int64 = try column(row, "budget_nanos")
        return PrivacyLedgerRow(id: try column(row, "id"), recordedAt: try column(row, "recorded_at"),
                                dataSHA256: try column(row, "data_sha256"), profile: try column(row, "profile"),
                                mechanism: try column(row, "mechanism"), epsilon: PrivacyBudgetAmount(nanos: UInt64(clamping: epsilon)),
                                budget: PrivacyBudgetAmount(nanos: UInt64(clamping: budget)),
                                previousHash: try column(row, "previous_hash"), rowHash: try column(row, "row_hash"))
    }

    /// What `verify` finds wrong in the ledger: ids that skip (a deleted row), a link that
    /// does not match the previous row's hash, a row whose fields no longer give its hash.
    /// Removing the newest rows leaves a shorter, intact chain: compare the head
    /// `fairlead history ledger` prints with one kept elsewhere.
    static func ledgerProblems(_ db: Database) throws -> [(id: Int64?, message: String)] {
        guard try db.tableExists("privacy_ledger") else { return [] }
        var problems: [(id: Int64?, message: String)] = []
        var expected: Int64 = 1
        var previous = HistoryEntry.genesisHash
        for raw in try Row.fetchAll(db, sql: "SELECT \(privacyLedgerColumns.joined(separator: ", ")) FROM privacy_ledger ORDER BY id") {
            let row: PrivacyLedgerRow
            do {
                row = try ledgerRow(raw)
            } catch let error as FairleadError {
                problems.append((nil, "a privacy ledger row is damaged: \(error.message)"))
                continue
            }
            if row.id != expected {
                problems.append((row.id, "privacy ledger rows \(expected)–\(row.id - 1) before this one are missing (deleted)"))
            } else if row.previousHash != previous {
                problems.append((row.id, "privacy ledger row \(row.id): its link does not match the previous row's hash"))
            }
            if row.recomputedHash != row.rowHash {
                problems.append((row.id, "privacy ledger row \(row.id): its fields no longer give its hash (edited)"))
            }
            previous = row.rowHash
            expected = row.id + 1
        }
        return problems
    }

    /// The ledger's last hash: keep it elsewhere to show later that no row was removed.
    public func privacyLedgerHead() throws -> String {
        try privacyLedger().last?.rowHash ?? HistoryEntry.genesisHash
    }
}
