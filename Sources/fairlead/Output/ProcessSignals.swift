#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The process-wide signal dispositions every command relies on, set once by `main`:
///
/// - SIGPIPE is ignored, so that a write to a closed pipe fails with EPIPE and the
///   output layer ends the process quietly (``BrokenPipe``) instead of the kernel
///   killing it in the middle of a temporary file.
/// - SIGXFSZ is ignored, so that a write past `ulimit -f` fails with EFBIG: a located
///   exit 2, the temporary file removed.
/// - Every signal sent to end a process (``terminating``: SIGHUP, SIGINT, SIGQUIT,
///   SIGTERM, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU) removes the temporary files of the
///   outputs being written, then ends the process by the same signal, as it would have
///   ended without the handler. A signal the parent left ignored (`nohup` ignores
///   SIGHUP, a shell's background job SIGINT) stays ignored. The profiling timers'
///   SIGPROF and SIGVTALRM are not taken: a sampling profiler loaded into the process
///   handles them.
///
/// The handler may only call async-signal-safe functions, so the temporary files' paths
/// live in preallocated C buffers — ``slotCount`` of them — registered and cleared by
/// ``OutputSink``.
enum ProcessSignals {
    /// The signals whose default action ends the process and that are sent to end one
    /// (by a user, a terminal, `timeout`, a scheduler, `ulimit -t`). Faults (SIGSEGV,
    /// SIGBUS, SIGILL, SIGTRAP, SIGABRT) are the Swift runtime's, for its backtrace;
    /// SIGPROF and SIGVTALRM a profiler's, which would otherwise end the process at its
    /// first sample.
    static let terminating: [Int32] = [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU]

    /// How many temporary files can be registered at once. A command writes at most
    /// two outputs at a time (`mitigate --out --reweigh-out`); a file registered beyond
    /// these is still removed on an error, but not on a signal.
    static let slotCount = 4
    private static let slotSize = Int(PATH_MAX) + 1
    /// `slotCount` paths of `slotSize` bytes each, one after another.
    nonisolated(unsafe) private static let pendingPaths = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * slotSize)
    /// 1 while the path in the same slot names a temporary file to remove on a signal.
    nonisolated(unsafe) private static let pendingFlags = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: slotCount)
    /// `[0]`: 1 while a terminating signal is held back (``deferringSignals(_:)``);
    /// `[1]`: the signal received meanwhile, or 0.
    /// Zeroed when first touched (by ``install()``, before any handler can read it), so a
    /// command run without ``install()`` defers nothing it did not receive.
    nonisolated(unsafe) private static let deferral: UnsafeMutablePointer<sig_atomic_t> = {
        let flags = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 2)
        flags.initialize(repeating: 0, count: 2)
        return flags
    }()
    /// Serializes registering and clearing; the handler only reads.
    private static let registration = Mutex<Void>(())
    /// Whether standard output was closed when the process started (`>&-`).
    nonisolated(unsafe) private(set) static var standardOutputWasClosed = false

    /// Sets the dispositions; call first thing in `main`.
    static func install() {
        pendingPaths.initialize(repeating: 0, count: slotCount * slotSize)
        pendingFlags.initialize(repeating: 0, count: slotCount)
        deferral[1] = 0
        // A closed standard descriptor would be handed to the next file opened — the data
        // file could become "standard output". Park something on it, and remember.
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            if descriptor == STDOUT_FILENO {
                standardOutputWasClosed = true
                parkPipe(on: descriptor)
                continue
            }
            let opened = open("/dev/null", O_RDWR)
            if opened >= 0, opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        // A parent may have started us with these blocked (a spawning thread's mask is
        // inherited): unblock them, or the handlers below would never run.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for number in terminating + [SIGPIPE, SIGXFSZ] { sigaddset(&unblocked, number) }
        sigprocmask(SIG_UNBLOCK, &unblocked, nil)
        for number in terminating {
            let previous = signal(number) { received in
                if ProcessSignals.deferral[0] != 0 {
                    ProcessSignals.deferral[1] = received
                    return
                }
                ProcessSignals.end(by: received)
            }
            if isIgnored(previous) { signal(number, SIG_IGN) }
        }
    }

    /// Removes the registered temporary files and ends the process by `received`, as it
    /// would have ended without the handler. Async-signal-safe.
    private static func end(by received: Int32) {
        for slot in 0..<slotCount where pendingFlags[slot] != 0 {
            unlink(pendingPaths + slot * slotSize)
        }
        signal(received, SIG_DFL)
        raise(received)
    }

    /// Runs `body` with terminating signals held back, then acts on one received meanwhile.
    /// For a step that must be said once done: an entry appended to a history and the line
    /// saying so. A signal between the two (the entry committed, the process ended before
    /// it said so) left a job that retries on a signal's exit no way to know it had been
    /// recorded. The step is short; a signal any thread receives waits for it.
    static func deferringSignals<Result>(_ body: () throws -> Result) rethrows -> Result {
        deferral[0] = 1
        defer {
            deferral[0] = 0
            let received = deferral[1]
            if received != 0 {
                deferral[1] = 0
                end(by: received)
            }
        }
        return try body()
    }

    /// Records `path` as a temporary file to remove on a terminating signal; returns its
    /// slot, for ``clearTemporary(_:)``, or `nil` when every slot is taken or the path is
    /// longer than a path can be (then a signal leaves the file behind).
    static func registerTemporary(_ path: String) -> Int? {
        let bytes = Array(path.utf8CString)
        guard bytes.count <= slotSize else { return nil }
        return registration.withLock { _ in
            guard let slot = (0..<slotCount).first(where: { pendingFlags[$0] == 0 }) else { return nil }
            bytes.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                (pendingPaths + slot * slotSize).update(from: base, count: source.count)
            }
            pendingFlags[slot] = 1
            return slot
        }
    }

    /// Forgets the temporary file in `slot` (renamed into place or removed).
    static func clearTemporary(_ slot: Int?) {
        guard let slot else { return }
        registration.withLock { _ in pendingFlags[slot] = 0 }
    }

    /// Ends the process as a closed pipe ends `cat` or `grep`: by SIGPIPE, quietly (the
    /// shell sees 141).
    static func endByBrokenPipe() -> Never {
        signal(SIGPIPE, SIG_DFL)
        raise(SIGPIPE)
        exit(141)
    }

    /// Puts the read end of a fresh pipe on a closed standard output: a file of its own,
    /// so that `--out /dev/stdout` (which names it) is told from `--out /dev/null` (which
    /// would be the same file, were /dev/null parked there). Nothing is ever written to it.
    private static func parkPipe(on descriptor: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            let opened = open("/dev/null", O_RDWR)
            if opened >= 0, opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
            return
        }
        if ends[0] != descriptor {
            dup2(ends[0], descriptor)
            close(ends[0])
        }
        if ends[1] != descriptor { close(ends[1]) }
    }

    /// Whether `handler`, as `signal` returned it, is SIG_IGN (a C function pointer
    /// compared by its address).
    private static func isIgnored<Handler>(_ handler: Handler) -> Bool {
        unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }
}
