/// The legend of the terminal rendering's tables: each abbreviation and mark is
/// explained once, under the first table that uses it.
///
///     var legend = TerminalLegend()
///     legend.lines(for: [("sel", "selection rate"), ("*", "fewer than 30 rows")])
///     // ["    sel = selection rate · * = fewer than 30 rows"]
///     legend.lines(for: [("sel", "selection rate")])   // []: explained already
struct TerminalLegend {
    private var explained: Set<String> = []

    /// The entries not explained yet, now marked explained, as lines of `indent` and
    /// "KEY = meaning · KEY = meaning" that break between entries to fit a line; empty
    /// when every entry was explained.
    mutating func lines(for entries: [(key: String, meaning: String)], indent: String = "    ") -> [String] {
        let new = entries.filter { explained.insert($0.key).inserted }.map { "\($0.key) = \($0.meaning)" }
        var lines: [String] = [], line = ""
        for entry in new {
            if !line.isEmpty, TerminalWidth.columns(indent + line + " · " + entry) > TerminalWidth.lineWidth {
                lines.append(indent + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " · ") + entry
        }
        if !line.isEmpty { lines.append(indent + line) }
        return lines
    }
}
