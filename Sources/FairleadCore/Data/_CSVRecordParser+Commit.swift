/// Records tokenized but not yet handed to the builders: the spans of their requested
/// fields, record by record (`slots` spans each), and scratch room for one column of
/// converted values.
///
/// Committing a few hundred records column by column, instead of each record field by
/// field, lets a column's loop keep its state, its dictionary and its parser in
/// registers: callgrind of `fairlead-bench csv` on 200,000 leads (all 16 columns) counted
/// 1.20 billion instructions committing record by record and 0.91 billion this way (with
/// ``_DecimalParser``'s one-loop path, measured together).
final class _PendingRecords {
    /// Records held before they are committed: 128 records of 16 spans fill 64 KiB.
    static let capacity = 128

    let slots: Int
    private let spans: UnsafeMutablePointer<_FieldSpan>
    /// One column's converted numbers or codes, before they are appended in one go.
    let numbers: UnsafeMutablePointer<Double>
    let codes: UnsafeMutablePointer<Int32>
    /// The records held.
    var count = 0

    init(slots: Int) {
        self.slots = slots
        let room = max(slots, 1) * (Self.capacity + 1)
        spans = .allocate(capacity: room)
        spans.initialize(repeating: _FieldSpan(), count: room)
        numbers = .allocate(capacity: Self.capacity)
        codes = .allocate(capacity: Self.capacity)
    }

    func deallocate() {
        spans.deallocate()
        numbers.deallocate()
        codes.deallocate()
    }

    /// Where the spans of the next record go.
    var nextRecord: UnsafeMutablePointer<_FieldSpan> {
        @inline(__always) get { spans + count * slots }
    }

    var isFull: Bool {
        @inline(__always) get { count == Self.capacity }
    }

    /// The spans of slot `slot` in the records held: every `slots`-th span from there.
    @inline(__always)
    func column(_ slot: Int) -> UnsafePointer<_FieldSpan> {
        UnsafePointer(spans + slot)
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
        let stride = pending.slots
        let limit = fieldGuard?.limit ?? .max
        var failure: (record: Int, error: any Error)?
        for slot in 0..<builders.count {
            let column = pending.column(slot)
            // Once per column and batch: `appendFields` is called again after each field
            // that leaves its fast path, and must not load the remaining slots each time.
            builders[slot].prefetchFields(base, spans: column, stride: stride, count: records)
            var record = 0
            while record < records {
                record += builders[slot].appendFields(base, spans: column + record * stride, stride: stride,
                                                      count: records - record, markers: markers, maxLength: limit,
                                                      scratch: pending)
                if record == records { break }
                if let failure, failure.record <= record { break }
                do {
                    try commitField(base, span: column[record * stride], slot: slot, builders: builders)
                } catch {
                    failure = (record, error)
                    break
                }
                record += 1
            }
        }
        if let failure { throw failure.error }
    }

    /// Hands one field to its builder the slow way: quoted with doubled quotes, too long,
    /// or not taken by the builder's fast path (a type change, an error).
    private func commitField(_ base: UnsafePointer<UInt8>, span: _FieldSpan, slot: Int,
                             builders: UnsafeMutableBufferPointer<_ColumnBuilder>) throws {
        try fieldGuard?.checkField(length: span.end - span.start, line: span.line, field: fieldOfSlot[slot])
        let outcome: _AppendOutcome
        if span.hasDoubledQuotes {
            let text = Self.undoubledQuotes(base + span.start, count: span.end - span.start)
            outcome = text.withUnsafeBufferPointer { text in
                let start = text.baseAddress ?? base
                return builders[slot].append(start, count: text.count,
                                             missing: markers.matches(start, count: text.count))
            }
            if outcome != .appended { try fail(outcome, slot: slot, line: span.line, bytes: text) }
        } else {
            let start = base + span.start
            let length = span.end - span.start
            outcome = builders[slot].append(start, count: length, missing: markers.matches(start, count: length))
            if outcome != .appended {
                try fail(outcome, slot: slot, line: span.line,
                         bytes: Array(UnsafeBufferPointer(start: start, count: length)))
            }
        }
    }
}
