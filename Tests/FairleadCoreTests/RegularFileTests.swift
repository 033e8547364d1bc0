import Foundation
import Testing
@testable import FairleadCore

/// ``RegularFile`` and the readers built on it (``BoundedFile``): a named pipe, a device,
/// a socket or a directory is refused at once, by what it is, and never waited on.
@Suite struct RegularFileTests {
    /// A fresh folder; the caller removes it.
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("regular-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `body` run on another thread, waited on for at most `seconds`: a read that waits on
    /// a FIFO forever fails the test instead of hanging the run.
    private func promptly<T: Sendable>(_ seconds: Double = 10, _ body: @escaping @Sendable () throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Thread.detachNewThread {
            box.result = Result { try body() }
            done.signal()
        }
        guard done.wait(timeout: .now() + seconds) == .success else {
            throw CancellationError()
        }
        return try box.result!.get()
    }

    /// A FIFO given as a model is refused without waiting for a writer, and without
    /// waiting for bytes when a writer holds it open and writes nothing.
    @Test(arguments: [false, true])
    func aFIFOIsRefusedAtOnce(writerHoldsItOpen: Bool) throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let fifo = root.appendingPathComponent("model.json").path
        try #require(mkfifo(fifo, 0o600) == 0)
        // O_RDWR opens a FIFO at once on Linux: a writer that never writes.
        let writer = writerHoldsItOpen ? open(fifo, O_RDWR | O_NONBLOCK) : -1
        defer { if writer >= 0 { close(writer) } }
        let message = try promptly { () -> String? in
            do {
                _ = try BoundedFile.read(fifo, kind: .invalidModel, what: "model file")
                return nil
            } catch let error as FairleadError {
                return error.description
            }
        }
        #expect(message == "\(fifo): the model file is a FIFO (named pipe); it must be a regular file")
    }

    @Test func devicesSocketsAndDirectoriesAreNamed() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let socketPath = root.appendingPathComponent("s.sock").path
        let socket = Foundation.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in socketPath.utf8.enumerated() where index < buffer.count - 1 { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        for (path, kind) in [("/dev/zero", "a character device"), ("/dev/tty", "a character device"), (socketPath, "a socket"),
                             (root.path, "a directory")] where FileManager.default.fileExists(atPath: path) {
            let error = #expect(throws: FairleadError.self) { try RegularFile.open(path, kind: .invalidData, what: "baseline report") }
            #expect(error?.message == "the baseline report is \(kind); it must be a regular file")
            #expect(error?.location?.file == path)
        }
    }

    @Test func aRegularFileOpensBlockingAndAMissingOneIsNotFound() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("r.json").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path))
        let descriptor = try RegularFile.open(path, kind: .invalidData, what: "report")
        defer { close(descriptor) }
        #expect(fcntl(descriptor, F_GETFL) & O_NONBLOCK == 0)
        let error = #expect(throws: FairleadError.self) { try RegularFile.open(path + ".none", kind: .invalidData, what: "report") }
        #expect(error?.message == "report not found")
    }

    /// The system reads a path up to a NUL: `r.json\0zzz` would open `r.json`.
    @Test func aPathWithANULIsRefused() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("r.json").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: FairleadError.self) { try BoundedFile.read(path + "\0zzz", kind: .invalidData, what: "report") }
        #expect(error?.message == "the path holds a NUL character (\\0), which no file name can hold: the system would cut the path there and read another file")
        let csv = #expect(throws: FairleadError.self) { try CSVReader.read(.file(path + "\0zzz"), columns: { _ in [] }) }
        #expect(csv?.message.hasPrefix("the path holds a NUL character") == true)
    }
}

/// A result handed back from the thread that made it.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
