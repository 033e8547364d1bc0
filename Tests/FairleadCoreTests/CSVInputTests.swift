import Foundation
import Testing
@testable import FairleadCore

/// Inputs read once: named pipes (as standard input would be), the byte observer, and
/// columns chosen from the header.
@Suite struct CSVInputTests {
    /// Counts and keeps every byte it is shown.
    final class Recorder: CSVByteObserver {
        var bytes: [UInt8] = []
        var calls = 0
        func observe(_ bytes: UnsafeRawBufferPointer) {
            self.bytes += bytes
            calls += 1
        }
    }

    /// A named pipe fed `bytes` by a background writer once the reader opens it.
    static func pipe(feeding bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-fifo-\(UUID().uuidString)").path
        #expect(mkfifo(path, 0o600) == 0)
        Thread.detachNewThread {
            guard let writer = FileHandle(forWritingAtPath: path) else { return }
            try? writer.write(contentsOf: Data(bytes))
            try? writer.close()
        }
        return path
    }

    @Test(arguments: [CSVTestFiles.leadsSample, CSVTestFiles.fixtures.appendingPathComponent("gzip/leads-sample.csv.gz").path])
    func aNamedPipeReadsLikeTheFileAndIsObservedAsStored(file: String) throws {
        let stored = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        let path = try Self.pipe(feeding: stored)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = CSVOptions()
        options.threads = 2
        options.blockSize = 10_000
        let recorder = Recorder()
        var header: [String] = []
        let table = try CSVReader.read(.file(path), columns: { names in
            header = names
            return nil
        }, options: options, observer: recorder)
        #expect(header.first == "lead_id" && header.count == 16)
        #expect(table == (try CSVReader.read(path: CSVTestFiles.leadsSample)))
        #expect(recorder.bytes == stored)
        #expect(recorder.calls > 1)
    }

    @Test func aColumnTurningToTextCannotBeReadAgainFromAPipe() throws {
        let text = "id,value\n1,2.5\n2,3\n3,many\n"
        let path = try Self.pipe(feeding: Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: FairleadError(.invalidData,
                                      "column \"value\" holds numbers and then text; reading it as text takes a second pass, and this input can be read only once: give the column a type",
                                      at: SourceLocation(file: path, field: "value"))) {
            try CSVReader.read(.file(path), columns: { _ in [ColumnRequest("value")] })
        }
        // A regular file is read again, without showing the observer its bytes twice.
        let file = try CSVTestFiles.write(text)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let recorder = Recorder()
        let table = try CSVReader.read(.file(file), columns: { _ in [ColumnRequest("value")] }, observer: recorder)
        #expect(table.columns.first?.categorical?.levels == ["2.5", "3", "many"])
        #expect(recorder.bytes == Array(text.utf8))
    }

    @Test func standardInputIsNamedInMessages() {
        #expect(CSVInput.standardInput.name == "standard input")
        #expect(CSVInput.file("a.csv").name == "a.csv")
    }
}
