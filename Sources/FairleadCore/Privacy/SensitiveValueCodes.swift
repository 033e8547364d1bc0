/// A sensitive attribute's values as dense codes `0 ..< valueCount`, for l-diversity and
/// t-closeness over ``EquivalenceClasses``.
///
/// - A numeric column is **numerical**: codes follow the numbers' order (as NumPy's
///   `unique` sorts them), and t-closeness uses the ordered distance. A missing value is
///   one more value, placed after every number.
/// - A categorical or boolean column is **categorical**: t-closeness uses the equal
///   distance, for which the order does not matter (with two values the two distances
///   agree). A missing value is one more value.
///
///     let income = SensitiveValueCodes(column: table["income"]!)
///     income.isNumerical   // true
public struct SensitiveValueCodes: Sendable, Equatable {
    /// One code per row.
    public let codes: [Int32]
    /// The number of distinct values (missing counted as one).
    public let valueCount: Int
    /// Whether the values are ordered numbers (t-closeness by the ordered distance).
    public let isNumerical: Bool

    /// Codes given directly: `codes` in `0 ..< valueCount`, ordered by value when `isNumerical`.
    public init(codes: [Int32], valueCount: Int, isNumerical: Bool) {
        precondition(codes.allSatisfy { $0 >= 0 && Int($0) < valueCount }, "a code is out of range")
        self.codes = codes
        self.valueCount = valueCount
        self.isNumerical = isNumerical
    }

    /// The codes of a column's values.
    public init(column: Column) {
        switch column.storage {
        case .categorical(let values):
            let missing = Int32(values.levels.count)
            let codes = values.codes.map { $0 < 0 ? missing : $0 }
            self.init(codes: codes, valueCount: values.levels.count + (values.missingCount > 0 ? 1 : 0), isNumerical: false)
        case .boolean(let values):
            var present: [Bool: Int32] = [:]
            for (value, missing) in zip(values.values, values.isMissing) where !missing { present[value] = 0 }
            var next: Int32 = 0
            for value in [false, true] where present[value] != nil {
                present[value] = next
                next += 1
            }
            let missingCode = next
            let codes = zip(values.values, values.isMissing).map { value, missing in missing ? missingCode : present[value] ?? 0 }
            self.init(codes: codes, valueCount: Int(next) + (values.missingCount > 0 ? 1 : 0), isNumerical: false)
        case .numeric(let values):
            // NaN (when "NaN" is not a missing marker) is missing too: it has no place in the order.
            let isMissing = zip(values.values, values.isMissing).map { $1 || $0.isNaN }
            var distinct = Set<Double>()
            for (value, missing) in zip(values.values, isMissing) where !missing {
                distinct.insert(value == 0 ? 0 : value)  // -0.0 and 0.0 are one value
            }
            let ordered = distinct.sorted()
            var rank: [Double: Int32] = [:]
            rank.reserveCapacity(ordered.count)
            for (index, value) in ordered.enumerated() { rank[value] = Int32(index) }
            let missingCode = Int32(ordered.count)
            let codes = zip(values.values, isMissing).map { value, missing in
                missing ? missingCode : rank[value == 0 ? 0 : value] ?? missingCode
            }
            self.init(codes: codes, valueCount: ordered.count + (isMissing.contains(true) ? 1 : 0), isNumerical: true)
        }
    }
}
