/// Runs work over fixed-size chunks on up to `threads` threads and returns the chunk
/// results in chunk order. Chunk boundaries depend on the item count only — never on the number of
/// threads — so merging the results in order gives the same floating-point sums on any
/// machine.
enum _ChunkedWork {
    /// Rows per chunk: large enough to amortize the per-chunk accumulator, small enough
    /// to balance 10M rows over many cores.
    static let rowsPerChunk = 1 << 16

    /// Calls `body` on each chunk range of `0..<count` (concurrently when there are several)
    /// and returns its results in chunk order.
    static func map<Result: Sendable>(count: Int, chunkSize: Int = rowsPerChunk, threads: Int,
                                      _ body: @Sendable (Range<Int>) -> Result) -> [Result] {
        let chunkCount = max(1, (count + chunkSize - 1) / chunkSize)
        let slots = _ResultSlots<Result>(count: chunkCount)
        if chunkCount == 1 {
            return [body(0..<count)]
        }
        RowParallelism.forEachChunk(rowCount: chunkCount, threads: threads, minimumChunk: 1) { chunks in
            for chunk in chunks {
                let start = chunk * chunkSize
                slots.store(body(start..<min(count, start + chunkSize)), at: chunk)
            }
        }
        return slots.results()
    }
}

/// One slot per chunk; each slot is written by exactly one task and read only after
/// every task has returned, so no lock is needed.
final class _ResultSlots<Result>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Result?>

    init(count: Int) {
        storage = UnsafeMutableBufferPointer<Result?>.allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func store(_ result: Result, at index: Int) {
        storage[index] = result
    }

    func results() -> [Result] {
        storage.map { slot in
            guard let slot else { preconditionFailure("a chunk produced no result") }
            return slot
        }
    }
}
