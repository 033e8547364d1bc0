/// One named, typed column of a ``Table``.
///
///     let score = try table.requireColumn(named: "score")
///     if case .numeric(let values) = score.storage { … }
public struct Column: Sendable, Equatable {
    /// The values of a column, by type.
    public enum Storage: Sendable, Equatable {
        /// Doubles with a missing mask.
        case numeric(NumericColumn)
        /// Dictionary-encoded strings.
        case categorical(CategoricalColumn)
        /// Booleans with a missing mask.
        case boolean(BooleanColumn)
    }

    /// The column's name, as in the source's header.
    public let name: String
    /// The column's values.
    public let storage: Storage

    /// A column called `name` holding `storage`.
    public init(name: String, storage: Storage) {
        self.name = name
        self.storage = storage
    }

    /// The column's type.
    public var type: ColumnType {
        switch storage {
        case .numeric: .numeric
        case .categorical: .categorical
        case .boolean: .boolean
        }
    }

    /// The number of rows whose value was a missing marker.
    public var missingCount: Int {
        switch storage {
        case .numeric(let column): column.missingCount
        case .categorical(let column): column.missingCount
        case .boolean(let column): column.missingCount
        }
    }

    /// The number of rows.
    public var count: Int {
        switch storage {
        case .numeric(let column): column.count
        case .categorical(let column): column.count
        case .boolean(let column): column.count
        }
    }

    /// The numeric values, or `nil` when the column is not numeric.
    public var numeric: NumericColumn? {
        if case .numeric(let column) = storage { column } else { nil }
    }

    /// The categorical values, or `nil` when the column is not categorical.
    public var categorical: CategoricalColumn? {
        if case .categorical(let column) = storage { column } else { nil }
    }

    /// The boolean values, or `nil` when the column is not boolean.
    public var boolean: BooleanColumn? {
        if case .boolean(let column) = storage { column } else { nil }
    }

    /// The bytes the column's values hold in memory: 9 per numeric row (value and mask),
    /// 2 per boolean row, 4 per categorical row plus, per level, a 16-byte `String` and,
    /// for a level longer than the 15 UTF-8 bytes a `String` holds inline, its heap
    /// storage (the bytes and a 32-byte header).
    public var memoryFootprint: Int {
        switch storage {
        case .numeric(let column):
            return column.count * (MemoryLayout<Double>.stride + MemoryLayout<Bool>.stride)
        case .boolean(let column):
            return column.count * 2 * MemoryLayout<Bool>.stride
        case .categorical(let column):
            let levels = column.levels.reduce(0) { total, level in
                let length = level.utf8.count
                return total + MemoryLayout<String>.stride + (length > 15 ? length + 32 : 0)
            }
            return column.count * MemoryLayout<Int32>.stride + levels
        }
    }
}
