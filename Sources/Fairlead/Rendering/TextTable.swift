/// Rows of cells laid out in aligned columns: text left-aligned, numbers right-aligned.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Which columns are right-aligned (numbers).
    var rightAligned: Set<Int> = []

    /// The table as lines of text, with two spaces between columns and a rule under the header.
    func renderPlain(indent: String = "  ") -> [String] {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: max(0, widths[column] - cell.count))
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }
            return indent + padded.joined(separator: "  ").replacingTrailingSpaces()
        }
        return [line(header), indent + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
            + rows.map(line)
    }

    /// The table in GitHub-flavoured Markdown, with `|` in cells escaped.
    func renderMarkdown() -> [String] {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + header.indices.map { rightAligned.contains($0) ? "---:|" : "---|" }.joined()
        return [line(header), rule] + rows.map(line)
    }
}

private extension String {
    func replacingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
