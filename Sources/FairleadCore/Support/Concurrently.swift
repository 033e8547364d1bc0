import Foundation

/// Two independent pieces of work at once, for the steps of an audit that need the
/// same inputs but not each other's results.
///
///     let (queue, summary) = try Concurrently.both(threads: 2,
///         { try QueueEvaluation(ranking: ranking, ...) },
///         { ScoreSummary(ranking: ranking, ...) })
public enum Concurrently {
    /// The results of `first` and `second`, run on two threads when `threads` > 1 (and
    /// the budget of the work this is part of has a thread to spare) and one after the
    /// other otherwise. Work inside either shares the same `threads`
    /// (``RowParallelism``): when one ends, the other's work can take its thread.
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
        ThreadBudget.within(threads: threads) { _ in
            RowParallelism.forEachIndex(count: 2, threads: 2) { index in
                if index == 0 {
                    slots.first = Result { try first() }
                } else {
                    slots.second = Result { try second() }
                }
            }
        }
        guard let one = slots.first, let two = slots.second else { preconditionFailure("a task produced no result") }
        return (try one.get(), try two.get())
    }

    /// Runs `body` on the calling thread with at most `threads` threads busy at once for
    /// all the parallel work inside it, however nested (``RowParallelism``): what
    /// `--threads` promises. Inside other such work, the outer limit holds.
    ///
    ///     let report = try Concurrently.limited(threads: 1) { try audit.run() }   // one core
    public static func limited<Result>(threads: Int, _ body: () throws -> Result) rethrows -> Result {
        try ThreadBudget.within(threads: threads) { _ in try body() }
    }

    /// `body(0) ... body(count - 1)` in that order, computed on up to `threads` threads at
    /// once (one after the other when `threads` is 1).
    ///
    /// Every call runs to its end. When some throw, the error of the lowest index is
    /// thrown — the one a serial run would have met first.
    public static func map<Value>(count: Int, threads: Int, _ body: (Int) throws -> Value) throws -> [Value] {
        guard threads > 1 && count > 1 else { return try (0..<count).map(body) }
        let slots = _ResultSlots<Result<Value, any Error>>(count: count)
        RowParallelism.forEachIndex(count: count, threads: threads) { index in
            slots.store(Result { try body(index) }, at: index)
        }
        return try slots.results().map { try $0.get() }
    }
}

/// One slot per task; each is written by one task and read only after both have
/// returned, so no lock is needed.
private final class _BothSlots<First, Second>: @unchecked Sendable {
    var first: Result<First, any Error>?
    var second: Result<Second, any Error>?
}
