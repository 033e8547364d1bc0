import FairleadCore
import Foundation
import GRDB

/// One metric over time, read from the history's metric rows: what
/// `fairlead history show` prints.
///
/// There is a table per profile, decision and attribute, with a row per entry (in
/// `as_of` order) and a column per group; a metric with one value per attribute (a
/// fairness value such as `demographic_parity_difference`) gets a table per profile and
/// decision with a column per attribute instead.
///
///     leads-weekly · threshold_0.3 · ethnicity · selection_rate
///     entry  as of       status  drift  asian  black  hispanic  other  white  (overall)
///         1  2026-03-02  fail    —      0.288  0.105     0.282  0.250  0.276      0.255
public struct HistoryTrend: Sendable {
    /// One entry's values in a table.
    public struct Row: Sendable, Equatable {
        /// The entry's id, the time its data describes, and its rules and drift verdicts.
        public var entry: Int64
        public var asOf: String
        public var status: AuditReport.Verdict
        public var driftStatus: AuditReport.Verdict?
        /// The entry this one completes with late labels.
        public var completes: Int64?
        /// The entry this one re-runs (`audit --rerun`, `history label --rerun`).
        public var reruns: Int64? = nil
        /// By column (group or attribute); `nil` when the report says undefined.
        public var values: [String: Double?]
    }

    /// One profile × decision (× attribute) table.
    public struct Table: Sendable, Equatable {
        /// The profile whose entries the table holds.
        public var profile: String
        /// Empty for metrics with no decision (`psi`, `share.change`).
        public var decision: String
        /// `nil` when the columns are attributes.
        public var attribute: String?
        /// Groups (by name, `(overall)` last) or attributes.
        public var columns: [String]
        /// In `as_of` order, then by entry.
        public var rows: [Row]
    }

    /// The metric shown (a name of ``HistoryMetricRow``'s table).
    public var metric: String
    /// By profile, decision and attribute.
    public var tables: [Table]
    /// The entries left out of ``tables`` because a later re-run repeats them, each with
    /// the run shown in its place (empty with `allRuns`).
    public var supersededBy: [Int64: Int64] = [:]

    /// Reads `metric`'s rows; only `profile`'s, `decision`'s and `attribute`'s when given,
    /// and only entries whose `as_of` is at or after `since`.
    ///
    /// A re-run (an entry appended with `--rerun`) repeats an audit already in the
    /// history, so a trend would count that week twice: of an entry and its re-runs only
    /// the latest is shown (the runs replaced are in ``supersededBy``), unless `allRuns`.
    ///
    /// - Throws: `FairleadError(.usage)` when nothing matches because the history has no
    ///   rows of `metric`, `profile`, `decision` or `attribute` at all (a typo: with the
    ///   names a typo away, or the names it has). Nothing since `since` is an empty trend.
    public init(history: HistoryStore, metric: String, profile: String? = nil, decision: String? = nil,
                attribute: String? = nil, since: Date? = nil, allRuns: Bool = false) throws {
        self.metric = metric
        var conditions = ["m.metric = ?"]
        var arguments: StatementArguments = [metric]
        if let profile { conditions.append("m.profile = ?"); arguments += [profile] }
        if let decision { conditions.append("m.decision = ?"); arguments += [decision] }
        if let attribute { conditions.append("m.attribute = ?"); arguments += [attribute] }
        if let since { conditions.append("m.time >= ?"); arguments += [HistoryTime.string(since)] }
        // The rows are read into tables within the read: damage found there is the history's.
        let (tables, missingFilter, supersededBy) = try history.read { db in
            // A history from before re-runs has no `reruns` column, and no re-runs.
            let hasReruns = try HistoryStore.entryColumnsPresent(db).contains("reruns")
            let sql = """
                SELECT m.profile, m.decision, m.attribute, m.group_name, m.value, m.time,
                       e.id, e.status, e.drift_status, e.completes, \(hasReruns ? "e.reruns" : "NULL AS reruns")
                FROM metric m JOIN entry e ON e.id = m.entry_id
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY m.profile, m.decision, m.attribute, m.time, e.id
                """
            let supersededBy = allRuns || !hasReruns ? [:] : Self.supersededRuns(try HistoryStore.storedRerunLinks(db))
            let tables = try Self.tables(GRDB.Row.fetchAll(db, sql: sql, arguments: arguments), leavingOut: supersededBy)
            // A name no row holds is a typo, not a trend that is empty: said, with the names there are.
            var missing: (what: String, name: String, names: [String])?
            if tables.isEmpty {
                // Column names of the `metric` table, from this list only.
                for (column, name) in [("metric", metric), ("profile", profile), ("decision", decision), ("attribute", attribute)] {
                    guard let name, missing == nil,
                          try String.fetchOne(db, sql: "SELECT \(column) FROM metric WHERE \(column) = ? LIMIT 1", arguments: [name]) == nil
                    else { continue }
                    // Rows of no decision (a drift check's) hold an empty one: not a name to offer.
                    let names = try String.fetchAll(db, sql: "SELECT DISTINCT \(column) FROM metric WHERE \(column) != '' ORDER BY \(column)")
                    if !names.isEmpty { missing = (column, name, names) }
                }
            }
            return (tables, missing, supersededBy)
        }
        if let missingFilter {
            throw FairleadError(.usage, Self.unknownName(missingFilter.what, missingFilter.name, among: missingFilter.names),
                                at: SourceLocation(file: history.path))
        }
        self.tables = tables
        let shown = Set(tables.flatMap { $0.rows.map(\.entry) })
        // Only the runs whose replacement is shown: a filter that hides both hides both.
        self.supersededBy = supersededBy.filter { shown.contains($0.value) }
    }

