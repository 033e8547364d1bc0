import Foundation
import Testing
@testable import Fairlead

@Suite struct ContentDigestTests {
    // FIPS 180-2 test vectors.
    @Test func knownVectors() {
        #expect(ContentDigest.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentDigest.sha256(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func fileDigestEqualsInMemoryDigestAcrossBlocks() throws {
        let bytes = Data((0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)").path
        try bytes.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try ContentDigest.sha256(ofFile: path)
        #expect(file.hex == ContentDigest.sha256(bytes))
        #expect(file.bytes == bytes.count)
    }

    @Test func missingFileIsAnInputError() {
        #expect(throws: FairleadError(.invalidData, "file to fingerprint not found", at: SourceLocation(file: "/no/such/file"))) {
            try ContentDigest.sha256(ofFile: "/no/such/file")
        }
    }

    /// A FIFO where a fingerprinted file was waited for a writer forever: refused at once.
    @Test func aFIFOIsRefusedNotWaitedOn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("digest-fifo-\(UUID().uuidString)").path
        #expect(mkfifo(path, 0o600) == 0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: FairleadError(.invalidData, "the file to fingerprint is a FIFO (named pipe); it must be a regular file",
                                      at: SourceLocation(file: path))) {
            try ContentDigest.sha256(ofFile: path)
        }
    }
}

/// The digest the audit computes while it reads: of the bytes as stored.
@Suite struct StreamingDigestTests {
    @Test func theDigestOfAReadIsTheFilesSHA256() throws {
        let digest = StreamingDigest()
        let table = try CSVReader.read(.file(AuditFixtures.leads), columns: { header in
            [ColumnRequest(try #require(header.last), type: .numeric)]
        }, observer: digest)
        #expect(table.rowCount == 5000)
        // `sha256sum fixtures/leads/leads-sample.csv`
        #expect(digest.fingerprint.hex == "130f8fcb1df552dd40a3491c835b2fec0b670c64c1c874c193d044cabbc11564")
        #expect(digest.fingerprint.bytes == 480_780)
        #expect(digest.fingerprint == (try ContentDigest.sha256(ofFile: AuditFixtures.leads)))
    }

    /// Every byte once, in order, whichever thread reads or hashes it: one thread hashes
    /// as it reads; several hash each block in a task of the step that commits it. Small
    /// blocks make many steps, a record longer than a block grows one, and the columns
    /// read (none, one, all) change what else the step does.
    @Test(arguments: [(1, 37), (2, 37), (3, 37), (2, 64), (2, 1_000), (3, 4_096)])
    func everyByteIsSeenOnceInOrder(threads: Int, blockSize: Int) throws {
        let long = String(repeating: "x", count: 700)
        let text = "id,score,note\n" + (1...2_000).map { "L\($0),0.\($0 % 10),\($0 % 250 == 0 ? long : "n")" }
            .joined(separator: "\n") + "\n"
        let path = try AuditFixtures.temporaryCSV(text)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var options = CSVOptions()
        options.blockSize = blockSize
        options.threads = threads
        let requests: [([String]) -> [ColumnRequest]?] = [{ _ in nil }, { _ in [ColumnRequest("score")] }, { _ in [] }]
        for columns in requests {
            let digest = StreamingDigest()
            let table = try CSVReader.read(.file(path), columns: columns, options: options, observer: digest)
            #expect(table.rowCount == 2_000)
            #expect(digest.fingerprint.hex == ContentDigest.sha256(Data(text.utf8)))
            #expect(digest.fingerprint.bytes == text.utf8.count)
        }
    }

    /// A gzip file is hashed as stored, on any number of threads.
    @Test(arguments: [1, 2])
    func aGzipFileIsHashedAsStored(threads: Int) throws {
        let text = "id,score\n" + (1...20_000).map { "L\($0),0.\($0 % 10)" }.joined(separator: "\n") + "\n"
        let plain = try AuditFixtures.temporaryCSV(text)
        defer { try? FileManager.default.removeItem(atPath: (plain as NSString).deletingLastPathComponent) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-9", "-k", "-f", plain]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        var options = CSVOptions()
        options.blockSize = 4_096
        options.threads = threads
        let digest = StreamingDigest()
        let table = try CSVReader.read(.file(plain + ".gz"), columns: { _ in nil }, options: options, observer: digest)
        #expect(table.rowCount == 20_000)
        #expect(digest.fingerprint == (try ContentDigest.sha256(ofFile: plain + ".gz")))
        // And as read: the CSV it inflates to, the plain file's digest.
        #expect(digest.contentSHA256 == ContentDigest.sha256(Data(text.utf8)))
        let plainDigest = StreamingDigest()
        _ = try CSVReader.read(.file(plain), columns: { _ in nil }, options: options, observer: plainDigest)
        #expect(plainDigest.contentSHA256 == nil && plainDigest.fingerprint.hex == digest.contentSHA256)
    }
}
