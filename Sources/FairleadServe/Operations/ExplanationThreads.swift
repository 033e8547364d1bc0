import Foundation

/// The threads explanations run on: at most `width` at once, in the order they were
/// asked for, each on a thread of its own (started for the work and kept for the work
/// queued behind it, then ended).
///
/// Not on Dispatch's shared queues: on Linux, Swift's tasks run on Dispatch's pool of as
/// many threads as cores, and explanations held there kept the tasks that keep time — the
/// timers that answer 503 `timeout` — from running until an explanation ended (a 10 s
/// limit answered after 15 to 29 s under six batches at once on two cores).
final class ExplanationThreads: @unchecked Sendable {
    /// Jobs that may run at once.
    let width: Int
    private let lock = NSLock()
    private var running = 0
    private var waiting: [@Sendable () -> Void] = []
    private var nextWaiting = 0

    /// At most `width` jobs at once.
    init(width: Int) {
        precondition(width >= 1, "at least one explanation thread")
        self.width = width
    }

    /// Runs `job` on an explanation thread: at once when fewer than ``width`` run, else
    /// after the jobs asked for before it. A job whose request timed out meanwhile still
    /// gets its turn: it must check its ``Cancellation`` first and end at once.
    func run(_ job: @escaping @Sendable () -> Void) {
        lock.lock()
        guard running < width else {
            waiting.append(job)
            lock.unlock()
            return
        }
        running += 1
        lock.unlock()
        let thread = Thread { [self] in
            var current: (@Sendable () -> Void)? = job
            while let next = current {
                next()
                current = takeWaiting()
            }
        }
        thread.name = "fairlead.serve.explanations"
        thread.start()
    }

    /// Jobs running and jobs waiting for a thread.
    var load: (running: Int, waiting: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (running, waiting.count - nextWaiting)
    }

    /// The oldest job waiting, or nil after giving back the thread's place.
    private func takeWaiting() -> (@Sendable () -> Void)? {
        lock.lock()
        defer { lock.unlock() }
        guard nextWaiting < waiting.count else {
            running -= 1
            waiting.removeAll(keepingCapacity: true)
            nextWaiting = 0
            return nil
        }
        let job = waiting[nextWaiting]
        nextWaiting += 1
        if nextWaiting > 64 && nextWaiting * 2 > waiting.count {
            waiting.removeFirst(nextWaiting)
            nextWaiting = 0
        }
        return job
    }
}
