import FairleadCore
import Foundation

extension ProfileSniffer {
    /// What the sniffer concluded, column by column: the material of a starter profile.
    public struct Draft: Sendable, Equatable {
        /// A drafted decision threshold and what it selects in the sniffed file.
        public struct Threshold: Sendable, Equatable {
            /// The threshold (scores ≥ it are selected), as `text` reads.
            public var value: Double
            /// The threshold as written in the profile, e.g. `0.62`.
            public var text: String
            /// Rows of the sniffed file with a score ≥ `value`.
            public var selectedRows: Int
            /// Rows with a score.
            public var scoredRows: Int

            /// `selectedRows ÷ scoredRows`.
            public var share: Double { Double(selectedRows) / Double(scoredRows) }
        }

        public var dataPath: String
        public var rowCount: Int
        public var id: String?
        /// The best score candidate; `nil` when none was found (the profile then needs an edit).
        public var score: String?
        /// The other score candidates, best first, named in a comment to switch to.
        public var otherScores: [String] = []
        /// The range the chosen score's values lie in, rounded outward (see `fairlead init`).
        public var scoreRange: ClosedRange<Double>?
        /// A threshold selecting about ``ProfileSniffer/targetShare`` of the rows.
        public var threshold: Threshold?
        public var label: String?
        /// The label's positive values when it is not a 0/1 or true/false column.
        public var labelPositive: [String]?
        /// The label's two values, for the comment.
        public var labelValues: [String] = []
        /// Whether no value of the label was recognised as an outcome word, so that
        /// `labelPositive` is a guess to check.
        public var labelPositiveIsGuess = false
        public var sensitive: [String] = []
        /// Numeric sensitive columns and the bins that cut them into groups.
        public var sensitiveBins: [String: SensitiveBins] = [:]
        /// Columns whose names suggest a proxy for a sensitive attribute (postal codes, …).
        public var possibleProxies: [String] = []
        /// Sensitive columns that look like one attribute one-hot encoded (`race_white`,
        /// `race_black`: 0/1, at most one 1 per row), each group in column order.
        public var oneHotGroups: [[String]] = []
        /// Every column with its inferred type, for the comment block.
        public var columns: [(name: String, type: ColumnType, distinct: Int?)] = []

        public init(dataPath: String, rowCount: Int) {
            self.dataPath = dataPath
            self.rowCount = rowCount
        }

        public static func == (lhs: Draft, rhs: Draft) -> Bool {
            lhs.dataPath == rhs.dataPath && lhs.rowCount == rhs.rowCount && lhs.id == rhs.id && lhs.score == rhs.score
                && lhs.otherScores == rhs.otherScores && lhs.scoreRange == rhs.scoreRange && lhs.threshold == rhs.threshold
                && lhs.label == rhs.label && lhs.labelPositive == rhs.labelPositive && lhs.labelValues == rhs.labelValues
                && lhs.labelPositiveIsGuess == rhs.labelPositiveIsGuess && lhs.sensitive == rhs.sensitive
                && lhs.sensitiveBins == rhs.sensitiveBins && lhs.possibleProxies == rhs.possibleProxies && lhs.oneHotGroups == rhs.oneHotGroups
                && lhs.columns.map(\.name) == rhs.columns.map(\.name)
        }
    }
}

extension ProfileSniffer.Draft {
    /// The sensitive attributes as ``yaml(name:relativeDataPath:)`` writes them: a one-hot
    /// group as its attribute's name followed by its columns (`race (one-hot: race_white,
    /// race_black)`), every other sensitive column by its name.
    public var sensitiveAttributeNames: [String] { sensitiveAttributeNames() }

