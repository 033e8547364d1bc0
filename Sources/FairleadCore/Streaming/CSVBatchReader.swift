/// Reads chosen columns of a CSV file (plain or gzip) batch by batch, so that a file of
/// any length is processed in memory bounded by the batch size: the streaming side of
/// `fairlead explain`.
///
///     let reader = try CSVBatchReader(path: "leads.csv", requests: [
///         .init("lead_id", kind: .text), .init("web_visits", kind: .numeric),
///         .init("industry", kind: .categorical)])
///     while let batch = try reader.next(maxRows: 65_536) { … }
///
/// The format is ``CSVReader``'s (RFC 4180, comma by default, LF or CRLF, a UTF-8 byte
/// order mark skipped, quoted fields with doubled quotes), with two leniencies that suit
/// a stream: a quote inside an unquoted field is data, and an empty line is skipped.
/// Fields of columns not asked for are scanned over, never converted. A value that is not
/// a number in a numeric column, a ragged record or an unterminated quote throws a
/// `FairleadError(.invalidData)` naming the file, the physical line, the field number and
/// the column.
public final class CSVBatchReader {
    /// How a requested column is converted.
    public enum Kind: Sendable, Equatable {
        /// Decimal numbers (missing markers become NaN).
        case numeric
        /// Codes into levels kept by the reader (missing markers become −1).
        case categorical
        /// Text, one `String` per record (ids).
        case text
    }

    /// A column to read and its conversion.
    public struct Request: Sendable, Equatable {
        /// The column's name in the header.
        public var name: String
        /// How its fields are converted.
        public var kind: Kind

        /// A request for column `name`.
        public init(_ name: String, kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }

    /// The file as given.
    public let path: String
    /// The header's column names, in file order.
    public private(set) var header: [String]
    /// The requested columns, in the order of every batch's `columns`.
    public let requests: [Request]

    private let source: _ByteSource
    private let delimiter: UInt8
    private let missing: _MissingMarkers
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var atEndOfFile = false
    private var line: Int
    private var rowsRead = 0
    /// Per header field: the request it feeds, or −1.
    private var target: [Int]
    private var dictionaries: [_LevelDictionary]
    private var spans: [FieldSpan]
    private var scratch: [UInt8] = []

    private struct FieldSpan {
        var start = 0
        var count = 0
        var hasEscapedQuotes = false
    }

    /// The header of the CSV file at `path`.
    ///
    /// - Throws: `FairleadError(.invalidData)` for an unreadable or empty file, or a
    ///   malformed header (see ``CSVReader``).
    public static func header(path: String, delimiter: Unicode.Scalar = ",") throws -> [String] {
        try CSVBatchReader(path: path, requests: [], delimiter: delimiter).header
    }

