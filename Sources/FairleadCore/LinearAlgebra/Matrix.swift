/// A dense matrix of `Double`, stored row-major in one contiguous array.
///
/// Element (i, j) lives at `values[i * columns + j]`, the layout CBLAS calls
/// `CblasRowMajor` with leading dimension `columns`. A matrix may be empty in either
/// dimension (0 × n, n × 0); every operation in `LinearAlgebra/` accepts such shapes.
///
///     var m = Matrix(rows: 2, columns: 3, values: [1, 2, 3,
///                                                  4, 5, 6])
///     m[1, 2]            // 6
///     m.transposed()     // 3 × 2
///     m[0, 0] = 10
public struct Matrix: Sendable, Equatable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns (the row-major leading dimension).
    public let columns: Int
    /// The elements, row after row: `values[i * columns + j]` is element (i, j).
    public internal(set) var values: [Double]

    /// A `rows` × `columns` matrix with every element equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.values = Array(repeating: value, count: rows * columns)
    }

    /// A `rows` × `columns` matrix over `values`, given row after row.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        precondition(values.count == rows * columns,
                     "Matrix of \(rows) × \(columns) needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix whose rows are `rowArrays`; all rows must have `columns` elements.
    ///
    /// `columns` is needed only to shape an empty list of rows (0 × columns).
    public init(rowArrays: [[Double]], columns: Int? = nil) {
        let width = columns ?? rowArrays.first?.count ?? 0
        var values: [Double] = []
        values.reserveCapacity(rowArrays.count * width)
        for row in rowArrays {
            precondition(row.count == width, "every row needs \(width) values, got \(row.count)")
            values.append(contentsOf: row)
        }
        self.init(rows: rowArrays.count, columns: width, values: values)
    }

    /// A `rows` × `columns` matrix whose elements `initializer` writes, row-major, into
    /// uninitialized memory (every element must be written), saving the zero-fill of
    /// `init(rows:columns:repeating:)` when every element is computed anyway.
    public init(rows: Int, columns: Int,
                unsafeUninitializedValues initializer: (UnsafeMutableBufferPointer<Double>) throws -> Void) rethrows {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.values = try Array(unsafeUninitializedCapacity: rows * columns) { buffer, count in
            try initializer(buffer)
            count = rows * columns
        }
    }

    /// The n × n identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var matrix = Matrix(rows: n, columns: n)
        for i in 0..<n { matrix.values[i * n + i] = 1 }
        return matrix
    }

    /// The number of elements, `rows * columns`.
    public var count: Int { values.count }

    /// Whether the matrix has no elements (0 rows or 0 columns).
    public var isEmpty: Bool { values.isEmpty }

    /// Element (row, column), both counted from 0.
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return values[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            values[row * columns + column] = newValue
        }
    }

    /// Row `index` as a slice of `values` (no copy until mutated).
    public func row(_ index: Int) -> ArraySlice<Double> {
        precondition(index >= 0 && index < rows, "Matrix row out of range")
        return values[(index * columns)..<((index + 1) * columns)]
    }

    /// Replaces row `index` with `newValues`, which must hold `columns` elements.
    public mutating func setRow(_ index: Int, to newValues: some Collection<Double>) {
        precondition(index >= 0 && index < rows, "Matrix row out of range")
        precondition(newValues.count == columns, "a row needs \(columns) values, got \(newValues.count)")
        values.replaceSubrange((index * columns)..<((index + 1) * columns), with: newValues)
    }

    /// Column `index` as a new array (a strided gather).
    public func column(_ index: Int) -> [Double] {
        precondition(index >= 0 && index < columns, "Matrix column out of range")
        return (0..<rows).map { values[$0 * columns + index] }
    }

    /// The transpose: element (i, j) of the result is element (j, i) of `self`.
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        let (rowCount, columnCount) = (rows, columns)
        values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for i in 0..<rowCount {
                    for j in 0..<columnCount {
                        target[j * rowCount + i] = source[i * columnCount + j]
                    }
                }
            }
        }
        return result
    }

    /// Calls `body` with the elements, row-major; the pointer must not escape.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with mutable access to the elements, row-major; the pointer must not escape.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        try values.withUnsafeMutableBufferPointer(body)
    }
}
