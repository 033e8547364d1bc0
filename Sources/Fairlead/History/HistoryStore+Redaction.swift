import FairleadCore
import Foundation
import GRDB

/// Retention (docs/history.md, docs/privacy.md): `fairlead history redact --before DATE`
/// removes the report payloads of old entries and keeps everything the chain needs.
///
/// A redacted entry keeps its row — id, times, profile, verdicts, `report_sha256`, link
/// and hash — so the chain still verifies; its `report_json` becomes empty (zero bytes).
/// Its metric rows stay: they are per-group aggregates for trends, not lead-level data,
/// and the SHA-256 of their canonical text is recorded, so an edit to them after the
/// report is gone is still found. The redaction itself is recorded in the table
/// `redaction` (when, the before-date, the entries), hash-chained like the ledger, and
/// each redacted entry in `redacted_entry`. `verify` then tells a payload removed by a
/// recorded redaction from one edited or emptied by hand.
///
/// The file is vacuumed after the transaction and its write-ahead log truncated, so the
/// removed bytes are gone from the file, not only unreachable.
extension HistoryStore {
    /// The migration that adds the redaction tables to a history.
    static let redactionMigration = "v-redaction"

    static func createRedactionTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE redaction (
                id INTEGER PRIMARY KEY NOT NULL,
                redacted_at TEXT NOT NULL,
                before TEXT NOT NULL,
                entry_count INTEGER NOT NULL,
                previous_hash TEXT NOT NULL,
                redaction_hash TEXT NOT NULL
            );
            CREATE TABLE redacted_entry (
                entry_id INTEGER PRIMARY KEY NOT NULL,
                redaction_id INTEGER NOT NULL,
                metrics_sha256 TEXT NOT NULL
            );
            """)
    }

    static let redactionColumns = ["id", "redacted_at", "before", "entry_count", "previous_hash", "redaction_hash"]
    static let redactedEntryColumns = ["entry_id", "redaction_id", "metrics_sha256"]

    /// The entries a redaction before `before` would remove the reports of: those recorded
    /// (`recorded_at`) strictly before it and not redacted yet, by id.
    public func redactionCandidates(before: Date) throws -> [HistoryEntry] {
        let limit = HistoryTime.preciseString(before)
        return try read { db in
            let redacted = try Self.redactedIDs(db)
            return try Row.fetchAll(db, sql: "SELECT \(try Self.entryColumns(db)) FROM entry WHERE recorded_at < ? ORDER BY id",
                                    arguments: [limit]).map { try Self.entry($0) }.filter { !redacted.contains($0.id) }
        }
    }

    /// Removes the reports of the entries recorded before `before` (``redactionCandidates(before:)``),
    /// records the redaction, then vacuums the file so the removed bytes are gone.
    ///
    /// - Returns: the redaction recorded, `nil` when no entry was left to redact (nothing
    ///   is written then).
    /// - Throws: `FairleadError(.usage)` for a history opened read-only; `.invalidData` when
    ///   a report to redact does not match its SHA-256 (an edited history is not redacted:
    ///   run `verify`).
    @discardableResult
    public func redact(before: Date, redactedAt: Date = Date()) throws -> HistoryRedaction? {
        guard !isReadOnly else {
            throw FairleadError(.usage, "the history was opened read-only", at: SourceLocation(file: path))
        }
        // Redacting seals each entry's metric rows under a digest: sealing rows that were
        // edited would make `verify` call the edit intact. So the whole history is
        // verified first — its chain, its reports, its metric rows — and an edited one is
        // not redacted.
        if let refusal = Self.refusalToRedact(try verify(), path: path) { throw refusal }
        let beforeText = HistoryTime.preciseString(before)
        let redactedText = HistoryTime.preciseString(redactedAt)
        do {
            let redaction: HistoryRedaction? = try pool.writeWithoutTransaction { db in
                var result: HistoryRedaction?
                try db.inTransaction(.immediate) {
                    let redacted = try Self.redactedIDs(db)
                    let rows = try Row.fetchAll(db, sql: "SELECT id, report_json, report_sha256 FROM entry WHERE recorded_at < ? ORDER BY id",
                                                arguments: [beforeText])
                    var entries: [HistoryRedaction.Entry] = []
                    for row in rows {
                        let id: Int64 = try Self.column(row, "id")
                        guard !redacted.contains(id) else { continue }
                        let json: Data = try Self.column(row, "report_json")
                        let sha: String = try Self.column(row, "report_sha256")
                        guard ContentDigest.sha256(json) == sha else {
                            throw FairleadError(.invalidData, "the report of entry \(id) does not match its SHA-256: the history was edited; run `fairlead history verify` before redacting",
                                                at: SourceLocation(file: path))
                        }
                        let digest = Self.metricsDigest(try Self.metricRows(db, entry: id))
                        entries.append(HistoryRedaction.Entry(entry: id, metricsSHA256: digest))
                    }
                    guard !entries.isEmpty else { return .rollback }
                    let last = try Row.fetchOne(db, sql: "SELECT id, redaction_hash FROM redaction ORDER BY id DESC LIMIT 1")
                    let id: Int64 = (try last.map { try Self.column($0, "id") as Int64 } ?? 0) + 1
                    let previous: String = try last.map { try Self.column($0, "redaction_hash") } ?? HistoryEntry.genesisHash
                    var made = HistoryRedaction(id: id, redactedAt: redactedText, before: beforeText, entries: entries,
                                                previousHash: previous, redactionHash: "")
                    made.redactionHash = made.recomputedHash
                    try db.execute(sql: """
                        INSERT INTO redaction (id, redacted_at, before, entry_count, previous_hash, redaction_hash)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [id, redactedText, beforeText, entries.count, previous, made.redactionHash])
                    for entry in entries {
                        try db.execute(sql: "UPDATE entry SET report_json = zeroblob(0) WHERE id = ?", arguments: [entry.entry])
                        try db.execute(sql: "INSERT INTO redacted_entry (entry_id, redaction_id, metrics_sha256) VALUES (?, ?, ?)",
                                       arguments: [entry.entry, id, entry.metricsSHA256])
                    }
                    result = made
                    return .commit
                }
                return result
            }
            if redaction != nil {
                // Freed pages still hold the removed reports until SQLite reuses them:
                // rebuild the file, then empty the write-ahead log, which held the rebuild.
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "VACUUM")
                    _ = try db.checkpoint(.truncate)
                }
            }
            return redaction
        } catch let error as FairleadError {
            throw located(error)
        } catch {
            throw Self.fairleadError(error, path: path)
        }
    }

    /// Every redaction recorded, by id; empty for a history never redacted (or written
    /// before redaction existed).
    public func redactions() throws -> [HistoryRedaction] {
        try read { db in try Self.redactions(db).compactMap { try? $0.get() } }
    }

    /// The redaction that removed entry `id`'s report, or `nil` when it holds its report.
    public func redaction(of id: Int64) throws -> HistoryRedaction? {
        try redactions().first { redaction in redaction.entries.contains { $0.entry == id } }
    }

    /// The ids of the redacted entries.
    public func redactedEntryIDs() throws -> Set<Int64> {
        try read { db in try Self.redactedIDs(db) }
    }

    static func redactedIDs(_ db: Database) throws -> Set<Int64> {
        guard try db.tableExists("redacted_entry") else { return [] }
        return Set(try Int64.fetchAll(db, sql: "SELECT entry_id FROM redacted_entry WHERE typeof(entry_id) = 'integer'"))
    }

    /// The redactions as stored, each read or the reason it cannot be.
    static func redactions(_ db: Database) throws -> [Result<HistoryRedaction, FairleadError>] {
        guard try db.tableExists("redaction"), try db.tableExists("redacted_entry") else { return [] }
        var byRedaction: [Int64: [HistoryRedaction.Entry]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT entry_id, redaction_id, metrics_sha256 FROM redacted_entry ORDER BY entry_id") {
            guard let entry = try? column(row, "entry_id") as Int64, let redaction = try? column(row, "redaction_id") as Int64,
                  let digest = try? column(row, "metrics_sha256") as String else { continue }
            byRedaction[redaction, default: []].append(HistoryRedaction.Entry(entry: entry, metricsSHA256: digest))
        }
        return try Row.fetchAll(db, sql: "SELECT \(redactionColumns.joined(separator: ", ")) FROM redaction ORDER BY id").map { row in
            do {
                let id: Int64 = try column(row, "id")
                return .success(HistoryRedaction(id: id, redactedAt: try column(row, "redacted_at"), before: try column(row, "before"),
                                                 entries: byRedaction[id] ?? [], previousHash: try column(row, "previous_hash"),
                                                 redactionHash: try column(row, "redaction_hash"),
                                                 recordedCount: try column(row, "entry_count")))
            } catch let error as FairleadError {
                return .failure(error)
            } catch {
                return .failure(FairleadError(.invalidData, "a redaction row is damaged: \(error)"))
            }
        }
    }

    /// The SHA-256 of metric rows' canonical text: one line per row, its seven fields
    /// separated by U+001F, numbers in Swift's shortest round-trip form, `-` for none.
    static func metricsDigest(_ rows: [HistoryMetricRow]) -> String {
        func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "-" }
        let text = rows.sorted { $0.key < $1.key }.map { row in
            [row.decision, row.attribute, row.group, row.metric, number(row.value), number(row.lower), number(row.upper)]
                .joined(separator: "\u{1F}") + "\n"
        }.joined()
        return ContentDigest.sha256(Data(text.utf8))
    }

    /// What `verify` finds wrong with the redactions: a broken chain of redaction rows,
    /// a redacted entry that no longer exists, or a count that does not match the entries.
    /// (Entries whose payload is empty without a redaction are found per entry.)
    static func redactionProblems(_ db: Database, entryIDs: Set<Int64>) throws -> [(id: Int64?, message: String)] {
        var problems: [(id: Int64?, message: String)] = []
        var expected: Int64 = 1
        var previous = HistoryEntry.genesisHash
        for stored in try redactions(db) {
            let redaction: HistoryRedaction
            switch stored {
            case .success(let value): redaction = value
            case .failure(let error):
                problems.append((nil, "a redaction row is damaged: \(error.message)"))
                continue
            }
            if redaction.id != expected {
                problems.append((nil, "redactions \(expected)–\(redaction.id - 1) before redaction \(redaction.id) are missing (deleted)"))
            } else if redaction.previousHash != previous {
                problems.append((nil, "redaction \(redaction.id): its link does not match the previous redaction's hash"))
            }
            if redaction.recomputedHash != redaction.redactionHash || redaction.recordedCount != redaction.entries.count {
                problems.append((nil, "redaction \(redaction.id): its fields or its list of entries no longer give its hash (edited)"))
            }
            for entry in redaction.entries where !entryIDs.contains(entry.entry) {
                problems.append((entry.entry, "redaction \(redaction.id) names this entry, which is missing (deleted)"))
            }
            previous = redaction.redactionHash
            expected = redaction.id + 1
        }
        return problems
    }
}

