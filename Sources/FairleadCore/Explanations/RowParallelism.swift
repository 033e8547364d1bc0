import Dispatch
import Foundation

/// Runs work over row ranges on several threads; each range writes only its own rows.
///
/// `threads` is a ceiling on the threads busy at once, nested work included: a call made
/// inside another's chunk (a metric family inside an audit step run beside another one)
/// shares the outer call's threads instead of starting its own (``ThreadBudget``). So
/// `--threads 1` keeps an audit on one core, and `--threads 2` on two, however its steps
/// nest.
enum RowParallelism {
    /// Calls `body` once per chunk of `0..<rowCount`, on at most `threads` threads at once
    /// (fewer when called inside work that already holds some of its budget's threads).
    ///
    /// Chunks are disjoint, so bodies may write their own rows of a shared output. There are
    /// more chunks than threads, handed out one at a time in order, so rows that cost more
    /// than others do not leave threads idle. The calling thread takes chunks too; helpers
    /// join as the budget has threads to spare, up to the end of the chunks.
    static func forEachChunk(rowCount: Int, threads: Int, minimumChunk: Int = 16,
                             _ body: (Range<Int>) -> Void) {
        let workers = max(1, min(threads, (rowCount + minimumChunk - 1) / minimumChunk))
        guard workers > 1 else {
            if rowCount > 0 { body(0..<rowCount) }
            return
        }
        let chunkSize = max(minimumChunk, (rowCount + workers * 8 - 1) / (workers * 8))
        run(rowCount: rowCount, chunkSize: chunkSize, workers: workers, threads: threads, body)
    }

    /// Calls `body` once per index of `0..<count`, the indices handed out one at a time
    /// in order, on at most `threads` threads at once: for a few tasks of unequal length,
    /// given longest first, so that none waits behind another on one thread.
    static func forEachIndex(count: Int, threads: Int, _ body: (Int) -> Void) {
        let workers = max(1, min(threads, count))
        guard workers > 1 else {
            for index in 0..<count { body(index) }
            return
        }
        run(rowCount: count, chunkSize: 1, workers: workers, threads: threads) { indices in
            for index in indices { body(index) }
        }
    }

    private static func run(rowCount: Int, chunkSize: Int, workers: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        ThreadBudget.within(threads: threads) { budget in
            let queue = ChunkQueue(rowCount: rowCount, chunkSize: chunkSize, helpers: workers - 1)
            withoutActuallyEscaping(body) { body in
                let work = _ChunkWork(queue: queue, budget: budget, body: body)
                work.takeChunks()
                work.waitForHelpers()
            }
        }
    }
}

/// The chunks of one ``RowParallelism/forEachChunk(rowCount:threads:minimumChunk:_:)``
/// call and the helpers taking them. Helpers hold this object, not the body: the body
/// is dropped once they are done, before the call returns (it does not escape).
private final class _ChunkWork: @unchecked Sendable {
    private let queue: ChunkQueue
    private let budget: ThreadBudget
    private let helpers = DispatchGroup()
    private var body: ((Range<Int>) -> Void)?

    init(queue: ChunkQueue, budget: ThreadBudget, body: @escaping (Range<Int>) -> Void) {
        self.queue = queue
        self.budget = budget
        self.body = body
    }

    /// Takes chunks until none are left, first starting a helper for the chunks after
    /// this one whenever the budget has a thread to spare.
    func takeChunks() {
        while let range = queue.next() {
            if queue.wantsHelper, budget.recruit() {
                if queue.helperStarted() {
                    helpers.enter()
                    ThreadBudget.helperQueue.async { [self] in
                        budget.enter()
                        takeChunks()
                        budget.leave()
                        budget.release()
                        helpers.leave()
                    }
                } else {
                    budget.release()
                }
            }
            body?(range)
        }
    }

    /// Returns once every helper has finished, and drops the body. While it waits, the
    /// calling thread's place in the budget is lent out — to the helpers' own nested work
    /// or to a step running beside this one — and taken back before it goes on.
    func waitForHelpers() {
        // Once the chunks are all taken no helper starts, so the count is final.
        if queue.helpersStarted > 0 {
            budget.release()
            helpers.wait()
            budget.acquire()
        }
        body = nil
    }
}

