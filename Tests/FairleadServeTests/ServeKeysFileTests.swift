@testable import FairleadServe
import FairleadCore
import Foundation
import Testing

/// The API keys file is read as a regular file only: a FIFO hung `serve` at start (the read
/// waited for a writer), and `/dev/zero` was read whole before its size was checked.
@Suite struct ServeKeysFileTests {
    @Test func aFIFOOrADeviceIsRefusedByWhatItIs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("keys").path
        try #require(mkfifo(fifo, 0o600) == 0)
        for (path, kind) in [(fifo, "a FIFO (named pipe)"), ("/dev/zero", "a character device")] {
            let error = #expect(throws: FairleadError.self) { _ = try APIKeys(path: path) }
            #expect(error?.message == "the API keys file is \(kind); it must be a regular file")
            #expect(error?.location?.file == path)
        }
    }
}
