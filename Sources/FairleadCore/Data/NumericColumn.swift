/// The values of a numeric column: one `Double` per row, `NaN` where the row is missing.
///
/// `isMissing[row]` tells a missing value from a number; a literal `NaN` in the data is
/// only ever read as a missing marker, so `values[row].isNaN == isMissing[row]`.
public struct NumericColumn: Sendable, Equatable {
    /// One value per row; `Double.nan` where missing.
    public let values: [Double]
    /// `true` where the row's value was a missing marker.
    public let isMissing: [Bool]
    /// The number of `true` entries of `isMissing`.
    public let missingCount: Int

    /// A column of `values` with the mask `isMissing` (same count).
    public init(values: [Double], isMissing: [Bool]) {
        precondition(values.count == isMissing.count, "values and mask differ in length")
        self.values = values
        self.isMissing = isMissing
        self.missingCount = isMissing.reduce(0) { $0 + ($1 ? 1 : 0) }
    }

    init(values: [Double], isMissing: [Bool], missingCount: Int) {
        self.values = values
        self.isMissing = isMissing
        self.missingCount = missingCount
    }

    /// The number of rows.
    public var count: Int { values.count }

    /// The value of `row`, or `nil` when it is missing.
    public subscript(row: Int) -> Double? {
        isMissing[row] ? nil : values[row]
    }

    /// Equal masks and equal values where not missing (a missing row's `NaN` is not
    /// compared, so a column equals itself).
    public static func == (lhs: NumericColumn, rhs: NumericColumn) -> Bool {
        guard lhs.isMissing == rhs.isMissing, lhs.values.count == rhs.values.count else { return false }
        for row in lhs.values.indices where !lhs.isMissing[row] && lhs.values[row] != rhs.values[row] {
            return false
        }
        return true
    }
}
