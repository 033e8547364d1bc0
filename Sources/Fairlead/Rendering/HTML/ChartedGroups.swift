import FairleadCore

/// The groups a chart with one line or one panel per group draws, when drawing every
/// group would not read: a line chart tells its series apart by ``ChartPalette``'s eight
/// colours, markers and dashes, so a ninth line looks like the first; and a page of
/// 10,000 histograms shows nothing. The chart draws at most `limit` groups, in the order
/// given (the largest, or the furthest from the limit, first), leaving out groups under
/// the minimum size, whose curves are noise; the note under it says which were left out.
/// The table beside the chart keeps every group.
struct ChartedGroups {
    /// The groups drawn, in the order given.
    var drawn: [String]
    /// What was left out and where to find it; `nil` when every group is drawn.
    var note: String?

    /// `groups` in drawing order, each with its rows (`nil` when not known: never left out
    /// as small); `minimum` is the report's minimum group size; `ranking` says what the
    /// order ranks by, for the note ("largest": "beyond the 8 largest").
    init(_ groups: [(name: String, rows: Int?)], minimum: Int, limit: Int, ranking: String, table: String) {
        let small = groups.filter { ($0.rows ?? minimum) < minimum }
        let large = groups.filter { ($0.rows ?? minimum) >= minimum }
        drawn = large.prefix(limit).map(\.name)
        let beyond = large.count - drawn.count
        var parts: [String] = []
        if beyond > 0 {
            parts.append("\(beyond) \(beyond == 1 ? "group" : "groups") beyond the \(limit) \(ranking) "
                         + "(\(MessageQuote.list(large.dropFirst(limit).map(\.name), limit: 3)))")
        }
        if !small.isEmpty {
            parts.append("\(small.count) \(small.count == 1 ? "group" : "groups") under \(minimum) rows "
                         + "(\(MessageQuote.list(small.map(\.name), limit: 3)))")
        }
        note = parts.isEmpty ? nil : "Not drawn: \(parts.joined(separator: " and ")); \(table) holds every group."
    }
}
