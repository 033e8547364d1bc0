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

    /// The block of each step after the first of a read on several threads: `blockSize`,
    /// at most 256 KiB (the first block, read with the header, is `blockSize`, as on one
    /// thread). A step's tokenized spans are read back column by column, and should stay
    /// in the caches; but each step also wakes a helper and waits for it, which on a busy
    /// machine costs tens of microseconds. Measured with the thread budget (commit
    /// 81036a1, alternated runs): the 10M-lead file's four audit columns on 2 threads took
    /// 0.74–0.75 s in steps of 256 KiB, 0.73–0.74 s of 1 MiB and 0.79–0.80 s of 64 KiB when
    /// wake-ups were quick, and 1.02–1.33 s against 1.53–1.58 s of 64 KiB when they were
    /// slow; the 1M-lead file's 16 columns 0.25 s against 0.26–0.27 s. (Before the
    /// reader's later changes, 64 KiB was the fastest: 0.31 s against 0.38 s of 256 KiB.)
    static func pipelineBlockSize(_ options: CSVOptions) -> Int {
        min(options.blockSize, 1 << 18)
    }

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
        let buffer = _BlockBuffer(capacity: max(options.blockSize, 16),
                                  fieldGuard: _FieldLengthGuard(limits: options.limits, delimiter: delimiter, path: path))
        var atEnd = try buffer.fill(from: source)

        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let headerStart = buffer.count >= 3 && (0..<3).allSatisfy { buffer.base[$0] == byteOrderMark[$0] } ? 3 : 0
        // Inflated bytes, for a gzip file: its text is what must be UTF-8.
        if headerStart == 0, let encoding = ForeignTextEncoding.detect(buffer.bytes(from: 0)) {
            var isFile = false
            if case .file = input { isFile = true }
            throw encoding.refusal(of: path, kind: .invalidData, compressed: source.isCompressed, isFile: isFile)
        }
        // A database, program or archive named as data is said to be one, before its bytes
        // break a CSV rule; for gzip, what it inflates to is judged.
        if let content = BinaryContent.detect(buffer.bytes(from: headerStart)) {
            var isFile = false
            if case .file = input { isFile = true }
            throw isFile ? content.refusal(of: path, expected: "CSV text", kind: .invalidData)
                : content.refusal(ofStream: path, expected: "CSV text", kind: .invalidData)
        }
        while true {
            if let parsed = try _CSVHeader.parse(buffer.bytes(from: headerStart), isFinal: atEnd,
                                                 delimiter: delimiter, path: path,
                                                 maxColumns: options.limits.maxColumns) {
                // The names are fields too; one too long is named by its column number.
                try buffer.fieldGuard?.checkRecord(UnsafeBufferPointer(start: buffer.base + headerStart, count: parsed.length),
                                                   firstLine: 1)
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
        let (source, buffer, atEnd, headerStart, header) = try readHeader()

        let (fieldOfSlot, types) = try resolve(try requests(header.names), header: header.names) {
            sampleTypes(buffer.bytes(from: headerStart + header.length), firstLine: header.nextLine,
                        isFinal: atEnd, header: header.names)
        }
        let parser = _CSVRecordParser(path: path, delimiter: delimiter, headerNames: header.names,
                                      fieldOfSlot: fieldOfSlot, markers: _MissingMarkers(options.missingMarkers, emptyFieldIsNull: options.emptyFieldIsNull),
                                      fieldGuard: _FieldLengthGuard(limits: options.limits, delimiter: delimiter, path: path))
        var builders = types.map { _ColumnBuilder(type: $0, refusesInfinity: options.refusesInfinity) }
        let offset = headerStart + header.length
        let fileBytes = source.fileSize.map { $0 - offset }
        let rows = options.threads == 1
            ? try readSerially(source, buffer: buffer, atEnd: atEnd, offset: offset, line: header.nextLine,
                               parser: parser, builders: &builders, fileBytes: fileBytes)
            : try readPipelined(source, buffer: buffer, atEnd: atEnd, offset: offset, line: header.nextLine,
                                parser: parser, builders: &builders, fileBytes: fileBytes)

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
        // A first row that holds none of the columns asked for is not quoted back as
        // "closest" names: it may be the first line of a key or a password file.
        if let requests, !requests.isEmpty,
           let error = CSVHeaderRecognition.error(header: header, asked: requests.map(\.name), path: path,
                                                  delimiter: Unicode.Scalar(delimiter)) {
            throw error
        }
        // Only now, the file read as the data asked for, may its names be quoted.
        if let problem = MessageQuote.columnNameProblem(header) {
            throw FairleadError(.invalidData, problem.message, at: SourceLocation(file: path, line: 1, column: problem.field + 1))
        }
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
                                      fieldOfSlot: Array(header.indices), markers: _MissingMarkers(options.missingMarkers, emptyFieldIsNull: options.emptyFieldIsNull))
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

}
