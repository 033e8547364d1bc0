import Foundation
import Testing
@testable import Fairlead
import FairleadCore

/// Keyed pseudonyms of lead ids: RFC 4231's HMAC-SHA-256 vectors through our wrapper,
/// the keys a profile may name, and the errors of bad keys.
@Suite struct LeadPseudonymizerTests {
    struct Vector: Sendable, CustomStringConvertible {
        var name: String
        var key: [UInt8]
        var data: [UInt8]
        var tag: String
        var description: String { name }
    }

    /// RFC 4231 section 4, test cases 1, 3, 4, 6 and 7 (case 2's key "Jefe" is shorter
    /// than our minimum; case 5 is a truncated tag).
    static let vectors: [Vector] = [
        Vector(name: "case 1", key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
               tag: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Vector(name: "case 3", key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50),
               tag: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Vector(name: "case 4", key: Array(1...25), data: [UInt8](repeating: 0xcd, count: 50),
               tag: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        Vector(name: "case 6", key: [UInt8](repeating: 0xaa, count: 131),
               data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
               tag: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Vector(name: "case 7", key: [UInt8](repeating: 0xaa, count: 131),
               data: Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
               tag: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test(arguments: vectors) func rfc4231(_ vector: Vector) throws {
        let pseudonyms = try LeadPseudonymizer(key: vector.key)
        #expect(pseudonyms.pseudonym(bytes: vector.data) == vector.tag)
    }

    @Test func anIDIsItsUTF8BytesAndThePseudonymIsLowercaseHex() throws {
        let pseudonyms = try LeadPseudonymizer(key: [UInt8](repeating: 0x0b, count: 20))
        #expect(pseudonyms.pseudonym("Hi There") == Self.vectors[0].tag)
        let other = pseudonyms.pseudonym("L0000042")
        #expect(other.count == 64)
        #expect(other.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(other != pseudonyms.pseudonym("L0000043"))
        #expect(other == (try LeadPseudonymizer(key: [UInt8](repeating: 0x0b, count: 20))).pseudonym("L0000042"))
        #expect(other != (try LeadPseudonymizer(key: [UInt8](repeating: 0x0c, count: 20))).pseudonym("L0000042"))
    }

    @Test func aKeyShorterThan16BytesIsRefused() {
        #expect(throws: FairleadError.self) { try LeadPseudonymizer(key: Array("Jefe".utf8)) }
        #expect(throws: FairleadError.self) { try LeadPseudonymizer(key: [UInt8](repeating: 1, count: 15)) }
        #expect((try? LeadPseudonymizer(key: [UInt8](repeating: 1, count: 16))) != nil)
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch let error as FairleadError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test func aKeyFileLosesOneTrailingLineFeed() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("p.yaml").path
        let keyPath = folder.appendingPathComponent("key").path
        try Data("0123456789abcdef\n".utf8).write(to: URL(fileURLWithPath: keyPath))
        let source = PseudonymKeySource.file(path: keyPath, location: SourceLocation(file: profile, line: 3, column: 5))
        let fromFile = try source.load()
        let direct = try LeadPseudonymizer(key: Array("0123456789abcdef".utf8))
        #expect(fromFile.pseudonym("L1") == direct.pseudonym("L1"))
        let fromEnvironment = try PseudonymKeySource.environment(name: "FAIRLEAD_TEST_KEY", location: SourceLocation(file: profile))
            .load(environment: ["FAIRLEAD_TEST_KEY": "0123456789abcdef"])
        #expect(fromEnvironment.pseudonym("L1") == direct.pseudonym("L1"))
    }

    @Test func badKeysAreErrorsThatNeverQuoteTheKey() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("p.yaml").path
        let at = SourceLocation(file: profile, line: 3, column: 5)
        func file(_ name: String) -> PseudonymKeySource { .file(path: folder.appendingPathComponent(name).path, location: at) }
        try Data("short-secret\n".utf8).write(to: folder.appendingPathComponent("short"))
        try Data().write(to: folder.appendingPathComponent("empty"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("dir"), withIntermediateDirectories: true)
        #expect(mkfifo(folder.appendingPathComponent("fifo").path, 0o600) == 0)
        let short = Self.message { try file("short").load() }
        #expect(short == "\(profile):3:5 (privacy.pseudonym_key): the pseudonym key is 12 bytes long; it must have at least 16")
        #expect(!short.contains("short-secret"))
        #expect(Self.message { try file("missing").load() }.hasSuffix("does not exist"))
        #expect(Self.message { try file("dir").load() }.hasSuffix("is a directory; it must be a regular file"))
        #expect(Self.message { try file("fifo").load() }.hasSuffix("is a FIFO; it must be a regular file"))
        #expect(Self.message { try file("empty").load() }.hasSuffix("the pseudonym key file is empty"))
        let outside = Self.message { try PseudonymKeySource.file(path: "/etc/hostname", location: at).load() }
        #expect(outside.hasSuffix("lies outside the profile's folder or an allowed one, so it was not read"))
        let unset = Self.message {
            try PseudonymKeySource.environment(name: "FAIRLEAD_NO_SUCH_KEY", location: at).load(environment: [:])
        }
        #expect(unset == "\(profile):3:5 (privacy.pseudonym_key.env): the environment variable FAIRLEAD_NO_SUCH_KEY holding the pseudonym key is not set")
        let tooShort = Self.message {
            try PseudonymKeySource.environment(name: "K", location: at).load(environment: ["K": "tiny-secret-value"])
        }
        #expect(tooShort == "no error")
        let secret = Self.message {
            try PseudonymKeySource.environment(name: "K", location: at).load(environment: ["K": "secret"])
        }
        #expect(secret.hasSuffix("the pseudonym key is 6 bytes long; it must have at least 16"))
        #expect(!secret.contains("secret"))
    }
}
