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
