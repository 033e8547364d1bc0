/// The values of a boolean column (`0`/`1` or `true`/`false` in the data): one `Bool`
/// per row and a missing mask; a missing row holds `false`.
public struct BooleanColumn: Sendable, Equatable {
    /// One value per row; `false` where missing.
    public let values: [Bool]
    /// `true` where the row's value was a missing marker.
    public let isMissing: [Bool]
    /// The number of `true` entries of `isMissing`.
    public let missingCount: Int

    /// A column of `values` with the mask `isMissing` (same count).
    public init(values: [Bool], isMissing: [Bool]) {
        precondition(values.count == isMissing.count, "values and mask differ in length")
        self.values = values
        self.isMissing = isMissing
        self.missingCount = isMissing.reduce(0) { $0 + ($1 ? 1 : 0) }
    }

    init(values: [Bool], isMissing: [Bool], missingCount: Int) {
        self.values = values
        self.isMissing = isMissing
        self.missingCount = missingCount
    }

    /// The number of rows.
    public var count: Int { values.count }

    /// The value of `row`, or `nil` when it is missing.
    public subscript(row: Int) -> Bool? {
        isMissing[row] ? nil : values[row]
    }
}
