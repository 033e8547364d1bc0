import Foundation
import Testing
@testable import Fairlead

/// An `extends:` chain as a whole: its length, one budget of bytes and values for all of
/// its files, aliases counted by what they expand to, cycles through links, confinement
/// before existence, and the paths a profile names (``ProfileReading``, ``AuditProfile``).
@Suite struct ProfileChainLimitsTests {
    static let valid = ProfileReadingTests.valid

    /// The error `body` throws, which must be a `FairleadError`.
    static func error(_ body: () throws -> Void) -> FairleadError? {
        do {
            try body()
        } catch let error as FairleadError {
            return error
        } catch {
            Issue.record("not a FairleadError: \(error)")
            return nil
        }
        Issue.record("no error thrown")
        return nil
    }

    /// `count` bases in one folder, `b0.yaml` extending `b1.yaml` … and `p.yaml` extending
    /// `b0.yaml`; each base sets one setting.
    static func chain(of count: Int) throws -> URL {
        let root = try ProfileReadingTests.folder(["p.yaml": "extends: b0.yaml\n" + valid])
        for index in 0..<count {
            let text = (index < count - 1 ? "extends: b\(index + 1).yaml\n" : "") + "settings: {seed: \(index)}\n"
            #expect(FileManager.default.createFile(atPath: root.appendingPathComponent("b\(index).yaml").path, contents: Data(text.utf8)))
        }
        return root
    }

    // MARK: - The chain's length

    @Test func aChainLongerThanTheLimitIsRefusedAtTheExtendsKeyThatPassesIt() throws {
        let root = try Self.chain(of: 40)
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("p.yaml").path
        let error = Self.error { _ = try AuditProfile.load(path: path) }
        #expect(error?.message == "the extends: chain reaches more than 32 base profiles (limit: 32 bases; raise ProfileReading.maximumBases)")
        // p → b0 → … → b31 is 32 bases; b31's extends: would be the 33rd.
        #expect(error?.location == SourceLocation(file: root.appendingPathComponent("b31.yaml").path, line: 1, column: 10, field: "extends"))
        var reading = ProfileReading()
        reading.maximumBases = 40
        let profile = try AuditProfile.load(path: path, reading: reading)
        #expect(profile.sourceFiles.count == 41)
        // The nearest base wins: b0's seed, over every base after it.
        #expect(profile.settings.seed == 0)
    }

    /// 2,000 bases overflowed the stack (one recursive call per base, in a debug build):
    /// raised, the limit lets the loop follow them all on a secondary thread's stack.
    @Test func aLongChainIsFollowedWithoutRecursion() throws {
        let root = try Self.chain(of: 2_000)
        defer { try? FileManager.default.removeItem(at: root) }
        var reading = ProfileReading()
        reading.maximumBases = 2_000
        let profile = try AuditProfile.load(path: root.appendingPathComponent("p.yaml").path, reading: reading)
        #expect(profile.sourceFiles.count == 2_001)
        #expect(profile.settings.seed == 0)
    }

    // MARK: - One budget for the chain

    @Test func theValuesOfEveryFileOfTheChainShareOneLimit() throws {
        // Each base alone is well under 100 values; the top profile overrides their key.
        let list = "[" + Array(repeating: "1", count: 40).joined(separator: ", ") + "]"
        let root = try ProfileReadingTests.folder([
            "p.yaml": "extends: b1.yaml\npurpose: p\n" + Self.valid,
            "b1.yaml": "extends: b2.yaml\npurpose: \(list)\n",
            "b2.yaml": "purpose: \(list)\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        var reading = ProfileReading()
        reading.maximumNodes = 90
        for base in ["b1.yaml", "b2.yaml"] {
            #expect(throws: Never.self) { try ProfileNode.parse(String(contentsOf: root.appendingPathComponent(base), encoding: .utf8),
                                                                file: base, reading: reading) }
        }
        let error = Self.error { _ = try AuditProfile.load(path: root.appendingPathComponent("p.yaml").path, reading: reading) }
        #expect(error?.message == "the profile and the bases it extends hold more than 90 values together once their YAML aliases are expanded (limit: 90 values; raise ProfileReading.maximumNodes)")
        #expect(error?.location?.file == root.appendingPathComponent("b2.yaml").path)
        reading.maximumNodes = 200
        #expect(try AuditProfile.load(path: root.appendingPathComponent("p.yaml").path, reading: reading).purpose == "p")
    }

