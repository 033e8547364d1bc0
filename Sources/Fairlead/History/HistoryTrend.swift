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

    /// Reads `metric`'s rows; only `profile`'s, `decision`'s and `attribute`'s when given,
    /// and only entries whose `as_of` is at or after `since`.
    ///
    /// - Throws: `FairleadError(.usage)` when the history has no rows of `metric` at all
    ///   (with the closest names it has).
    public init(history: HistoryStore, metric: String, profile: String? = nil, decision: String? = nil,
                attribute: String? = nil, since: Date? = nil) throws {
        self.metric = metric
        var conditions = ["m.metric = ?"]
        var arguments: StatementArguments = [metric]
        if let profile { conditions.append("m.profile = ?"); arguments += [profile] }
        if let decision { conditions.append("m.decision = ?"); arguments += [decision] }
        if let attribute { conditions.append("m.attribute = ?"); arguments += [attribute] }
        if let since { conditions.append("m.time >= ?"); arguments += [HistoryTime.string(since)] }
        let sql = """
            SELECT m.profile, m.decision, m.attribute, m.group_name, m.value, m.time,
                   e.id, e.status, e.drift_status, e.completes
            FROM metric m JOIN entry e ON e.id = m.entry_id
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY m.profile, m.decision, m.attribute, m.time, e.id
            """
        let (tables, known) = try history.read { db in
            (try Self.tables(GRDB.Row.fetchAll(db, sql: sql, arguments: arguments)),
             try String.fetchOne(db, sql: "SELECT metric FROM metric WHERE metric = ? LIMIT 1", arguments: [metric]) != nil
                ? [] : try String.fetchAll(db, sql: "SELECT DISTINCT metric FROM metric"))
        }
        if tables.isEmpty && !known.isEmpty {
            let near = closestNames(to: metric, in: known, limit: 3)
            throw FairleadError(.usage, "the history has no metric '\(metric)'; closest: \(near.joined(separator: ", "))",
                                at: SourceLocation(file: history.path))
        }
        self.tables = tables
    }

    /// The tables of `records`, each value read through ``HistoryStore/column(_:_:)``: a
    /// row edited to hold text where a number belongs (or a blob where text does) is damage
    /// to report, where GRDB's subscript would stop the process.
    private static func tables(_ records: [GRDB.Row]) throws -> [Table] {
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
                    completes: try HistoryStore.optionalColumn(record, "completes"), values: [:])
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
        return lines.joined(separator: "\n") + "\n"
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
        var header = ["entry", "as of", "status", "drift"]
        if showsCompletes { header.append("labels for") }
        let fixed = header.count
        var result = TextTable(header: header + table.columns)
        result.rightAligned = Set([0] + Array(fixed..<(fixed + table.columns.count)))
        // The group (or attribute) columns are headed by labels from the data.
        result.labelColumns = Set(fixed..<(fixed + table.columns.count))
        for row in table.rows {
            var cells = [String(row.entry), HistoryTime.display(row.asOf), Self.word(row.status),
                         row.driftStatus.map(Self.word) ?? "—"]
            if showsCompletes { cells.append(row.completes.map { "entry \($0)" } ?? "") }
            cells += table.columns.map { column in
                guard let value = row.values[column] else { return "" }
                return ReportFormatting.number(value)
            }
            result.rows.append(cells)
        }
        return result
    }
}
