import Fairlead
import Foundation
import Synchronization

/// A reader closed the pipe Fairlead writes to (`fairlead audit … | head -1`): not an
/// error; `main` ends the process quietly, as `cat` and `grep` end.
struct BrokenPipe: Error {}

/// Where a command's output goes — the one output layer every command writes through, so
/// that every write is checked and no output destroys what it should not.
///
/// - No path: standard output. A failed write (a full disk, a closed descriptor) throws a
///   ``FairleadError`` (exit 2); a closed pipe throws ``BrokenPipe``.
/// - A path that is a regular file, or nothing yet: written to a temporary file beside
///   it, renamed over it by ``finish()`` — a reader never sees half a file, and a failed
///   or interrupted write (SIGINT, SIGTERM, `ulimit -f`) leaves neither the temporary file
///   nor a damaged target.
/// - A device, a named pipe or a socket (`/dev/null`, `/dev/stdout`, a FIFO): opened and
///   written in place, never renamed over — replacing `/dev/null` with a regular file
///   would break the machine. A block device (a disk) is refused.
/// - An output abandoned after some of it was written where nothing can be taken back
///   (standard output, a device or a pipe): the error that stopped it is followed by a
///   line saying what received how many bytes, and that they are an incomplete document
///   (``incompleteOutputs``): a CSV cut between two rows reads as a whole one.
/// - A directory, or a path that is one of the command's inputs (the data file, the
///   profile, the model, the history and its SQLite side files, standard input when it
///   is a file or a pipe; compared by device and inode, so links and `..` do not hide
///   it): refused before anything is written.
/// - `-` is standard output, as `--data -` is standard input; a file named `-` is `./-`.
/// - A path that is standard output (`/dev/stdout`) is standard output, closed or not.
///
///     let output = try OutputSink(path: out, inputs: [dataPath, profilePath])
///     try output.write(text)
///     try output.finish()          // or output.abandon() on an error
final class OutputSink {
    private enum Destination {
        case standardOutput
        case inPlace(descriptor: Int32)
        case replacing(descriptor: Int32, temporary: String, target: String, signalSlot: Int?)
    }

    /// The path as given; `nil` for standard output.
    let path: String?
    private var destination: Destination
    private var isClosed = false
    /// Bytes written so far.
    private var bytesWritten = 0

    /// Outputs abandoned after bytes of them were written in place (standard output, a
    /// device, a pipe): what received them and how many. ``FairleadCommand/report(_:)``
    /// says so after the error.
    private static let abandonedInPlace = Mutex<[(name: String, bytes: Int)]>([])

    /// One line per output abandoned part-written in place, to follow the error that
    /// stopped it: "standard output received 12345 bytes before this error: an incomplete
    /// document".
    static var incompleteOutputs: [String] {
        abandonedInPlace.withLock { outputs in
            outputs.map { "\($0.name) received \($0.bytes) bytes before this error: an incomplete document, "
                + "to be thrown away (with --out FILE a failed run leaves no file)" }
        }
    }

