import Fairlead
import Testing

/// ``TextTable`` escapes and truncates every cell itself, per medium.
@Suite struct TextTableEscapingTests {
    static let hostile = ["north\u{1B}[2J", "south\rFAIL", "multi\nline", "<script>x</script>|y", "`rule >= 1`",
                          "west\u{202E}gnp", String(repeating: "Z", count: 5000)]

    static func table() -> TextTable {
        var table = TextTable(header: ["group", "n", "why"])
        table.rightAligned = [1]
        for (index, name) in hostile.enumerated() { table.rows.append([name, String(index), "because \(name)"]) }
        return table
    }

    @Test func plainCellsAreVisibleAndCut() {
        let lines = Self.table().renderPlain(indent: "  ")
        #expect(lines.count == 2 + Self.hostile.count)
        for line in lines {
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x80...0x9F).contains($0.value) || $0.value == 0x202E })
        }
        #expect(lines[2].hasPrefix("  north\\x1B[2J "))
        #expect(lines[4].hasPrefix("  multi\\nline "))
        let long = lines[8]
        #expect(long.hasPrefix("  " + String(repeating: "Z", count: 39) + "…  6"))
        // The other column is cut at the wider limit.
        #expect(long.hasSuffix("because " + String(repeating: "Z", count: TextTable.cellWidth - 9) + "…"))
        #expect(lines.allSatisfy { $0.count < 500 })
    }

    @Test func markdownRowsKeepTheirColumns() {
        let lines = Self.table().renderMarkdown()
        #expect(lines.count == 2 + Self.hostile.count)
        for line in lines {
            var pipes = 0, escaped = false
            for scalar in line.unicodeScalars {
                if scalar == "|" && !escaped { pipes += 1 }
                escaped = scalar == "\\" && !escaped
            }
            #expect(pipes == 4, "\(line)")
            #expect(!line.contains("<"))
        }
        #expect(lines[5] == "| &lt;script&gt;x&lt;/script&gt;\\|y | 3 | because &lt;script&gt;x&lt;/script&gt;\\|y |")
        // A cell written as code stays code: HTML is not read there, so it is left as it is;
        // backticks in a cell of text are text.
        #expect(lines[6] == "| `rule >= 1` | 4 | because \\`rule &gt;= 1\\` |")
        #expect(lines[8].hasPrefix("| " + String(repeating: "Z", count: 39) + "… | 6 |"))
    }

    @Test func labelsAreCutWithAnEllipsis() {
        #expect(TextTable.label(String(repeating: "a", count: 40)) == String(repeating: "a", count: 40))
        #expect(TextTable.label(String(repeating: "a", count: 41)) == String(repeating: "a", count: 39) + "…")
        #expect(TextTable.label("a\u{1B}b") == "a\\x1Bb")
        #expect(TextTable.label(String(repeating: "\u{1B}", count: 30)) == String(repeating: "\\x1B", count: 9) + "\\x1…")
    }
}
