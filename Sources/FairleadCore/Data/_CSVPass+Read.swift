import Dispatch
import Foundation

extension _CSVPass {
    /// Reads the records from `offset` of `buffer` (physical line `line`) to the end of
    /// `source` on the calling thread, block by block; returns the rows read.
    func readSerially(_ source: any _ByteSource, buffer: _BlockBuffer, atEnd: Bool, offset: Int, line: Int,
                      parser: _CSVRecordParser, builders: inout [_ColumnBuilder], fileBytes: Int?) throws -> Int {
        var atEnd = atEnd
        var offset = offset
        var line = line
        var rows = 0
        var bytesParsed = 0
        while true {
            let bytes = buffer.bytes(from: offset)
            let progress = try builders.withUnsafeMutableBufferPointer { builders in
                try parser.parse(bytes, firstLine: line, isFinal: atEnd, into: builders)
            }
            offset += progress.consumed
            bytesParsed += progress.consumed
            line = progress.line
            if rows == 0, progress.rows > 0 {
                Self.reserve(&builders, rows: progress.rows, bytes: bytesParsed, fileBytes: fileBytes)
            }
            rows += progress.rows
            if atEnd { return rows }
            atEnd = try buffer.refill(keepingFrom: offset, line: line, from: source)
            offset = 0
        }
    }

    /// Reads as ``readSerially(_:buffer:atEnd:offset:line:parser:builders:fileBytes:)``
    /// does, with the work spread over threads in steps: in each, one task reads and
    /// tokenizes the next block (into a second buffer) while the columns of the block
    /// tokenized in the step before are committed, each column a task of its own. No
    /// column is split, so no level dictionaries are merged and no values copied.
    ///
    /// The rows-parallel read this replaces (each block cut at record boundaries into
    /// parts parsed at once, then joined column by column) read the 1M-lead file's 16
    /// columns in 0.37 s on 2 cores, with 0.60 s of CPU: the cut was found by a serial
    /// scan, the blocks were read between steps, and joining the parts of the id column
    /// (a dictionary merge of every level) kept one core busy while the other waited.
    /// This read takes 0.24 s and 0.43 s of CPU (one thread: 0.42 s).
    ///
    /// The observer (a SHA-256 of the file, for an audit) sees each block as one more
    /// task of the step that commits it, from the buffer it was read into: no copy, and no
    /// thread beyond the read's own. (A gzip file's observer sees the compressed bytes as
    /// they are read, in the reading task.)
    ///
    /// At most `options.threads` threads work at once (``RowParallelism``).
    ///
    /// Errors are the serial read's: a step's column failures (the earliest record, then
    /// the first column) come before a malformed record after them, which comes before
    /// anything of the next block.
    func readPipelined(_ source: any _ByteSource, buffer: _BlockBuffer, atEnd: Bool, offset: Int, line: Int,
                       parser: _CSVRecordParser, builders: inout [_ColumnBuilder], fileBytes: Int?) throws -> Int {
        let slots = builders.count
        var current = _TokenizedBatch(buffer: buffer, slots: slots)
        let block = max(Self.pipelineBlockSize(options), 16)
        var spare = _TokenizedBatch(buffer: _BlockBuffer(capacity: block, fieldGuard: buffer.fieldGuard,
                                                         guardedCapacity: buffer.guardedCapacity),
                                    slots: slots)
        let step = _PipelineStep(slots: slots)
        defer {
            current.deallocate()
            spare.deallocate()
            step.deallocate()
        }
        current.tokenize(parser, source: source, offset: offset, line: line, atEnd: atEnd)
        // The bytes read so far were shown to the observer as they were read; those read
        // from here on are shown by the steps' hashing task.
        let file = source as? _FileSource
        let observesInSteps = file?.deferObserving() ?? false
        defer { if observesInSteps { file?.resumeObserving() } }
        let observer = UncheckedSendable(self.observer)
        var rows = 0
        while true {
            let carriesOn = current.failure == nil && !current.atEnd
            // Tasks: a commit per column (0..<slots), the reading (slots), and the
            // hashing of the block the step commits (slots + 1). Longest first (by its
            // time in the step before), so that the last to start are the short ones.
            var tasks = Array(0..<slots)
            if carriesOn { tasks.append(slots) }
            if observesInSteps && current.freshBytes.count > 0 { tasks.append(slots + 1) }
            let order = tasks.sorted { step.nanoseconds[$0] > step.nanoseconds[$1] }
            let batch = current, next = spare
            // Only the reading task touches the source.
            let reader = _SourceForOneTask(source: source)
            builders.withUnsafeMutableBufferPointer { builders in
                let shared = _SharedBuilders(builders: builders)
                RowParallelism.forEachIndex(count: order.count, threads: options.threads) { index in
                    let task = order[index]
                    let started = DispatchTime.now().uptimeNanoseconds
                    if task == slots {
                        next.load(after: batch, parser: parser, source: reader.source)
                    } else if task == slots + 1 {
                        observer.value?.observe(batch.freshBytes)
                    } else {
                        let scratch = step.takeScratch()
                        step.failures[task] = parser.commitColumn(task, batch.recordsBase, batch.pending,
                                                                  records: batch.pending.count,
                                                                  into: &shared.builders[task],
                                                                  scratch: scratch)
                        step.returnScratch(scratch)
                    }
                    step.nanoseconds[task] = DispatchTime.now().uptimeNanoseconds - started
                }
            }
            var first: (record: Int, error: any Error)?
            for slot in 0..<slots {
                guard let failure = step.failures[slot] else { continue }
                step.failures[slot] = nil
                if first == nil || failure.record < first!.record { first = failure }
            }
            if let first { throw first.error }
            if let failure = current.failure { throw failure }
            if rows == 0, current.pending.count > 0 {
                // After the first block's commit, as in the serial read: the columns'
                // types and their dictionaries' sizes so far tell what to reserve.
                Self.reserve(&builders, rows: current.pending.count, bytes: current.end - current.start,
                             fileBytes: fileBytes)
            }
            rows += current.pending.count
            if !carriesOn { return rows }
            swap(&current, &spare)
            // The first block (read with the header, `blockSize` bytes), or one grown for
            // a long record, is committed: both buffers go back to steps of `block` bytes.
            if spare.buffer.capacity > block {
                spare.replaceBuffer(_BlockBuffer(capacity: block, fieldGuard: buffer.fieldGuard,
                                                 guardedCapacity: buffer.guardedCapacity))
            }
        }
    }

