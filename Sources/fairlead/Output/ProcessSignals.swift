#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process-wide signal dispositions every command relies on, set once by `main`:
///
/// - SIGPIPE is ignored, so that a write to a closed pipe fails with EPIPE and the
///   output layer ends the process quietly (``BrokenPipe``) instead of the kernel
///   killing it in the middle of a temporary file.
/// - SIGXFSZ is ignored, so that a write past `ulimit -f` fails with EFBIG: a located
///   exit 2, the temporary file removed.
/// - SIGINT and SIGTERM remove the temporary file of an output being written, then end
///   the process by the same signal, as it would have ended without the handler.
///
/// The handler may only call async-signal-safe functions, so the temporary file's path
/// lives in a preallocated C buffer, registered and cleared by ``OutputSink``.
enum ProcessSignals {
    /// Room for one path (the output being written; commands write one at a time).
    nonisolated(unsafe) static let pendingPath = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX) + 1)
    /// 1 while `pendingPath` names a temporary file to remove on a signal.
    nonisolated(unsafe) static let pendingFlag = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1)
    /// Whether standard output was closed when the process started (`>&-`).
    nonisolated(unsafe) private(set) static var standardOutputWasClosed = false

    /// Sets the dispositions; call first thing in `main`.
    static func install() {
        pendingPath.initialize(repeating: 0, count: Int(PATH_MAX) + 1)
        pendingFlag.initialize(to: 0)
        // A closed standard descriptor would be handed to the next file opened — the data
        // file could become "standard output". Park /dev/null on it, and remember.
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            let opened = open("/dev/null", O_RDWR)
            if descriptor == STDOUT_FILENO { standardOutputWasClosed = true }
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
        for number in [SIGINT, SIGTERM, SIGPIPE, SIGXFSZ] { sigaddset(&unblocked, number) }
        sigprocmask(SIG_UNBLOCK, &unblocked, nil)
        for number in [SIGINT, SIGTERM] {
            signal(number) { received in
                if ProcessSignals.pendingFlag.pointee != 0 {
                    unlink(ProcessSignals.pendingPath)
                }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    /// Records `path` as the temporary file to remove on SIGINT/SIGTERM.
    static func registerTemporary(_ path: String) {
        pendingFlag.pointee = 0
        let bytes = Array(path.utf8CString)
        guard bytes.count <= Int(PATH_MAX) + 1 else { return }
        bytes.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            pendingPath.update(from: base, count: source.count)
        }
        pendingFlag.pointee = 1
    }

    /// Forgets the temporary file (renamed into place or removed).
    static func clearTemporary() {
        pendingFlag.pointee = 0
    }

    /// Ends the process as a closed pipe ends `cat` or `grep`: by SIGPIPE, quietly (the
    /// shell sees 141).
    static func endByBrokenPipe() -> Never {
        signal(SIGPIPE, SIG_DFL)
        raise(SIGPIPE)
        exit(141)
    }
}
