/// The type of a table column.
///
/// A CSV reader infers it over the whole file when a ``ColumnRequest`` leaves it `nil`:
/// `boolean` when every non-missing value is `0`/`1` or `true`/`false` (any case) and
/// the column holds both `0` and `1` or at least one word, else `numeric` when every
/// non-missing value is a decimal number, else `categorical`. So a column of `1`s alone
/// is `numeric` (one value says nothing of yes or no; a column of `true`s is `boolean`),
/// and a column whose values are all missing is `numeric` (its ``Column/missingCount``
/// is its ``Column/count``: `fairlead inspect` calls it empty). A column asked for as `boolean`
/// also takes any number equal to 1 or 0 (`1.0`, `0e0`), words or not beside it, and
/// refuses anything else at its line.
public enum ColumnType: String, Sendable, CaseIterable {
    /// Doubles with a missing mask.
    case numeric
    /// Dictionary-encoded strings: an `Int32` code per row into levels kept in order of first appearance.
    case categorical
    /// `true`/`false` with a missing mask.
    case boolean
}

/// One column to read from a data source, by header name, with its type or `nil` to infer it.
public struct ColumnRequest: Sendable, Hashable {
    /// The name in the header row (matched exactly, case-sensitive).
    public var name: String
    /// The type to parse the column as; `nil` infers it over the whole file.
    public var type: ColumnType?

    /// A request for the column `name`, typed as `type` or inferred when `type` is `nil`.
    public init(_ name: String, type: ColumnType? = nil) {
        self.name = name
        self.type = type
    }

    /// The same request with the name labelled, as the memberwise form reads.
    public init(name: String, type: ColumnType? = nil) {
        self.init(name, type: type)
    }
}
