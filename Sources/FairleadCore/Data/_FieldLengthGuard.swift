/// Holds every CSV field to ``Limits/maxFieldBytes``, the header's names included: the
/// fields of a record (or the header) longer than the limit are checked one by one once
/// it is read, so a record within the limit costs the reader one comparison; a record
/// too long for the read block is checked before the block grows to hold it, so a
/// single 6 GiB field stops after a block or two rather than after 6 GiB; and a field
/// the reader keeps is checked again as it is committed.
struct _FieldLengthGuard {
    let limit: Int
    let delimiter: UInt8
    let path: String
    /// The header's names once read, for the column in messages.
    var headerNames: [String] = []

    init(limits: Limits, delimiter: UInt8, path: String) {
        self.limit = max(1, limits.maxFieldBytes)
        self.delimiter = delimiter
        self.path = path
    }

    /// Throws when a field of `bytes` — records (or their start, when the block could not
    /// hold one) from physical line `firstLine` on — is longer than the limit, counted
    /// as stored: quotes and all, line ends not. The error names the line the field
    /// starts on. Quoted fields are followed through delimiters and line breaks; doubled
    /// quotes toggle twice.
    func checkRecord(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int) throws {
        guard bytes.count > limit else { return }
        let quote = _CSVRecordParser.quote, lineFeed = _CSVRecordParser.lineFeed
        let carriageReturn = _CSVRecordParser.carriageReturn
        var inQuotes = false
        var fieldStart = 0
        var field = 0
        var line = firstLine
        var fieldLine = firstLine
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == quote {
                inQuotes.toggle()
            } else if byte == lineFeed {
                line += 1
                if !inQuotes {
                    fieldStart = index + 1
                    field = 0
                    fieldLine = line
                }
            } else if byte == delimiter, !inQuotes {
                fieldStart = index + 1
                field += 1
                fieldLine = line
            } else if byte == carriageReturn, !inQuotes, index + 1 == bytes.count || bytes[index + 1] == lineFeed {
                // CRLF's first byte ends the field rather than lengthening it.
                continue
            }
            if index - fieldStart + 1 > limit {
                throw tooLong(line: fieldLine, field: field)
            }
        }
    }

    /// Throws when a kept field of `length` bytes is longer than the limit.
    @inline(__always)
    func checkField(length: Int, line: Int, field: Int) throws {
        if length > limit { throw tooLong(line: line, field: field) }
    }

    private func tooLong(line: Int, field: Int) -> FairleadError {
        FairleadError(.invalidData, "a field longer than \(Limits.byteCount(Double(limit))) (the max_field_bytes limit)",
                      at: SourceLocation(file: path, line: line, column: field + 1,
                                         field: field < headerNames.count ? headerNames[field] : nil),
                      limit: .maxFieldBytes)
    }
}
