/// A set of equally long, named, typed columns: what a data source yields for the
/// columns a profile names, and nothing else.
///
///     let table = try CSVReader.read(path: "leads.csv",
///                                    columns: [ColumnRequest("score"), ColumnRequest("gender")])
///     table.rowCount                         // 5000
///     table["gender"]?.missingCount          // 134
///     try table.requireColumn(named: "scroe") // throws: no column "scroe"; closest: "score", …
public struct Table: Sendable, Equatable {
    /// The number of rows; every column has this many values.
    public let rowCount: Int
    /// The columns, in the order their names appear in the source.
    public let columns: [Column]
    private let indexByName: [String: Int]
    /// The record (0-based, the first after the header) each row was read from, when rows
    /// were left out since the read (``keepingRows(_:)``: rows without consent); `nil` when
    /// row i is record i. Messages that place a row in its file read it
    /// (``sourceRecord(_:)``); it is not part of the table's value (`==`).
    public internal(set) var sourceRecords: [Int]?

    /// A table of `columns`, which must have distinct names and `rowCount` values each.
    public init(rowCount: Int, columns: [Column]) {
        precondition(columns.allSatisfy { $0.count == rowCount }, "a column's length differs from rowCount")
        var indexByName: [String: Int] = [:]
        for (index, column) in columns.enumerated() {
            precondition(indexByName.updateValue(index, forKey: column.name) == nil,
                         "duplicate column name \(column.name)")
        }
        self.rowCount = rowCount
        self.columns = columns
        self.indexByName = indexByName
    }

    /// The columns' names, in source order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The record of the source that row `row` was read from (``sourceRecords``).
    public func sourceRecord(_ row: Int) -> Int {
        Self.record(of: row, in: sourceRecords)
    }

    /// Row `row`'s record among `records` (``sourceRecords``): itself when there are none.
    public static func record(of row: Int, in records: [Int]?) -> Int {
        records.map { $0.indices.contains(row) ? $0[row] : row } ?? row
    }

    /// Equal rows and columns, wherever in their sources the rows were.
    public static func == (lhs: Table, rhs: Table) -> Bool {
        lhs.rowCount == rhs.rowCount && lhs.columns == rhs.columns
    }

    /// The column called `name`, or `nil` when the table has none.
    public subscript(name: String) -> Column? {
        column(named: name)
    }

    /// The column called `name`, or `nil` when the table has none.
    public func column(named name: String) -> Column? {
        indexByName[name].map { columns[$0] }
    }

    /// The column called `name`; throws an `.invalidData` ``FairleadError`` naming the
    /// three closest column names (by edit distance) when the table has none.
    public func requireColumn(named name: String) throws -> Column {
        if let column = column(named: name) { return column }
        throw FairleadError(.invalidData, missingColumnMessage(name, among: columnNames),
                            at: SourceLocation(field: name))
    }

    /// The column called `name`, which should hold values of type `wanted`; when the
    /// table has none, the error names the closest columns of that type first (see
    /// ``closestNames(to:in:wanted:limit:)``), so a missing score column is answered with
    /// the numeric columns. The column found is returned whatever its type.
    public func requireColumn(named name: String, wanted: ColumnType) throws -> Column {
        if let column = column(named: name) { return column }
        throw FairleadError(.invalidData, missingColumnMessage(name, among: columns.map { ($0.name, $0.type) }, wanted: wanted),
                            at: SourceLocation(field: name))
    }
}

/// `no column "x"; closest: "a", "b", "c"` — the message of a missing-column error.
public func missingColumnMessage(_ name: String, among names: [String]) -> String {
    blanksMessage(name, among: names) ?? oneHotMessage(name, among: names) ?? missingColumnMessage(name, closest: closestNames(to: name, in: names, limit: 3))
}

/// `no column "x"; closest: "a", "b", "c"` with the columns of type `wanted` first.
public func missingColumnMessage(_ name: String, among columns: [(name: String, type: ColumnType?)], wanted: ColumnType) -> String {
    blanksMessage(name, among: columns.map(\.name)) ?? oneHotMessage(name, among: columns.map(\.name))
        ?? missingColumnMessage(name, closest: closestNames(to: name, in: columns, wanted: wanted, limit: 3))
}

/// When the header holds `name` as a column that prints alike (``MessageQuote/firstAlikeButForBlanks(_:)``):
/// with blanks around it (`"eth "`; the command line trims the names of its column lists,
/// so `--sensitive 'eth '` asks for `eth`), or a no-break space for a space. The closest
/// names would print it as the name asked for, so the message spells it and says what differs.
private func blanksMessage(_ name: String, among names: [String]) -> String? {
    guard let alike = names.first(where: { $0 != name && MessageQuote.firstAlikeButForBlanks([name, $0]) != nil }) else { return nil }
    let aroundOnly = MessageQuote.cutBlanks(name) == MessageQuote.cutBlanks(alike)
    return "no column \"\(MessageQuote.spelled(name))\", but the column \"\(MessageQuote.spelled(alike))\" differs from it only in "
        + (aroundOnly ? "the blanks around it: rename the column without them" : "its blanks (a no-break or other space for a space): write them as plain spaces")
}

/// When the header holds `name` only as indicator columns (`sex_Female`, `sex_Male`: a
/// one-hot export; two at least), the message names them rather than the closest
/// unrelated names.
private func oneHotMessage(_ name: String, among names: [String]) -> String? {
    let indicators = names.filter { column in
        SourceColumnMatcher.separators.contains { column.hasPrefix(name + String($0)) && column.count > name.count + 1 }
    }
    guard indicators.count >= 2 else { return nil }
    return "no column \"\(MessageQuote.clipped(name))\", but the columns \(MessageQuote.list(indicators)) look like its one-hot "
        + "encoding: give \(MessageQuote.clipped(name)) as one column of its values (each row's level) to group by it, "
        + "or build it from them in a profile (sensitive: name: and one_hot:)"
}

private func missingColumnMessage(_ name: String, closest: [String]) -> String {
    var message = "no column \"\(name)\""
    if !closest.isEmpty {
        message += "; closest: " + closest.map { "\"\(MessageQuote.clipped($0))\"" }.joined(separator: ", ")
    }
    return message
}