    @Test func theBytesOfEveryFileOfTheChainShareOneLimit() throws {
        let top = "extends: b1.yaml\n" + Self.valid, base = "extends: b2.yaml\nsettings: {seed: 1}\n", last = "settings: {bootstrap: 0}\n"
        let root = try ProfileReadingTests.folder(["p.yaml": top, "b1.yaml": base, "b2.yaml": last])
        defer { try? FileManager.default.removeItem(at: root) }
        var reading = ProfileReading()
        reading.maximumBytes = top.utf8.count + base.utf8.count + last.utf8.count - 1
        let error = Self.error { _ = try AuditProfile.load(path: root.appendingPathComponent("p.yaml").path, reading: reading) }
        #expect(error?.message == "the profile and the bases it extends are larger than \(reading.maximumBytes) bytes together (limit: \(reading.maximumBytes) bytes; raise ProfileReading.maximumBytes)")
        #expect(error?.location == SourceLocation(file: root.appendingPathComponent("b2.yaml").path))
        reading.maximumBytes += 1
        #expect(try AuditProfile.load(path: root.appendingPathComponent("p.yaml").path, reading: reading).settings.bootstrapReplicates == 0)
    }

    // MARK: - Aliases count what they expand to

    /// One 2,000-byte scalar aliased 600 times is 620 values but 1.2 MB of text: before,
    /// 500 KB aliased 90,000 times (90,001 values) passed and cost every later step 45 GB.
    @Test func anAliasOfALongValueCountsItsBytes() throws {
        let long = String(repeating: "m", count: 2_000)
        let text = "name: t\ndata: {score: s, label: y, missing_markers: [&b \(long), "
            + Array(repeating: "*b", count: 600).joined(separator: ", ") + "]}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\n"
        let error = Self.error { _ = try AuditProfile.parse(text, file: "bomb.yaml") }
        #expect(error?.message == "the keys and values of the profile hold more than 1048576 bytes of text once its YAML aliases are expanded (limit: 1048576 bytes; raise ProfileReading.maximumBytes)")
        #expect(error?.location?.file == "bomb.yaml")
        #expect(error?.location?.line == 2)
        // Under the limit, the aliases are the values they stand for.
        var reading = ProfileReading()
        reading.maximumBytes = 2 << 20
        #expect(try AuditProfile.parse(text, file: "bomb.yaml", reading: reading).data.missingMarkers?.count == 601)
    }

    /// Aliases of lists of aliases: 10 × 10 × 10 × 2 copies of a 1,000-byte value are 2 MB
    /// of text in about 2,300 values, far under the value limit.
    @Test func nestedAliasesCountEveryByteTheyExpandTo() throws {
        let long = String(repeating: "x", count: 1_000)
        func list(_ alias: String, _ count: Int) -> String { "[" + Array(repeating: "*\(alias)", count: count).joined(separator: ", ") + "]" }
        let text = """
            name: t
            purpose: &l1 [&s \(long), \(Array(repeating: "*s", count: 9).joined(separator: ", "))]
            metrics: &l2 \(list("l1", 10))
            rules: &l3 \(list("l2", 10))
            explanations: {proxies: \(list("l3", 2))}
            data: {score: s}
            decisions: [{threshold: 0.5}]
            sensitive: [g]

            """
        let error = Self.error { _ = try AuditProfile.parse(text, file: "nested.yaml") }
        #expect(error?.message == "the keys and values of the profile hold more than 1048576 bytes of text once its YAML aliases are expanded (limit: 1048576 bytes; raise ProfileReading.maximumBytes)")
        // Aliases are composed into the value they name: the place is that value's, the
        // one being multiplied.
        #expect(error?.location?.line == 2)
        var reading = ProfileReading()
        reading.maximumBytes = 4 << 20
        // Within the raised limit, the text is read and the profile judged on its keys.
        let judged = Self.error { _ = try AuditProfile.parse(text, file: "nested.yaml", reading: reading) }
        #expect(judged?.limit == nil)
        #expect(!(judged?.message.contains("YAML aliases") ?? true))
    }

    // MARK: - Cycles, confinement, paths

