/// Consecutive records of a CSV file read by ``CSVReader/Batches``: the columns asked
/// for, in the order they were asked for, typed as ``CSVReader/read(path:columns:options:)``
/// would type them.
///
/// Each batch stands alone: a categorical column's levels are those of the batch, in
/// order of first appearance in it, so the code of a value may differ from batch to
/// batch (compare levels, not codes, across batches).
///
///     while let batch = try batches.next(maxRows: 65_536) {
///         let visits = batch.numeric(0).values        // NaN where missing
///         let industry = batch.categorical(1)          // codes into this batch's levels
///         print(batch.firstRow, batch.lines[0], industry[0] ?? "missing")
///     }
public struct CSVBatch: Sendable, Equatable {
    /// The 0-based index of the batch's first record among the file's data records.
    public let firstRow: Int
    /// Per record: the physical line it starts on (for messages).
    public let lines: [Int]
    /// The columns asked for, in the order they were asked for; `rowCount` values each.
    public let columns: [Column]

    /// A batch of `columns`, each holding one value per entry of `lines`.
    public init(firstRow: Int, lines: [Int], columns: [Column]) {
        precondition(columns.allSatisfy { $0.count == lines.count }, "a column's length differs from the line count")
        self.firstRow = firstRow
        self.lines = lines
        self.columns = columns
    }

    /// The number of records in the batch.
    public var rowCount: Int { lines.count }

    /// The column asked for as `name`, or `nil` when none was.
    public subscript(name: String) -> Column? {
        columns.first { $0.name == name }
    }

    /// Requested column `index`, which must have been asked for as numeric.
    public func numeric(_ index: Int) -> NumericColumn {
        guard let column = columns[index].numeric else { preconditionFailure("column \(index) is not numeric") }
        return column
    }

    /// Requested column `index`, which must have been asked for as categorical.
    public func categorical(_ index: Int) -> CategoricalColumn {
        guard let column = columns[index].categorical else { preconditionFailure("column \(index) is not categorical") }
        return column
    }

    /// Requested column `index`, which must have been asked for as boolean.
    public func boolean(_ index: Int) -> BooleanColumn {
        guard let column = columns[index].boolean else { preconditionFailure("column \(index) is not boolean") }
        return column
    }
}
