/// Records tokenized but not yet handed to the builders: the spans of their requested
/// fields (`slots` per record), laid out record by record or column by column, and
/// scratch room for one column of converted values.
///
/// Committing a few hundred records column by column, instead of each record field by
/// field, lets a column's loop keep its state, its dictionary and its parser in
/// registers: callgrind of `fairlead-bench csv` on 200,000 leads (all 16 columns) counted
/// 1.20 billion instructions committing record by record and 0.91 billion this way (with
/// ``_DecimalParser``'s one-loop path, measured together).
final class _PendingRecords {
    /// Records held before they are committed, unless the holder grows instead: 128
    /// records of 16 spans fill 64 KiB.
    static let batch = 128

    let slots: Int
    /// Whether a column's spans lie end to end (`recordStride` 1), for a column
    /// committed apart from the others over thousands of records: read record by
    /// record, with a record's spans side by side, each of them was a cache line of its
    /// own, and committing the 1M-lead file's 16 columns that way took twice the CPU.
    let isColumnMajor: Bool
    private var spans: UnsafeMutablePointer<_FieldSpan>
    /// Records there is room for; grows only by ``grow()``.
    private(set) var capacity: Int
    /// The records held.
    var count = 0
    /// Room for one column's converted values while they are committed.
    let scratch = _CommitScratch()

    /// The most spans held before the holder grows or commits: 65,536 (2 MiB), for any
    /// number of columns. A wide file holds fewer records at a time: with a room of
    /// 1,024 records per column whatever the width, a header of a million columns made
    /// the reader allocate 32 KB per column before reading a record.
    static let spanBudget = 1 << 16

    /// Room for `capacity` records, or for fewer when that many records of `slots`
    /// spans would pass ``spanBudget`` (one record at least).
    init(slots: Int, capacity: Int = batch, columnMajor: Bool = false) {
        self.slots = slots
        self.capacity = max(1, min(capacity, Self.spanBudget / max(slots, 1)))
        self.isColumnMajor = columnMajor
        let room = max(slots, 1) * (self.capacity + 1)
        spans = .allocate(capacity: room)
        spans.initialize(repeating: _FieldSpan(), count: room)
    }

    func deallocate() {
        spans.deallocate()
        scratch.deallocate()
    }

    /// From one record's span of a slot to the next slot's.
    var slotStride: Int {
        @inline(__always) get { isColumnMajor ? capacity + 1 : 1 }
    }

    /// From one record's span of a slot to the next record's.
    var recordStride: Int {
        @inline(__always) get { isColumnMajor ? 1 : slots }
    }

    /// Where the spans of the next record go: slot `s` at `nextRecord[s * slotStride]`.
    var nextRecord: UnsafeMutablePointer<_FieldSpan> {
        @inline(__always) get { spans + count * recordStride }
    }

    var isFull: Bool {
        @inline(__always) get { count == capacity }
    }

    /// Doubles the room, keeping the records held and the next record's spans so far.
    func grow() {
        let larger = UnsafeMutablePointer<_FieldSpan>.allocate(capacity: max(slots, 1) * (capacity * 2 + 1))
        larger.initialize(repeating: _FieldSpan(), count: max(slots, 1) * (capacity * 2 + 1))
        if isColumnMajor {
            for slot in 0..<slots {
                (larger + slot * (capacity * 2 + 1)).update(from: spans + slot * (capacity + 1), count: capacity + 1)
            }
        } else {
            larger.update(from: spans, count: max(slots, 1) * (capacity + 1))
        }
        spans.deallocate()
        spans = larger
        capacity *= 2
    }

    /// The spans of slot `slot` in the records held: every `recordStride`-th span from there.
    @inline(__always)
    func column(_ slot: Int) -> UnsafePointer<_FieldSpan> {
        UnsafePointer(spans + slot * slotStride)
    }
}