    /// `l -> .` makes `l/x.yaml` the file `x.yaml`: before, the chain ran 40 levels deep
    /// and ended in "'l/x.yaml' does not exist".
    @Test func aCycleThroughASymbolicLinkIsACycle() throws {
        let root = try ProfileReadingTests.folder(["x.yaml": "extends: l/x.yaml\n" + Self.valid])
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("l").path, withDestinationPath: ".")
        let x = root.appendingPathComponent("x.yaml").path, throughLink = root.appendingPathComponent("l/x.yaml").path
        let error = Self.error { _ = try AuditProfile.load(path: x) }
        #expect(error?.message == "profiles extend each other in a cycle: \(x) -> \(throughLink) (the same file as \(x))")
        #expect(error?.location == SourceLocation(file: x, line: 1, column: 10, field: "extends"))
    }

    /// A base outside the tree is refused alike whether it exists or not, so the error is
    /// no oracle of the files outside; a link out of the tree too, dangling or not.
    @Test func confinementIsCheckedBeforeExistence() throws {
        let missing = "/nonexistent-\(UUID().uuidString)"
        let root = try ProfileReadingTests.folder([:])
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("etc").path, withDestinationPath: "/etc")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("gone").path, withDestinationPath: missing)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("dangling").path, withDestinationPath: missing + "/x.yaml")
        let folder = ProfileReadingTests.real(root)
        for base in ["/etc/hostname", missing + "/x.yaml", "/root/.bashrc", "/root/.nonexistent", "etc/hostname", "etc/nonexistent",
                     "gone/x.yaml", "dangling"] {
            let error = Self.error { _ = try AuditProfile.parse("extends: \(base)\n" + Self.valid, file: root.appendingPathComponent("p.yaml").path) }
            #expect(error?.message == "the base profile '\(base)' lies outside the profile's folder (\(folder)), so it was not read; add its folder to ProfileReading.allowedFolders",
                    "\(base)")
        }
        // Inside the tree, a missing base is still said to be missing.
        let error = Self.error { _ = try AuditProfile.parse("extends: none.yaml\n" + Self.valid, file: root.appendingPathComponent("p.yaml").path) }
        #expect(error?.message.hasPrefix("the base profile 'none.yaml' does not exist") == true)
    }

    /// A NUL in a path: the system read `leads.csv\0zzz` as `leads.csv`.
    @Test(arguments: [
        ("data.path", "name: t\ndata: {path: \"leads.csv\\0zzz\", score: s}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\n"),
        ("extends", "extends: \"b.yaml\\0x\"\nname: t\ndata: {score: s}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\n"),
        ("model.path", "name: t\ndata: {score: s}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\nmodel: {path: \"m.json\\0x\"}\n"),
        ("model.background", "name: t\ndata: {score: s}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\nmodel: {path: m.json, background: \"b.csv\\0\"}\n"),
        ("explanations.reference", "name: t\ndata: {score: s}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\nmodel: {path: m.json}\nexplanations: {reference: \"r.csv\\0x\"}\n"),
        ("drift.baseline.pinned", "name: t\ndata: {score: s}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\ndrift: {baseline: {pinned: \"r.json\\0\"}}\n"),
        ("privacy.pseudonym_key.file", "name: t\ndata: {score: s, id: i}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\nprivacy: {pseudonymize_ids: true, pseudonym_key: {file: \"k\\0x\"}}\n"),
    ])
    func aNULInAPathIsRefusedAtItsKey(key: String, text: String) throws {
        let error = Self.error { _ = try AuditProfile.parse(text, file: "nul.yaml") }
        #expect(error?.message == "the path holds a NUL character (\\0), which no file name can hold: the system would cut the path there and read another file; write the file's path without it")
        #expect(error?.location?.field == key)
        #expect(error?.location?.file == "nul.yaml")
    }

    /// `*` names intersections: a column `ethnicity*gender` beside the intersection
    /// [ethnicity, gender] shared its key in the report; `eth*x` was split at `*` by mitigation.
    @Test func aSensitiveColumnNamedWithAStarIsRefusedAtItsKey() throws {
        let listed = "name: t\ndata: {score: s}\ndecisions: [{threshold: 0.5}]\nsensitive: [ethnicity, gender, \"ethnicity*gender\"]\nintersections: [[ethnicity, gender]]\n"
        let error = Self.error { _ = try AuditProfile.parse(listed, file: "star.yaml") }
        #expect(error?.message == "the sensitive column 'ethnicity*gender' holds '*', which names intersections of sensitive columns: the report, rules and mitigation would read it as the intersection of 'ethnicity' and 'gender'; rename the column in the data (or in the query that reads it) to a name without '*'")
        #expect(error?.location == SourceLocation(file: "star.yaml", line: 4, column: 32, field: "sensitive[2]"))
        let mapped = "name: t\ndata: {score: s}\ndecisions: [{threshold: 0.5}]\nsensitive:\n  - column: \"eth*x\"\nmitigation: {reweighing: true}\n"
        let second = Self.error { _ = try AuditProfile.parse(mapped, file: "star.yaml") }
        #expect(second?.message.hasPrefix("the sensitive column 'eth*x' holds '*'") == true)
        #expect(second?.location?.field == "sensitive[0].column")
        #expect(AuditProfile.sensitiveColumnProblem("ethnicity") == nil)
    }
}
