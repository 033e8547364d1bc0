import Foundation

/// A stop signal for long work — the leads of a batch, KernelSHAP's coalitions — that the
/// work checks between its units (a lead, a batch of coalitions): once ``cancel()`` has
/// been called or the deadline has passed, the next check throws `CancellationError` and
/// the work ends there, its threads free for other work.
///
///     let cancellation = Cancellation(deadline: .now + .seconds(10))
///     let attributions = try kernel.explain(x, threads: 1, cancellation: cancellation)
///     // past 10 s: CancellationError, thrown between two leads or two coalition batches
///
/// Work running on threads of its own, outside Swift's tasks, cannot see a task's
/// cancellation: whoever stops it (`fairlead serve`'s request timer) calls ``cancel()``.
/// The deadline stops the work even when nobody does, or does late. A check reads a flag
/// and the monotonic clock: tens of nanoseconds, made once per unit of work.
public final class Cancellation: @unchecked Sendable {
    /// When the work stops by itself (nil: only when cancelled).
    public let deadline: ContinuousClock.Instant?
    private let lock = NSLock()
    private var cancelled = false

    /// A signal that stops the work at `deadline` (nil: only at ``cancel()``).
    public init(deadline: ContinuousClock.Instant? = nil) {
        self.deadline = deadline
    }

    /// Stops the work at its next check.
    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    /// Whether the work must stop: ``cancel()`` was called or the deadline has passed.
    public var isCancelled: Bool {
        lock.lock()
        let flagged = cancelled
        lock.unlock()
        if flagged { return true }
        guard let deadline else { return false }
        return ContinuousClock.now >= deadline
    }

    /// Throws `CancellationError` when the work must stop.
    public func check() throws {
        if isCancelled { throw CancellationError() }
    }
}
