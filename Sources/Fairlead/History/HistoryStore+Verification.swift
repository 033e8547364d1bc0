import FairleadCore
import Foundation
import GRDB

extension HistoryStore {
    /// Checks every entry of the history:
    ///
    /// 1. ids run 1, 2, 3, … with no gap, and the chain head names the last one
    ///    (a gap or a shorter chain means deleted entries);
    /// 2. each report's bytes give the SHA-256 its entry recorded (an edited report);
    /// 3. each entry's link equals the previous entry's hash (deleted, inserted or
    ///    reordered entries), and its fields give its own hash (edited ids, times, links);
    /// 4. each entry's profile and verdicts equal its report's, and its metric rows are
    ///    exactly ``HistoryMetricRow/rows(of:)`` of its report (an edited metric row);
    /// 5. with `expectingHead`, that hash is one of the chain's (a rewritten history
    ///    recomputes every hash, so only a hash kept elsewhere can tell).
    ///
    /// Each problem names its entry. The chain is followed through the hashes as stored,
    /// and an edited report is not compared with its rows, so that one edit gives one
    /// problem where it was made.
    ///
    /// A table or column of the schema that is missing is damage too: it is reported
    /// alone (``HistoryVerification/Problem/Kind/damagedSchema``), as the checks above need
    /// the tables. So is a row holding NULL or a value of the wrong type.
    ///
    /// - Throws: `FairleadError(.usage)` when `expectingHead` is not a chain hash (64
    ///   hexadecimal digits): a malformed argument, not a sign of tampering.
    public func verify(expectingHead: String? = nil) throws -> HistoryVerification {
        try Self.checkHeadArgument(expectingHead)
        do {
            return try pool.read { db in try verify(db, expectingHead: expectingHead) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
            // A damaged page that the quick check let through, met reading the entries.
            return .damagedFile("SQLite: " + (error.message ?? "\(error.resultCode)"))
        } catch let error as FairleadError {
            throw error
        } catch {
            throw Self.fairleadError(error, path: path)
        }
    }

    /// Verifies the history at `path`, opened read-only (``openForReading(path:)``). A file
    /// SQLite finds damaged before its tables can be read — truncated, or with a page
    /// overwritten — is damage found, a ``HistoryVerification/Problem/Kind/damagedFile``
    /// problem, not an error: verifying it is what `verify` is for.
    ///
    /// - Throws: as ``openForReading(path:)`` for a file that is no history (missing, not
    ///   SQLite, other tables only, a newer Fairlead's), and as ``verify(expectingHead:)``.
    ///   Each report is read within `limits` (``report(of:)``).
    public static func verify(path: String, expectingHead: String? = nil, limits: Limits = Limits()) throws -> HistoryVerification {
        try checkHeadArgument(expectingHead)
        let store: HistoryStore
        do {
            store = try openForReadingUnlessDamaged(path: path, limits: limits)
        } catch let damaged as DamagedFile {
            return .damagedFile(damaged.reason)
        }
        return try store.verify(expectingHead: expectingHead)
    }

    /// - Throws: `FairleadError(.usage)` when `head` is not a chain hash: a malformed
    ///   argument, not a sign of tampering.
    private static func checkHeadArgument(_ head: String?) throws {
        if let head, !HistoryEntry.isChainHash(head) {
            throw FairleadError(.usage, "--head expects a chain head as `fairlead history verify` prints it (64 hexadecimal digits), found '\(MessageQuote.clipped(head, limit: 70))'")
        }
    }

    /// ``verify(expectingHead:)`` on an open connection.
    private func verify(_ db: Database, expectingHead: String?) throws -> HistoryVerification {
        var problems: [HistoryVerification.Problem] = []
        func problem(_ kind: HistoryVerification.Problem.Kind, _ entry: Int64?, _ message: String) {
            problems.append(.init(kind: kind, entry: entry, message: message))
        }
        // SQLite's own structural check first: a torn or overwritten page is damage to
        // report, not a read that fails half-way through the entries.
        let check: [String]
        do {
            check = try String.fetchAll(db, sql: "PRAGMA quick_check(3)")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
            return .damagedFile("SQLite: " + (error.message ?? "\(error.resultCode)"))
        }
        if check != ["ok"] {
            return .damagedFile("SQLite's quick check: " + check.flatMap { $0.split(separator: "\n") }.map { MessageQuote.clipped($0, limit: 120) }.joined(separator: "; "))
        }
        let damage = try Self.schemaDamage(db)
        if !damage.isEmpty {
            for message in damage { problem(.damagedSchema, nil, message) }
            // Counted only from a table: `entry` may be anything else by now — a view that
            // never ends its rows (a recursive CTE) kept verify busy without end.
            let count = try db.tableExists("entry") ? (try? Int.fetchOne(db, sql: "SELECT count(*) FROM entry")) ?? 0 : 0
            return HistoryVerification(entryCount: count, head: "", problems: problems)
        }
        var ids: [Int64] = []
        for row in try Row.fetchAll(db, sql: "SELECT id FROM entry ORDER BY id") {
            if let id = try? Self.column(row, "id") as Int64 {
                ids.append(id)
            } else {
                problem(.editedEntry, nil, "an entry's id is not a whole number (the table was rebuilt or edited)")
            }
        }
        var redactedBy: [Int64: (redaction: HistoryRedaction, entry: HistoryRedaction.Entry)] = [:]
        for case .success(let redaction) in try Self.redactions(db) {
            for entry in redaction.entries { redactedBy[entry.entry] = (redaction, entry) }
        }
        var redacted: [HistoryVerification.RedactedEntry] = []
        var expectedID: Int64 = 1
        var previousHash = HistoryEntry.genesisHash
        var hashes: Set<String> = []
        let known = Set(ids)
        // The entries read so far, for the links of later ones.
        var checked: [Int64: HistoryEntry] = [:]
        let columns = try Self.entryColumns(db)
        for id in ids {
            guard let row = try Row.fetchOne(db, sql: "SELECT \(columns), report_json FROM entry WHERE id = ?",
                                             arguments: [id]) else { continue }
            let entry: HistoryEntry, json: Data
            do {
                entry = try Self.entry(row)
                json = try Self.column(row, "report_json")
            } catch let error as FairleadError {
                problem(.editedEntry, id, error.message)
                // One damaged entry is one problem: the chain goes on from its hash.
                previousHash = (try? Self.column(row, "entry_hash") as String) ?? previousHash
                expectedID = id + 1
                continue
            }
            if id != expectedID {
                problem(.deletedEntry, id, id - expectedID == 1
                        ? "entry \(expectedID) before it is missing (deleted)"
                        : "entries \(expectedID)–\(id - 1) before it are missing (deleted)")
            } else if entry.previousHash != previousHash {
                problem(.brokenChain, id, "its link does not match the hash of entry \(id - 1): an entry before it was replaced or reordered")
            }
            let redaction = redactedBy[id]
            let reportIntact = ContentDigest.sha256(json) == entry.reportSHA256
            if let redaction {
                if !json.isEmpty {
                    problem(.editedRedaction, id, "redaction \(redaction.redaction.id) removed its report, yet it holds one (\(reportIntact ? "its own" : "not its own: edited"))")
                } else {
                    redacted.append(.init(entry: id, redaction: redaction.redaction.id, redactedAt: redaction.redaction.redactedAt))
                    let rows = (try? Self.metricRows(db, entry: id)) ?? []
                    if Self.metricsDigest(rows) != redaction.entry.metricsSHA256 {
                        problem(.editedMetricRow, id, "its metric rows changed after its report was redacted (their SHA-256 differs from the one redaction \(redaction.redaction.id) recorded)")
                    }
                }
            } else if !reportIntact {
                problem(.editedReport, id, "the report was edited: its SHA-256 is \(ContentDigest.sha256(json).prefix(12))…, the entry recorded \(entry.reportSHA256.prefix(12))…")
            }
            var badLinks: [String] = []
            if let completes = entry.completes, completes >= id || !known.contains(completes) {
                badLinks.append("it completes entry \(completes), which is not an earlier entry")
            }
            if let reruns = entry.reruns, reruns >= id || !known.contains(reruns) {
                badLinks.append("it re-runs entry \(reruns), which is not an earlier entry")
            } else if let reruns = entry.reruns, let earlier = checked[reruns],
                      earlier.profile != entry.profile || earlier.asOf != entry.asOf || (earlier.completes == nil) != (entry.completes == nil) {
                // A re-run repeats an audit: the same profile as of the same time, a completion
                // re-running a completion. Hashes recomputed over such a link still chain.
                badLinks.append("it re-runs entry \(reruns), which is not a run of the same audit (\(earlier.profile) as of \(earlier.asOf)"
                                + (earlier.completes == nil ? "" : ", a completion") + ")")
            }
            // One edit, one problem: a link edited in place is part of the edited entry.
            if entry.recomputedHash != entry.entryHash {
                problem(.editedEntry, id, "its fields (id, times, link, report SHA-256, completes or reruns) no longer give its hash: the entry was edited"
                        + (badLinks.isEmpty ? "" : " (\(badLinks.joined(separator: "; ")))"))
            } else {
                for link in badLinks { problem(.editedEntry, id, link) }
            }
            // An edited report is no reference for the rows: that is one problem, not two.
            if reportIntact, redaction == nil { try checkReport(json, of: entry, db: db, problem: problem) }
            hashes.insert(entry.entryHash)
            checked[id] = entry
            previousHash = entry.entryHash
            expectedID = id + 1
        }
        let head = try Row.fetchOne(db, sql: "SELECT sequence, entry_hash FROM chain_head WHERE singleton = 1")
        let lastID = ids.last ?? 0
        if let head, let sequence = try? Self.column(head, "sequence") as Int64,
           let headHash = try? Self.column(head, "entry_hash") as String {
            if sequence > lastID {
                problem(.deletedEntry, nil, sequence - lastID == 1
                        ? "the chain head records \(sequence) entries; entry \(sequence) is missing (deleted)"
                        : "the chain head records \(sequence) entries; entries \(lastID + 1)–\(sequence) are missing (deleted)")
            } else if sequence < lastID || headHash != previousHash {
                problem(.brokenChain, nil, "the chain head (entry \(sequence)) does not match the last entry (\(lastID))")
            }
        } else {
            problem(.brokenChain, nil, head == nil ? "the chain head is missing" : "the chain head is not a sequence number and a hash")
        }
        let orphans = try Int64.fetchAll(db, sql: """
            SELECT DISTINCT entry_id FROM metric
            WHERE typeof(entry_id) = 'integer' AND entry_id NOT IN (SELECT id FROM entry) ORDER BY entry_id
            """)
        for orphan in orphans {
            problem(.deletedEntry, orphan, "metric rows remain of this entry, which is missing (deleted)")
        }
        for found in try Self.redactionProblems(db, entryIDs: known) {
            problem(.editedRedaction, found.id, found.message)
        }
        for ledger in try Self.ledgerProblems(db) {
            problem(.editedLedger, nil, ledger.message)
        }
        // The empty chain's head starts every chain (entry 1 links to it): `verify` of a new
        // history printed it, and a later check with it said "rewritten".
        if let expectingHead, expectingHead.lowercased() != HistoryEntry.genesisHash, !hashes.contains(expectingHead.lowercased()) {
            problem(.unknownHead, nil, "the head recorded earlier (\(expectingHead.prefix(12))…) is not in the chain: the history was rewritten")
        }
        return HistoryVerification(entryCount: ids.count, head: previousHash, problems: problems, redacted: redacted)
    }

    /// Step 4: the entry's copies of the report's fields, and its metric rows. A report
    /// whose decoding is planned above the memory budget is not read, and throws: it is
    /// no sign of tampering, and the budget can be raised.
    private func checkReport(_ json: Data, of entry: HistoryEntry, db: Database,
                             problem: (HistoryVerification.Problem.Kind, Int64?, String) -> Void) throws {
        let report: AuditReport
        do {
            report = try AuditReport.decode(json: json, source: "entry \(entry.id)", limits: limits)
        } catch var error as FairleadError where error.limit != nil {
            error.location = SourceLocation(file: "\(path) entry \(entry.id)")
            throw error
        } catch {
            problem(.unreadableReport, entry.id, "the report cannot be read: \(error)")
            return
        }
        if entry.profile != report.profile.name || entry.status != report.status || entry.driftStatus != report.drift?.status {
            // Each side's three fields, so that the one that differs shows (the drift
            // verdict was left out, and an edited one printed two identical pairs).
            let drift = { (status: AuditReport.Verdict?) in "drift \(status?.rawValue ?? "none")" }
            problem(.editedEntry, entry.id, "its profile or verdicts (\(entry.profile), \(entry.status.rawValue), \(drift(entry.driftStatus))) differ from its report's (\(report.profile.name), \(report.status.rawValue), \(drift(report.drift?.status)))")
        }
        let stored: [HistoryMetricRow]
        let columns: [Row]
        do {
            stored = try Self.metricRows(db, entry: entry.id)
            columns = try Row.fetchAll(db, sql: "SELECT DISTINCT profile, time FROM metric WHERE entry_id = ?", arguments: [entry.id])
        } catch {
            problem(.editedMetricRow, entry.id, "its metric rows cannot be read: \(error)")
            return
        }
        for row in columns {
            let profile = (try? Self.column(row, "profile") as String) ?? "(not text)"
            let time = (try? Self.column(row, "time") as String) ?? "(not text)"
            guard profile != entry.profile || time != entry.asOf else { continue }
            problem(.editedMetricRow, entry.id, "metric rows name profile '\(MessageQuote.clipped(profile))' at \(MessageQuote.clipped(time)), the entry \(entry.profile) at \(entry.asOf)")
        }
        let expected = Dictionary(HistoryMetricRow.rows(of: report).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let actual = Dictionary(stored.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var differences: [String] = []
        for key in Set(expected.keys).union(actual.keys).sorted() {
            switch (expected[key], actual[key]) {
            case let (want?, have?) where want != have:
                differences.append("\(key) is \(Self.describe(have)), the report says \(Self.describe(want))")
            case (_?, nil):
                differences.append("\(key) is missing")
            case (nil, _?):
                differences.append("\(key) is not in the report")
            default:
                break
            }
        }
        if !differences.isEmpty {
            let shown = differences.prefix(3).joined(separator: "; ")
            let more = differences.count > 3 ? " (and \(differences.count - 3) more)" : ""
            problem(.editedMetricRow, entry.id, "metric rows differ from its report: \(shown)\(more)")
        }
    }

    private static func describe(_ row: HistoryMetricRow) -> String {
        func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "undefined" }
        let interval = row.lower == nil && row.upper == nil ? "" : " [\(number(row.lower)), \(number(row.upper))]"
        return number(row.value) + interval
    }
}
