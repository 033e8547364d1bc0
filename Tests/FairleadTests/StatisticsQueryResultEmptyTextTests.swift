import Foundation
import Testing
@testable import Fairlead
@testable import FairleadCore

/// A query result written as every engine writes CSV (PostgreSQL's COPY, DuckDB, Spark):
/// SQL NULL as an empty field, the empty text '' as `""`. Where "" is no missing marker,
/// '' is a group of its own in the audit of the rows, and must be one from the result.
@Suite struct StatisticsQueryResultEmptyTextTests {
    /// One attribute, missing marker NA only: '' is a level, NA is missing (`unknown`).
    static func profile(path: String) -> AuditProfile {
        AuditProfile(name: "empty-text", data: .init(path: path, score: "score", label: "outcome", scoreRange: 0...1,
                                                     missingMarkers: ["NA"]),
                     decisions: [.init(name: "threshold_0.5", kind: .threshold(0.5))],
                     sensitive: [.init(column: "ethnicity")])
    }

    /// The rows: '' quoted and unquoted (one value to a data file), NA, and x.
    static let rows = "score,outcome,ethnicity\n0.75,1,\"\"\n0.25,0,\n0.75,0,NA\n0.25,1,x\n0.75,1,x\n"

    @Test func aQuotedEmptyTextIsAGroupAsInTheAuditOfTheRows() throws {
        let path = try AuditFixtures.temporaryCSV(Self.rows)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let profile = Self.profile(path: path)
        let fromRows = try Audit(profile: profile, dataPath: path).statisticsPart()
        // What the query returns for these rows (`fairlead sql`, grouping 0: the attribute),
        // written by hand as DuckDB writes it: '' as "", NULL (the NA row) as nothing.
        let spec = StatisticsSpec(profile).sha256
        let header = PushdownQuery.resultColumns(attributeCount: 1).joined(separator: ",")
        let result = [header,
                      "threshold_0.5,0,\"\",tp,1,1.0,1.0,1.0,0.75,0.75,0.75,\(spec)",
                      "threshold_0.5,0,\"\",tn,1,1.0,1.0,1.0,0.25,0.25,0.25,\(spec)",
                      "threshold_0.5,0,,fp,1,1.0,1.0,1.0,0.75,0.75,0.75,\(spec)",
                      "threshold_0.5,0,x,fn,1,1.0,1.0,1.0,0.25,0.25,0.25,\(spec)",
                      "threshold_0.5,0,x,tp,1,1.0,1.0,1.0,0.75,0.75,0.75,\(spec)"]
        let resultPath = path + ".result.csv"
        try result.joined(separator: "\n").appending("\n").write(toFile: resultPath, atomically: true, encoding: .utf8)
        let fromQuery = try StatisticsPart.fromQueryResult(path: resultPath, profile: profile)
        let groups = fromQuery.decisions[0].groupings[0].groups
        #expect(groups.map(\.group) == [[""], ["unknown"], ["x"]])
        #expect(groups.map { $0.tp[0] + $0.fp[0] + $0.tn[0] + $0.fn[0] } == [2, 1, 2])
        #expect(fromQuery.decisions[0].groupings[0].levels == [["", "x"]])
        // The same groups and cells; a read of rows lists `unknown` last, the result sorted.
        let sorted = { (part: StatisticsPart) in part.decisions[0].groupings[0].groups.sorted { $0.group.lexicographicallyPrecedes($1.group) } }
        #expect(sorted(fromQuery) == sorted(fromRows))
        #expect(fromQuery.decisions[0].groupings[0].hasMissing == fromRows.decisions[0].groupings[0].hasMissing)
        #expect(fromQuery.scores == fromRows.scores && fromQuery.rowsRead == 5)
        // Where the grouping leaves the attribute out (no group can be there), "" is NULL
        // even when '' is a group: a program that quotes every field wrote it.
        let other = AuditProfile(name: "empty-text", data: .init(path: path, score: "score", label: "outcome", scoreRange: 0...1,
                                                                 missingMarkers: ["NA"]),
                                 decisions: [.init(name: "threshold_0.5", kind: .threshold(0.5))],
                                 sensitive: [.init(column: "ethnicity"), .init(column: "gender")])
        let otherSpec = StatisticsSpec(other).sha256
        let twoHeader = PushdownQuery.resultColumns(attributeCount: 2).joined(separator: ",")
        let quoted = [twoHeader,
                      "\"threshold_0.5\",\"2\",\"\",\"\",\"tp\",\"1\",\"1.0\",\"1.0\",\"1.0\",\"0.75\",\"0.75\",\"0.75\",\"\(otherSpec)\"",
                      "\"threshold_0.5\",\"1\",\"\",\"\",\"tp\",\"1\",\"1.0\",\"1.0\",\"1.0\",\"0.75\",\"0.75\",\"0.75\",\"\(otherSpec)\""]
        try quoted.joined(separator: "\n").appending("\n").write(toFile: resultPath, atomically: true, encoding: .utf8)
        let both = try StatisticsPart.fromQueryResult(path: resultPath, profile: other)
        #expect(both.decisions[0].groupings[0].groups.map(\.group) == [[""]])
        #expect(both.decisions[0].groupings[1].groups.map(\.group) == [[""]])
    }
}
