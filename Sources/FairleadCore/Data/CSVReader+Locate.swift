import Foundation

extension CSVReader {
    /// Where data record `record` (0-based, the first after the header) of the file at
    /// `path` is: its physical line, and with `column`, that column's field number and
    /// name — the location the reader's own errors give, for an error found in a value
    /// after the read (a score outside the profile's range, a label other than 0/1).
    ///
    /// The file is read again, to count lines, only for this: the table keeps no line
    /// per row. `nil` when `path` cannot be read again (standard input, a pipe) or has
    /// fewer records.
    public static func locateRecord(_ record: Int, column: String? = nil, path: String,
                                    options: CSVOptions = CSVOptions()) -> SourceLocation? {
        locateRecords([record], column: column, path: path, options: options)[record]
    }

    /// ``locateRecord(_:column:path:options:)`` of several records in one read of the file,
    /// which stops at the last of them: each found record's location, keyed by record.
    public static func locateRecords(_ records: [Int], column: String? = nil, path: String,
                                     options: CSVOptions = CSVOptions()) -> [Int: SourceLocation] {
        let wanted = Set(records.filter { $0 >= 0 })
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        guard let last = wanted.max(), type == .typeRegular, let batches = try? batches(path: path, columns: [], options: options) else {
            return [:]
        }
        let field = column.flatMap { batches.headerNames.firstIndex(of: $0) }
        var found: [Int: SourceLocation] = [:]
        var seen = 0
        while seen <= last, let batch = try? batches.next(maxRows: 1 << 16) {
            for record in wanted where seen <= record && record < seen + batch.rowCount {
                found[record] = SourceLocation(file: path, line: batch.lines[record - seen], column: field.map { $0 + 1 },
                                               field: field == nil ? nil : column)
            }
            seen += batch.rowCount
        }
        return found
    }
}

/// Where a table's rows are in their source, for messages about a value found after the
/// read: the file to read again (`path`, with `options`, the format it was read with;
/// `nil` options for rows that cannot be read again, a database's), and the record each
/// row was (``Table/sourceRecords``: rows left out since the read shift them). Every
/// message that places a row of a filtered table goes through one: placing row i at
/// record i put the error on the wrong line once rows without consent were left out.
public struct RecordLocator: Sendable {
    public var path: String
    public var options: CSVOptions?
    public var sourceRecords: [Int]?

    public init(path: String, options: CSVOptions?, sourceRecords: [Int]? = nil) {
        self.path = path
        self.options = options
        self.sourceRecords = sourceRecords
    }

    /// The rows of `table`, read from `path` with `options`.
    public init(_ table: Table, path: String, options: CSVOptions?) {
        self.init(path: path, options: options, sourceRecords: table.sourceRecords)
    }

    /// The source's record of row `row`.
    public func record(_ row: Int) -> Int {
        Table.record(of: row, in: sourceRecords)
    }

    /// Row `row`'s physical line and `column`'s field; `nil` when the source cannot be
    /// read again (``CSVReader/locateRecord(_:column:path:options:)``).
    public func locate(_ row: Int, column: String? = nil) -> SourceLocation? {
        guard let options else { return nil }
        return CSVReader.locateRecord(record(row), column: column, path: path, options: options)
    }

    /// ``locate(_:column:)`` of several rows in one read, keyed by row.
    public func locate(rows: [Int], column: String? = nil) -> [Int: SourceLocation] {
        guard let options else { return [:] }
        let found = CSVReader.locateRecords(rows.map(record), column: column, path: path, options: options)
        var located: [Int: SourceLocation] = [:]
        for row in rows { located[row] = found[record(row)] }
        return located
    }

    /// Row `row` placed for an error: its line and field when the source can be read
    /// again, else the file and column with the record (`row` of the error, 0-based: the
    /// error says "row index N").
    public func place(_ row: Int, column: String?) -> (location: SourceLocation, row: Int?) {
        if let location = locate(row, column: column) { return (location, nil) }
        return (SourceLocation(file: path, field: column), record(row))
    }
}
