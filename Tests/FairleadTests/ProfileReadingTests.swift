import Foundation
import Testing
@testable import Fairlead

/// Where `extends:` may reach, and the limits on a profile's YAML (``ProfileReading``).
@Suite struct ProfileReadingTests {
    /// A fresh folder holding `files` (relative path → text); the caller removes it.
    static func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-reading-\(UUID().uuidString)")
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }

    static let valid = AuditProfileErrorTests.valid + "\n"
    static let policy = "rules:\n  - disparate_impact >= 0.8\n"

    /// The real path of `url` (macOS's /var is /private/var), as messages print folders.
    static func real(_ url: URL) -> String { AuditProfile.Confinement.realPath(url.path) }

    @Test func aBaseOutsideTheProfilesTreeIsRefusedBeforeItIsRead() throws {
        let root = try Self.folder(["team/p.yaml": "extends: ../shared/policy.yaml\n" + Self.valid, "shared/policy.yaml": Self.policy])
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("team/p.yaml").path
        #expect(throws: FairleadError(.invalidProfile,
                                      "the base profile '../shared/policy.yaml' lies outside the profile's folder (\(Self.real(root.appendingPathComponent("team")))), so it was not read; add its folder to ProfileReading.allowedFolders",
                                      at: SourceLocation(file: path, line: 1, column: 10, field: "extends"))) {
            try AuditProfile.load(path: path)
        }
        var reading = ProfileReading()
        reading.allowedFolders = [root.appendingPathComponent("shared").path]
        let profile = try AuditProfile.load(path: path, reading: reading)
        #expect(profile.rules.count == 1)
        #expect(profile.sourceFiles == [path, root.appendingPathComponent("shared/policy.yaml").path])
    }

    @Test func aBaseInASubfolderIsInsideTheTree() throws {
        let root = try Self.folder(["p.yaml": "extends: policies/base.yaml\n" + Self.valid, "policies/base.yaml": Self.policy])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try AuditProfile.load(path: root.appendingPathComponent("p.yaml").path).rules.count == 1)
    }

    @Test(arguments: ["/etc/passwd", "/etc/hostname"])
    func anAbsoluteSystemFileIsRefusedAndNotQuoted(base: String) throws {
        let root = try Self.folder(["p.yaml": "extends: \(base)\n" + Self.valid])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect {
            _ = try AuditProfile.load(path: root.appendingPathComponent("p.yaml").path)
        } throws: { error in
            guard let error = error as? FairleadError else { return false }
            return error.message.hasPrefix("the base profile '\(base)' lies outside the profile's folder")
                && !error.message.contains("root:")
        }
    }

    @Test func aSymbolicLinkOutOfTheTreeIsRefused() throws {
        let root = try Self.folder(["p.yaml": "extends: base.yaml\n" + Self.valid, "elsewhere/base.yaml": Self.policy])
        let inside = try Self.folder([:])
        try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: inside)
        }
        try FileManager.default.copyItem(at: root.appendingPathComponent("p.yaml"), to: inside.appendingPathComponent("p.yaml"))
        try FileManager.default.createSymbolicLink(at: inside.appendingPathComponent("base.yaml"),
                                                   withDestinationURL: root.appendingPathComponent("elsewhere/base.yaml"))
        #expect(throws: FairleadError.self) { try AuditProfile.load(path: inside.appendingPathComponent("p.yaml").path) }
    }

    @Test func aBaseThatIsNoMappingIsAnErrorThatDoesNotQuoteIt() throws {
        let root = try Self.folder(["p.yaml": "extends: secrets.env\n" + Self.valid, "secrets.env": "API_KEY=sk-live-51HqTOKEN\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let base = root.appendingPathComponent("secrets.env").path
        #expect(throws: FairleadError(.invalidProfile, "not a profile: expected a mapping of keys to values, found a value",
                                      at: SourceLocation(file: base))) {
            try AuditProfile.load(path: root.appendingPathComponent("p.yaml").path)
        }
    }

    /// Nine levels of nine aliases: 9⁹ values once expanded.
    static let aliasBomb = zip([nil] + "abcdefgh".map(String.init), "abcdefghi".map(String.init)).map { previous, name in
        let items = previous.map { Array(repeating: "*\($0)", count: 9) } ?? Array(repeating: "lol", count: 9)
        return "\(name): &\(name) [\(items.joined(separator: ", "))]"
    }.joined(separator: "\n") + "\n"

    @Test func anAliasBombStopsAtTheNodeLimitAtOnce() throws {
        #expect(throws: FairleadError(.invalidProfile,
                                      "the profile holds more than 100000 values once its YAML aliases are expanded (limit: 100000 values; raise ProfileReading.maximumNodes)",
                                      at: SourceLocation(file: "bomb.yaml", line: 1, column: 13))) {
            try AuditProfile.parse(Self.aliasBomb, file: "bomb.yaml")
        }
        // "At once" without a clock: each value is counted as it is visited, before its
        // children. Under a limit of 50 the walk stops in b's fourth `*a` — at the 8th
        // `lol` of line 1, which that alias points to (the list a, its 9 items, then b and
        // 4 × 10) — long before the 9⁹ values behind line 9.
        var reading = ProfileReading()
        reading.maximumNodes = 50
        #expect(throws: FairleadError(.invalidProfile,
                                      "the profile holds more than 50 values once its YAML aliases are expanded (limit: 50 values; raise ProfileReading.maximumNodes)",
                                      at: SourceLocation(file: "bomb.yaml", line: 1, column: 43))) {
            try AuditProfile.parse(Self.aliasBomb, file: "bomb.yaml", reading: reading)
        }
    }

    @Test func aliasesWithinTheLimitAreExpanded() throws {
        let profile = try AuditProfile.parse("name: &n t\npurpose: *n\n" + Self.valid.replacingOccurrences(of: "name: t\n", with: ""))
        #expect(profile.purpose == "t")
    }

    @Test func eachLimitNamesItselfAndTheHintToRaiseIt() throws {
        var reading = ProfileReading()
        reading.maximumDepth = 3
        reading.raiseHints[.depth] = "--profile-max-depth N"
        #expect(throws: FairleadError(.invalidProfile,
                                      "the profile nests lists and mappings more than 3 levels deep (limit: 3 levels; raise it with --profile-max-depth N)",
                                      at: SourceLocation(file: "p.yaml", line: 1, column: 9))) {
            try AuditProfile.parse("name: [[[[x]]]]\n", file: "p.yaml", reading: reading)
        }
        reading.maximumBytes = 10
        #expect(throws: FairleadError(.invalidProfile, "the profile is larger than 10 bytes (limit: 10 bytes; raise ProfileReading.maximumBytes)",
                                      at: SourceLocation(file: "p.yaml"))) {
            try AuditProfile.parse(Self.valid, file: "p.yaml", reading: reading)
        }
        #expect(throws: FairleadError(.invalidProfile,
                                      "the profile nests lists and mappings more than the YAML parser's 1000 levels (limit: 64 levels)",
                                      at: SourceLocation(file: "p.yaml", line: 1, column: 8))) {
            try AuditProfile.parse("name: " + String(repeating: "[", count: 1500) + String(repeating: "]", count: 1500), file: "p.yaml")
        }
    }

    @Test func aFileLargerThanTheLimitIsNotReadToItsEnd() throws {
        let root = try Self.folder(["big.yaml": "name: " + String(repeating: "x", count: 10_000) + "\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("big.yaml").path
        var reading = ProfileReading()
        reading.maximumBytes = 4096
        #expect(throws: FairleadError(.invalidProfile, "the profile is larger than 4096 bytes (limit: 4096 bytes; raise ProfileReading.maximumBytes)",
                                      at: SourceLocation(file: path))) {
            try AuditProfile.load(path: path, reading: reading)
        }
    }

    /// A device (`/dev/zero` was read to the limit) or a FIFO (which hung, waiting for a
    /// writer) is refused by what it is, before it is read.
    @Test func aDeviceIsNoProfile() throws {
        #expect(throws: FairleadError(.invalidProfile, "the profile is a character device; it must be a regular file",
                                      at: SourceLocation(file: "/dev/zero"))) {
            try AuditProfile.load(path: "/dev/zero")
        }
    }

    @Test func aYAMLErrorNeverQuotesTheLineItIsOn() throws {
        #expect {
            _ = try AuditProfile.parse("name: x\npassword: [hunter2-SECRET, {\n", file: "p.yaml")
        } throws: { error in
            guard let error = error as? FairleadError else { return false }
            return error.message.hasPrefix("not valid YAML") && !error.description.contains("hunter2")
        }
    }
}