/// One column's converted values before they are appended in one go, for at most
/// ``_PendingRecords/batch`` fields: numbers, codes, or boolean values and missing flags.
final class _CommitScratch {
    let numbers = UnsafeMutablePointer<Double>.allocate(capacity: _PendingRecords.batch)
    let codes = UnsafeMutablePointer<Int32>.allocate(capacity: _PendingRecords.batch)
    let flags = UnsafeMutablePointer<Bool>.allocate(capacity: _PendingRecords.batch)
    let missingFlags = UnsafeMutablePointer<Bool>.allocate(capacity: _PendingRecords.batch)

    func deallocate() {
        numbers.deallocate()
        codes.deallocate()
        flags.deallocate()
        missingFlags.deallocate()
    }
}

extension _CSVRecordParser {
    /// Hands the records held in `pending` to their builders, column by column, and
    /// empties it. When fields fail, the one of the earliest record (of the first column
    /// in that record) is thrown: the error committing record by record would throw.
    func commitPending(_ base: UnsafePointer<UInt8>, _ pending: _PendingRecords,
                       builders: UnsafeMutableBufferPointer<_ColumnBuilder>) throws {
        let records = pending.count
        pending.count = 0
        guard records > 0 else { return }
        var failure: (record: Int, error: any Error)?
        for slot in 0..<builders.count {
            // A later column's failure counts only in an earlier record.
            if let found = commitColumn(slot, base, pending, records: failure?.record ?? records,
                                        into: &builders[slot], scratch: pending.scratch) {
                failure = found
            }
        }
        if let failure { throw failure.error }
    }

    /// Hands slot `slot`'s fields of the first `records` records held in `pending` to
    /// `builder`, in chunks of ``_PendingRecords/batch`` through the builder's fast path;
    /// returns the first field that failed (its record and error), `nil` when none did.
    /// Columns are independent: different slots may be committed at once, each with a
    /// `scratch` of its own.
    func commitColumn(_ slot: Int, _ base: UnsafePointer<UInt8>, _ pending: _PendingRecords, records: Int,
                      into builder: inout _ColumnBuilder, scratch: _CommitScratch) -> (record: Int, error: any Error)? {
        let stride = pending.recordStride
        let limit = fieldGuard?.limit ?? .max
        let column = pending.column(slot)
        var chunkStart = 0
        while chunkStart < records {
            let chunkEnd = min(chunkStart + _PendingRecords.batch, records)
            // Once per chunk: `appendFields` is called again after each field that
            // leaves its fast path, and must not load the remaining slots each time.
            builder.prefetchFields(base, spans: column + chunkStart * stride, stride: stride,
                                   count: chunkEnd - chunkStart)
            var record = chunkStart
            while record < chunkEnd {
                record += builder.appendFields(base, spans: column + record * stride, stride: stride,
                                               count: chunkEnd - record, markers: markers, maxLength: limit,
                                               scratch: scratch)
                if record == chunkEnd { break }
                do {
                    try commitField(base, span: column[record * stride], slot: slot, builder: &builder)
                } catch {
                    return (record, error)
                }
                record += 1
            }
            chunkStart = chunkEnd
        }
        return nil
    }

    /// Hands one field to its builder the slow way: quoted with doubled quotes, too long,
    /// or not taken by the builder's fast path (a type change, an error).
    private func commitField(_ base: UnsafePointer<UInt8>, span: _FieldSpan, slot: Int,
                             builder: inout _ColumnBuilder) throws {
        try fieldGuard?.checkField(length: span.end - span.start, line: span.line, field: fieldOfSlot[slot])
        let outcome: _AppendOutcome
        if span.hasDoubledQuotes {
            let text = Self.undoubledQuotes(base + span.start, count: span.end - span.start)
            outcome = text.withUnsafeBufferPointer { text in
                let start = text.baseAddress ?? base
                return builder.append(start, count: text.count, missing: markers.matches(start, count: text.count, quoted: true))
            }
            if outcome != .appended { try fail(outcome, slot: slot, line: span.line, bytes: text) }
        } else {
            let start = base + span.start
            let length = span.end - span.start
            outcome = builder.append(start, count: length, missing: markers.matches(start, count: length, quoted: span.isQuoted))
            if outcome != .appended {
                try fail(outcome, slot: slot, line: span.line,
                         bytes: Array(UnsafeBufferPointer(start: start, count: length)))
            }
        }
    }
}
