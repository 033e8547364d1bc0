import Fairlead
import Foundation

/// Writes command output to a file so that a reader never sees half of it: a temporary
/// file in the same folder, then a rename over the target.
enum OutputFile {
    static func writeAtomically(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw FairleadError(.usage, "cannot write the output: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
    }
}