    /// Sizes the builders for the whole file from the first block's records: `rows`
    /// records in `bytes` bytes, of `fileBytes` after the header.
    static func reserve(_ builders: inout [_ColumnBuilder], rows: Int, bytes: Int, fileBytes: Int?) {
        guard let fileBytes, bytes > 0 else { return }
        let estimate = min(Double(fileBytes) * Double(rows) / Double(bytes) * 1.02 + 64, Double(fileBytes / 2 + 64))
        for slot in builders.indices { builders[slot].reserve(rows: Int(estimate), textWhenDistinct: true) }
    }
}

/// A block of the file and the records tokenized from it, not yet committed.
final class _TokenizedBatch: @unchecked Sendable {
    private(set) var buffer: _BlockBuffer
    let pending: _PendingRecords
    /// The records' bytes in `buffer`: from `start` to `end`, where the next block's
    /// first record starts, on physical line `nextLine`.
    private(set) var start = 0
    private(set) var end = 0
    private(set) var nextLine = 0
    /// Where the records start: the tokenizer's spans count from here.
    var recordsBase: UnsafePointer<UInt8> { UnsafePointer(buffer.base + start) }
    /// Whether the records reach the end of the source.
    private(set) var atEnd = false
    /// What stopped the tokenizing after the records held: a malformed record or a read error.
    private(set) var failure: (any Error)?
    /// Where the bytes read by ``load(after:parser:source:)`` start in `buffer` (after
    /// those carried over from the block before, read in an earlier step); they run to the
    /// end of the bytes held. `nil` for a batch not loaded so.
    private var freshStart: Int?