    /// ``sensitiveAttributeNames`` with each name from the data shown by `shown` (cut as a
    /// table cuts labels, say): the names, not the text around them, so that a parenthesis
    /// is never cut away.
    public func sensitiveAttributeNames(shown: (String) -> String = { $0 }) -> [String] {
        var names: [String] = []
        var indicatorColumns: Set<String> = []
        for group in oneHotGroups {
            guard let attribute = ProfileSniffer.oneHotAttribute(group, columns: columns.map(\.name)) else { continue }
            indicatorColumns.formUnion(group)
            names.append("\(shown(attribute.name)) (one-hot: \(group.map(shown).joined(separator: ", ")))")
        }
        return names + sensitive.filter { !indicatorColumns.contains($0) }.map(shown)
    }

    /// The placeholder written for a score column that was not found.
    public static let scorePlaceholder = "SCORE_COLUMN"
    /// The placeholder written when no sensitive column was found.
    public static let sensitivePlaceholder = "SENSITIVE_COLUMN"

    /// The draft as a commented YAML profile; `relativeDataPath` is how the profile
    /// should refer to the data (relative to where the profile is written). When the
    /// score and a sensitive column were found it validates and runs as written.
    ///
    /// Values from the data (column names, label values, group names) are written as
    /// ``YAMLEscaping/scalar(_:)`` in keys' values and ``YAMLEscaping/comment(_:)`` in
    /// comments: no header or value can end a comment, add a key or start a document.
    public func yaml(name: String, relativeDataPath: String) -> String {
        var lines: [String] = []
        // Comments name columns to help a reader: a name is cut there (a 70,000-character
        // column name was written whole in the list of columns), never in a value.
        func add(_ text: String, comment: String? = nil) {
            guard let comment else { return lines.append(text) }
            lines.append(text.padding(toLength: max(text.count + 1, 30), withPad: " ", startingAt: 0) + "# "
                         + YAMLEscaping.comment(MessageQuote.messageLines(comment)))
        }
        func comment(_ text: String) { lines.append("# " + YAMLEscaping.comment(MessageQuote.messageLines(text))) }
        let fileName = (dataPath as NSString).lastPathComponent
        comment("Starter audit profile drafted by `fairlead init` from \(dataPath) (\(Self.grouped(rowCount)) rows).")
        add("# Check every line: the column roles below are guesses from names and values.")
        add("# Run `fairlead validate` on it, then `fairlead audit --profile` it. Keys: docs/profiles.md")
        add("#")
        add("# Columns found:")
        for column in columns {
            comment("  \(MessageQuote.cut(column.name, limit: 120)): \(column.type.rawValue)" + (column.distinct.map { ", \($0) distinct" } ?? ""))
        }
        add("name: \(Self.quoted(name))")
        add("purpose: Fairness audit of the lead score.")
        add("data:")
        add("  path: \(Self.quoted(relativeDataPath))")
        if let id { add("  id: \(Self.quoted(id))") }
        if let score {
            add("  score: \(Self.quoted(score))", comment: otherScores.isEmpty ? nil
                : "other candidates: \(otherScores.joined(separator: ", ")) (name one here to audit it instead)")
        } else {
            add("  score: \(Self.scorePlaceholder)", comment: "no score column recognised: name it here")
        }
        if let label {
            if let labelPositive {
                let negative = labelValues.filter { !labelPositive.contains($0) }
                let meaning = "\(labelPositive.joined(separator: ", ")) → 1, \(negative.joined(separator: ", ")) → 0"
                add("  label: {column: \(Self.quoted(label)), positive: [\(labelPositive.map(Self.quoted).joined(separator: ", "))]}",
                    comment: labelPositiveIsGuess ? "\(meaning); a guess: put the value of a good outcome in 'positive'"
                                                  : "\(meaning); remove for a production re-audit without labels")
            } else {
                add("  label: \(Self.quoted(label))", comment: "0/1 outcome; remove for a production re-audit without labels")
            }
        } else {
            add("  # label: OUTCOME_COLUMN      # a 0/1 outcome, when known, enables error-rate metrics")
        }
        // A numeric column named like a weight (`weight`, `sample_weight`):
        // offered commented out, since weighting changes every rate.
        if let weight = columns.first(where: { column in
            let name = column.name.lowercased()
            return column.type == .numeric && (name == "weight" || name == "weights" || name.hasSuffix("_weight") || name.hasPrefix("weight_"))
        })?.name {
            add("  # weight: \(Self.quoted(weight))", comment: "rows' weights (sampling or importance); uncomment to weight every rate")
        }
        if let scoreRange {
            add("  score_range: [\(AuditProfile.compactNumber(scoreRange.lowerBound)), \(AuditProfile.compactNumber(scoreRange.upperBound))]",
                comment: scoreRange == 0...1 ? "every score lies in [0, 1]" : "the observed scores, rounded outward; widen it if scores can go beyond")
        }
        add("decisions:")
        if let threshold {
            let rows = threshold.scoredRows == rowCount ? "rows" : "scored rows"
            add("  - threshold: \(threshold.text)",
                comment: "selects \(String(format: "%.1f", threshold.share * 100))% (\(Self.grouped(threshold.selectedRows))) of the "
                    + "\(Self.grouped(threshold.scoredRows)) \(rows) in \(fileName); change to your cut-off")
        } else {
            add("  - threshold: 0.5", comment: "leads scored at least this are called; change to your cut-off")
        }
        add("  - top_k: 10%", comment: "and the top of the queue a team works in a busy week")
        add("sensitive:")
        if sensitive.isEmpty {
            add("  - \(Self.sensitivePlaceholder)", comment: "no sensitive column recognised: name at least one")
        }
        // An attribute one-hot encoded is audited as one: its groups compared with each
        // other, not each indicator's 1s with its 0s.
        var indicatorColumns: Set<String> = []
        for group in oneHotGroups {
            guard let attribute = ProfileSniffer.oneHotAttribute(group, columns: columns.map(\.name)) else {
                comment("\(group.joined(separator: ", ")) look like one attribute one-hot encoded (0/1, at most one 1 per row). "
                        + "Each is audited alone, as its 1s against its 0s; to compare the groups with each other, build it from them "
                        + "(name: and one_hot:, docs/profiles.md) or add one column holding the value, and list it here instead")
                continue
            }
            indicatorColumns.formUnion(group)
            add("  - name: \(Self.quoted(attribute.name))",
                comment: "one attribute from \(group.joined(separator: ", ")) (0/1, at most one 1 per row in \(fileName))")
            add("    one_hot:", comment: "group: its indicator column; no indicator at 1 is a missing value")
            for (value, column) in attribute.groups {
                add("      \(Self.quoted(value)): \(Self.quoted(column))")
            }
            add("    reference: largest", comment: "or a group, e.g. the historically favoured one")
        }
        for column in sensitive where !indicatorColumns.contains(column) {
            add("  - column: \(Self.quoted(column))")
            if let bins = sensitiveBins[column] {
                add("    bins: [\(bins.edges.map(AuditProfile.compactNumber).joined(separator: ", "))]",
                    comment: "groups \(bins.groupNames.joined(separator: ", "))")
            }
            add("    reference: largest", comment: "or a group's value, e.g. the historically favoured group")
        }
        if !possibleProxies.isEmpty {
            comment("Possible proxies of a sensitive attribute (check before using them as features): "
                    + possibleProxies.joined(separator: ", "))
        }
        add("rules:")
        add("  - disparate_impact >= 0.8", comment: "the four-fifths rule")
        if label != nil {
            add("  - equal_opportunity_difference <= 0.1")
        }
        add("settings:")
        add("  min_group_size: 30")
        add("  bootstrap: 1000")
        add("  seed: 1")
        if columns.count > Limits().maxColumns {
            // Read with --max-columns raised: the profile raises it too, so that it runs as written.
            add("limits:")
            add("  max_columns: \(columns.count)", comment: "the file's columns, more than the default \(Limits().maxColumns)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML scalar that reads back as `text` (``YAMLEscaping/scalar(_:)``).
    static func quoted(_ text: String) -> String {
        YAMLEscaping.scalar(text)
    }

    /// `5000` → "5,000".
    static func grouped(_ count: Int) -> String {
        let digits = String(count)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