    /// `the history has no attribute 'ethnicty'; did you mean ethnicity?`, or, with no
    /// name a typo away, the names it has (the first few).
    static func unknownName(_ what: String, _ name: String, among names: [String]) -> String {
        let quoted = { (text: String) in MessageQuote.clipped(text, limit: 80) }
        let near = typoNames(of: name, in: names, limit: 3)
        let listed = names.prefix(8).map(quoted).joined(separator: ", ") + (names.count > 8 ? " and \(names.count - 8) more" : "")
        return "the history has no \(what) '\(quoted(name))'; "
            + (near.isEmpty ? "it has \(listed)" : "did you mean \(near.map(quoted).joined(separator: ", "))?")
    }

    /// The runs a later re-run replaces, each with the latest run of its audit: `links`
    /// maps a re-run to the entry it re-runs, and every chain of re-runs keeps only its
    /// highest entry (chains followed by ``HistoryStore/firstRun(of:links:)``).
    static func supersededRuns(_ links: [Int64: Int64]) -> [Int64: Int64] {
        func first(_ entry: Int64) -> Int64 { HistoryStore.firstRun(of: entry, links: links) }
        var latest: [Int64: Int64] = [:]
        for entry in links.keys {
            let root = first(entry)
            latest[root] = max(latest[root] ?? entry, entry)
        }
        var superseded: [Int64: Int64] = [:]
        for entry in Set(links.keys).union(links.values) {
            if let last = latest[first(entry)], last != entry { superseded[entry] = last }
        }
        return superseded
    }

    /// The tables of `records`, each value read through ``HistoryStore/column(_:_:)``: a
    /// row edited to hold text where a number belongs (or a blob where text does) is damage
    /// to report, where GRDB's subscript would stop the process.
    private static func tables(_ records: [GRDB.Row], leavingOut superseded: [Int64: Int64]) throws -> [Table] {
        struct Key: Hashable { var profile, decision: String; var attribute: String? }
        var order: [Key] = []
        var byKey: [Key: (columns: Set<String>, rows: [Int64: Row], entries: [Int64])] = [:]
        for record in records {
            let group: String = try HistoryStore.column(record, "group_name")
            let attribute: String = try HistoryStore.column(record, "attribute")
            let key = Key(profile: try HistoryStore.column(record, "profile"), decision: try HistoryStore.column(record, "decision"),
                          attribute: group.isEmpty ? nil : attribute)
            let column = group.isEmpty ? attribute : group
            let entry: Int64 = try HistoryStore.column(record, "id")
            if superseded[entry] != nil { continue }
            let value: Double? = try HistoryStore.optionalColumn(record, "value")
            if byKey[key] == nil {
                order.append(key)
                byKey[key] = ([], [:], [])
            }
            byKey[key]?.columns.insert(column)
            if byKey[key]?.rows[entry] == nil {
                byKey[key]?.entries.append(entry)
                byKey[key]?.rows[entry] = Row(
                    entry: entry, asOf: try HistoryStore.column(record, "time"),
                    status: try HistoryStore.verdictColumn(record, "status"),
                    driftStatus: try HistoryStore.optionalVerdictColumn(record, "drift_status"),
                    completes: try HistoryStore.optionalColumn(record, "completes"),
                    reruns: try HistoryStore.optionalColumn(record, "reruns"), values: [:])
            }
            byKey[key]?.rows[entry]?.values[column] = .some(value)
        }
        let sortedKeys = order.sorted {
            ($0.profile, $0.decision, $0.attribute ?? "") < ($1.profile, $1.decision, $1.attribute ?? "")
        }
        return sortedKeys.compactMap { key in
            guard let table = byKey[key] else { return nil }
            let overall = HistoryMetricRow.overallGroup
            let columns = table.columns.filter { $0 != overall }.sorted() + (table.columns.contains(overall) ? [overall] : [])
            let rows = table.entries.compactMap { table.rows[$0] }.sorted { ($0.asOf, $0.entry) < ($1.asOf, $1.entry) }
            return Table(profile: key.profile, decision: key.decision, attribute: key.attribute, columns: columns, rows: rows)
        }
    }

