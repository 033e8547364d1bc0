import Dispatch

/// Reads a ``LeadReader``'s batches one ahead on a background thread: while the caller
/// works on batch n, batch n + 1 is being read. The reader is only ever used by one
/// thread at a time (each read starts after the previous one was taken), and errors come
/// out in order, from the `next()` that would have read the failing batch.
final class _BatchReadAhead: @unchecked Sendable {
    private let reader: LeadReader
    private let batchSize: Int
    private let enabled: Bool
    private let queue = DispatchQueue(label: "fairlead.read-ahead")
    private var pending: DispatchWorkItem?
    private var result: Result<LeadBatch?, Error> = .success(nil)
    private var finished = false

    init(reader: LeadReader, batchSize: Int, enabled: Bool) {
        self.reader = reader
        self.batchSize = batchSize
        self.enabled = enabled
    }

    /// The next batch, or nil at the end of the file.
    func next() throws -> LeadBatch? {
        guard !finished else { return nil }
        guard enabled else { return try settle(Result { try reader.next(maxRows: batchSize) }) }
        if pending == nil { startReading() }
        pending?.wait()
        pending = nil
        let batch = try settle(result)
        if batch != nil { startReading() }
        return batch
    }

    private func startReading() {
        let item = DispatchWorkItem { [self] in result = Result { try reader.next(maxRows: batchSize) } }
        pending = item
        queue.async(execute: item)
    }

    private func settle(_ outcome: Result<LeadBatch?, Error>) throws -> LeadBatch? {
        switch outcome {
        case .success(let batch):
            if batch == nil { finished = true }
            return batch
        case .failure(let error):
            finished = true
            throw error
        }
    }
}
