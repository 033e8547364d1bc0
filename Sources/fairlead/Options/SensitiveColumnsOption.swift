import Fairlead

/// The columns of a `--sensitive a,b` flag, refused when one is named twice, as a
/// profile's `sensitive: [a, a]` is: a column audited twice would count each of its
/// findings twice.
enum SensitiveColumnsOption {
    /// `columns` as given, or a usage error naming the first column listed twice.
    static func distinct(_ columns: [String]) throws -> [String] {
        var seen = Set<String>()
        for column in columns where !seen.insert(column).inserted {
            throw FairleadError(.usage, "--sensitive: the sensitive column '\(MessageQuote.clipped(column, limit: 80))' is listed twice")
        }
        return columns
    }
}
