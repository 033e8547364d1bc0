import FairleadCore

/// Reads a data file and drafts a starter profile: which column is the id, the score,
/// the label, and which look like sensitive attributes (by name and cardinality).
/// `fairlead init` writes the draft as commented YAML for a person to check.
public struct ProfileSniffer: Sendable {
    /// What the sniffer concluded, and why, column by column.
    public struct Draft: Sendable, Equatable {
        public var dataPath: String
        public var rowCount: Int
        public var id: String?
        public var score: String?
        public var scoreRange: ClosedRange<Double>?
        public var label: String?
        public var sensitive: [String]
        /// Columns whose names suggest a proxy for a sensitive attribute (postal codes, …).
        public var possibleProxies: [String]
        /// Every column with its inferred type, for the comment block.
        public var columns: [(name: String, type: ColumnType, distinct: Int?)]

        public static func == (lhs: Draft, rhs: Draft) -> Bool {
            lhs.dataPath == rhs.dataPath && lhs.rowCount == rhs.rowCount && lhs.id == rhs.id && lhs.score == rhs.score
                && lhs.scoreRange == rhs.scoreRange && lhs.label == rhs.label && lhs.sensitive == rhs.sensitive
                && lhs.possibleProxies == rhs.possibleProxies
                && lhs.columns.map(\.name) == rhs.columns.map(\.name)
        }
    }

    /// Name fragments of attributes protected by anti-discrimination law in many places.
    static let sensitiveNames = ["gender", "sex", "age", "race", "ethnic", "religion", "disab", "marital",
                                 "nationality", "national_origin", "pregnan", "veteran", "orientation", "citizenship"]
    static let proxyNames = ["postal", "zip", "postcode", "neighbourhood", "neighborhood", "first_name", "surname", "last_name"]
    static let scoreNames = ["score", "prob", "propensity", "likelihood", "predicted_proba"]
    static let labelNames = ["converted", "conversion", "label", "target", "outcome", "won", "is_won", "y", "closed_won"]

    public init() {}

    public func draft(dataPath: String, threads: Int = 1) throws -> Draft {
        var options = CSVOptions()
        options.threads = threads
        let table = try CSVReader.read(path: dataPath, options: options)
        var draft = Draft(dataPath: dataPath, rowCount: table.rowCount, sensitive: [], possibleProxies: [], columns: [])
        for column in table.columns {
            let name = column.name.lowercased()
            var distinct: Int?
            switch column.storage {
            case .categorical(let values):
                distinct = values.levels.count
                if draft.id == nil, values.levels.count == table.rowCount, values.missingCount == 0,
                   name == "id" || name.hasSuffix("_id") || name.hasSuffix("id") {
                    draft.id = column.name
                } else if Self.sensitiveNames.contains(where: name.contains), values.levels.count <= 50 {
                    draft.sensitive.append(column.name)
                } else if Self.proxyNames.contains(where: name.contains) {
                    draft.possibleProxies.append(column.name)
                }
            case .numeric(let values):
                let finite = values.values.filter(\.isFinite)
                if draft.score == nil, Self.scoreNames.contains(where: name.contains), !finite.isEmpty {
                    draft.score = column.name
                    if let low = finite.min(), let high = finite.max(), low >= 0, high <= 1 { draft.scoreRange = 0...1 }
                } else if draft.label == nil, Self.labelNames.contains(name), finite.allSatisfy({ $0 == 0 || $0 == 1 }) {
                    draft.label = column.name
                }
            case .boolean:
                if draft.label == nil, Self.labelNames.contains(where: { name == $0 || name.hasPrefix($0) }) {
                    draft.label = column.name
                }
            }
            draft.columns.append((column.name, column.type, distinct))
        }
        return draft
    }
}

extension ProfileSniffer.Draft {
    /// The draft as a commented YAML profile; `relativeDataPath` is how the profile
    /// should refer to the data (relative to where the profile is written).
    public func yaml(name: String, relativeDataPath: String) -> String {
        var lines: [String] = []
        lines.append("# Starter audit profile drafted by `fairlead init` from \(dataPath) (\(rowCount) rows).")
        lines.append("# Check every line: the column roles below are guesses from names and values.")
        lines.append("# Run `fairlead validate` on it, then `fairlead audit --profile` it. Keys: docs/profiles.md")
        lines.append("#")
        lines.append("# Columns found:")
        for column in columns {
            lines.append("#   \(column.name): \(column.type.rawValue)" + (column.distinct.map { ", \($0) distinct" } ?? ""))
        }
        lines.append("name: \(name)")
        lines.append("purpose: Fairness audit of the lead score.")
        lines.append("data:")
        lines.append("  path: \(Self.quoted(relativeDataPath))")
        if let id { lines.append("  id: \(Self.quoted(id))") }
        lines.append("  score: \(Self.quoted(score ?? "SCORE_COLUMN"))" + (score == nil ? "   # no score column recognised: name it here" : ""))
        if let label {
            lines.append("  label: \(Self.quoted(label))   # 0/1 outcome; remove for a production re-audit without labels")
        } else {
            lines.append("  # label: OUTCOME_COLUMN      # a 0/1 outcome, when known, enables error-rate metrics")
        }
        if scoreRange != nil { lines.append("  score_range: [0, 1]") }
        lines.append("decisions:")
        lines.append("  - threshold: 0.5            # leads scored at least this are called; change to your cut-off")
        lines.append("  - top_k: 10%                # and the top of the queue a team works in a busy week")
        lines.append("sensitive:")
        if sensitive.isEmpty {
            lines.append("  - SENSITIVE_COLUMN          # no sensitive column recognised: name at least one")
        }
        for column in sensitive {
            lines.append("  - column: \(Self.quoted(column))")
            lines.append("    reference: largest        # or a group's value, e.g. the historically favoured group")
        }
        if !possibleProxies.isEmpty {
            lines.append("# Possible proxies of a sensitive attribute (check before using them as features): "
                         + possibleProxies.joined(separator: ", "))
        }
        lines.append("rules:")
        lines.append("  - disparate_impact >= 0.8   # the four-fifths rule")
        if label != nil {
            lines.append("  - equal_opportunity_difference <= 0.1")
        }
        lines.append("settings:")
        lines.append("  min_group_size: 30")
        lines.append("  bootstrap: 1000")
        lines.append("  seed: 1")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML scalar, quoted when it could be read as something else.
    static func quoted(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "_-./".contains($0) } && !text.isEmpty
            && !["true", "false", "null", "yes", "no", "on", "off", "~"].contains(text.lowercased())
            && Double(text) == nil
        return plain ? text : "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
