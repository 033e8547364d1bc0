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
}

/// `no column "x"; closest: "a", "b", "c"` — the message of a missing-column error.
func missingColumnMessage(_ name: String, among names: [String]) -> String {
    let closest = closestNames(to: name, among: names, limit: 3)
    var message = "no column \"\(name)\""
    if !closest.isEmpty {
        message += "; closest: " + closest.map { "\"\($0)\"" }.joined(separator: ", ")
    }
    return message
}

/// The `limit` names nearest `name` by Levenshtein distance over Unicode scalars;
/// ties keep the order of `names`.
func closestNames(to name: String, among names: [String], limit: Int) -> [String] {
    let target = Array(name.unicodeScalars)
    let ranked = names.enumerated().map { (index, candidate) in
        (distance: editDistance(target, Array(candidate.unicodeScalars)), index: index, name: candidate)
    }
    return ranked.sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }.prefix(limit).map(\.name)
}

/// Levenshtein distance: the fewest insertions, deletions and substitutions turning `a` into `b`.
func editDistance<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
