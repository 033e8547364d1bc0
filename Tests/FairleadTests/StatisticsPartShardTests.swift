import Foundation
import Testing
@testable import Fairlead
@testable import FairleadCore

/// What a part says of its shards: which digest is which, a shard and its gzip copy
/// known for the same rows, no shard without a file's header, and shards without rows said.
@Suite struct StatisticsPartShardTests {
    static func gzip(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-9", "-k", "-f", path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return path + ".gz"
    }

    /// Merged, a part of the CSV and one of its gzip copy would count its rows twice:
    /// their files' SHA-256s differ, the CSV they hold does not.
    @Test func aShardAndItsGzipCopyAreTheSameShard() throws {
        let paths = try StatisticsPartTests.shards([Array(StatisticsPartTests.leads.rows[0..<300])])
        let compressed = try Self.gzip(paths[0])
        let profile = StatisticsPartTests.profile()
        let parts = try StatisticsPartTests.parts([paths[0], compressed], profile: profile)
        let (plain, gzip) = (parts[0].part.data[0], parts[1].part.data[0])
        let (plainFile, gzipFile) = (try ContentDigest.sha256(ofFile: paths[0]).hex, try ContentDigest.sha256(ofFile: compressed).hex)
        #expect(plain.contentSHA256 == nil && plain.sha256 == plainFile)
        #expect(gzip.sha256 == gzipFile && gzip.sha256 != plain.sha256)
        #expect(gzip.contentSHA256 == plain.sha256 && gzip.contentDigest == plain.contentDigest)
        let error = #expect(throws: FairleadError.self) { try StatisticsPart.merged(parts) }
        #expect(error?.message.contains("both hold the same CSV, SHA-256 \(plain.sha256) as read") == true
                    && error?.message.contains("its 300 rows would count twice") == true, "\(error?.message ?? "")")
        // The part as JSON says both digests, and reads back. It is version 3, which a
        // fairlead reading version 2 refuses as newer; the plain shard's part stays version 2.
        let json = String(decoding: try parts[1].part.jsonData(), as: UTF8.self)
        #expect(json.contains("\"content_sha256\" : \"\(plain.sha256)\""))
        #expect(parts[1].part.version == 3 && parts[0].part.version == 2)
        #expect(String(decoding: try parts[0].part.jsonData(), as: UTF8.self).contains("\"version\" : 2"))
        #expect(try StatisticsPart.decode(Data(json.utf8), file: "gzip.json") == parts[1].part)
        // Two different shards, one of them gzip, still merge; the report names both digests.
        let other = try StatisticsPartTests.shards([Array(StatisticsPartTests.leads.rows[300..<600])])
        let disjoint = try StatisticsPartTests.parts([other[0]], profile: profile) + [parts[1]]
        let report = try Audit.fromStatistics(profile: profile, parts: disjoint)
        let shards = try #require(report.data.shards)
        #expect(shards.map(\.contentSHA256).sorted { ($0 ?? "") < ($1 ?? "") } == [nil, plain.sha256])
        #expect(shards.map(\.rowsRead) == [300, 300])
    }

    /// A part kept compressed (`gzip part.stats.json`) is a part: it was read as a query
    /// result's CSV and refused for having "no column decision". Two copies of one gzip
    /// shard compressed apart are said to be both gzip.
    @Test func aGzipPartIsReadAsAPart() throws {
        let paths = try StatisticsPartTests.shards([Array(StatisticsPartTests.leads.rows[0..<300])])
        let profile = StatisticsPartTests.profile()
        let part = try StatisticsPartTests.parts(paths, profile: profile)[0].part
        let file = paths[0] + ".stats.json"
        try part.jsonData().write(to: URL(fileURLWithPath: file))
        let compressed = try Self.gzip(file)
        #expect(try StatisticsPart.read(compressed, profile: profile) == part)
        // Two gzip copies of the shard, compressed at other levels: one CSV as read.
        let (fast, best) = (paths[0] + ".1.gz", paths[0] + ".9.gz")
        for (level, path) in [("-1", fast), ("-9", best)] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "gzip \(level) -c \"$0\" > \"$1\"", paths[0], path]
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0)
        }
        let copies = try StatisticsPartTests.parts([fast, best], profile: profile)
        try #require(copies[0].part.data[0].sha256 != copies[1].part.data[0].sha256)
        let error = #expect(throws: FairleadError.self) { try StatisticsPart.merged(copies) }
        #expect(error?.message.contains("(both gzip, compressed apart); its 300 rows would count twice") == true, "\(error?.message ?? "")")
    }

    /// A file has a header at least: a shard of 0 bytes cannot come from one (hand-made
    /// parts listed 200,000 each), and a part listing one is refused, naming it.
    @Test func aShardOfZeroBytesIsRefused() throws {
        let paths = try StatisticsPartTests.shards([Array(StatisticsPartTests.leads.rows[0..<300])])
        var part = try StatisticsPartTests.parts(paths, profile: StatisticsPartTests.profile())[0].part
        part.data.append(.init(source: "s0", sha256: String(repeating: "a", count: 64), bytes: 0, rowsRead: 0))
        let error = #expect(throws: FairleadError.self) { try StatisticsPart.decode(try part.jsonData(), file: "many.json") }
        #expect(error?.message == "shard s0: 0 bytes, but a shard's file holds a header at least (an empty file is refused, by `fairlead stats` as by an audit)",
                "\(error?.message ?? "")")
        #expect(error?.location?.file == "many.json")
        // As `fairlead stats` refuses the empty file itself.
        let empty = try AuditFixtures.temporaryCSV("")
        let stats = #expect(throws: FairleadError.self) {
            try Audit(profile: StatisticsPartTests.profile(path: empty), dataPath: empty).statisticsPart()
        }
        #expect(stats?.message == "empty file: expected a header row" && stats?.location?.file == empty, "\(String(describing: stats))")
    }

    /// A header-only shard is a part (a partition may be empty), and the audit completed
    /// with it says so, naming it.
    @Test func aShardWithoutRowsIsSaid() throws {
        let paths = try StatisticsPartTests.shards([Array(StatisticsPartTests.leads.rows[0..<300]), []])
        let profile = StatisticsPartTests.profile()
        let parts = try StatisticsPartTests.parts(paths, profile: profile)
        #expect(parts[1].part.rowsRead == 0 && parts[1].part.data[0].bytes > 0)
        let report = try Audit.fromStatistics(profile: profile, parts: parts)
        let note = report.notes?.first { $0.hasPrefix("completed from the statistics of") }
        #expect(note?.hasPrefix("completed from the statistics of 2 shards (2 parts), 1 of them with no rows (a header only: \"\(MessageQuote.clipped(paths[1]))\"); ") == true,
                "\(note ?? "")")
    }
}
