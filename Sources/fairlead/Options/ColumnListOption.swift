import Fairlead

/// The columns of a comma-separated flag (`--sensitive a,b`, `--quasi`, `--proxies`,
/// `--allow`), read alike by every command: spaces around a name are trimmed; an empty
/// name (`--sensitive ''`, `a,,b`, a trailing comma) is refused, as it would otherwise
/// be dropped and the command run on fewer columns than asked — with no sensitive column
/// at all, an audit judges nothing; a name listed twice is refused, as a profile's
/// `sensitive: [a, a]` is: a column audited twice would count each of its findings twice.
enum ColumnListOption {
    /// The names in `text`, given to `flag`.
    static func names(_ text: String, flag: String) throws -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if names.contains(where: \.isEmpty) {
            throw FairleadError(.usage, "\(flag) holds an empty column name ('\(MessageQuote.clipped(text, limit: 80))'); "
                                + "give names separated by single commas, such as ethnicity,gender")
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw FairleadError(.usage, "\(flag): the \(flag == "--sensitive" ? "sensitive " : "")column '\(MessageQuote.clipped(name, limit: 80))' is listed twice")
        }
        return names
    }
}

/// `--baseline-level COLUMN=LEVEL` (repeatable): the level a one-hot encoding dropped
/// (`get_dummies(drop_first=True)`), as a profile's `model.baseline_levels` declares it.
enum BaselineLevelOption {
    static let help = "A one-hot column's dropped level, COLUMN=LEVEL (repeatable): the level get_dummies(drop_first=True) left out, which the model reads as every indicator 0 (not reported as a value the model never saw)."

    /// The declarations in `entries`, one level per column.
    static func levels(_ entries: [String]) throws -> [String: String] {
        var levels: [String: String] = [:]
        for entry in entries {
            guard let equals = entry.firstIndex(of: "="), entry.startIndex != equals,
                  entry.index(after: equals) != entry.endIndex else {
                throw FairleadError(.usage, "--baseline-level expects COLUMN=LEVEL, such as lead_source=cold_outbound, found '\(MessageQuote.clipped(entry, limit: 80))'")
            }
            let column = String(entry[..<equals]), level = String(entry[entry.index(after: equals)...])
            if let earlier = levels.updateValue(level, forKey: column) {
                throw FairleadError(.usage, "--baseline-level names the column '\(MessageQuote.clipped(column, limit: 80))' twice, as '\(MessageQuote.clipped(earlier, limit: 80))' and as '\(MessageQuote.clipped(level, limit: 80))': an encoding drops one level per column")
            }
        }
        return levels
    }
}