/// One run of `fairlead history redact`: which entries lost their reports, when, and the
/// hash that chains it to the redactions before.
///
///     redaction_hash(n) = SHA-256("fairlead-redaction-v1" ‖ redaction_hash(n−1) ‖ n
///                                 ‖ redacted_at ‖ before ‖ "E D" for each entry)
///
/// with `‖` each field followed by a line feed, E an entry id and D the SHA-256 of its
/// metric rows (``HistoryStore/metricsDigest(_:)``), entries by id.
public struct HistoryRedaction: Sendable, Equatable {
    /// A redacted entry and the SHA-256 of its metric rows at redaction.
    public struct Entry: Sendable, Equatable {
        public var entry: Int64
        public var metricsSHA256: String
        public init(entry: Int64, metricsSHA256: String) {
            self.entry = entry
            self.metricsSHA256 = metricsSHA256
        }
    }

    /// 1, 2, 3, … in the order of redacting.
    public var id: Int64
    /// When the redaction ran, ISO 8601 UTC with milliseconds.
    public var redactedAt: String
    /// Entries recorded before this time were redacted.
    public var before: String
    /// The entries it redacted, by id.
    public var entries: [Entry]
    /// The previous redaction's hash (64 zeros for the first).
    public var previousHash: String
    /// This redaction's link (the formula above).
    public var redactionHash: String
    /// The entry count stored with the row (equal to `entries.count` when intact).
    public var recordedCount: Int

