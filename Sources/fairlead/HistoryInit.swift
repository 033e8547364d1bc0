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
        var status = stat()
        if lstat(path, &status) == 0 {
            guard force else {
                throw FairleadError(.usage, "\(path) exists; pass --force to replace it (its entries are lost)")
            }
            if status.st_mode & S_IFMT == S_IFDIR {
                throw FairleadError(.usage, "a directory, not an audit history; --force replaces only a history file",
                                    at: SourceLocation(file: path))
            }
            guard status.st_mode & S_IFMT == S_IFREG, HistoryStore.isHistory(path: path) else {
                throw FairleadError(.usage, "not a Fairlead audit history; --force replaces only a history file, never another file",
                                    at: SourceLocation(file: path))
            }
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
        try OutputSink.print("created an empty audit history: \(path)\n")
    }
}
