#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads CSV files (RFC 4180, optionally gzip-compressed) into a columnar ``Table``,
/// parsing only the columns asked for.
///
///     let table = try CSVReader.read(path: "leads.csv",
///                                    columns: [ColumnRequest("score", type: .numeric),
///                                              ColumnRequest("gender")])
///
/// The format: a header row of distinct, non-empty names; fields separated by
/// ``CSVOptions/delimiter``; records ending in LF or CRLF (the last may end at the end of
/// the file); fields optionally in double quotes, inside which delimiters, line breaks
/// and doubled quotes (`""` for `"`) are data; a UTF-8 byte order mark is skipped. A
/// quote inside an unquoted field is an error, as is anything but a delimiter or line
/// end after a closing quote. Blank lines at the end of the file are ignored.
///
/// Values: a field equal to a missing marker (after unquoting) is missing, whatever the
/// column's type; numbers are decimal (`-1.5e3`, `.5`, `inf`; spaces around them are
/// ignored) and converted correctly rounded; booleans are `0`/`1`/`true`/`false` in any
/// case; categorical values are kept byte for byte. Types are inferred over the whole
/// file (see ``ColumnType``).
///
/// Streaming: the file is read in blocks of ``CSVOptions/blockSize`` bytes; a record cut
/// by a block's end is carried to the next. ``batches(path:columns:options:)`` hands the
/// records over in batches instead of one table, in memory bounded by the batch, with
/// the same format, values and errors (see ``Batches``). Fields of columns not asked for are skipped
/// by a scan for the next delimiter or line end: never converted, never validated as
/// UTF-8, never kept. With ``CSVOptions/threads`` above 1 the read goes in steps: one
/// task reads and tokenizes the next block (after the first, of at most 64 KiB) while the
/// records of the block before are converted, a task per column; the table and the
/// errors are the same as with one thread.
///
/// A column inferred as numeric or boolean that meets text after holding values is read
/// again as categorical in a second pass over the file, for that column only.
///
/// Every data row is in the table or the read throws a ``FairleadError`` of kind
/// `.invalidData` naming the file, the physical line, the 1-based field number and the
/// column: an unreadable or empty file, a missing column (with the three closest names;
/// for a typed request, columns of that type first, their types inferred from the first
/// block of records), a duplicate or empty header name, a ragged row, an unterminated
/// quote (at the line where it opens), a value of the wrong type, invalid UTF-8 in a
/// header or a categorical value, a header of more columns than ``Limits/maxColumns``
/// (checked as it is read, before any record). With several threads, a file with two
/// errors in different blocks reports the earlier one.
public enum CSVReader {
    /// The most columns a header may have however ``Limits/maxColumns`` is raised:
    /// 1,048,576, the most features a model file may declare.
    public static let maximumColumnCount = 1 << 20

    /// Reads `columns` (every column, types inferred, when `nil`) of the CSV file at `path`.
    /// The table's columns are in file order.
    public static func read(path: String, columns: [ColumnRequest]? = nil,
                            options: CSVOptions = CSVOptions()) throws -> Table {
        try read(.file(path), columns: { _ in columns }, options: options)
    }

    /// Reads `input` once, from start to end: the columns `columns` asks for once the
    /// header is parsed (given the header's names; every column, types inferred, when
    /// it returns `nil`), while `observer` sees every byte as stored. So a caller that
    /// picks its columns by the header, and fingerprints the bytes, opens the input once;
    /// a named pipe or standard input can be read.
    ///
    ///     let digest = MyDigest()                                  // a CSVByteObserver
    ///     let table = try CSVReader.read(.file("leads.csv.gz"), columns: { header in
    ///         [ColumnRequest("score", type: .numeric)] + (header.contains("lead_id") ? [ColumnRequest("lead_id")] : [])
    ///     }, observer: digest)
    ///
    /// An inferred column that meets text after holding numbers is read again, as
    /// categorical, in a second pass (not observed) when `input` is a regular file;
    /// from a pipe or standard input, which cannot be read twice, that throws instead:
    /// ask for such a column with its type.
    public static func read(_ input: CSVInput, columns: ([String]) throws -> [ColumnRequest]?,
                            options: CSVOptions = CSVOptions(),
                            observer: (any CSVByteObserver)? = nil) throws -> Table {
        let delimiter = try validatedDelimiter(options)
        try validateSizes(options)
        let first = try _CSVPass(input, delimiter: delimiter, options: options, observer: observer).run(requests: columns)
        var columnsRead = first.columns
        let abandoned = first.columns.indices.filter { first.columns[$0].column == nil }
        if !abandoned.isEmpty {
            guard first.canReread else {
                let name = first.columns[abandoned[0]].name
                throw FairleadError(.invalidData,
                                    "column \"\(name)\" holds numbers and then text; reading it as text takes a second pass, and this input can be read only once: give the column a type",
                                    at: SourceLocation(file: input.name, field: name))
            }
            let requests = abandoned.map { ColumnRequest(first.columns[$0].name, type: .categorical) }
            let second = try _CSVPass(input, delimiter: delimiter, options: options).run(requests: requests)
            for (index, reread) in zip(abandoned, second.columns) {
                columnsRead[index].column = reread.column
            }
        }
        return Table(rowCount: first.rowCount, columns: columnsRead.compactMap(\.column))
    }

    /// The column names of the file's header, in file order; only the header is read.
    public static func headerNames(path: String, options: CSVOptions = CSVOptions()) throws -> [String] {
        try _CSVPass(path: path, delimiter: validatedDelimiter(options), options: options).headerNames()
    }

    /// The column names of the file's header and the type each column's values in the
    /// first block (``CSVOptions/blockSize`` bytes) suggest: enough to rank suggestions for
    /// a missing column without reading the file.
    public static func sampledHeader(path: String, options: CSVOptions = CSVOptions()) throws
        -> (names: [String], types: [String: ColumnType]) {
        try _CSVPass(path: path, delimiter: validatedDelimiter(options), options: options).headerAndSampledTypes()
    }

    static func validateSizes(_ options: CSVOptions) throws {
        guard options.threads >= 1 else {
            throw FairleadError(.usage, "threads must be at least 1, got \(options.threads)")
        }
        guard options.blockSize >= 1 else {
            throw FairleadError(.usage, "blockSize must be at least 1 byte, got \(options.blockSize)")
        }
    }

    static func validatedDelimiter(_ options: CSVOptions) throws -> UInt8 {
        let scalar = options.delimiter
        guard scalar.isASCII, scalar != "\"", scalar != "\n", scalar != "\r" else {
            throw FairleadError(.usage, "the delimiter must be one ASCII character other than a quote or a line break")
        }
        return UInt8(scalar.value)
    }
}
