import FairleadCore
import Foundation

/// Rows of cells laid out in aligned columns (terminal) or as a GitHub-flavoured
/// Markdown table: text left-aligned, numbers right-aligned.
///
/// Cells hold raw values — group names, features, reasons straight from the report —
/// and the table escapes and truncates every cell itself, so no rendering can put a
/// control character, a line break, HTML or a stray `|` into a table:
///
/// - **Terminal** (``renderPlain(indent:)``): each cell through
///   ``TerminalEscaping/visible(_:)``.
/// - **Markdown** (``renderMarkdown()``): each cell through
///   ``MarkdownEscaping/tableCell(_:)``; a cell written `` `like this` `` (a backtick at
///   each end) is shown as code, through ``MarkdownEscaping/tableCode(_:)``.
/// - **Truncation**: after escaping, a cell of a ``labelColumns`` column longer than
///   ``labelWidth`` characters (40) keeps its first 39 and ends with `…`; any other cell
///   longer than ``cellWidth`` (400) likewise. So one huge group name cannot widen every
///   line of a table; the JSON report keeps every value whole.
/// - **Fitting** (``renderPlain(indent:width:)``): a table wider than the given display
///   columns cuts the cells of its ``fittedColumns`` further, widest column first, each
///   to no fewer than ``fittedMinimum`` columns, so that lines fit a terminal. Columns
///   are aligned by display width (``TerminalWidth``), so names in wide scripts line up.
public struct TextTable: Sendable {
    /// The widest a label (a group, feature or column name) is shown, in characters.
    public static let labelWidth = 40
    /// The widest any other cell is shown, in characters.
    public static let cellWidth = 400

    /// The column headings (escaped and truncated like cells).
    public var header: [String]
    /// The rows, one raw value per column.
    public var rows: [[String]] = []
    /// Which columns are right-aligned (numbers).
    public var rightAligned: Set<Int> = []
    /// Which columns hold labels, truncated at ``labelWidth`` (the first, by default).
    public var labelColumns: Set<Int> = [0]
    /// Which columns ``renderPlain(indent:width:)`` may cut further to fit its width;
    /// `nil` means the ``labelColumns``.
    public var fittedColumns: Set<Int>?
    /// Whether the table's code has labelled its cells itself — a group table, whose
    /// overall row is ``overallLabel`` and whose groups are ``distinguished(_:)`` — so that
    /// cells are not distinguished again; otherwise every cell reading as a reserved label
    /// is (a group named `(overall)` in a table without an overall row shows as it does in
    /// one with it).
    public var labelsDistinguished = false
    /// Whether ``renderPlain(indent:width:)`` starts with the header and its rule.
    public var headerShown = true
    /// The fewest display columns fitting cuts a column to.
    public static let fittedMinimum = 12

    /// A table with these column headings and no rows.
    public init(header: [String]) {
        self.header = header
    }

