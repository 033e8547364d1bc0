import Foundation
import Testing

/// Inputs that hung, crashed or cost without bound, run as a user would: named pipes where
/// a regular file is meant, long and heavy `extends:` chains, alias bombs, NUL bytes in
/// paths and `*` in sensitive column names. Every run is bounded by `timeout`, so a hang
/// fails the test (exit 124) instead of the test run.
@Suite struct CLIProfileHardeningTests {
    static let leads = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path
    static let profileTail = "data: {path: \(leads), score: score, label: converted}\ndecisions: [{threshold: 0.3}]\nsensitive: [ethnicity]\nsettings: {bootstrap: 0}\n"

    /// `fairlead arguments` in `folder`, killed after `seconds`.
    static func run(_ arguments: [String], in folder: URL, seconds: Int = 60) throws -> CLIProcess.Result {
        try CLIProcess.run(["\(seconds)", CLIProcess.executable.path] + arguments, program: URL(fileURLWithPath: "/usr/bin/timeout"),
                           directory: folder)
    }

    /// A fresh folder; the caller removes it.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-hardening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Each input meant to be a regular file, given a FIFO: the base profile, `model.path`,
    /// `explain --model`, the drift baseline and `render FILE`. Each hung forever, with or
    /// without a writer holding the pipe open; each is now refused at once, naming the path.
    @Test(arguments: [false, true])
    func aFIFOWhereAFileIsMeantIsRefusedAtOnce(writerHoldsItOpen: Bool) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("fifo").path
        try #require(mkfifo(fifo, 0o600) == 0)
        let writer = writerHoldsItOpen ? open(fifo, O_RDWR | O_NONBLOCK) : -1
        defer { if writer >= 0 { close(writer) } }
        func profile(_ name: String, _ text: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let cases: [([String], String)] = [
            (["validate", try profile("base.yaml", "extends: fifo\nname: a\n" + Self.profileTail)], "profile"),
            (["audit", "--profile", try profile("model.yaml", "name: a\nmodel: {path: fifo}\n" + Self.profileTail), "--threads", "1"], "model file"),
            (["explain", "--model", fifo, "--data", Self.leads, "--threads", "1"], "model file"),
            (["audit", "--profile", try profile("drift.yaml", "name: a\ndrift: {baseline: {pinned: fifo}}\n" + Self.profileTail),
              "--history", folder.appendingPathComponent("h.sqlite").path, "--threads", "1"], "baseline report"),
            (["render", fifo], "report"),
        ]
        for (arguments, what) in cases {
            let result = try Self.run(arguments, in: folder, seconds: 30)
            #expect(result.exitCode == 2, "\(arguments[0]): \(result.standardError)")
            #expect(result.standardError.contains("\(fifo): the \(what) is a FIFO (named pipe); it must be a regular file"),
                    "\(arguments[0]): \(result.standardError)")
        }
    }

    /// 2,000 bases crashed (stack overflow, "Bad pointer dereference"); past the default
    /// of 32 the chain is refused at the `extends:` that passes it, and raised it is followed.
    @Test func aLongExtendsChainIsBoundedAndNeverOverflowsTheStack() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = 2_000
        for index in 0..<count {
            let text = (index < count - 1 ? "extends: b\(index + 1).yaml\n" : "") + "settings: {seed: \(index)}\n"
            #expect(FileManager.default.createFile(atPath: folder.appendingPathComponent("b\(index).yaml").path, contents: Data(text.utf8)))
        }
        try ("extends: b0.yaml\nname: a\n" + Self.profileTail).write(to: folder.appendingPathComponent("top.yaml"), atomically: true, encoding: .utf8)
        let refused = try Self.run(["validate", "top.yaml"], in: folder)
        #expect(refused.exitCode == 2)
        #expect(refused.standardError == "fairlead: b31.yaml:1:10 (extends): the extends: chain reaches more than 32 base profiles (limit: 32 bases; raise it with --profile-max-bases N)\n")
        let raised = try Self.run(["validate", "top.yaml", "--profile-max-bases", "\(count)"], in: folder)
        #expect(raised.exitCode == 0, "\(raised.standardError)")
        let zero = try Self.run(["validate", "top.yaml", "--profile-max-bases", "0"], in: folder)
        #expect(zero.exitCode == 2)
        #expect(zero.standardError.contains("--profile-max-bases must be at least 1, found 0"))
    }

    /// 200 bases, each under the limits alone (an anchored list aliased 300 times), peaked
    /// at 1.84 GB over 21 s: the chain now spends one budget, refused at the base past it.
    @Test func theLimitsBoundTheWholeChain() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inner = "[" + Array(repeating: "1", count: 300).joined(separator: ",") + "]"
        let aliases = "[" + Array(repeating: "*a", count: 300).joined(separator: ",") + "]"
        for index in 0..<200 {
            let text = (index < 199 ? "extends: b\(index + 1).yaml\n" : "") + "purpose: &a \(inner)\nmetrics: \(aliases)\n"
            try text.write(to: folder.appendingPathComponent("b\(index).yaml"), atomically: false, encoding: .utf8)
        }
        try ("extends: b0.yaml\nname: a\npurpose: p\nmetrics: [selection_rate]\n" + Self.profileTail)
            .write(to: folder.appendingPathComponent("top.yaml"), atomically: false, encoding: .utf8)
        let result = try Self.run(["validate", "top.yaml", "--profile-max-bases", "200"], in: folder)
        #expect(result.exitCode == 2)
        #expect(result.standardError.hasPrefix("fairlead: b1.yaml:"), "\(result.standardError)")
        #expect(result.standardError.hasSuffix("the profile and the bases it extends hold more than 100000 values together once their YAML aliases are expanded (limit: 100000 values; raise it with --profile-max-nodes N)\n"),
                "\(result.standardError)")
    }

    /// An 860 KB profile of one 500 KB value aliased 90,000 times took validate 16–24 s and
    /// audit 50 s; in `data.missing_markers` and in `explanations.proxies` alike, an alias
    /// now counts the bytes it expands to.
    @Test(arguments: ["data: {path: \(leads), score: score, missing_markers: [&b LONG, ALIASES]}\n",
                      "data: {path: \(leads), score: score}\nmodel: {path: m.json}\nexplanations: {proxies: [&b LONG, ALIASES]}\n"])
    func anAliasBombOfALongValueIsRefusedAtOnce(section: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = "name: a\n" + section.replacingOccurrences(of: "LONG", with: String(repeating: "m", count: 500_000))
            .replacingOccurrences(of: "ALIASES", with: Array(repeating: "*b", count: 90_000).joined(separator: ", "))
            + "decisions: [{threshold: 0.3}]\nsensitive: [ethnicity]\n"
        try text.write(to: folder.appendingPathComponent("bomb.yaml"), atomically: false, encoding: .utf8)
        for arguments in [["validate", "bomb.yaml"], ["audit", "--profile", "bomb.yaml", "--threads", "1"]] {
            let started = Date()
            let result = try Self.run(arguments, in: folder, seconds: 30)
            #expect(result.exitCode == 2)
            #expect(result.standardError.hasSuffix("the keys and values of the profile hold more than 1048576 bytes of text once its YAML aliases are expanded (limit: 1048576 bytes; raise it with --profile-max-bytes N)\n"),
                    "\(result.standardError)")
            #expect(Date().timeIntervalSince(started) < 10)
        }
    }

    /// `data.path: "leads.csv\0zzz"` validated and audited `leads.csv`.
    @Test func aNULInADataPathIsRefused() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(atPath: Self.leads, toPath: folder.appendingPathComponent("leads.csv").path)
        try "name: a\ndata: {path: \"leads.csv\\0zzz\", score: score}\ndecisions: [{threshold: 0.3}]\nsensitive: [ethnicity]\n"
            .write(to: folder.appendingPathComponent("nul.yaml"), atomically: false, encoding: .utf8)
        for arguments in [["validate", "nul.yaml"], ["audit", "--profile", "nul.yaml", "--threads", "1"]] {
            let result = try Self.run(arguments, in: folder)
            #expect(result.exitCode == 2)
            #expect(result.standardError == "fairlead: nul.yaml:2:14 (data.path): the path holds a NUL character (\\0), which no file name can hold: the system would cut the path there and read another file; write the file's path without it\n")
        }
    }

    /// `--sensitive 'ethnicity*gender'` of an ad hoc audit is refused as the profile key is.
    @Test func aSensitiveFlagNamingAColumnWithAStarIsRefused() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.run(["audit", "--data", Self.leads, "--score", "score", "--sensitive", "gender,ethnicity*gender",
                                   "--threshold", "0.3", "--threads", "1"], in: folder)
        #expect(result.exitCode == 2)
        #expect(result.standardError == "fairlead: --sensitive: the sensitive column 'ethnicity*gender' holds '*', which names intersections of sensitive columns: the report, rules and mitigation would read it as the intersection of 'ethnicity' and 'gender'; rename the column in the data (or in the query that reads it) to a name without '*'\n")
    }
}