/// The threads one piece of work may keep busy at once, shared by everything it runs
/// on them: the thread that starts it holds one, and every helper one more.
///
/// The outermost parallel call makes the budget (of its `threads`); calls inside it, on
/// its thread or its helpers', draw on the same one, so nesting never multiplies threads.
/// A helper is started only when a thread is free, so nothing waits for a thread: the
/// caller takes chunks itself and waits only for helpers that are running.
final class ThreadBudget: @unchecked Sendable {
    private let lock = NSCondition()
    private var spare: Int

    private init(threads: Int) {
        spare = max(0, threads - 1)
    }

    /// Takes a spare thread for a helper, if there is one.
    func recruit() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard spare > 0 else { return false }
        spare -= 1
        return true
    }

    /// Gives back a thread taken by ``recruit()`` or ``acquire()`` (or lent by a thread
    /// about to wait).
    func release() {
        lock.lock()
        spare += 1
        lock.signal()
        lock.unlock()
    }

    /// Takes a thread back, waiting for one: a thread that lent its place while it waited
    /// for its helpers. Every thread holding a place is working or has lent it, so one
    /// comes free.
    func acquire() {
        lock.lock()
        while spare == 0 { lock.wait() }
        spare -= 1
        lock.unlock()
    }

    /// The thread-specific slot holding the budget of the work on each thread (an
    /// unretained pointer: the budget outlives the work, which holds it). A `pthread` key
    /// rather than `Thread.current.threadDictionary`: a pipelined read asks once a block.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no thread-specific key for the thread budget")
        return key
    }()

    /// Where helpers run: a queue of its own is served by threads that are reused and, when
    /// all are busy, added (an overcommitting queue), so a helper never waits for one.
    static let helperQueue = DispatchQueue(label: "fairlead.thread-budget.helpers", attributes: .concurrent)

    /// The budget of the work running on the current thread, if any.
    static var current: ThreadBudget? {
        pthread_getspecific(key).map { Unmanaged<ThreadBudget>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Marks the current thread as working under this budget (a helper, as it starts).
    func enter() {
        pthread_setspecific(Self.key, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Unmarks the current thread (a helper, as it ends).
    func leave() {
        pthread_setspecific(Self.key, nil)
    }

    /// Runs `body` under the current thread's budget, or under a new one of `threads`
    /// that the current thread holds until `body` returns.
    static func within<Result>(threads: Int, _ body: (ThreadBudget) throws -> Result) rethrows -> Result {
        if let current { return try body(current) }
        let budget = ThreadBudget(threads: threads)
        budget.enter()
        defer { budget.leave() }
        return try body(budget)
    }
}

/// Hands out consecutive row ranges to worker threads, and counts the helpers started.
private final class ChunkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var start = 0
    private let rowCount: Int
    private let chunkSize: Int
    private var helpersLeft: Int
    private let helpers: Int

    init(rowCount: Int, chunkSize: Int, helpers: Int) {
        self.rowCount = rowCount
        self.chunkSize = chunkSize
        self.helpers = helpers
        helpersLeft = helpers
    }

    /// How many helpers were started.
    var helpersStarted: Int {
        lock.lock()
        defer { lock.unlock() }
        return helpers - helpersLeft
    }

    func next() -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        guard start < rowCount else { return nil }
        let range = start..<min(rowCount, start + chunkSize)
        start = range.upperBound
        return range
    }

    /// Whether a helper could still be started and would find a chunk (a hint: checked
    /// again by ``helperStarted()`` once a thread is taken from the budget).
    var wantsHelper: Bool {
        lock.lock()
        defer { lock.unlock() }
        return helpersLeft > 0 && start < rowCount
    }

    /// Counts a helper about to start; false when the call's helpers are all started.
    func helperStarted() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard helpersLeft > 0 && start < rowCount else { return false }
        helpersLeft -= 1
        return true
    }
}

/// Carries a value into concurrent work whose disjoint-writes discipline the type system
/// cannot see (row chunks of one output buffer).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
