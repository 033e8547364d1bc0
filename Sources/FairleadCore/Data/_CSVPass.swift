import Dispatch

/// One pass of ``CSVReader`` over a file: header, then blocks of records into column builders.
struct _CSVPass {
    /// A column asked for: its name and, unless it was abandoned for a second pass, its values.
    struct ReadColumn {
        var name: String
        var column: Column?
    }

    struct Result {
        var rowCount: Int
        var columns: [ReadColumn]
        /// Whether the input can be read again (a regular file).
        var canReread: Bool
    }

    let input: CSVInput
    /// The input's name in messages.
    let path: String
    let delimiter: UInt8
    let options: CSVOptions
    /// Sees the input's bytes as they are read.
    let observer: (any CSVByteObserver)?

    /// Parts per thread in a batch: more parts than threads let a thread that gets the
    /// CPU take over the parts of one that does not (the machine may be shared).
    static let partsPerThread = 4

    init(_ input: CSVInput, delimiter: UInt8, options: CSVOptions, observer: (any CSVByteObserver)? = nil) {
        self.input = input
        self.path = input.name
        self.delimiter = delimiter
        self.options = options
        self.observer = observer
    }

    init(path: String, delimiter: UInt8, options: CSVOptions) {
        self.init(.file(path), delimiter: delimiter, options: options)
    }

    /// The header's column names, reading no further than the header.
    func headerNames() throws -> [String] {
        try readHeader().header.names
    }

    /// The header's names and the types the first block's records suggest.
    func headerAndSampledTypes() throws -> (names: [String], types: [String: ColumnType]) {
        let (_, buffer, atEnd, headerStart, header) = try readHeader()
        let types = sampleTypes(buffer.bytes(from: headerStart + header.length), firstLine: header.nextLine,
                                isFinal: atEnd, header: header.names)
        return (header.names, types)
    }

    /// Opens the file and parses its header; the buffer is left holding what was read.
    func readHeader() throws -> (source: any _ByteSource, buffer: _BlockBuffer, atEnd: Bool,
                                         headerStart: Int, header: _CSVHeader) {
        let source = try openByteSource(input, limits: options.limits, observer: observer)
        let buffer = _BlockBuffer(capacity: max(options.blockSize * options.threads, 16),
                                  fieldGuard: _FieldLengthGuard(limits: options.limits, delimiter: delimiter, path: path))
        var atEnd = try buffer.fill(from: source)

        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let headerStart = buffer.count >= 3 && (0..<3).allSatisfy { buffer.base[$0] == byteOrderMark[$0] } ? 3 : 0
        while true {
            if let parsed = try _CSVHeader.parse(buffer.bytes(from: headerStart), isFinal: atEnd,
                                                 delimiter: delimiter, path: path) {
                buffer.fieldGuard?.headerNames = parsed.names
                return (source, buffer, atEnd, headerStart, parsed)
            }
            atEnd = try buffer.refill(keepingFrom: 0, line: 1, from: source)
        }
    }

    func run(requests: [ColumnRequest]?) throws -> Result {
        try run { _ in requests }
    }