    /// The bytes this batch read from the source, in the order read.
    var freshBytes: UnsafeRawBufferPointer {
        guard let freshStart else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(buffer.bytes(from: freshStart))
    }

    init(buffer: _BlockBuffer, slots: Int) {
        self.buffer = buffer
        pending = _PendingRecords(slots: slots, capacity: 1024, columnMajor: true)
    }

    func deallocate() {
        pending.deallocate()
    }

    /// Reads into `buffer` from now on; the records held are no longer needed.
    func replaceBuffer(_ buffer: _BlockBuffer) {
        self.buffer = buffer
        freshStart = nil
    }

    /// Tokenizes the complete records of the buffer from `offset` (physical line `line`),
    /// growing the buffer and reading on while it holds no complete record.
    func tokenize(_ parser: _CSVRecordParser, source: any _ByteSource, offset: Int, line: Int, atEnd: Bool) {
        var offset = offset
        var atEnd = atEnd
        pending.count = 0
        failure = nil
        start = offset
        end = offset
        nextLine = line
        self.atEnd = atEnd
        do {
            while true {
                let progress = try parser.tokenize(buffer.bytes(from: offset), firstLine: line, isFinal: atEnd,
                                                   into: pending)
                if progress.consumed > 0 || atEnd {
                    start = offset
                    end = offset + progress.consumed
                    nextLine = progress.line
                    self.atEnd = atEnd
                    return
                }
                atEnd = try buffer.refill(keepingFrom: offset, line: line, from: source)
                offset = 0
                start = 0
                end = 0
            }
        } catch {
            failure = error
        }
    }

    /// Takes over the bytes `previous` left unconsumed, reads on from `source` and
    /// tokenizes.
    func load(after previous: _TokenizedBatch, parser: _CSVRecordParser, source: any _ByteSource) {
        pending.count = 0
        // The carried-over bytes stay at the front; everything read is kept after them
        // (the tokenizing reads on from offset 0).
        freshStart = previous.buffer.count - previous.end
        do {
            let atEnd = try buffer.refill(from: previous.buffer, keepingFrom: previous.end, line: previous.nextLine,
                                          from: source)
            tokenize(parser, source: source, offset: 0, line: previous.nextLine, atEnd: atEnd)
        } catch {
            start = 0
            end = 0
            failure = error
        }
    }
}

/// What the tasks of a pipelined step write, each task only its own entries: its
/// column's failure, its time (the next step's order); and the scratches the column
/// tasks borrow, one per task running at once. (A scratch per column was 1.8 KB per
/// column of the file: 1.8 GB for a header of a million columns.)
private final class _PipelineStep: @unchecked Sendable {
    let failures: UnsafeMutableBufferPointer<(record: Int, error: any Error)?>
    let nanoseconds: UnsafeMutableBufferPointer<UInt64>
    private var idleScratches: [_CommitScratch] = []
    private let lock = NSLock()

    init(slots: Int) {
        failures = .allocate(capacity: slots)
        failures.initialize(repeating: nil)
        nanoseconds = .allocate(capacity: slots + 2)
        nanoseconds.initialize(repeating: 0)
        // The reading task first in the first step.
        nanoseconds[slots] = 1
    }

    /// A scratch no running task holds; give it back with ``returnScratch(_:)``.
    func takeScratch() -> _CommitScratch {
        lock.withLock { idleScratches.popLast() } ?? _CommitScratch()
    }

    func returnScratch(_ scratch: _CommitScratch) {
        lock.withLock { idleScratches.append(scratch) }
    }

    func deallocate() {
        failures.deinitialize()
        failures.deallocate()
        nanoseconds.deallocate()
        for scratch in idleScratches { scratch.deallocate() }
    }
}

/// The source, read by one task of a step at a time.
private struct _SourceForOneTask: @unchecked Sendable {
    let source: any _ByteSource
}

/// The reader's builders while the tasks of a step commit one column each.
private struct _SharedBuilders: @unchecked Sendable {
    let builders: UnsafeMutableBufferPointer<_ColumnBuilder>
}