    /// Opens `path` and reads its header.
    ///
    /// - Throws: `FairleadError(.invalidData)` for an unreadable or empty file, a
    ///   malformed header, or a requested column the header lacks (with the closest names).
    public init(path: String, requests: [Request], missingMarkers: Set<String> = CSVOptions().missingMarkers,
                delimiter: Unicode.Scalar = ",", blockSize: Int = 1 << 20) throws {
        precondition(blockSize >= 64, "blocks of at least 64 bytes")
        precondition(delimiter.isASCII && delimiter != "\"" && delimiter != "\n" && delimiter != "\r",
                     "the delimiter must be one ASCII character other than a quote or a line break")
        self.path = path
        self.requests = requests
        self.delimiter = UInt8(delimiter.value)
        self.missing = _MissingMarkers(missingMarkers)
        self.source = try openByteSource(path: path)
        self.capacity = blockSize
        self.buffer = .allocate(capacity: blockSize)
        self.dictionaries = Array(repeating: _LevelDictionary(), count: requests.count)
        self.spans = []
        self.line = 1
        self.header = []
        self.target = []
        let parsed = try readHeader()
        var target = [Int](repeating: -1, count: parsed.names.count)
        for (index, request) in requests.enumerated() {
            guard let field = parsed.names.firstIndex(of: request.name) else {
                let closest = closestNames(to: request.name, in: parsed.names)
                let hint = closest.isEmpty ? "" : " (closest: \(closest.map { "\"\($0)\"" }.joined(separator: ", ")))"
                throw FairleadError(.invalidData, "no column \"\(request.name)\" in the header\(hint)",
                                    at: SourceLocation(file: path, line: 1))
            }
            target[field] = index
        }
        self.header = parsed.names
        self.target = target
        self.spans = Array(repeating: FieldSpan(), count: parsed.names.count)
        self.line = parsed.nextLine
    }

    deinit {
        buffer.deallocate()
    }

    /// The levels of requested categorical column `index` so far, in code order.
    public func levels(ofRequest index: Int) -> [String] {
        dictionaries[index].levels()
    }

    /// The next at most `maxRows` records, or nil at the end of the file.
    public func next(maxRows: Int) throws -> CSVBatch? {
        precondition(maxRows >= 1, "a batch needs room for a record")
        var columns = Columns(count: requests.count)
        var lines: [Int] = []
        let firstRow = rowsRead
        while lines.count < maxRows {
            if let recordLine = try scanRecord() {
                try convert(into: &columns, line: recordLine)
                lines.append(recordLine)
                continue
            }
            if atEndOfFile { break }
            try refill()
        }
        guard !lines.isEmpty else { return nil }
        rowsRead += lines.count
        let values: [CSVBatch.Values] = requests.indices.map { index in
            switch requests[index].kind {
            case .numeric: return .numbers(columns.numbers[index])
            case .categorical: return .codes(columns.codes[index])
            case .text: return .text(columns.text[index])
            }
        }
        let levels = requests.indices.map { requests[$0].kind == .categorical ? dictionaries[$0].levels() : [] }
        return CSVBatch(rowCount: lines.count, firstRow: firstRow, lines: lines, columns: values, levels: levels)
    }

    /// A batch's values while it is read, one array per request of each kind.
    private struct Columns {
        var numbers: [[Double]]
        var codes: [[Int32]]
        var text: [[String]]

        init(count: Int) {
            numbers = Array(repeating: [], count: count)
            codes = Array(repeating: [], count: count)
            text = Array(repeating: [], count: count)
        }
    }

    // MARK: - Bytes

    /// Moves the unread bytes to the front and reads more; doubles the buffer when one
    /// record fills it.
    private func refill() throws {
        if start > 0 {
            (buffer).update(from: buffer + start, count: end - start)
            end -= start
            start = 0
        }
        if end == capacity {
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            larger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = larger
            capacity *= 2
        }
        let count = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if count == 0 { atEndOfFile = true }
        end += count
    }

    private func readHeader() throws -> _CSVHeader {
        while true {
            var offset = 0
            if end - start >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { offset = 3 }
            let available = UnsafeBufferPointer(start: buffer + offset, count: end - offset)
            if end >= 3 || atEndOfFile,
               let header = try _CSVHeader.parse(available, isFinal: atEndOfFile, delimiter: delimiter, path: path) {
                start = offset + header.length
                return header
            }
            if atEndOfFile {
                throw FairleadError(.invalidData, "empty file: expected a header row", at: SourceLocation(file: path, line: 1))
            }
            try refill()
        }
    }

    // MARK: - Records

    /// Finds the fields of the record at `start`, advancing past it; returns its first
    /// line, or nil when the buffer ends inside it (or holds nothing) and more may follow.
    private func scanRecord() throws -> Int? {
        let quote = UInt8(ascii: "\""), lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        let final = atEndOfFile
        while true {
            guard start < end else { return nil }
            if buffer[start] == lineFeed {
                start += 1
                line += 1
                continue
            }
            if buffer[start] == carriageReturn {
                if start + 1 < end, buffer[start + 1] == lineFeed {
                    start += 2
                    line += 1
                    continue
                }
                if start + 1 == end && !final { return nil }
            }
            break
        }
        var position = start
        var field = 0
        var newlines = 0
        let fieldCount = spans.count
        while true {
            var span = FieldSpan()
            if position < end, buffer[position] == quote {
                let opening = line + newlines
                position += 1
                span.start = position
                while true {
                    while position < end, buffer[position] != quote {
                        if buffer[position] == lineFeed { newlines += 1 }
                        position += 1
                    }
                    if position >= end {
                        if final {
                            throw FairleadError(.invalidData, "unterminated quoted field: the quote that opens it is never closed",
                                                at: SourceLocation(file: path, line: opening, column: field + 1,
                                                                   field: fieldName(field)))
                        }
                        return nil
                    }
                    if position + 1 < end, buffer[position + 1] == quote {
                        span.hasEscapedQuotes = true
                        position += 2
                        continue
                    }
                    if position + 1 == end && !final { return nil }
                    break
                }
                span.count = position - span.start
                position += 1
                if position < end {
                    let next = buffer[position]
                    let ends = next == delimiter || next == lineFeed || next == carriageReturn
                    if !ends {
                        throw FairleadError(.invalidData, "unexpected character after the closing quote of a quoted field",
                                            at: SourceLocation(file: path, line: line + newlines, column: field + 1,
                                                               field: fieldName(field)))
                    }
                }
            } else {
                span.start = position
                while position < end {
                    let byte = buffer[position]
                    if byte == delimiter || byte == lineFeed || byte == carriageReturn { break }
                    position += 1
                }
                span.count = position - span.start
            }
            if field < fieldCount { spans[field] = span }
            field += 1
            if position >= end {
                if !final { return nil }
                break
            }
            let terminator = buffer[position]
            if terminator == delimiter {
                position += 1
                if position == end && !final { return nil }
                continue
            }
            if terminator == carriageReturn {
                if position + 1 < end, buffer[position + 1] == lineFeed {
                    position += 2
                } else if position + 1 == end && !final {
                    return nil
                } else {
                    position += 1
                }
            } else {
                position += 1
            }
            break
        }
        let recordLine = line
        guard field == fieldCount else {
            throw FairleadError(.invalidData, "a record of \(field) fields under a header of \(fieldCount)",
                                at: SourceLocation(file: path, line: recordLine))
        }
        start = position
        line += newlines + 1
        return recordLine
    }

    private func fieldName(_ field: Int) -> String? {
        field < header.count ? "column \"\(header[field])\"" : nil
    }

    /// Converts the requested fields of the record just scanned.
    private func convert(into columns: inout Columns, line recordLine: Int) throws {
        for field in 0..<spans.count {
            let request = target[field]
            guard request >= 0 else { continue }
            let kind = requests[request].kind
            try withField(spans[field]) { pointer, count in
                switch kind {
                case .numeric:
                    if missing.matches(pointer, count: count) {
                        columns.numbers[request].append(.nan)
                    } else if let number = _DecimalParser.parse(pointer, count: count) {
                        columns.numbers[request].append(number)
                    } else {
                        let text = String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
                        throw FairleadError(.invalidData, "expected a number, found \"\(text)\"",
                                            at: SourceLocation(file: path, line: recordLine, column: field + 1,
                                                               field: "column \"\(header[field])\""))
                    }
                case .categorical:
                    if missing.matches(pointer, count: count) {
                        columns.codes[request].append(-1)
                    } else if let code = dictionaries[request].code(of: pointer, length: count) {
                        columns.codes[request].append(code)
                    } else {
                        throw FairleadError(.invalidData, "invalid UTF-8 in a value",
                                            at: SourceLocation(file: path, line: recordLine, column: field + 1,
                                                               field: "column \"\(header[field])\""))
                    }
                case .text:
                    columns.text[request].append(String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self))
                }
            }
        }
    }

    /// Calls `body` with the field's bytes, with doubled quotes undoubled.
    private func withField(_ span: FieldSpan, _ body: (UnsafePointer<UInt8>, Int) throws -> Void) throws {
        guard span.hasEscapedQuotes else {
            try body(UnsafePointer(buffer + span.start), span.count)
            return
        }
        scratch.removeAll(keepingCapacity: true)
        var index = span.start
        let last = span.start + span.count
        while index < last {
            scratch.append(buffer[index])
            index += buffer[index] == UInt8(ascii: "\"") ? 2 : 1
        }
        try scratch.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            try body(base, bytes.count)
        }
    }
}
