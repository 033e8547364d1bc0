import FairleadCore
import FairleadTestSupport
import Foundation
import Testing
@testable import Fairlead

/// What one part says about a group in one place it must say in every other: groupings,
/// decisions and score histograms count the same rows. A part altered in one place only
/// is refused, naming the file and what disagrees; real parts (merged shards with other
/// levels, a level whose rows all lack a score) pass.
@Suite struct StatisticsPartConsistencyTests {
    static func part(rows: Range<Int> = 0..<400, profile: AuditProfile = StatisticsPartTests.profile()) throws -> StatisticsPart {
        let paths = try StatisticsPartTests.shards([Array(StatisticsPartTests.leads.rows[rows])])
        return try StatisticsPartTests.parts(paths, profile: profile)[0].part
    }

    static func refusal(_ part: StatisticsPart) -> FairleadError? {
        #expect(throws: FairleadError.self) { try StatisticsPart.decode(part.jsonData(), file: "edited.json") }
    }

    /// Moves one row of `cell` from one group to another (an unweighted row of the cell's mean score).
    static func move(_ cell: WritableKeyPath<StatisticsPart.GroupPart, [Double]>, from: Int, to: Int, in groups: inout [StatisticsPart.GroupPart]) {
        let row = groups[from][keyPath: cell]
        let moved = [1, 1, 1, 1, row[4] / row[0]]
        groups[from][keyPath: cell] = zip(row, moved).map { $0 - $1 }
        groups[to][keyPath: cell] = zip(groups[to][keyPath: cell], moved).map { $0 + $1 }
    }

    @Test func anAttributeThatDisagreesWithItsIntersectionsIsRefused() throws {
        var part = try Self.part()
        let index = try #require(part.decisions[0].groupings.firstIndex { $0.attributes == ["ethnicity"] })
        #expect(part.profile.spec.intersections.contains { $0.contains("ethnicity") })
        try #require(part.decisions[0].groupings[index].groups[0].tp[0] >= 1)
        Self.move(\.tp, from: 0, to: 1, in: &part.decisions[0].groupings[index].groups)
        let error = Self.refusal(part)
        #expect(error?.message.contains("decision threshold_0.3: the groups of gender*ethnicity with ethnicity \"asian\" hold tp [7,") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("every grouping of a decision counts the same rows") == true)
        #expect(error?.location?.file == "edited.json")
    }

    @Test func positivesThatDifferBetweenDecisionsAreRefused() throws {
        var profile = StatisticsPartTests.profile()
        profile.intersections = []
        var part = try Self.part(profile: profile)
        var groups = part.decisions[1].groupings[0].groups
        try #require(groups[0].tn[0] >= 1)
        let row = groups[0].tn
        let moved = [1, 1, 1, 1, row[4] / row[0]]
        groups[0].tn = zip(row, moved).map { $0 - $1 }
        groups[0].tp = zip(groups[0].tp, moved).map { $0 + $1 }
        part.decisions[1].groupings[0].groups = groups
        let error = Self.refusal(part)
        #expect(error?.message.contains("decision threshold_0.5 counts positives") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("a group's rows and labels do not depend on the decision") == true)
    }

    @Test func aHistogramWhoseGroupsAreNotTheGroupsRowsIsRefused() throws {
        var part = try Self.part(profile: StatisticsGridTests.gridProfile(StatisticsPartTests.profile(), bins: 10))
        var histogram = try #require(part.histograms?[0])
        let rows = histogram.groups.map { $0.cells.reduce(0) { $0 + $1[2] } }
        try #require(histogram.groups.count >= 2 && rows[0] != rows[1])
        (histogram.groups[0].group, histogram.groups[1].group) = (histogram.groups[1].group, histogram.groups[0].group)
        histogram.groups.sort { $0.group.lexicographicallyPrecedes($1.group) }
        part.histograms?[0] = histogram
        let error = Self.refusal(part)
        #expect(error?.message.contains("score histogram \(histogram.attributes[0]), group [") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("the histogram holds each group's scored rows") == true)
    }

    /// A level no row has, or a missing value without rows, is a phantom n = 0 group: a read
    /// of rows lists a level only when a row holds it (perhaps a row left out for a missing
    /// score, which leaves the level with no counted row).
    @Test func levelsWithoutRowsAreRefusedUnlessLeftOutRowsCouldHoldThem() throws {
        let original = try Self.part()
        let excluded = original.decisions[0].groupings[0].excluded
        let room = excluded.missingScore + excluded.missingPrediction + excluded.missingLabel
        let phantoms = (0...room).map { "zz\($0)" }
        var part = original
        for d in part.decisions.indices {
            for g in part.decisions[d].groupings.indices {
                for (position, name) in part.decisions[d].groupings[g].attributes.enumerated() where name == "ethnicity" {
                    part.decisions[d].groupings[g].levels[position] += phantoms
                }
            }
        }
        let error = Self.refusal(part)
        #expect(error?.message.contains("\(phantoms.count) listed level\(phantoms.count == 1 ? "" : "s") (\"zz0\"") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("a part lists only the levels its rows have") == true)

        // A level whose only rows lack a score is listed by the rows' audit too, with n = 0.
        var rows = Array(StatisticsPartTests.leads.rows[0..<400])
        for index in 397..<400 {
            var fields = rows[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[13] = "zz"
            fields[14] = ""
            rows[index] = fields.joined(separator: ",")
        }
        let path = try StatisticsPartTests.shards([rows])[0]
        let profile = StatisticsPartTests.profile(path: path)
        let witnessed = try StatisticsPartTests.parts([path], profile: profile)
        #expect(witnessed[0].part.decisions[0].groupings[2].levels[0].contains("zz"))
        _ = try StatisticsPart.decode(witnessed[0].part.jsonData(), file: "witnessed.json")
        let full = try Audit(profile: profile, clock: AuditFixtures.fixedClock).run()
        let merged = try Audit.fromStatistics(profile: profile, parts: witnessed, clock: AuditFixtures.fixedClock)
        #expect(JSONDifferences.of(try StatisticsPartTests.comparable(full), try StatisticsPartTests.comparable(merged)).isEmpty)
    }

    /// Two shards, each with one spelling of one group: the rows' audit refuses the column,
    /// and so does the merge of their parts, naming both files.
    @Test func partsWithOneGroupInTwoSpellingsDoNotMerge() throws {
        let rows = StatisticsPartTests.leads.rows
        let a = rows[0..<300].map { $0.replacingOccurrences(of: ",other,", with: ",caf\u{E9},") }
        let b = rows[300..<600].map { $0.replacingOccurrences(of: ",other,", with: ",cafe\u{301},") }
        #expect(a.contains { $0.contains("caf\u{E9}") } && b.contains { $0.contains("cafe\u{301}") })
        let paths = try StatisticsPartTests.shards([a, b])
        let profile = StatisticsPartTests.profile()
        let parts = try StatisticsPartTests.parts(paths, profile: profile)
        let error = #expect(throws: FairleadError.self) { try StatisticsPart.merged(parts) }
        #expect(error?.message.contains("list the ethnicity level in two Unicode spellings, \"caf\\u{00E9}\" in \(parts[0].file) and \"cafe\\u{0301}\" in \(parts[1].file)") == true,
                "\(error?.message ?? "")")
        #expect(throws: FairleadError.self) { try Audit.fromStatistics(profile: profile, parts: parts) }
    }
}
