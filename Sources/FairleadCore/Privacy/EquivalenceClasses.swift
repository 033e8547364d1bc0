/// The equivalence classes of a table under a set of quasi-identifiers: rows whose
/// quasi-identifier values are all equal form one class. The values are compared as read
/// (byte for byte: `30` and `30.0` differ), and a missing value is a value of its own —
/// two rows both missing `zip3` and equal elsewhere share a class. (pycanon, through
/// pandas' `groupby`, drops rows with a missing quasi-identifier instead.)
///
///     let classes = EquivalenceClasses(columns: [age, zip3, gender])  // CategoricalColumns
///     classes.sizes.min()       // k of k-anonymity
///     classes.classOfRow[17]    // the class of row 17
///
/// Built in one pass per column by hashing pairs of (class so far, code): linear in rows,
/// memory one `Int32` per row plus one dictionary entry per class; no string is compared
/// or sorted.
public struct EquivalenceClasses: Sendable, Equatable {
    /// The number of rows grouped.
    public let rowCount: Int
    /// The class of each row, `0 ..< classCount`, numbered in order of first appearance.
    public let classOfRow: [Int32]
    /// The size of each class (each ≥ 1); they add up to ``rowCount``.
    public let sizes: [Int]

    /// The number of classes.
    public var classCount: Int { sizes.count }

    /// Groups the rows of `columns` (all of one length; at least one column) by their
    /// codes; a code of `-1` (missing) is a value like any other.
    public init(columns: [CategoricalColumn]) {
        precondition(!columns.isEmpty, "equivalence classes need at least one quasi-identifier")
        self.init(codes: columns.map(\.codes))
    }

    /// Groups rows by `codes` (one array per column, all of one length; `-1` is a value).
    public init(codes: [[Int32]]) {
        precondition(!codes.isEmpty, "equivalence classes need at least one quasi-identifier")
        let rowCount = codes[0].count
        precondition(codes.allSatisfy { $0.count == rowCount }, "quasi-identifier columns differ in length")
        var classOfRow = [Int32](repeating: 0, count: rowCount)
        var classCount = 1
        for column in codes {
            var numbering: [UInt64: Int32] = [:]
            numbering.reserveCapacity(min(rowCount, classCount * 4 + 16))
            column.withUnsafeBufferPointer { values in
                classOfRow.withUnsafeMutableBufferPointer { classes in
                    for row in 0..<rowCount {
                        let key = UInt64(UInt32(bitPattern: classes[row])) << 32 | UInt64(UInt32(bitPattern: values[row]))
                        if let existing = numbering[key] {
                            classes[row] = existing
                        } else {
                            let next = Int32(numbering.count)
                            numbering[key] = next
                            classes[row] = next
                        }
                    }
                }
            }
            classCount = numbering.count
        }
        var sizes = [Int](repeating: 0, count: rowCount == 0 ? 0 : classCount)
        for index in classOfRow { sizes[Int(index)] += 1 }
        self.rowCount = rowCount
        self.classOfRow = classOfRow
        self.sizes = sizes
    }

    /// The values of `codes` (one per row, `0 ..< valueCount`) grouped by class and, within
    /// a class, in ascending code order: for each class its distinct codes and how many
    /// rows hold each. Two counting sorts; linear in rows plus values plus classes.
    func valueCounts(codes: [Int32], valueCount: Int) -> (starts: [Int], values: [Int32], counts: [Int]) {
        precondition(codes.count == rowCount, "one value per row")
        // Rows by value (counting sort), then dealt into their classes in that order, so
        // each class's slice is in ascending value order.
        var valueStarts = [Int](repeating: 0, count: valueCount + 1)
        for code in codes { valueStarts[Int(code) + 1] += 1 }
        for index in 0..<valueCount { valueStarts[index + 1] += valueStarts[index] }
        var rowsByValue = [Int32](repeating: 0, count: rowCount)
        var nextOfValue = valueStarts
        for (row, code) in codes.enumerated() {
            rowsByValue[nextOfValue[Int(code)]] = Int32(row)
            nextOfValue[Int(code)] += 1
        }
        var classStarts = [Int](repeating: 0, count: classCount + 1)
        for index in 0..<classCount { classStarts[index + 1] = classStarts[index] + sizes[index] }
        var nextOfClass = classStarts
        var sorted = [Int32](repeating: 0, count: rowCount)
        for row in rowsByValue {
            let group = Int(classOfRow[Int(row)])
            sorted[nextOfClass[group]] = codes[Int(row)]
            nextOfClass[group] += 1
        }
        // Runs of equal codes within each class.
        var starts = [Int](repeating: 0, count: classCount + 1)
        var values: [Int32] = []
        var counts: [Int] = []
        for group in 0..<classCount {
            starts[group] = values.count
            var position = classStarts[group]
            while position < classStarts[group + 1] {
                let value = sorted[position]
                var end = position + 1
                while end < classStarts[group + 1], sorted[end] == value { end += 1 }
                values.append(value)
                counts.append(end - position)
                position = end
            }
        }
        starts[classCount] = values.count
        return (starts, values, counts)
    }
}
