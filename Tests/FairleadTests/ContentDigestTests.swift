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
        #expect(throws: FairleadError(.invalidData, "cannot open the file to fingerprint it", at: SourceLocation(file: "/no/such/file"))) {
            try ContentDigest.sha256(ofFile: "/no/such/file")
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

    @Test func aSmallBlockSizeSeesEveryByteOnce() throws {
        let text = "id,score\n" + (1...2_000).map { "L\($0),0.\($0 % 10)" }.joined(separator: "\n") + "\n"
        let path = try AuditFixtures.temporaryCSV(text)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var options = CSVOptions()
        options.blockSize = 37
        options.threads = 2
        let digest = StreamingDigest()
        _ = try CSVReader.read(.file(path), columns: { _ in nil }, options: options, observer: digest)
        #expect(digest.fingerprint.hex == ContentDigest.sha256(Data(text.utf8)))
        #expect(digest.fingerprint.bytes == text.utf8.count)
    }
}