    /// The table as lines of text, with two spaces between columns and a rule under the
    /// header; with a `width`, the ``fittedColumns`` are cut (with `…`) until every line
    /// fits that many display columns, or they reach ``fittedMinimum``.
    public func renderPlain(indent: String = "  ", width: Int? = nil) -> [String] {
        var cells = ([header] + rows).enumerated().map { index, row in
            row.enumerated().map { column, cell in fitted(cell, column: column, heading: index == 0) }
        }
        func columnWidths() -> [Int] {
            header.indices.map { column in
                cells.dropFirst(headerShown ? 0 : 1).map { $0.indices.contains(column) ? TerminalWidth.columns($0[column]) : 0 }.max() ?? 0
            }
        }
        var widths = columnWidths()
        let visibleIndent = TerminalEscaping.visible(indent)
        if let width {
            let shrinkable = (fittedColumns ?? labelColumns).filter { header.indices.contains($0) }
            var total: Int { TerminalWidth.columns(visibleIndent) + widths.reduce(0, +) + 2 * max(0, widths.count - 1) }
            while total > width {
                guard let widest = shrinkable.filter({ widths[$0] > Self.fittedMinimum }).max(by: { widths[$0] < widths[$1] }) else { break }
                let target = max(Self.fittedMinimum, widths[widest] - (total - width))
                for row in cells.indices where cells[row].indices.contains(widest) {
                    cells[row][widest] = TerminalWidth.truncated(cells[row][widest], to: target)
                }
                widths = columnWidths()
            }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: max(0, (widths.indices.contains(column) ? widths[column] : 0) - TerminalWidth.columns(cell)))
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }
            return visibleIndent + padded.joined(separator: "  ").replacingTrailingSpaces()
        }
        guard let headerCells = cells.first else { return [] }
        let body = cells.dropFirst().map(line)
        guard headerShown else { return body }
        return [line(headerCells), visibleIndent + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")] + body
    }

    /// The table in GitHub-flavoured Markdown, every cell escaped (see the type's documentation).
    public func renderMarkdown() -> [String] {
        func line(_ cells: [String], heading: Bool = false) -> String {
            "| " + cells.enumerated().map { markdownCell($1, column: $0, heading: heading) }.joined(separator: " | ") + " |"
        }
        let rule = "|" + header.indices.map { rightAligned.contains($0) ? "---:|" : "---|" }.joined()
        return [line(header, heading: true), rule] + rows.map { line($0) }
    }

    /// `label` as a table would show it in a label column: controls visible, truncated at
    /// ``labelWidth``. For labels a rendering puts in a line beside a table.
    public static func label(_ label: String) -> String {
        visible(label, width: labelWidth)
    }

    /// The label of an attribute's overall row in the group tables of every rendering.
    public static let overallLabel = "(overall)"

    /// Labels the renderings give rows that are no group: ``overallLabel``.
    public static let reservedLabels: Set<String> = [overallLabel]

    /// A name as the renderings show it: as it is, unless it reads as one of
    /// ``reservedLabels`` — its quotes and spaces taken off, so that `"(overall)"` and
    /// `(overall) ` are caught too — which gets a pair of quotes more: a group named
    /// `(overall)` shows as `"(overall)"`, one named `"(overall)"` as `""(overall)""`,
    /// and none as the overall row. So is a name ending in ` *` (quotes and spaces after
    /// it aside), which Markdown and HTML would read as a small group's mark: `x *` shows
    /// as `"x *"`, and a small one as `"x *" *`. Applied once per shown name (it is not
    /// idempotent: it is one-to-one).
    public static func distinguished(_ name: String) -> String {
        let quotesAndSpaces = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\""))
        // Only the name's last characters decide whether it ends in the mark.
        var tail = Substring(name.suffix(64))
        while let last = tail.unicodeScalars.last, quotesAndSpaces.contains(last) { tail = tail.dropLast() }
        if tail.hasSuffix(" *") { return "\"\(name)\"" }
        // A reserved label with a few quotes and spaces around it is short.
        guard name.utf8.count <= 64 else { return name }
        let bare = name.trimmingCharacters(in: quotesAndSpaces)
        return reservedLabels.contains(bare) ? "\"\(name)\"" : name
    }

    /// `text` with its controls visible, cut to `width` characters, and
    /// ``distinguished(_:)`` from the reserved labels unless `distinguishing` is false (a
    /// cell the table's own code has labelled). Only the first `width + 1` characters are
    /// escaped: each escapes to at least one, so that is enough to know whether the value
    /// is longer — a 50 MB name costs no more than a short one.
    public static func visible(_ text: String, width: Int, distinguishing: Bool = true) -> String {
        let shown = distinguishing ? distinguished(text) : text
        return truncated(TerminalEscaping.visible(String(shown.prefix(width + 1))), to: width)
    }

    /// `text` cut to `width` characters, the last one `…`, when longer.
    public static func truncated(_ text: String, to width: Int) -> String {
        guard width > 0, let end = text.index(text.startIndex, offsetBy: width, limitedBy: text.endIndex),
              end != text.endIndex else { return text }
        return String(text.prefix(width - 1)) + "…"
    }

    /// A cell for a terminal: controls visible, cut at its column's width.
    /// Headings are the table's own words, never distinguished.
    private func fitted(_ text: String, column: Int, heading: Bool = false) -> String {
        Self.visible(text, width: labelColumns.contains(column) ? Self.labelWidth : Self.cellWidth,
                     distinguishing: !labelsDistinguished && !heading)
    }

    private func markdownCell(_ cell: String, column: Int, heading: Bool) -> String {
        let scalars = cell.unicodeScalars
        if scalars.count >= 2, scalars.first == "`", scalars.last == "`" {
            let code = String(String.UnicodeScalarView(scalars.dropFirst().dropLast()))
            return MarkdownEscaping.tableCode(fitted(code, column: column, heading: heading))
        }
        // Truncated before the entities are written, so an entity is never cut in half.
        return MarkdownEscaping.tableCell(fitted(cell, column: column, heading: heading))
    }
}

private extension String {
    func replacingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
