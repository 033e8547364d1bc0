import ArgumentParser
import Fairlead
import Foundation

/// `fairlead history init`: an empty history.
struct HistoryInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty audit history (`audit --history` also creates one when missing).",
        discussion: "--force replaces an existing file and loses its entries: for scratch histories only."
    )

    @OptionGroup var history: HistoryFileOption

    @Flag(help: "Replace the file if it exists.")
    var force = false

    func run() throws {
        let path = history.path
        if FileManager.default.fileExists(atPath: path) {
            guard force else {
                throw FairleadError(.usage, "\(path) exists; pass --force to replace it (its entries are lost)")
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
        print("created an empty audit history: \(path)")
    }
}
