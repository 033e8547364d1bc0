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
