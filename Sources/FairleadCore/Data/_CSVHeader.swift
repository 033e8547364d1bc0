/// The header row of a CSV file: the column names, in file order.
struct _CSVHeader {
    let names: [String]
    /// The bytes of the header record, its line end included.
    let length: Int
    /// The physical line the first data record starts on.
    let nextLine: Int

    /// Reads the header from `bytes`, the start of the file after any BOM; `nil` when the
    /// buffer ends inside it and more of the file follows. Throws for an empty file, an
    /// invalid or empty name, a duplicate name, a malformed quoted field, or more than
    /// `maxColumns` names (``Limits/maxColumns``; counted as they are read, so a header
    /// longer than the buffer that already holds too many is refused before the buffer
    /// grows for the rest of it).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, isFinal: Bool, delimiter: UInt8,
                      path: String, maxColumns: Int = Limits().maxColumns) throws -> _CSVHeader? {
        let quote = _CSVRecordParser.quote
        let lineFeed = _CSVRecordParser.lineFeed
        let carriageReturn = _CSVRecordParser.carriageReturn
        let count = bytes.count
        func failure(_ message: String, line: Int = 1, field: Int? = nil) -> FairleadError {
            FairleadError(.invalidData, message, at: SourceLocation(file: path, line: line, column: field.map { $0 + 1 }))
        }
        if count == 0 {
            if isFinal { throw failure("empty file: expected a header row", line: 1) }
            return nil
        }
        var fields: [[UInt8]] = []
        // Past the limit the names are counted, not kept.
        var fieldCount = 0
        let limit = min(maxColumns, CSVReader.maximumColumnCount)
        let keepsNames = { fieldCount < limit }
        // The buffer ends inside the header: wait for more of it, unless what it holds
        // is already too many columns.
        func incomplete() throws -> _CSVHeader? {
            if fieldCount > limit {
                throw tooManyColumns(fieldCount, maxColumns: maxColumns, path: path, within: count)
            }
            return nil
        }
        var index = 0
        var line = 1
        while true {
            var text: [UInt8] = []
            if index < count, bytes[index] == quote {
                let quoteLine = line
                index += 1
                while true {
                    while index < count, bytes[index] != quote {
                        if bytes[index] == lineFeed { line += 1 }
                        if keepsNames() { text.append(bytes[index]) }
                        index += 1
                    }
                    if index + 1 >= count, !isFinal { return try incomplete() }
                    if index == count {
                        throw failure("unterminated quoted field: the quote that opens it is never closed",
                                      line: quoteLine, field: fieldCount)
                    }
                    if index + 1 < count, bytes[index + 1] == quote {
                        if keepsNames() { text.append(quote) }
                        index += 2
                        continue
                    }
                    index += 1
                    break
                }
                if index < count {
                    let next = bytes[index]
                    if next == carriageReturn, index + 1 == count, !isFinal { return try incomplete() }
                    let endsField = next == delimiter || next == lineFeed
                        || (next == carriageReturn && (index + 1 == count || bytes[index + 1] == lineFeed))
                    if !endsField {
                        // A quoted name followed by `;`, a tab or `|`: a file of quoted fields
                        // separated by it (a spreadsheet's export), said as an unquoted one is.
                        let shown = next >= 0x20 && next < 0x7F ? "\"\(Character(Unicode.Scalar(next)))\""
                            : next == UInt8(ascii: "\t") ? "tab" : "byte 0x\(String(next, radix: 16))"
                        var message = "unexpected \(shown) after the closing quote of a quoted field"
                        if commonDelimiters.contains(next), next != delimiter {
                            message += "; " + delimiterHint(next, delimiter: delimiter, evidence: "a quoted name of its header row ends at one")
                        }
                        throw failure(message, line: line, field: fieldCount)
                    }
                }
            } else {
                while index < count {
                    let byte = bytes[index]
                    if byte == delimiter || byte == lineFeed { break }
                    if byte == carriageReturn {
                        if index + 1 == count, !isFinal { return try incomplete() }
                        if index + 1 == count || bytes[index + 1] == lineFeed { break }
                        // Records end at LF or CRLF; a bare CR in a name is an old-Mac line end
                        // (read as data, the whole file would be one header row).
                        throw failure("a carriage return (CR) without a line feed in the header row: the file has "
                                      + "CR-only line endings; convert them to LF or CRLF (tr '\\r' '\\n')",
                                      line: line, field: fieldCount)
                    }
                    if byte == quote {
                        throw failure("a quote inside an unquoted field; quote the whole field and double the quote (RFC 4180)",
                                      line: line, field: fieldCount)
                    }
                    if keepsNames() { text.append(byte) }
                    index += 1
                }
                if index == count, !isFinal { return try incomplete() }
            }
            if keepsNames() { fields.append(text) }
            fieldCount += 1
            if index == count { break }
            let terminator = bytes[index]
            if terminator == delimiter {
                index += 1
                if index == count, !isFinal { return try incomplete() }
                continue
            }
            index += terminator == carriageReturn && index + 1 < count ? 2 : 1
            line += 1
            break
        }
        if fieldCount > limit { throw tooManyColumns(fieldCount, maxColumns: maxColumns, path: path, within: nil) }

        var names: [String] = []
        var seen: [String: Int] = [:]
        for (field, text) in fields.enumerated() {
            let valid = text.withUnsafeBufferPointer { text in
                text.baseAddress.map { _ByteText.isValidUTF8($0, count: text.count) } ?? true
            }
            guard valid else { throw failure("invalid UTF-8 in the header row", field: field) }
            let name = String(decoding: text, as: UTF8.self)
            if name.isEmpty {
                if fields.count == 1 { throw failure("the header row is empty") }
                throw failure("empty column name in the header row (field \(field + 1))", field: field)
            }
            if let earlier = seen[name] {
                throw failure("duplicate column name \"\(MessageQuote.clipped(name))\" in the header row (fields \(earlier + 1) and \(field + 1))",
                              field: field)
            }
            seen[name] = field
            names.append(name)
        }
        return _CSVHeader(names: names, length: index, nextLine: line)
    }

    /// The delimiters a file read with another one is most often separated by: `;` (the
    /// CSV of spreadsheets where `,` is the decimal mark), tab, `|` and `,`.
    static let commonDelimiters: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|"), UInt8(ascii: ",")]

    /// When the header is one name that another common delimiter (``commonDelimiters``)
    /// splits into several non-empty ones: that delimiter (the one giving the most) and
    /// the names it gives. A file separated by `;` read with `,` has such a header.
    static func otherDelimiter(splitting names: [String], delimiter: UInt8) -> (delimiter: UInt8, names: [String])? {
        guard names.count == 1, let name = names.first else { return nil }
        var best: (delimiter: UInt8, names: [String])?
        for other in commonDelimiters where other != delimiter {
            let parts = name.utf8.split(separator: other, omittingEmptySubsequences: false)
            guard parts.count >= 2, !parts.contains(where: \.isEmpty), parts.count > best?.names.count ?? 0 else { continue }
            best = (other, parts.map { String(decoding: $0, as: UTF8.self) })
        }
        return best
    }

    /// The fields `record` (one record, its line end included or not) holds when split at
    /// `delimiter` outside quotes.
    static func fieldCount(of record: UnsafeBufferPointer<UInt8>, splitAt delimiter: UInt8) -> Int {
        var count = 1
        var quoted = false
        for byte in record {
            if byte == _CSVRecordParser.quote {
                quoted.toggle()
            } else if !quoted, byte == delimiter {
                count += 1
            }
        }
        return count
    }

    /// "the file looks semicolon-separated: …": why the file seems separated by `other`
    /// rather than `delimiter` (`evidence`), and the two ways out.
    static func delimiterHint(_ other: UInt8, delimiter: UInt8, evidence: String) -> String {
        func word(_ byte: UInt8) -> String {
            switch byte {
            case UInt8(ascii: ";"): "semicolon"
            case UInt8(ascii: "\t"): "tab"
            case UInt8(ascii: "|"): "pipe"
            case UInt8(ascii: ","): "comma"
            default: "\"\(MessageQuote.clipped(String(Character(Unicode.Scalar(byte)))))\""
            }
        }
        func shown(_ byte: UInt8) -> String {
            byte == UInt8(ascii: "\t") ? "a tab" : "\"\(MessageQuote.clipped(String(Character(Unicode.Scalar(byte)))))\""
        }
        return "the file looks \(word(other))-separated: \(evidence), but it is read with \(shown(delimiter)) between "
            + "fields; convert it to \(word(delimiter))-separated values first (the command line and profiles read no other "
            + "delimiter; from Swift, CSVOptions.delimiter sets one)"
    }

    /// The error for a header of `columns` names, more than `maxColumns`; `within` is the
    /// bytes read of a header that goes on past them (so `columns` is a lower bound).
    private static func tooManyColumns(_ columns: Int, maxColumns: Int, path: String, within: Int?) -> FairleadError {
        let count = within.map { "at least \(columns) columns in its first \(Limits.byteCount(Double($0)))" }
            ?? "\(columns) columns"
        let location = SourceLocation(file: path, line: 1)
        guard maxColumns < CSVReader.maximumColumnCount else {
            return FairleadError(.invalidData, "the header row has \(count), more than any CSV file may have (\(CSVReader.maximumColumnCount))",
                                 at: location)
        }
        return FairleadError(.invalidData, "the header row has \(count), more than the max_columns limit of \(maxColumns)",
                             at: location, limit: .maxColumns)
    }
}
