import Dispatch

/// Two independent pieces of work at once, for the steps of an audit that need the
/// same inputs but not each other's results.
///
///     let (queue, summary) = try Concurrently.both(threads: 2,
///         { try QueueEvaluation(ranking: ranking, ...) },
///         { ScoreSummary(ranking: ranking, ...) })
public enum Concurrently {
    /// The results of `first` and `second`, run on two threads when `threads` > 1 and
    /// one after the other otherwise.
    ///
    /// Both always run to their end. When both throw, `first`'s error is thrown — the
    /// one a serial run would have met first — so errors do not depend on the thread
    /// count or on which finished first. The closures must not write state they share.
    public static func both<First, Second>(threads: Int, _ first: () throws -> First,
                                           _ second: () throws -> Second) throws -> (First, Second) {
        guard threads > 1 else {
            let one = try first()
            return (one, try second())
        }
        let slots = _BothSlots<First, Second>()
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                let work = UncheckedSendable((first, second))
                DispatchQueue.concurrentPerform(iterations: 2) { index in
                    if index == 0 {
                        slots.first = Result { try work.value.0() }
                    } else {
                        slots.second = Result { try work.value.1() }
                    }
                }
            }
        }
        guard let one = slots.first, let two = slots.second else { preconditionFailure("a task produced no result") }
        return (try one.get(), try two.get())
    }

    /// `body(0) ... body(count - 1)` in that order, computed on up to `threads` threads at
    /// once (one after the other when `threads` is 1).
    ///
    /// Every call runs to its end. When some throw, the error of the lowest index is
    /// thrown — the one a serial run would have met first.
    public static func map<Value>(count: Int, threads: Int, _ body: (Int) throws -> Value) throws -> [Value] {
        guard threads > 1 && count > 1 else { return try (0..<count).map(body) }
        let slots = _ResultSlots<Result<Value, any Error>>(count: count)
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            RowParallelism.forEachChunk(rowCount: count, threads: threads, minimumChunk: 1) { indices in
                for index in indices { slots.store(Result { try work.value(index) }, at: index) }
            }
        }
        return try slots.results().map { try $0.get() }
    }
}

/// One slot per task; each is written by one iteration of `concurrentPerform` and read
/// only after it returns, so no lock is needed.
private final class _BothSlots<First, Second>: @unchecked Sendable {
    var first: Result<First, any Error>?
    var second: Result<Second, any Error>?
}