    /// Opens the output `path` (standard output when `nil` or `-`) of a command that reads
    /// `inputs` (`-` for standard input) and writes the audit history `history`, if any.
    init(path: String?, inputs: [String?] = [], history: String? = nil) throws {
        guard let path, path != "-" else {
            self.path = nil
            destination = .standardOutput
            return
        }
        self.path = path
        let location = SourceLocation(file: path)
        guard !path.isEmpty else { throw FairleadError(.usage, "the output path is empty") }
        try Self.refuseInputs(path: path, inputs: inputs + Self.historyFiles(history))
        var status = stat()
        if stat(path, &status) == 0 {
            var standard = stat()
            if fstat(STDOUT_FILENO, &standard) == 0, standard.st_dev == status.st_dev, standard.st_ino == status.st_ino {
                // `/dev/stdout`, `/proc/self/fd/1`: standard output, closed (``write(_:)``
                // says so) or not.
                destination = .standardOutput
                return
            }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                throw FairleadError(.usage, "the output is a directory; give a file path", at: location)
            case S_IFBLK:
                throw FairleadError(.usage, "the output is a block device (a disk); Fairlead does not write to disks", at: location)
            case S_IFREG:
                break
            default:
                // A character device, a named pipe or a socket: written in place.
                let descriptor = open(path, O_WRONLY | O_CLOEXEC)
                guard descriptor >= 0 else {
                    throw FairleadError(.usage, "cannot open the output for writing: \(Self.systemMessage())", at: location)
                }
                destination = .inPlace(descriptor: descriptor)
                return
            }
        }
        // A regular file (through any symbolic link), or a new one: replaced atomically.
        let target = Self.resolvedTarget(path)
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        var folderStatus = stat()
        guard stat(folder, &folderStatus) == 0, folderStatus.st_mode & S_IFMT == S_IFDIR else {
            throw FairleadError(.usage, "cannot write the output: the folder \(folder) does not exist", at: location)
        }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
        let slot = ProcessSignals.registerTemporary(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            let message = Self.systemMessage()
            ProcessSignals.clearTemporary(slot)
            throw FairleadError(.usage, "cannot write the output: \(message)", at: location)
        }
        destination = .replacing(descriptor: descriptor, temporary: temporary, target: target, signalSlot: slot)
    }

    deinit {
        abandon()
    }

    /// Writes `text` as UTF-8.
    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    /// Writes `bytes` whole, or throws: ``BrokenPipe`` for a closed pipe, a located
    /// ``FairleadError`` for any other failure (the system's reason in words).
    func write(_ bytes: [UInt8]) throws {
        let descriptor: Int32
        switch destination {
        case .standardOutput:
            if ProcessSignals.standardOutputWasClosed {
                throw FairleadError(.usage, "cannot write to standard output: it is closed; give --out FILE or redirect it")
            }
            descriptor = STDOUT_FILENO
        case .inPlace(let file), .replacing(let file, _, _, _):
            descriptor = file
        }
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                let count = Foundation.write(descriptor, base + written, buffer.count - written)
                if count >= 0 {
                    written += count
                    bytesWritten += count
                    continue
                }
                switch errno {
                case EINTR:
                    continue
                case EAGAIN:
                    var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&poller, 1, -1)
                case EPIPE:
                    throw BrokenPipe()
                default:
                    throw failure(Self.systemMessage())
                }
            }
        }
    }

    /// Ends the output: closes a file and renames it over the target. Throws when the
    /// data did not reach the disk (a close that fails, a rename refused).
    func finish() throws {
        guard !isClosed else { return }
        switch destination {
        case .standardOutput:
            isClosed = true
        case .inPlace(let descriptor):
            isClosed = true
            if close(descriptor) != 0, errno != EINTR { throw failure(Self.systemMessage()) }
        case .replacing(let descriptor, let temporary, let target, let slot):
            isClosed = true
            defer { ProcessSignals.clearTemporary(slot) }
            if close(descriptor) != 0, errno != EINTR {
                let message = Self.systemMessage()
                unlink(temporary)
                throw failure(message)
            }
            if rename(temporary, target) != 0 {
                let message = Self.systemMessage()
                unlink(temporary)
                throw failure(message)
            }
        }
    }

    /// Drops an unfinished output: the temporary file is removed, the target untouched.
    func abandon() {
        guard !isClosed else { return }
        isClosed = true
        switch destination {
        case .standardOutput:
            if bytesWritten > 0 { Self.abandonedInPlace.withLock { $0.append(("standard output", bytesWritten)) } }
        case .inPlace(let descriptor):
            close(descriptor)
            if bytesWritten > 0, let path { Self.abandonedInPlace.withLock { $0.append((path, bytesWritten)) } }
        case .replacing(let descriptor, let temporary, _, let slot):
            close(descriptor)
            unlink(temporary)
            ProcessSignals.clearTemporary(slot)
        }
    }

    /// Writes `lines` to standard output as terminal text, each line ending with a line
    /// feed and every control, line break or bidirectional character in it made visible
    /// (``TerminalEscaping``): for the commands that build their text from values read
    /// from files (a history's profile names, times and problems), so none reaches the
    /// terminal raw whichever value a line quotes.
    static func printLines(_ lines: [String]) throws {
        try print(lines.map { TerminalEscaping.visible($0) + "\n" }.joined())
    }

    /// Writes `text` to standard output.
    static func print(_ text: String) throws {
        let output = try OutputSink(path: nil)
        try output.write(text)
        try output.finish()
    }

    /// Writes a whole output and finishes it; abandons it when any step fails.
    static func write(_ text: String, to path: String?, inputs: [String?] = []) throws {
        let output = try OutputSink(path: path, inputs: inputs)
        do {
            try output.write(text)
            try output.finish()
        } catch {
            output.abandon()
            throw error
        }
    }

    private func failure(_ reason: String) -> FairleadError {
        guard let path else { return FairleadError(.usage, "cannot write to standard output: \(reason)") }
        return FairleadError(.usage, "cannot write the output: \(reason)", at: SourceLocation(file: path))
    }

    /// Throws when the output is one of the inputs. An input that exists is compared by
    /// device and inode; one that does not yet (a history's `-wal` before SQLite writes
    /// it) by the path it would have. `-` is standard input, when that is a file or a pipe
    /// the output could reach (`< leads.csv`, `/dev/stdin`); a terminal or `/dev/null`
    /// read as standard input loses nothing by being written.
    private static func refuseInputs(path: String, inputs: [String?]) throws {
        var output = stat()
        let outputExists = stat(path, &output) == 0
        for case let input? in inputs {
            var status = stat()
            let same: Bool
            if input == "-" {
                guard outputExists, fstat(STDIN_FILENO, &status) == 0, status.st_mode & S_IFMT != S_IFCHR else { continue }
                same = status.st_dev == output.st_dev && status.st_ino == output.st_ino
            } else if stat(input, &status) == 0 {
                same = outputExists && status.st_dev == output.st_dev && status.st_ino == output.st_ino
            } else {
                same = !outputExists && lexicalLocation(input) == lexicalLocation(path)
            }
            guard same else { continue }
            let name = input == "-" ? "standard input" : input
            throw FairleadError(.usage, "the output is also an input (\(name)); writing it would destroy that input: "
                                + "give another output path", at: SourceLocation(file: path))
        }
    }

    /// Whether two outputs of one command would land in the same place, so that one would
    /// replace the other: `nil` and `-` are standard output; paths that exist are compared
    /// by device and inode (a link, `./w.csv` and `w.csv`, `/dev/stdout`), paths that do
    /// not yet by where they would be.
    static func sameDestination(_ first: String?, _ second: String?) -> Bool {
        func identity(_ path: String?) -> stat? {
            var status = stat()
            guard let path, path != "-" else { return fstat(STDOUT_FILENO, &status) == 0 ? status : nil }
            return stat(path, &status) == 0 ? status : nil
        }
        if let one = identity(first), let other = identity(second) {
            return one.st_dev == other.st_dev && one.st_ino == other.st_ino
        }
        guard let first, let second, first != "-", second != "-" else { return (first ?? "-") == (second ?? "-") }
        return lexicalLocation(first) == lexicalLocation(second)
    }

    /// The files of the audit history at `path`: the history and the side files SQLite
    /// writes beside it, each as much an input as the history is.
    private static func historyFiles(_ path: String?) -> [String?] {
        guard let path else { return [] }
        return [path] + HistoryStore.sideFileSuffixes.map { path + $0 }
    }

    /// Where a path that may not exist would be: its folder through links, and its name.
    private static func lexicalLocation(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return resolvedTarget(url.deletingLastPathComponent().path) + "/" + url.lastPathComponent
    }

    /// The file a path names, through symbolic links, so that a rename replaces the file
    /// and keeps the link.
    private static func resolvedTarget(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func systemMessage() -> String {
        String(cString: strerror(errno))
    }
}
