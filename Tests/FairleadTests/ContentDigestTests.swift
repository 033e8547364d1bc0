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