    /// The tables as aligned text.
    public func text() -> String {
        var lines = TerminalLines()
        guard !tables.isEmpty else {
            lines.append("no entries with \(metric) match")
            return lines.text
        }
        for table in tables {
            if !lines.lines.isEmpty { lines.append("") }
            lines.append(heading(table, separator: " · "))
            lines.append(contentsOf: textTable(table).renderPlain(indent: ""))
        }
        if let note = supersededNote { lines.append(""); lines.append(note) }
        return lines.text
    }

    /// The tables in GitHub-flavoured Markdown.
    public func markdown() -> String {
        var lines = ["# Trend of \(MarkdownEscaping.code(metric))"]
        if tables.isEmpty { lines += ["", "No entries match."] }
        for table in tables {
            lines += ["", "## " + MarkdownEscaping.text(heading(table, separator: " — ")), ""]
            lines += textTable(table).renderMarkdown()
        }
        if let note = supersededNote { lines += ["", MarkdownEscaping.text(note)] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Which runs the tables leave out for their re-runs, or `nil` when none:
    /// `left out for a later re-run: entries 1 and 3 (re-run as entry 4); --all-runs shows every run`.
    public var supersededNote: String? {
        Self.supersededWords(supersededBy).map { "left out for a later re-run: \($0); --all-runs shows every run" }
    }

    /// The runs of `superseded` (a run → the run shown in its place) in words:
    /// `entries 1 and 3 (re-run as entry 4), entry 5 (re-run as entry 6)`; `nil` when none.
    static func supersededWords(_ superseded: [Int64: Int64]) -> String? {
        guard !superseded.isEmpty else { return nil }
        let byReplacement = Dictionary(grouping: superseded.keys, by: { superseded[$0] ?? $0 })
        let parts = byReplacement.keys.sorted().map { replacement in
            let left = (byReplacement[replacement] ?? []).sorted()
            return "entr\(left.count == 1 ? "y" : "ies") \(list(left)) (re-run as entry \(replacement))"
        }
        return parts.joined(separator: ", ")
    }

    /// `1`, `1 and 2`, `1, 2 and 3`.
    private static func list<Item: CustomStringConvertible>(_ items: [Item]) -> String {
        let words = items.map(\.description)
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " and " + (words.last ?? "")
    }

    /// A verdict in a table cell: `insufficient` for `insufficient_evidence`, to keep columns narrow.
    private static func word(_ verdict: AuditReport.Verdict) -> String {
        verdict == .insufficientEvidence ? "insufficient" : verdict.rawValue
    }

    /// Profile, decision, attribute and metric; each a label, truncated as tables truncate them.
    private func heading(_ table: Table, separator: String) -> String {
        [table.profile, table.decision, table.attribute ?? "", metric].filter { !$0.isEmpty }.map(TextTable.label)
            .joined(separator: separator)
    }

    private func textTable(_ table: Table) -> TextTable {
        let showsCompletes = table.rows.contains { $0.completes != nil }
        let showsReruns = table.rows.contains { $0.reruns != nil }
        var header = ["entry", "as of", "status", "drift"]
        if showsCompletes { header.append("labels for") }
        if showsReruns { header.append("re-runs") }
        let fixed = header.count
        var result = TextTable(header: header + table.columns)
        result.rightAligned = Set([0] + Array(fixed..<(fixed + table.columns.count)))
        // The group (or attribute) columns are headed by labels from the data.
        result.labelColumns = Set(fixed..<(fixed + table.columns.count))
        for row in table.rows {
            var cells = [String(row.entry), HistoryTime.display(row.asOf), Self.word(row.status),
                         row.driftStatus.map(Self.word) ?? "—"]
            if showsCompletes { cells.append(row.completes.map { "entry \($0)" } ?? "") }
            if showsReruns { cells.append(row.reruns.map { "entry \($0)" } ?? "") }
            cells += table.columns.map { column in
                guard let value = row.values[column] else { return "" }
                return ReportFormatting.number(value)
            }
            result.rows.append(cells)
        }
        return result
    }
}
