/// A batch of consecutive records of a CSV file, holding only the columns a
/// ``CSVBatchReader`` was asked for, in the order they were asked for.
///
/// Categorical columns are codes into the reader's levels, which only grow: `levels`
/// is a snapshot taken when the batch was read, long enough for every code in it.
///
///     while let batch = try reader.next(maxRows: 65_536) {
///         let visits = batch.numbers(0)           // [Double], NaN when missing
///         let (codes, levels) = batch.categories(1)
///     }
public struct CSVBatch: Sendable {
    /// The values of one requested column.
    public enum Values: Sendable, Equatable {
        /// Numbers; NaN for a missing value.
        case numbers([Double])
        /// Codes into the column's levels; −1 for a missing value.
        case codes([Int32])
        /// The fields as text, unquoted (ids).
        case text([String])
    }

    /// The number of records in the batch.
    public let rowCount: Int
    /// The 0-based index of the batch's first record among the file's data records.
    public let firstRow: Int
    /// Per record: the physical line it starts on (for messages).
    public let lines: [Int]
    /// Per requested column, its values.
    public let columns: [Values]
    /// Per requested column: the levels of a categorical column (empty for others).
    public let levels: [[String]]

    /// The numbers of requested column `index` (which must be numeric).
    public func numbers(_ index: Int) -> [Double] {
        guard case .numbers(let values) = columns[index] else { preconditionFailure("column \(index) is not numeric") }
        return values
    }

    /// The codes and levels of requested column `index` (which must be categorical).
    public func categories(_ index: Int) -> (codes: [Int32], levels: [String]) {
        guard case .codes(let codes) = columns[index] else { preconditionFailure("column \(index) is not categorical") }
        return (codes, levels[index])
    }

    /// The text of requested column `index` (which must be text).
    public func text(_ index: Int) -> [String] {
        guard case .text(let values) = columns[index] else { preconditionFailure("column \(index) is not text") }
        return values
    }
}