    /// One pass reading the columns `requests` asks for once it has seen the header
    /// (every column, types inferred, when it returns `nil`).
    func run(requests: ([String]) throws -> [ColumnRequest]?) throws -> Result {
        let (source, buffer, initialAtEnd, headerStart, header) = try readHeader()
        var atEnd = initialAtEnd

        let (fieldOfSlot, types) = try resolve(try requests(header.names), header: header.names) {
            sampleTypes(buffer.bytes(from: headerStart + header.length), firstLine: header.nextLine,
                        isFinal: initialAtEnd, header: header.names)
        }
        let parser = _CSVRecordParser(path: path, delimiter: delimiter, headerNames: header.names,
                                      fieldOfSlot: fieldOfSlot, markers: _MissingMarkers(options.missingMarkers),
                                      fieldGuard: _FieldLengthGuard(limits: options.limits, delimiter: delimiter, path: path))
        var builders = types.map(_ColumnBuilder.init(type:))
        var offset = headerStart + header.length
        let dataStart = offset
        var line = header.nextLine
        var rows = 0
        var bytesParsed = 0
        var reserved = false
        while true {
            let progress: _CSVRecordParser.Progress
            if options.threads == 1 {
                let bytes = buffer.bytes(from: offset)
                progress = try builders.withUnsafeMutableBufferPointer { builders in
                    try parser.parse(bytes, firstLine: line, isFinal: atEnd, into: builders)
                }
            } else {
                let rowsPerByte = bytesParsed > 0 ? Double(rows) / Double(bytesParsed) : 0
                progress = try parseInParallel(buffer.bytes(from: offset), firstLine: line, isFinal: atEnd,
                                               rowsPerByte: rowsPerByte, parser: parser, builders: &builders)
            }
            offset += progress.consumed
            bytesParsed += progress.consumed
            line = progress.line
            rows += progress.rows
            if !reserved, rows > 0, let fileSize = source.fileSize {
                reserved = true
                let rowsPerByte = Double(rows) / Double(bytesParsed)
                let estimate = min(Double(fileSize - dataStart) * rowsPerByte * 1.02 + 64, Double(fileSize / 2 + 64))
                for slot in builders.indices { builders[slot].reserve(rows: Int(estimate)) }
            }
            if atEnd { break }
            atEnd = try buffer.refill(keepingFrom: offset, line: line, from: source)
            offset = 0
        }

        var columns: [ReadColumn] = []
        for (slot, field) in fieldOfSlot.enumerated() {
            builders[slot].releaseReadingState()
            columns.append(ReadColumn(name: header.names[field], column: builders[slot].finish(name: header.names[field])))
            // The column shares the arrays it keeps; the rest of the builder goes now.
            builders[slot] = _ColumnBuilder(type: nil)
        }
        return Result(rowCount: rows, columns: columns, canReread: source.isRegularFile)
    }

    /// The field index and requested type of each column asked for, in file order.
    ///
    /// A column asked for by type that the header lacks is answered with the closest
    /// columns of that type first; `headerTypes` infers the header's types for that (from
    /// a sample), and is called only then.
    func resolve(_ requests: [ColumnRequest]?, header: [String],
                 headerTypes: () -> [String: ColumnType] = { [:] }) throws -> ([Int], [ColumnType?]) {
        let requests = requests ?? header.map { ColumnRequest($0) }
        var fieldByName: [String: Int] = [:]
        for (field, name) in header.enumerated() { fieldByName[name] = field }
        var typeByField: [Int: ColumnType?] = [:]
        for request in requests {
            guard let field = fieldByName[request.name] else {
                let message: String
                if let wanted = request.type {
                    let types = headerTypes()
                    message = missingColumnMessage(request.name, among: header.map { ($0, types[$0]) }, wanted: wanted)
                } else {
                    message = missingColumnMessage(request.name, among: header)
                }
                throw FairleadError(.invalidData, message, at: SourceLocation(file: path, line: 1, field: request.name))
            }
            if typeByField.updateValue(request.type, forKey: field) != nil {
                throw FairleadError(.usage, "column \"\(request.name)\" is asked for twice")
            }
        }
        let fields = typeByField.keys.sorted()
        return (fields, fields.map { typeByField[$0] ?? nil })
    }

    /// The types of the header's columns inferred from the records of `bytes` (the first
    /// block, already read): only to rank suggestions when a column asked for is missing,
    /// so the values are dropped and a sample that does not parse gives no types.
    func sampleTypes(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int, isFinal: Bool,
                     header: [String]) -> [String: ColumnType] {
        let parser = _CSVRecordParser(path: path, delimiter: delimiter, headerNames: header,
                                      fieldOfSlot: Array(header.indices), markers: _MissingMarkers(options.missingMarkers))
        var builders = header.map { _ in _ColumnBuilder(type: nil) }
        do {
            _ = try builders.withUnsafeMutableBufferPointer { builders in
                try parser.parse(bytes, firstLine: firstLine, isFinal: isFinal, into: builders)
            }
        } catch {
            return [:]
        }
        var types: [String: ColumnType] = [:]
        for (name, builder) in zip(header, builders) {
            // An abandoned column met text after numbers: categorical.
            types[name] = builder.finish(name: name)?.type ?? .categorical
        }
        return types
    }

