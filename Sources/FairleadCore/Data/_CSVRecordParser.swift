/// Where one requested field of the current record lies in the buffer.
struct _FieldSpan {
    var start = 0
    var end = 0
    var line = 0
    var hasDoubledQuotes = false
    /// Whether the field was quoted: `""` is the empty text, told from an empty field
    /// (``CSVOptions/emptyFieldIsNull``).
    var isQuoted = false
}

/// The byte-level RFC 4180 state machine: splits a buffer into records and fields and
/// hands only the requested fields to their ``_ColumnBuilder``s.
///
/// A record is first tokenized (the spans of its requested fields noted, every other
/// field skipped by a scan for the next delimiter, quote or line end), then committed
/// with up to 127 others, column by column (``_PendingRecords``), or, by ``tokenize(_:firstLine:isFinal:into:)``,
/// kept with the whole block's records for the caller to commit; so a record cut by
/// the end of the buffer is left whole for the next one.
/// Records end at LF or CRLF; a CR elsewhere in an unquoted field is data. Blank lines
/// at the end of the file are not records; a blank line before more data is a record of
/// one empty field (a ragged row unless the file has one column).
struct _CSVRecordParser {
    /// How far a parse got: the bytes of complete records, the physical line after them
    /// and the rows they held.
    struct Progress {
        var consumed: Int
        var line: Int
        var rows: Int
    }

    static let quote = UInt8(ascii: "\"")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    let path: String
    let delimiter: UInt8
    let headerNames: [String]
    /// For each field of a record, the builder slot it goes to, or -1 to skip it.
    let slotOfField: [Int32]
    /// For each field, the first requested field at or after it, or `fieldCount` when none is.
    let nextRequestedField: [Int]
    /// For each slot, its field's index.
    let fieldOfSlot: [Int]
    let markers: _MissingMarkers
    /// Holds every field to ``Limits/maxFieldBytes``; `nil` keeps any length.
    let fieldGuard: _FieldLengthGuard?
    /// Another delimiter that splits a header of one name into several
    /// (``_CSVHeader/otherDelimiter(splitting:delimiter:)``): a ragged row that it splits
    /// the same way says the file is separated by it.
    let otherDelimiter: (delimiter: UInt8, names: [String])?

    init(path: String, delimiter: UInt8, headerNames: [String], fieldOfSlot: [Int], markers: _MissingMarkers,
         fieldGuard: _FieldLengthGuard? = nil) {
        self.path = path
        var fieldGuard = fieldGuard
        fieldGuard?.headerNames = headerNames
        self.fieldGuard = fieldGuard
        self.delimiter = delimiter
        self.headerNames = headerNames
        self.fieldOfSlot = fieldOfSlot
        self.markers = markers
        var slotOfField = [Int32](repeating: -1, count: headerNames.count)
        for (slot, field) in fieldOfSlot.enumerated() {
            slotOfField[field] = Int32(slot)
        }
        self.slotOfField = slotOfField
        var nextRequestedField = [Int](repeating: headerNames.count, count: headerNames.count)
        var next = headerNames.count
        for field in (0..<headerNames.count).reversed() {
            if slotOfField[field] >= 0 { next = field }
            nextRequestedField[field] = next
        }
        self.nextRequestedField = nextRequestedField
        otherDelimiter = _CSVHeader.otherDelimiter(splitting: headerNames, delimiter: delimiter)
    }

    var fieldCount: Int { headerNames.count }

