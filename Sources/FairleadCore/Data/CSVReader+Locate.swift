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
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        guard record >= 0, type == .typeRegular, let batches = try? batches(path: path, columns: [], options: options) else {
            return nil
        }
        let field = column.flatMap { batches.headerNames.firstIndex(of: $0) }
        var seen = 0
        while let batch = try? batches.next(maxRows: 1 << 16) {
            if record < seen + batch.rowCount {
                return SourceLocation(file: path, line: batch.lines[record - seen], column: field.map { $0 + 1 },
                                      field: field == nil ? nil : column)
            }
            seen += batch.rowCount
        }
        return nil
    }
}
