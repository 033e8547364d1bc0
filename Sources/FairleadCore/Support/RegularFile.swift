#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a file that must be a regular file — a profile and its bases, a model, a saved
/// report given to `render` or as a drift baseline, a statistics part — and refuses
/// anything else before a byte is read.
///
/// `open(2)` of a named pipe (FIFO) waits for a writer, and a writer that holds the pipe
/// open and writes nothing makes `read(2)` wait too: a profile's `extends: fifo` or a
/// `model.path` naming a FIFO hung the command forever. A character device (`/dev/zero`,
/// a terminal) never ends or waits for input; a socket cannot be opened; a directory
/// holds no bytes. So the path is checked with `stat(2)` first (a socket or a device is
/// never opened), then opened with `O_NONBLOCK` (a FIFO swapped in after the check opens
/// at once instead of waiting) and checked again on the descriptor, which is the file
/// actually read; the descriptor is then made blocking again.
///
///     let descriptor = try RegularFile.open("model.json", kind: .invalidModel, what: "model file")
///     defer { close(descriptor) }
///
/// CSV data is not read through here: `--data -`, standard input and a named pipe are
/// documented ways to stream rows (``CSVInput``).
public enum RegularFile {
    /// What a file of `mode` is, in words, when it is not a regular file: "a directory",
    /// "a FIFO (named pipe)", "a socket", "a character device", "a block device"; `nil`
    /// for a regular file.
    public static func kindName(mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "not a regular file"
        }
    }

    /// The refusal of a path that holds a NUL character: the operating system would read
    /// the path only up to it (`leads.csv\0zzz` opened `leads.csv`), so a file other than
    /// the one written would be read. `nil` for a path without one.
    public static func nulProblem(in path: String) -> String? {
        guard path.utf8.contains(0) else { return nil }
        return "the path holds a NUL character (\\0), which no file name can hold: the system would cut the path there and read another file"
    }

    /// A descriptor open for reading on the regular file at `path`, blocking, closed on exec.
    ///
    /// - Parameters:
    ///   - kind: the error kind for a path that is missing, not a regular file or unreadable.
    ///   - what: what the file is, for messages ("model file", "profile").
    /// - Throws: `FairleadError(kind)` naming the path: "the model file is a FIFO (named
    ///   pipe); it must be a regular file", "model file not found", "cannot read the model
    ///   file: …", or a path that holds a NUL character.
    public static func open(_ path: String, kind: FairleadError.Kind, what: String) throws -> Int32 {
        let location = SourceLocation(file: path)
        if let problem = nulProblem(in: path) { throw FairleadError(kind, problem, at: location) }
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw FairleadError(kind, "\(what) not found", at: location) }
            throw FairleadError(kind, "cannot read the \(what): \(String(cString: strerror(errno)))", at: location)
        }
        if let name = kindName(mode: status.st_mode) { throw refusal(what: what, is: name, kind: kind, at: location) }
        let descriptor = openForReading(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else {
            throw FairleadError(kind, "cannot read the \(what): \(String(cString: strerror(errno)))", at: location)
        }
        // The file opened may not be the one checked (replaced in between): judge the descriptor.
        guard fstat(descriptor, &status) == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw FairleadError(kind, "cannot read the \(what): \(message)", at: location)
        }
        if let name = kindName(mode: status.st_mode) {
            close(descriptor)
            throw refusal(what: what, is: name, kind: kind, at: location)
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return descriptor
    }

    /// "the model file is a FIFO (named pipe); it must be a regular file".
    static func refusal(what: String, is name: String, kind: FairleadError.Kind, at location: SourceLocation) -> FairleadError {
        FairleadError(kind, "the \(what) is \(name); it must be a regular file", at: location)
    }
}

/// `open(2)`, named apart from ``RegularFile/open(_:kind:what:)``.
private func openForReading(_ path: String, _ flags: Int32) -> Int32 {
    open(path, flags)
}
