/// The values of a categorical column, dictionary-encoded: `codes[row]` indexes `levels`,
/// `-1` marks a missing row. Levels are kept in order of first appearance in the data,
/// so `levels[0]` is the first non-missing value of the file.
public struct CategoricalColumn: Sendable, Equatable {
    /// One code per row: an index into `levels`, or `-1` where missing.
    public let codes: [Int32]
    /// The distinct non-missing values, in order of first appearance.
    public let levels: [String]
    /// The number of `-1` codes.
    public let missingCount: Int

    /// A column of `codes` into `levels` (`-1` = missing); every code must be below `levels.count`.
    public init(codes: [Int32], levels: [String]) {
        precondition(codes.allSatisfy { $0 >= -1 && Int($0) < levels.count }, "a code is out of range")
        self.codes = codes
        self.levels = levels
        self.missingCount = codes.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
    }

    init(codes: [Int32], levels: [String], missingCount: Int) {
        self.codes = codes
        self.levels = levels
        self.missingCount = missingCount
    }

    /// The number of rows.
    public var count: Int { codes.count }

    /// The value of `row`, or `nil` when it is missing.
    public subscript(row: Int) -> String? {
        let code = codes[row]
        return code < 0 ? nil : levels[Int(code)]
    }

    /// How many rows hold each level: `levelCounts()[k]` counts the rows whose code is `k`.
    public func levelCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: levels.count)
        for code in codes where code >= 0 {
            counts[Int(code)] += 1
        }
        return counts
    }
}
