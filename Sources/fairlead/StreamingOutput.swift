import Fairlead
import Foundation

/// Output written piece by piece: to standard output, or to a temporary file in the
/// target's folder that is renamed over the target only when everything was written,
/// so that a reader never sees half a file (``OutputFile`` for whole outputs).
final class StreamingOutput {
    private let path: String?
    private let temporary: URL?
    private let handle: FileHandle

    init(path: String?) throws {
        self.path = path
        guard let path else {
            temporary = nil
            handle = FileHandle.standardOutput
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw FairleadError(.usage, "cannot write the output", at: SourceLocation(file: path))
        }
        self.temporary = temporary
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws {
        do {
            try handle.write(contentsOf: Data(bytes))
        } catch {
            throw FairleadError(.usage, "cannot write the output: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
    }

    /// Moves the finished file into place.
    func finish() throws {
        guard let temporary, let path else { return }
        try? handle.close()
        if rename(temporary.path, path) != 0 {
            abandon()
            throw FairleadError(.usage, "cannot write the output", at: SourceLocation(file: path))
        }
    }

    /// Removes the unfinished file.
    func abandon() {
        guard let temporary else { return }
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
    }
}
