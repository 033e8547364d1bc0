import Dispatch
import Foundation

/// Runs work over row ranges on several threads; each range writes only its own rows.
enum RowParallelism {
    /// Calls `body` once per chunk of `0..<rowCount`, on at most `threads` threads at once.
    ///
    /// Chunks are disjoint, so bodies may write their own rows of a shared output. There are
    /// more chunks than threads, handed out one at a time, so rows that cost more than
    /// others do not leave threads idle.
    static func forEachChunk(rowCount: Int, threads: Int, minimumChunk: Int = 16,
                             _ body: (Range<Int>) -> Void) {
        let workers = max(1, min(threads, (rowCount + minimumChunk - 1) / minimumChunk))
        guard workers > 1 else {
            if rowCount > 0 { body(0..<rowCount) }
            return
        }
        let chunkSize = max(minimumChunk, (rowCount + workers * 8 - 1) / (workers * 8))
        let queue = ChunkQueue(rowCount: rowCount, chunkSize: chunkSize)
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let range = queue.next() { work.value(range) }
            }
        }
    }
}

/// Hands out consecutive row ranges to worker threads.
private final class ChunkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var start = 0
    private let rowCount: Int
    private let chunkSize: Int

    init(rowCount: Int, chunkSize: Int) {
        self.rowCount = rowCount
        self.chunkSize = chunkSize
    }

    func next() -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        guard start < rowCount else { return nil }
        let range = start..<min(rowCount, start + chunkSize)
        start = range.upperBound
        return range
    }
}

/// Carries a value into concurrent work whose disjoint-writes discipline the type system
/// cannot see (row chunks of one output buffer).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