    public init(id: Int64, redactedAt: String, before: String, entries: [Entry], previousHash: String,
                redactionHash: String, recordedCount: Int? = nil) {
        self.id = id
        self.redactedAt = redactedAt
        self.before = before
        self.entries = entries
        self.previousHash = previousHash
        self.redactionHash = redactionHash
        self.recordedCount = recordedCount ?? entries.count
    }

    /// The hash of these fields (the formula above).
    public var recomputedHash: String {
        var fields = ["fairlead-redaction-v1", previousHash, String(id), redactedAt, before]
        fields += entries.sorted { $0.entry < $1.entry }.map { "\($0.entry) \($0.metricsSHA256)" }
        return ContentDigest.sha256(Data(fields.map { $0 + "\n" }.joined().utf8))
    }
}

extension HistoryStore {
    /// Verifies the history at `path` read-only and refuses, as ``redact(before:redactedAt:)``
    /// does, one that is edited or damaged — before a writer opens it, so that the
    /// evidence keeps every byte (`redact --yes` verified through its writer, and the
    /// refused file's change counter and schema cookie moved).
    public static func verifyBeforeRedacting(path: String, limits: Limits = Limits()) throws {
        let verification = try openForReading(path: path, limits: limits).verify()
        if let refusal = refusalToRedact(verification, path: path) { throw refusal }
    }

    /// Why a history that `verification` found is not redacted, or `nil` when it is intact.
    static func refusalToRedact(_ verification: HistoryVerification, path: String) -> FairleadError? {
        guard let first = verification.problems.first else { return nil }
        let count = verification.problems.count
        return FairleadError(.invalidData,
                             "the history was edited or damaged (\(count) problem\(count == 1 ? "" : "s"); first: \(first)); an edited history is not redacted: run `fairlead history verify`",
                             at: SourceLocation(file: path))
    }
}