    /// Parses the records of `bytes`, whose first byte starts a record on physical line
    /// `firstLine`, into `builders` (one per slot). Unless `isFinal`, a record the buffer
    /// cuts (and blank lines before it) is left unconsumed.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int, isFinal: Bool,
               into builders: UnsafeMutableBufferPointer<_ColumnBuilder>) throws -> Progress {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            return Progress(consumed: 0, line: firstLine, rows: 0)
        }
        let stops = _StructuralIndex(base, count: bytes.count, delimiter: delimiter)
        defer { stops.deallocate() }
        var lines: [Int]?
        return try parse(bytes, from: 0, stops: stops, firstLine: firstLine, isFinal: isFinal,
                         maxRows: .max, lines: &lines, into: builders)
    }

    /// Parses at most `maxRows` records of `bytes` from offset `start` (a record boundary
    /// on physical line `firstLine`), with `stops` indexing all of `bytes`; appends each
    /// record's first line to `lines` when it is not `nil`. `consumed` counts from `start`.
    /// A parse stopped by `maxRows` ends right after its last record, even when `isFinal`.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, stops: _StructuralIndex,
               firstLine: Int, isFinal: Bool, maxRows: Int, lines: inout [Int]?,
               into builders: UnsafeMutableBufferPointer<_ColumnBuilder>) throws -> Progress {
        guard let base = bytes.baseAddress, start < bytes.count, maxRows > 0 else {
            return Progress(consumed: 0, line: firstLine, rows: 0)
        }
        let pending = _PendingRecords(slots: fieldOfSlot.count)
        defer { pending.deallocate() }
        return try slotOfField.withUnsafeBufferPointer { slotOfField in
            try nextRequestedField.withUnsafeBufferPointer { nextRequestedField in
                do {
                    let progress = try parse(base, from: start, count: bytes.count, firstLine: firstLine,
                                             isFinal: isFinal, maxRows: maxRows, lines: &lines, stops: stops,
                                             slotOfField: slotOfField, nextRequestedField: nextRequestedField,
                                             pending: pending, builders: builders)
                    try commitPending(base, pending, builders: builders)
                    return progress
                } catch {
                    // A defect in a record still pending comes first in the file.
                    try commitPending(base, pending, builders: builders)
                    throw error
                }
            }
        }
    }

    /// Tokenizes the complete records of `bytes` (as ``parse(_:firstLine:isFinal:into:)``
    /// would parse them) into `pending`, which grows to hold them all, and commits none:
    /// their columns can then be committed apart (``commitColumn(_:_:_:records:into:scratch:)``).
    /// When a record is malformed, the records before it are left in `pending` and the
    /// error is thrown: they come first in the file, so their fields' errors come first.
    func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int, isFinal: Bool,
                  into pending: _PendingRecords) throws -> Progress {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            return Progress(consumed: 0, line: firstLine, rows: 0)
        }
        let stops = _StructuralIndex(base, count: bytes.count, delimiter: delimiter)
        defer { stops.deallocate() }
        var lines: [Int]?
        return try slotOfField.withUnsafeBufferPointer { slotOfField in
            try nextRequestedField.withUnsafeBufferPointer { nextRequestedField in
                try parse(base, from: 0, count: bytes.count, firstLine: firstLine, isFinal: isFinal,
                          maxRows: .max, lines: &lines, stops: stops, slotOfField: slotOfField,
                          nextRequestedField: nextRequestedField, pending: pending, builders: nil)
            }
        }
    }

    /// The tokenizer: records into `pending`, committed to `builders` whenever it fills,
    /// or, when `builders` is `nil`, kept (`pending` grows).
    private func parse(_ base: UnsafePointer<UInt8>, from start: Int, count: Int, firstLine: Int, isFinal: Bool,
                       maxRows: Int, lines: inout [Int]?,
                       stops: _StructuralIndex, slotOfField: UnsafeBufferPointer<Int32>,
                       nextRequestedField: UnsafeBufferPointer<Int>,
                       pending: _PendingRecords,
                       builders: UnsafeMutableBufferPointer<_ColumnBuilder>?) throws -> Progress {
        let quote = Self.quote, lineFeed = Self.lineFeed, carriageReturn = Self.carriageReturn
        let delimiter = self.delimiter
        let fieldCount = self.fieldCount
        let lastField = fieldCount - 1
        // A record within the limit holds no field beyond it: the only cost of the limit
        // to the records of an ordinary file is this comparison.
        let recordLimit = fieldGuard?.limit ?? .max
        var index = start
        var line = firstLine
        var progress = Progress(consumed: 0, line: firstLine, rows: 0)
        var pendingBlankLines = 0
        var firstBlankLine = 0
        var firstBlankStart = 0
        /// Counts the record whose spans were just written, then commits the records held
        /// when they fill `pending`, or makes room for more when there are no builders.
        func holdRecord() throws {
            pending.count += 1
            guard pending.isFull else { return }
            if let builders { try commitPending(base, pending, builders: builders) } else { pending.grow() }
        }

        records: while index < count {
            if progress.rows == maxRows { return progress }
            let recordStart = index
            let recordLine = line
            let first = base[index]
            if first == lineFeed || first == carriageReturn {
                let blankLength: Int
                if first == lineFeed {
                    blankLength = 1
                } else if index + 1 < count {
                    blankLength = base[index + 1] == lineFeed ? 2 : 0
                } else {
                    if !isFinal { break records }
                    blankLength = 1
                }
                if blankLength > 0 {
                    if pendingBlankLines == 0 {
                        firstBlankLine = line
                        firstBlankStart = index
                    }
                    pendingBlankLines += 1
                    index += blankLength
                    line += 1
                    continue records
                }
            }

            var field = 0
            var complete = false
            let spans = pending.nextRecord
            // Where a record's next slot's span goes, from the slot before (see `_PendingRecords`).
            let slotStride = pending.slotStride
            fields: while true {
                // The common field first: asked for, unquoted, ended by a delimiter (so not
                // the record's last). Callgrind, 200,000 leads, all columns: the tokenizer
                // took 220 million instructions without this loop, 140 million with it.
                // The stop bits of the current word stay in a register, each stop cleared
                // as it is passed: finding the next one is a `trailingZeroBitCount`, not a
                // load that waits on the last stop's position (that chain was a third of
                // the tokenizer's samples, perf).
                if field < lastField, index < count {
                    var word = index >> 6
                    var bits = stops.stopBits(word: word) & (~UInt64(0) << UInt64(index & 63))
                    fast: while field < lastField, index < count {
                        let slot = slotOfField[field]
                        if slot < 0 || base[index] == quote { break }
                        while bits == 0 {
                            word += 1
                            if word >= stops.wordCount { break fast }
                            bits = stops.stopBits(word: word)
                        }
                        let stop = word << 6 + bits.trailingZeroBitCount
                        if stop >= count || base[stop] != delimiter { break }
                        spans[Int(slot) &* slotStride] = _FieldSpan(start: index, end: stop, line: line,
                                                                    hasDoubledQuotes: false)
                        field += 1
                        index = stop + 1
                        bits &= bits &- 1
                    }
                }
                // Runs of fields nobody asked for are crossed by counting delimiter bits,
                // when no quote or line end lies inside them.
                if field < fieldCount, slotOfField[field] < 0 {
                    let target = nextRequestedField[field]
                    if target < fieldCount {
                        if let position = stops.delimiter(skipping: target - field, from: index) {
                            index = position + 1
                            field = target
                            if index == count, !isFinal { break fields }
                            continue fields
                        }
                    } else if let (position, delimiters) = stops.nextLineEndOrQuote(from: index),
                              base[position] == lineFeed
                                || (base[position] == carriageReturn && position + 1 < count
                                    && base[position + 1] == lineFeed) {
                        field += delimiters + 1
                        index = position
                        index += base[index] == carriageReturn ? 2 : 1
                        line += 1
                        complete = true
                        break fields
                    }
                }
                var span = _FieldSpan(start: index, end: index, line: line, hasDoubledQuotes: false)
                if index < count, base[index] == quote {
                    let quoteLine = line
                    index += 1
                    span.start = index
                    span.isQuoted = true
                    while true {
                        while index < count, base[index] != quote {
                            if base[index] == lineFeed { line += 1 }
                            index += 1
                        }
                        if index == count {
                            if isFinal {
                                throw error(line: quoteLine, field: field,
                                            "unterminated quoted field: the quote that opens it is never closed")
                            }
                            break fields
                        }
                        if index + 1 < count {
                            if base[index + 1] == quote {
                                span.hasDoubledQuotes = true
                                index += 2
                                continue
                            }
                        } else if !isFinal {
                            break fields
                        }
                        span.end = index
                        index += 1
                        break
                    }
                    if index < count {
                        let next = base[index]
                        if next == carriageReturn, index + 1 == count, !isFinal { break fields }
                        let endsField = next == delimiter || next == lineFeed
                            || (next == carriageReturn && (index + 1 == count || base[index + 1] == lineFeed))
                        if !endsField {
                            throw error(line: line, field: field,
                                        "unexpected \(describe(next)) after the closing quote of a quoted field")
                        }
                    }
                } else {
                    while true {
                        index = stops.nextStop(from: index, count: count)
                        if index == count {
                            if !isFinal { break fields }
                            break
                        }
                        let stop = base[index]
                        if stop == quote {
                            throw error(line: line, field: field,
                                        "a quote inside an unquoted field; quote the whole field and double the quote (RFC 4180)")
                        }
                        if stop == carriageReturn {
                            if index + 1 < count {
                                if base[index + 1] != lineFeed {
                                    index += 1
                                    continue
                                }
                            } else if !isFinal {
                                break fields
                            }
                        }
                        break
                    }
                    span.end = index
                }
                if field < fieldCount {
                    let slot = Int(slotOfField[field])
                    if slot >= 0 { spans[slot &* slotStride] = span }
                }
                field += 1

                if index == count {
                    complete = true
                    break fields
                }
                let terminator = base[index]
                if terminator == delimiter {
                    index += 1
                    if index == count, !isFinal { break fields }
                    continue fields
                }
                index += terminator == carriageReturn && index + 1 < count ? 2 : 1
                line += 1
                complete = true
                break fields
            }
            if !complete {
                index = recordStart
                line = recordLine
                break records
            }

            if pendingBlankLines > 0 {
                if fieldCount > 1 { throw raggedRow(line: firstBlankLine, found: 1) }
                // One field per record here: the record's span moves after the blank lines'.
                let recordSpans = pending.slots == 1 ? spans[0] : _FieldSpan()
                // Blank lines are records here; those beyond `maxRows` wait for the next parse.
                let committed = min(pendingBlankLines, maxRows - progress.rows)
                for offset in 0..<committed {
                    if pending.slots == 1 {
                        pending.nextRecord[0] = _FieldSpan(start: recordStart, end: recordStart, line: firstBlankLine + offset)
                    }
                    try holdRecord()
                    lines?.append(firstBlankLine + offset)
                }
                if pending.slots == 1 { pending.nextRecord[0] = recordSpans }
                progress.rows += committed
                if progress.rows == maxRows {
                    var position = firstBlankStart
                    for _ in 0..<committed { position += base[position] == lineFeed ? 1 : 2 }
                    progress.consumed = position - start
                    progress.line = firstBlankLine + committed
                    return progress
                }
                pendingBlankLines = 0
            }
            if field != fieldCount {
                throw raggedRow(line: recordLine, found: field,
                                record: UnsafeBufferPointer(start: base + recordStart, count: index - recordStart))
            }
            if index - recordStart > recordLimit, let fieldGuard {
                // Every field, those nobody asked for too.
                try fieldGuard.checkRecord(UnsafeBufferPointer(start: base + recordStart, count: index - recordStart),
                                           firstLine: recordLine)
            }
            try holdRecord()
            lines?.append(recordLine)
            progress.rows += 1
            progress.consumed = index - start
            progress.line = line
        }
        if isFinal {
            progress.consumed = count - start
            progress.line = line
        }
        return progress
    }

    /// The content of a quoted field with each `""` made `"`.
    static func undoubledQuotes(_ start: UnsafePointer<UInt8>, count: Int) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(count)
        var index = 0
        while index < count {
            text.append(start[index])
            index += start[index] == quote ? 2 : 1
        }
        return text
    }

    func fail(_ outcome: _AppendOutcome, slot: Int, line: Int, bytes: [UInt8]) throws -> Never {
        let field = fieldOfSlot[slot]
        let shown = Self.quoted(bytes)
        switch outcome {
        case .notANumber: throw error(line: line, field: field, "expected a number, found \(shown)")
        case .notFinite: throw error(line: line, field: field, "expected a finite number, found \(shown)")
        case .notABoolean: throw error(line: line, field: field, "expected 0/1 or true/false, found \(shown)")
        case .invalidUTF8: throw error(line: line, field: field, "invalid UTF-8 in \(shown)")
        case .appended: preconditionFailure("not a failure")
        }
    }

    /// A field's text for a message: quoted, cut after 40 characters, controls and bytes
    /// of invalid UTF-8 made visible (`\xFF`: ``MessageQuote/clipped(bytes:limit:)``).
    static func quoted(_ bytes: [UInt8]) -> String {
        "\"\(MessageQuote.clipped(bytes: bytes, limit: 40))\""
    }

    private func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "\"\(Character(Unicode.Scalar(byte)))\"" : "byte 0x\(String(byte, radix: 16))"
    }

    func error(line: Int, field: Int, _ message: String) -> FairleadError {
        FairleadError(.invalidData, message,
                      at: SourceLocation(file: path, line: line, column: field + 1,
                                         field: field < headerNames.count ? headerNames[field] : nil))
    }

    /// A record of `found` fields where the header has another count; `record` (its bytes)
    /// tells whether the file is separated by ``otherDelimiter`` instead, when the header
    /// is one name that it splits: the record then splits into as many fields.
    private func raggedRow(line: Int, found: Int, record: UnsafeBufferPointer<UInt8>? = nil) -> FairleadError {
        var message = "ragged row: expected \(fieldCount) field\(fieldCount == 1 ? "" : "s"), found \(found)"
        if case let (other, names)? = otherDelimiter, let record,
           _CSVHeader.fieldCount(of: record, splitAt: other) == names.count {
            message += "; " + _CSVHeader.delimiterHint(other, delimiter: delimiter,
                                                       evidence: "its header row is one name that splits into \(names.count) at it, and this row into \(names.count) fields")
        }
        return FairleadError(.invalidData, message, at: SourceLocation(file: path, line: line))
    }
}
