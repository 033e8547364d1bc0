/// One named, typed column of a ``Table``.
///
///     let score = try table.requireColumn(named: "score")
///     if case .numeric(let values) = score.storage { … }
public struct Column: Sendable {
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
    /// The values, unless the column is held as ``text``.
    private let stored: Storage?
    /// A categorical column's values as text, row by row, when the reader kept them so
    /// (all distinct in the file's first block: see ``TextColumn``); `nil` otherwise.
    public let text: TextColumn?

    /// A column called `name` holding `storage`.
    public init(name: String, storage: Storage) {
        self.name = name
        self.stored = storage
        self.text = nil
    }

    /// A categorical column called `name` held as `text`.
    public init(name: String, text: TextColumn) {
        self.name = name
        self.stored = nil
        self.text = text
    }

    /// The column's values; a column held as ``text`` is dictionary-encoded on the first
    /// call (``TextColumn/dictionaryEncoded()``).
    public var storage: Storage {
        if let stored { return stored }
        return .categorical(text.unsafelyUnwrapped.dictionaryEncoded())
    }

    /// The column's type.
    public var type: ColumnType {
        switch stored {
        case .numeric?: .numeric
        case .categorical?, nil: .categorical
        case .boolean?: .boolean
        }
    }

    /// The number of rows whose value was a missing marker.
    public var missingCount: Int {
        switch stored {
        case .numeric(let column)?: column.missingCount
        case .categorical(let column)?: column.missingCount
        case .boolean(let column)?: column.missingCount
        case nil: text.unsafelyUnwrapped.missingCount
        }
    }

    /// The number of rows.
    public var count: Int {
        switch stored {
        case .numeric(let column)?: column.count
        case .categorical(let column)?: column.count
        case .boolean(let column)?: column.count
        case nil: text.unsafelyUnwrapped.count
        }
    }

    /// The numeric values, or `nil` when the column is not numeric.
    public var numeric: NumericColumn? {
        if case .numeric(let column)? = stored { column } else { nil }
    }

    /// The categorical values, or `nil` when the column is not categorical (encoded on
    /// the first call for a column held as ``text``).
    public var categorical: CategoricalColumn? {
        if case .categorical(let column) = storage { column } else { nil }
    }

    /// The boolean values, or `nil` when the column is not boolean.
    public var boolean: BooleanColumn? {
        if case .boolean(let column)? = stored { column } else { nil }
    }

    /// The bytes the column's values hold in memory: 9 per numeric row (value and mask),
    /// 2 per boolean row, 4 per categorical row plus, per level, a 16-byte `String` and,
    /// for a level longer than the 15 UTF-8 bytes a `String` holds inline, its heap
    /// storage (the bytes and a 32-byte header).
    /// A column held as ``text``: its bytes, and 9 bytes per row (end and missing flag).
    public var memoryFootprint: Int {
        if let text { return text.memoryFootprint }
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

extension Column: Equatable {
    /// Same name and same values: a column held as text equals the categorical column it
    /// encodes to.
    public static func == (lhs: Column, rhs: Column) -> Bool {
        guard lhs.name == rhs.name else { return false }
        if let left = lhs.text, let right = rhs.text { return left.holdsTheSameRows(as: right) }
        return lhs.storage == rhs.storage
    }
}
