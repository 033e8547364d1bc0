import FairleadCore
import Foundation
import Testing
@testable import Fairlead

/// A query result's shard is marked as one (`query_result`), in the part read from it and
/// in the JSON written from that part, so a merge says it cannot check it for overlap.
@Suite struct StatisticsPartQueryResultShardTests {
    @Test func aQueryResultsShardIsMarkedThroughItsJSON() throws {
        let profile = PushdownQueryTests.profile()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("result.csv").path
        try (PushdownQuery.resultColumns(attributeCount: 2).joined(separator: ",") + "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let part = try StatisticsPart.fromQueryResult(path: path, profile: profile)
        #expect(part.data.map(\.queryResult) == [true])
        #expect(part.version == 4)
        let json = try part.jsonData()
        #expect(String(decoding: json, as: UTF8.self).contains("\"query_result\" : true"))
        let again = try StatisticsPart.decode(json, file: "part.json")
        #expect(again.data == part.data)

        let rows = StatisticsPart.ShardInfo(source: "rows.csv", sha256: String(repeating: "a", count: 64), bytes: 10, rowsRead: 5)
        #expect(StatisticsPart.uncheckedOverlap([rows]) == nil)
        #expect(StatisticsPart.uncheckedOverlap(again.data) == nil)
        let note = try #require(StatisticsPart.uncheckedOverlap([rows] + again.data))
        #expect(note.hasPrefix("1 of the 2 shards is a query result (\"") && note.contains("\"): a query result holds the database's sums, and its digest is of those sums"), "\(note)")
    }
}
