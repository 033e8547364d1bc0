import ArgumentParser
import Fairlead
import Foundation

/// `fairlead history init`: an empty history.
struct HistoryInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty audit history (`audit --history` also creates one when missing).",
        discussion: """
            --force replaces an existing history and loses its entries: for scratch histories \
            only. It replaces only a file that is a Fairlead history: a directory or any other \
            file is refused, never deleted.
            """
    )

    @OptionGroup var history: HistoryFileOption

    @Flag(help: "Replace the file if it is an audit history.")
    var force = false

    func run() throws {
        let path = history.path
        var replaced: String?
        var status = stat()
        if lstat(path, &status) == 0 {
            // What --force would do decides what is said without it: it is never advised
            // for a path it would refuse (a FIFO was told to pass --force, which refused it).
            if let refusal = Self.refusal(mode: status.st_mode, path: path) {
                throw FairleadError(.usage, refusal, at: SourceLocation(file: path))
            }
            guard force else {
                throw FairleadError(.usage, "\(path) exists; pass --force to replace it (its entries are lost)")
            }
            // What is lost is said: "created an empty audit history" hid the entries it removed.
            replaced = (try? HistoryStore.openForReading(path: path).entries().count)
                .map { "replaced the audit history of \($0) entr\($0 == 1 ? "y" : "ies") (removed) with an empty one: " }
                ?? "replaced a file that could not be read as a history (removed) with an empty audit history: "
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                do {
                    try FileManager.default.removeItem(atPath: path + suffix)
                } catch {
                    throw FairleadError(.usage, "cannot replace the file: \(error.localizedDescription)", at: SourceLocation(file: path + suffix))
                }
            }
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        _ = try HistoryStore(path: path)
        try OutputSink.print((replaced ?? "created an empty audit history: ") + "\(path)\n")
    }

    /// Why `--force` would not replace what is at `path` (of file type `mode`, not
    /// followed through a link), or `nil` when it would: a regular file that is a history.
    static func refusal(mode: mode_t, path: String) -> String? {
        let kind: String
        switch mode & S_IFMT {
        case S_IFREG:
            return HistoryStore.isHistory(path: path)
                ? nil : "not a Fairlead audit history; --force replaces only a history file, never another file"
        case S_IFDIR: kind = "a directory"
        case S_IFLNK: kind = "a symbolic link"
        case S_IFIFO: kind = "a named pipe"
        case S_IFSOCK: kind = "a socket"
        default: kind = "a device"
        }
        return "not a regular file (\(kind)); an audit history is a regular SQLite file, and nothing else is replaced, with --force or without"
    }
}
