/// A data table of an HTML page: every number a chart shows is in one of these too.
/// Cells are text (escaped); numeric columns are right-aligned. As ``TextTable`` does, a
/// cell of a ``labelColumns`` column is cut at 40 characters (``HTMLPage/label(_:)``) and
/// any other at 400 (``HTMLPage/cell(_:)``): a huge group name costs the page its first 40
/// characters per cell, not its length.
struct HTMLTable {
    struct Cell {
        var text: String
        /// Code-styled (rules, metric names).
        var code = false
        init(_ text: String, code: Bool = false) {
            self.text = text
            self.code = code
        }
    }

    var caption: String?
    var header: [String]
    /// Columns right-aligned.
    var numeric: Set<Int> = []
    /// Columns of labels (group, attribute, decision names), cut at 40 characters.
    var labelColumns: Set<Int> = [0]
    var rows: [(cells: [Cell], className: String)] = []
    /// Whether the table's code has labelled its cells (a group table: its overall row
    /// and its groups, ``TextTable/distinguished(_:)``); otherwise every cell reading as a
    /// reserved label (`(overall)`) is distinguished here, as in ``TextTable``.
    var labelsDistinguished = false

    init(caption: String? = nil, header: [String], numeric: Set<Int> = []) {
        self.caption = caption
        self.header = header
        self.numeric = numeric
    }

    mutating func append(_ cells: [String], className: String = "") {
        rows.append((cells.map { Cell($0) }, className))
    }

    mutating func append(cells: [Cell], className: String = "") {
        rows.append((cells, className))
    }

    var markup: Markup {
        var children: [Markup] = []
        if let caption { children.append(.tag("caption", text: caption)) }
        children.append(.tag("thead", [:], [.tag("tr", [:], header.enumerated().map { index, name in
            .tag("th", numeric.contains(index) ? ["scope": "col", "class": "n"] : ["scope": "col"], text: HTMLPage.label(name))
        })]))
        children.append(.tag("tbody", [:], rows.map { row in
            .tag("tr", row.className.isEmpty ? [:] : ["class": row.className], row.cells.enumerated().map { index, cell in
                let shown = labelsDistinguished ? cell.text : TextTable.distinguished(cell.text)
                let text = labelColumns.contains(index) ? HTMLPage.label(shown) : HTMLPage.cell(shown)
                let content: Markup = cell.code ? .tag("code", text: text) : .text(text)
                return .tag(index == 0 ? "th" : "td", index == 0 ? ["scope": "row"] : (numeric.contains(index) ? ["class": "n"] : [:]),
                            [content])
            })
        }))
        return .tag("div", ["class": "table-wrap"], [.tag("table", [:], children)])
    }
}
