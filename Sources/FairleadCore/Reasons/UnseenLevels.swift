/// Values of categorical columns that a model has no one-hot feature for, counted per
/// column: what a model read without knowing them.
///
/// A model trained on `lead_source=web_form`, `lead_source=referral`, … reads a lead
/// whose `lead_source` is `WEB_FORM` (or a source added after training) with every one of
/// those indicators 0 — as none of the levels it knows, not as a level of its own and not
/// as `web_form`. Its score is what the model makes of that, but no reason may present
/// the value as if the model knew it, and whoever runs the model is told: per column, how
/// many rows held such a value and the first few of them.
///
///     var unseen = UnseenLevels()
///     unseen.count(column: "lead_source", value: "WEB_FORM")
///     unseen.warnings()   // [#"lead_source: 1 row holds a value the model has no feature for ("WEB_FORM"): ..."#]
///
/// Counts merge (``merge(_:)``), so batches of a file add up to the file's.
public struct UnseenLevels: Sendable, Equatable {
    /// One column's values the model has no feature for.
    public struct Column: Sendable, Equatable {
        /// The column (the source of the model's one-hot features).
        public let name: String
        /// Rows holding such a value.
        public internal(set) var rows: Int
        /// The first distinct such values, at most ``UnseenLevels/maxExamples``, in the
        /// order they were met.
        public internal(set) var examples: [String]
        /// Distinct such values, counted up to ``UnseenLevels/maxDistinctCounted``.
        public internal(set) var distinctValues: Int
        /// The values counted as distinct so far (bounded like `distinctValues`).
        var counted: Set<String>

        /// Counts `value` as a distinct one, and keeps it as an example, when it is new
        /// and the counts have room.
        mutating func countDistinct(_ value: String) {
            guard !counted.contains(value), distinctValues < UnseenLevels.maxDistinctCounted else { return }
            counted.insert(value)
            distinctValues += 1
            if examples.count < UnseenLevels.maxExamples { examples.append(value) }
        }
    }

    /// Example values kept per column.
    public static let maxExamples = 3
    /// Distinct values counted per column: past it, `distinctValues` stays there (a
    /// column of ids counts no further, in bounded memory).
    public static let maxDistinctCounted = 1_000

    /// The columns with such values, in the order they were first met.
    public private(set) var columns: [Column] = []

    /// No value the model lacks a feature for.
    public init() {}

    /// Whether every value had a feature.
    public var isEmpty: Bool { columns.isEmpty }

    /// Counts `rows` rows of `column` holding `value`, which the model has no feature for.
    public mutating func count(column: String, value: String, rows: Int = 1) {
        guard rows > 0 else { return }
        let index: Int
        if let existing = columns.firstIndex(where: { $0.name == column }) {
            index = existing
        } else {
            columns.append(Column(name: column, rows: 0, examples: [], distinctValues: 0, counted: []))
            index = columns.count - 1
        }
        columns[index].rows += rows
        columns[index].countDistinct(value)
    }

    /// These counts without the columns in `names`: what an output a rep may read holds,
    /// without the columns withheld from reps (a sensitive attribute, a proxy), whose
    /// values it must not carry.
    public func excluding(_ names: Set<String>) -> UnseenLevels {
        var kept = self
        kept.columns.removeAll { names.contains($0.name) }
        return kept
    }

    /// The warning an output a rep may read gives for the columns in `names` (withheld
    /// from reps): how many of their values the model had no feature for, naming neither
    /// column nor value; nil when none. The score of such a lead is the model's reading of
    /// "none of the levels it knows", and whoever reads the score is told so.
    ///
    ///     1 value of a column withheld from reps is one the model has no feature for: read as none of that column's levels the model knows (neither is named in an output reps may read)
    public func withheldWarning(_ names: Set<String>) -> String? {
        let values = columns.filter { names.contains($0.name) }.reduce(0) { $0 + $1.rows }
        guard values > 0 else { return nil }
        let one = values == 1
        return "\(values) value\(one ? "" : "s") of \(one ? "a column" : "columns") withheld from reps \(one ? "is one" : "are ones") "
            + "the model has no feature for: read as none of \(one ? "that column's" : "their") levels the model knows "
            + "(neither is named in an output reps may read)"
    }

    /// Adds `other`'s counts (a later batch's) to these.
    public mutating func merge(_ other: UnseenLevels) {
        for column in other.columns {
            if let index = columns.firstIndex(where: { $0.name == column.name }) {
                columns[index].rows += column.rows
                for value in column.examples { columns[index].countDistinct(value) }
                // Distinct values `other` counted beyond its examples may repeat these; the
                // larger of the two counts is a lower bound either way.
                columns[index].distinctValues = min(Self.maxDistinctCounted,
                                                    max(columns[index].distinctValues, column.distinctValues))
            } else {
                columns.append(column)
            }
        }
    }

    /// The two fields a JSON output ends with when values had no feature,
    /// `"unseen_levels":[{"column","rows","examples"}],"warnings":[…]` (`unseen_levels`
    /// left out when no column is listed) (examples cut at 80
    /// characters, as a sentence's value is), each string written by `string`, the
    /// output's own JSON string writer.
    public func jsonFields(reasonsWithheld: Bool, more: [String] = [], string: (String) -> String) -> String {
        let listed = columns.map { column in
            "{\"column\":\(string(column.name)),\"rows\":\(column.rows),\"examples\":["
                + column.examples.map { string(MessageQuote.cut($0, limit: 80)) }.joined(separator: ",") + "]}"
        }
        // No column listed (only warnings, of columns left out or withheld): the field is
        // absent, as the documentation says, not an empty list.
        return (listed.isEmpty ? "" : "\"unseen_levels\":[\(listed.joined(separator: ","))],") + "\"warnings\":["
            + (warnings(reasonsWithheld: reasonsWithheld) + more).map(string).joined(separator: ",") + "]"
    }

    /// One warning per column, for standard error and a JSON output's `warnings`: the
    /// column, how many rows, the first values (quoted and made visible as every message
    /// quotes data, ``MessageQuote``) and what the model read; with `reasonsWithheld`,
    /// that those leads get no reason from the column.
    ///
    ///     lead_source: 2 rows hold values the model has no feature for ("WEB_FORM", "Web"): read as none of the lead_source levels the model knows (all its lead_source features 0); not given as a reason for those leads
    public func warnings(reasonsWithheld: Bool = false) -> [String] {
        columns.map { column in
            let name = MessageQuote.clipped(column.name)
            let one = column.rows == 1
            let values = column.distinctValues == 1 ? "a value" : "values"
            var shown = MessageQuote.list(column.examples, limit: Self.maxExamples)
            if column.distinctValues > column.examples.count {
                let more = column.distinctValues - column.examples.count
                shown += ", and \(more)\(column.distinctValues >= Self.maxDistinctCounted ? "+" : "") more"
            }
            let rows = one ? "1 row holds" : "\(column.rows) rows hold"
            let tail = reasonsWithheld ? "; not given as a reason for \(one ? "that lead" : "those leads")" : ""
            return "\(name): \(rows) \(values) the model has no feature for (\(shown)): read as none of the \(name) levels "
                + "the model knows (all its \(name) features 0)\(tail)"
        }
    }
}