    /// Splits `bytes` at record boundaries into `partsPerThread` parts per thread, parses the parts
    /// concurrently into fresh builders, then appends them to `builders` in file order.
    private func parseInParallel(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int, isFinal: Bool,
                                 rowsPerByte: Double, parser: _CSVRecordParser,
                                 builders: inout [_ColumnBuilder]) throws -> _CSVRecordParser.Progress {
        let split = _RecordBoundaryScanner.split(bytes, parts: options.threads * Self.partsPerThread, isFinal: isFinal)
        let parts = split.cuts.count - 1
        guard parts > 0 else { return _CSVRecordParser.Progress(consumed: 0, line: firstLine, rows: 0) }
        let rowsPerPart = Int(Double(bytes.count / parts) * rowsPerByte * 1.1)
        let work = _ParallelParts(parts: parts, builders: builders, rowsPerPart: rowsPerPart)
        defer { work.deallocate() }
        let input = _SendableBytes(bytes: bytes)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = split.cuts[part]..<split.cuts[part + 1]
            let slice = UnsafeBufferPointer(rebasing: input.bytes[range])
            work.outcomes[part] = Swift.Result {
                try parser.parse(slice, firstLine: firstLine + split.lineFeedsBefore[part],
                                 isFinal: isFinal && part == parts - 1, into: work.builders[part])
            }
        }
        var progress = _CSVRecordParser.Progress(consumed: 0, line: firstLine, rows: 0)
        for part in 0..<parts {
            guard let outcome = work.outcomes[part] else { preconditionFailure("a part was not parsed") }
            let parsed = try outcome.get()
            guard parsed.consumed == split.cuts[part + 1] - split.cuts[part] else {
                throw FairleadError(.internalFailure, "a parallel part did not end on a record boundary",
                                    at: SourceLocation(file: path, line: firstLine + split.lineFeedsBefore[part]))
            }
            progress.rows += parsed.rows
        }
        // Columns join their parts independently, so the joins (dictionary merges above
        // all) run in parallel across columns.
        builders.withUnsafeMutableBufferPointer { builders in
            let targets = _SendableBuilders(builders: builders)
            DispatchQueue.concurrentPerform(iterations: builders.count) { slot in
                for part in 0..<parts {
                    targets.builders[slot].absorb(work.builders[part][slot])
                }
            }
        }
        progress.consumed = split.cuts[parts]
        progress.line = firstLine + split.lineFeedsBefore[parts]
        return progress
    }
}

/// The bytes of a batch, shared read-only by the threads that parse its parts.
private struct _SendableBytes: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
}

/// The reader's builders while each thread of `concurrentPerform` joins one column's parts.
private struct _SendableBuilders: @unchecked Sendable {
    let builders: UnsafeMutableBufferPointer<_ColumnBuilder>
}

/// Per-part builders and outcomes, each written by exactly one thread of
/// `concurrentPerform` and read after it returns.
private final class _ParallelParts: @unchecked Sendable {
    let builders: [UnsafeMutableBufferPointer<_ColumnBuilder>]
    let outcomes: UnsafeMutableBufferPointer<Swift.Result<_CSVRecordParser.Progress, any Error>?>

    init(parts: Int, builders: [_ColumnBuilder], rowsPerPart: Int) {
        self.builders = (0..<parts).map { _ in
            let storage = UnsafeMutableBufferPointer<_ColumnBuilder>.allocate(capacity: builders.count)
            _ = storage.initialize(from: builders.map { $0.emptyContinuation(rows: rowsPerPart) })
            return storage
        }
        outcomes = .allocate(capacity: parts)
        outcomes.initialize(repeating: nil)
    }

    func deallocate() {
        for storage in builders {
            storage.deinitialize()
            storage.deallocate()
        }
        outcomes.deinitialize()
        outcomes.deallocate()
    }
}
