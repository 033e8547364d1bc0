extension CSVReader {
    /// Opens the CSV file at `path` (plain or gzip) to read `columns` batch by batch.
    ///
    ///     let batches = try CSVReader.batches(path: "leads.csv",
    ///                                         columns: [ColumnRequest("lead_id", type: .categorical),
    ///                                                   ColumnRequest("web_visits", type: .numeric)])
    ///     while let batch = try batches.next(maxRows: 65_536) { … }
    ///
    /// Every column needs its type: inferring one takes the whole file. The header is read
    /// here, so a malformed header, a column the header lacks (with the three closest
    /// names) or a bad request throws now; the records' errors come from ``Batches/next(maxRows:)``.
    public static func batches(path: String, columns: [ColumnRequest],
                               options: CSVOptions = CSVOptions()) throws -> Batches {
        try Batches(path: path, columns: columns, options: options)
    }

    /// The records of a CSV file, read batch by batch in memory bounded by the batch:
    /// the streaming side of `fairlead explain`.
    ///
    /// The format, the values and the errors are ``CSVReader``'s: the records parsed and
    /// the values converted by the same code, so a file reads in batches exactly when
    /// ``CSVReader/read(path:columns:options:)`` of the same typed columns reads it, and
    /// a bad file throws the same ``FairleadError`` (same message, file, line, field
    /// number and column) from the batch holding the defect. There is no leniency: a
    /// quote inside an unquoted field is an error, and a blank line before more data is
    /// a record of one empty field (a ragged row unless the file has one column).
    ///
    /// Memory: one block of ``CSVOptions/blockSize`` bytes (grown only for a record
    /// longer than it) and the batch being built; a batch's categorical levels are its
    /// own, so even a column of distinct ids costs no more than the batch. Records are
    /// parsed on the calling thread; ``CSVOptions/threads`` is not used.
    ///
    /// After an error, reading on throws the same error again.
    public final class Batches {
        /// The file as given.
        public let path: String
        /// The header's column names, in file order.
        public let headerNames: [String]
        /// The columns asked for, in the order of every batch's `columns`.
        public let columns: [ColumnRequest]
        /// The data records handed over so far.
        public private(set) var rowsRead = 0

        private let source: any _ByteSource
        private let buffer: _BlockBuffer
        private let delimiter: UInt8
        private let parser: _CSVRecordParser
        /// Per builder slot (file order): the column's type.
        private let types: [ColumnType]
        private let refusesInfinity: Bool
        /// Per column asked for: its builder slot.
        private let slotOfColumn: [Int]
        private var stops: _StructuralIndex
        /// Where the next record starts in `buffer`.
        private var offset: Int
        /// The physical line the next record starts on.
        private var line: Int
        private var atEnd: Bool
        private var finished = false
        private var failure: (any Error)?

        init(path: String, columns: [ColumnRequest], options: CSVOptions) throws {
            let delimiter = try CSVReader.validatedDelimiter(options)
            try CSVReader.validateSizes(options)
            for request in columns where request.type == nil {
                throw FairleadError(.usage, "column \"\(request.name)\" needs a type to be read in batches: "
                                    + "inferring one takes the whole file")
            }
            var oneThread = options
            oneThread.threads = 1
            let pass = _CSVPass(path: path, delimiter: delimiter, options: oneThread)
            let (source, buffer, atEnd, headerStart, header) = try pass.readHeader()
            let (fieldOfSlot, typeOfSlot) = try pass.resolve(columns, header: header.names) {
                pass.sampleTypes(buffer.bytes(from: headerStart + header.length), firstLine: header.nextLine,
                                 isFinal: atEnd, header: header.names)
            }
            var slotOfName: [String: Int] = [:]
            for (slot, field) in fieldOfSlot.enumerated() { slotOfName[header.names[field]] = slot }

            self.path = path
            self.headerNames = header.names
            self.columns = columns
            self.source = source
            self.buffer = buffer
            self.delimiter = delimiter
            self.parser = _CSVRecordParser(path: path, delimiter: delimiter, headerNames: header.names,
                                           fieldOfSlot: fieldOfSlot, markers: _MissingMarkers(options.missingMarkers, emptyFieldIsNull: options.emptyFieldIsNull),
                                      fieldGuard: _FieldLengthGuard(limits: options.limits, delimiter: delimiter, path: path))
            // `resolve` found every name and the loop above every type.
            self.types = typeOfSlot.compactMap { $0 }
            self.refusesInfinity = options.refusesInfinity
            self.slotOfColumn = columns.compactMap { slotOfName[$0.name] }
            self.stops = _StructuralIndex(buffer.base, count: buffer.count, delimiter: delimiter)
            self.offset = headerStart + header.length
            self.line = header.nextLine
            self.atEnd = atEnd
        }

        deinit {
            stops.deallocate()
        }

        /// The bytes the reader's block has room for: the memory bound, for tests.
        var bufferCapacity: Int { buffer.capacity }

        /// The next at most `maxRows` records (`maxRows ≥ 1`), or `nil` after the last.
        ///
        /// - Throws: the ``FairleadError`` ``CSVReader/read(path:columns:options:)`` throws
        ///   for the first defect among these records.
        public func next(maxRows: Int) throws -> CSVBatch? {
            precondition(maxRows >= 1, "a batch holds at least one record")
            if let failure { throw failure }
            guard !finished else { return nil }
            do {
                return try read(maxRows: maxRows)
            } catch {
                failure = error
                throw error
            }
        }

        private func read(maxRows: Int) throws -> CSVBatch? {
            let expectedRows = min(maxRows, 1 << 16)
            var builders = types.map { _ColumnBuilder(type: $0, refusesInfinity: refusesInfinity) }
            for slot in builders.indices { builders[slot].reserve(rows: expectedRows) }
            var lines: [Int]? = []
            lines?.reserveCapacity(expectedRows)
            var rows = 0
            while true {
                let bytes = buffer.bytes(from: 0)
                let progress = try builders.withUnsafeMutableBufferPointer { builders in
                    try parser.parse(bytes, from: offset, stops: stops, firstLine: line, isFinal: atEnd,
                                     maxRows: maxRows - rows, lines: &lines, into: builders)
                }
                offset += progress.consumed
                line = progress.line
                rows += progress.rows
                if rows == maxRows { break }
                if atEnd {
                    finished = true
                    break
                }
                // The rest of the buffer is a record it cuts: keep it, read on.
                atEnd = try buffer.refill(keepingFrom: offset, line: line, from: source)
                offset = 0
                stops.deallocate()
                stops = _StructuralIndex(buffer.base, count: buffer.count, delimiter: delimiter)
            }
            guard rows > 0 else { return nil }
            let firstRow = rowsRead
            rowsRead += rows
            let built = zip(parser.fieldOfSlot, builders).map { field, builder in
                builder.finish(name: headerNames[field])
            }
            let columns = slotOfColumn.map { slot in
                guard let column = built[slot] else { preconditionFailure("a typed column is never abandoned") }
                return column
            }
            return CSVBatch(firstRow: firstRow, lines: lines ?? [], columns: columns)
        }
    }
}
