import Foundation
import Testing
@testable import Fairlead
@testable import FairleadCore

/// A query result with a score grid, written by hand from a part of the same rows (as
/// `fairlead sql`'s query returns it), then altered: every refusal says what does not
/// add up and names the group, cell and decision, and every error about a histogram
/// entry names the entry, its group clipped.
@Suite struct StatisticsQueryResultGridTests {
    static func profile(path: String) -> AuditProfile {
        var profile = AuditProfile(name: "grid", data: .init(path: path, score: "score", label: "outcome", scoreRange: 0...1),
                                   decisions: [.init(name: "threshold_0.5", kind: .threshold(0.5))],
                                   sensitive: [.init(column: "ethnicity")])
        profile.statistics = .init(scoreGridBins: 10)
        return profile
    }

    /// 40 rows, groups a (24 rows) and b (16), scores on the grid's cells, no missing value.
    static func part() throws -> (profile: AuditProfile, part: StatisticsPart) {
        let rows = (0..<40).map { "\(Double($0 % 10) / 10 + 0.05),\($0 % 3 == 0 ? 1 : 0),\($0 % 5 < 3 ? "a" : "b")" }
        let path = try AuditFixtures.temporaryCSV((["score,outcome,ethnicity"] + rows).joined(separator: "\n") + "\n")
        let profile = Self.profile(path: path)
        return (profile, try Audit(profile: profile, dataPath: path).statisticsPart())
    }

    /// The part's statistics as the query's result rows: decision cells, then grid entries.
    static func result(of part: StatisticsPart) -> [[String]] {
        let spec = part.profile.statisticsSHA256
        let (low, high) = (part.scores?.min ?? 0, part.scores?.max ?? 0)
        var rows = [PushdownQuery.resultColumns(attributeCount: 1, grid: true)]
        for decision in part.decisions {
            for group in decision.groupings[0].groups {
                for (cell, sums) in [("tp", group.tp), ("fp", group.fp), ("tn", group.tn), ("fn", group.fn)] where sums[0] > 0 {
                    rows.append([decision.name, "0", group.group[0], cell] + sums.map { "\($0)" }
                                + ["\(low)", "\(high)", spec, "", "", "", "", ""])
                }
            }
        }
        for group in part.histograms?[0].groups ?? [] {
            for entry in group.cells {
                rows.append(["", "0", group.group[0], "grid", "\(entry[2])", "\(entry[3])", "", "", "\(entry[5])", "", "", spec,
                             "\(entry[0])", "\(entry[1])", "\(entry[4])", "\(entry[6])", "\(entry[7])"])
            }
        }
        return rows
    }

    static func write(_ rows: [[String]]) throws -> String {
        try AuditFixtures.temporaryCSV(rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n", name: "result.csv")
    }

    static func refusal(_ rows: [[String]], profile: AuditProfile) throws -> FairleadError? {
        let path = try write(rows)
        return #expect(throws: FairleadError.self) { try StatisticsPart.fromQueryResult(path: path, profile: profile) }
    }

    @Test func theHandWrittenResultIsThePart() throws {
        let (profile, part) = try Self.part()
        let fromQuery = try StatisticsPart.fromQueryResult(path: try Self.write(Self.result(of: part)), profile: profile)
        #expect(fromQuery.decisions == part.decisions && fromQuery.histograms == part.histograms)
        #expect(part.histograms?[0].groups.map(\.group) == [["a"], ["b"]] && part.rowsRead == 40)
    }

    /// Saved with every field quoted (pandas' QUOTE_ALL, a spreadsheet), the NULL of a
    /// decision row's grid columns is `""`: "expected a number, found \"\"" refused it.
    @Test func theResultWithEveryFieldQuotedIsThePart() throws {
        let (profile, part) = try Self.part()
        let quoted = Self.result(of: part).map { $0.map { "\"\($0)\"" } }
        let fromQuery = try StatisticsPart.fromQueryResult(path: try Self.write(quoted), profile: profile)
        #expect(fromQuery.decisions == part.decisions && fromQuery.histograms == part.histograms)
    }

    /// A grid row has no decision in the query's result: one written there was read by nobody.
    @Test func aDecisionOnAGridRowIsRefused() throws {
        let (profile, part) = try Self.part()
        var rows = Self.result(of: part)
        let index = try #require(rows.firstIndex { $0[3] == "grid" })
        rows[index][0] = "bogus"
        let error = try Self.refusal(rows, profile: profile)
        #expect(error?.message == "a score grid row has the decision \"bogus\", where the query leaves NULL: the result was changed after the query ran",
                "\(error?.message ?? "")")
        #expect(error?.location?.line == index + 1 && error?.location?.field == "decision")
    }

    /// Weights whose squares underflow, summed by the database: every group counted "0
    /// effective rows" and the audit exited 0 on data whose rows fail. Refused, as
    /// `fairlead stats` refuses to write such a part.
    @Test func weightsTooSmallForTheirSquaresAreRefused() throws {
        let rows = (0..<40).map { "\(Double($0 % 10) / 10 + 0.05),\($0 % 3 == 0 ? 1 : 0),\($0 % 5 < 3 ? "a" : "b"),\(1 + $0 % 2)" }
        let path = try AuditFixtures.temporaryCSV((["score,outcome,ethnicity,w"] + rows).joined(separator: "\n") + "\n")
        var profile = Self.profile(path: path)
        profile.data.weight = "w"
        let part = try Audit(profile: profile, dataPath: path).statisticsPart()
        // Every weight times 1e-200, as the database sums them: Σw² underflows to 0.
        // Columns: 5 weight, 6 squared_weight, 7 scored_weight, 8 score_sum; a grid row's
        // 14-16 are weighted sums too.
        let tiny = Self.result(of: part).enumerated().map { index, row in
            index == 0 ? row : row.enumerated().map { column, field in
                let scaled: Set<Int> = row[3] == "grid" ? [5, 8, 14, 15, 16] : [5, 6, 7, 8]
                guard let value = Double(field), scaled.contains(column) else { return field }
                return "\(column == 6 ? value * 1e-200 * 1e-200 : value * 1e-200)"
            }
        }
        let error = try Self.refusal(tiny, profile: profile)
        #expect(error?.message.hasPrefix("decision threshold_0.5, ethnicity, group [\"a\"]: Σw² (squared weight) of its tp rows is 0.0 while Σw is ") == true,
                "\(error?.message ?? "")")
        #expect(error?.message.hasSuffix("the weights are too small for a part to hold their squares (below about 1e-154); multiply the weight column by a constant, which changes no rate, or audit the rows (fairlead audit --data)") == true)
    }

    /// One more row in one grid cell of group a: the message said "a negative missing_score",
    /// a count the reader derived, not one in the result.
    @Test func aRowAddedToAGridCellNamesTheGroupAndTheDecision() throws {
        let (profile, part) = try Self.part()
        var rows = Self.result(of: part)
        let index = try #require(rows.firstIndex { $0[3] == "grid" && $0[2] == "a" })
        rows[index][4] = "\(Double(rows[index][4])! + 1)"
        rows[index][5] = "\(Double(rows[index][5])! + 1)"
        let error = try Self.refusal(rows, profile: profile)
        #expect(error?.message == "the score grid's rows of ethnicity: group [\"a\"] holds 25 rows in its grid cells, but decision threshold_0.5 counts 24 rows in the group; a group's grid rows are its rows with a score",
                "\(error?.message ?? "")")
        // A ranked row without a label in no group: more grid rows than the rows read.
        var unlabelled = Self.result(of: part)
        unlabelled.append(["", "0", "a", "grid_missing_label", "1", "1", "", "", "0.05", "", "", part.profile.statisticsSHA256, "0", "0", "0", "0.0025", "0"])
        let more = try Self.refusal(unlabelled, profile: profile)
        #expect(more?.message == "the score grid's rows of ethnicity hold 41 rows (grid and grid_missing_label cells), more than the 40 rows the result's decisions count; every row read with a score is in one grid cell",
                "\(more?.message ?? "")")
    }

    /// A grid row of the result with an empty rows field, or listed twice: named by its
    /// group, grid cell and bin.
    @Test func aBadGridRowOfTheResultIsNamed() throws {
        let (profile, part) = try Self.part()
        var rows = Self.result(of: part)
        let index = try #require(rows.firstIndex { $0[3] == "grid" && $0[2] == "b" })
        // Whole numbers, shown without a point (the result writes `3.0`).
        let (cell, bin) = (try #require(Double(rows[index][12]).map { Int($0) }), try #require(Double(rows[index][13]).map { Int($0) }))
        var empty = rows
        empty[index][4] = ""
        let error = try Self.refusal(empty, profile: profile)
        #expect(error?.message == "grid row of group [\"b\"], grid cell \(cell), bin \(bin): the grid cell, bin, rows and sums must be numbers; rows is empty or not finite",
                "\(error?.message ?? "")")
        #expect(error?.location?.line == index + 1)
        rows.append(rows[index])
        let twice = try Self.refusal(rows, profile: profile)
        #expect(twice?.message == "grid row of group [\"b\"], grid cell \(cell), bin \(bin) is listed twice", "\(twice?.message ?? "")")
    }

    /// A grid row whose sums no scores of its cell give: refused as it is read, at its line
    /// and the column of the number found wrong, by the check a part's entries pass.
    @Test func aGridRowOutsideItsCellIsRefusedAtItsColumn() throws {
        let (profile, part) = try Self.part()
        let rows = Self.result(of: part)
        let index = try #require(rows.firstIndex { $0[3] == "grid" && $0[2] == "a" && $0[12] == "1.0" })
        let header = rows[0]
        for (column, value, expected) in [("score_sum", "0.9", "has Σw·s = 0.9, outside what scores from "),
                                          ("score_squared_sum", "0", "has Σw·s² = 0.0, outside what scores from "),
                                          ("positive_score_sum", "100", "Σw·y·s = 100.0"),
                                          ("grid_cell", "10", "cell 10.0 is not a cell of the 10-cell grid"),
                                          ("grid_cell", "9", "grid cell 9 holds scores from 0.9 to 1.0, reliability bin ")] {
            var altered = rows
            let position = try #require(header.firstIndex(of: column))
            altered[index][position] = value
            let error = try Self.refusal(altered, profile: profile)
            #expect(error?.message.hasPrefix("grid row of group [\"a\"], grid cell ") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains(expected) == true, "\(column): \(error?.message ?? "")")
            #expect(error?.location?.line == index + 1 && error?.location?.field != nil, "\(String(describing: error?.location))")
        }
    }

    /// In a part's JSON: the entry by its group (quoted, clipped), index and numbers.
    @Test func aBadHistogramEntryOfAPartIsNamed() throws {
        let (_, part) = try Self.part()
        var edited = part
        edited.histograms?[0].groups[1].cells[2][3] = -1
        let entry = try #require(edited.histograms?[0].groups[1].cells[2])
        let error = #expect(throws: FairleadError.self) { try StatisticsPart.decode(try edited.jsonData(), file: "edited.json") }
        #expect(error?.message == "score histogram ethnicity, histogram group [\"b\"], entry 2 ([\(entry.map { "\($0)" }.joined(separator: ", "))]): weights must be ≥ 0, positives' at most all rows'",
                "\(error?.message ?? "")")
        // A hostile group name (and a group of two values for one attribute) is clipped.
        var hostile = part
        hostile.histograms?[0].groups[0].group = [String(repeating: "G", count: 100_000), "\u{1B}[2J"]
        let clipped = #expect(throws: FairleadError.self) { try StatisticsPart.decode(try hostile.jsonData(), file: "hostile.json") }
        #expect(clipped?.message == "score histogram ethnicity, histogram group [\"\(String(repeating: "G", count: 60))…\", \"\\x1B[2J\"]: 2 values, but the histogram needs one per attribute (1)",
                "\(clipped?.message.prefix(300) ?? "")")
    }
}

extension StatisticsQueryResultGridTests {
    /// Grid rows cut from the result (one, or a group's all): said as grid rows missing, at
    /// the group; it was "4 rows without a score, but decision … leaves out 0 rows for a
    /// missing score", blaming scores the data does not lack.
    @Test func gridRowsMissingFromTheResultAreSaidAsMissing() throws {
        let (profile, part) = try Self.part()
        let rows = Self.result(of: part)
        var one = rows
        one.remove(at: try #require(rows.firstIndex { $0[3] == "grid" && $0[2] == "a" }))
        let error = try Self.refusal(one, profile: profile)
        #expect(error?.message == "the score grid's rows of ethnicity: group [\"a\"] holds 20 rows in its grid cells, but decision threshold_0.5 counts 24 scored rows in the group; grid rows of the result are missing (cut short, or filtered) or were changed; save the whole result of the query again",
                "\(error?.message ?? "")")
        let withoutB = rows.filter { !($0[3] == "grid" && $0[2] == "b") }
        let group = try Self.refusal(withoutB, profile: profile)
        #expect(group?.message == "the score grid's rows of ethnicity: group [\"b\"] holds 0 rows in its grid cells, but decision threshold_0.5 counts 16 scored rows in the group; grid rows of the result are missing (cut short, or filtered) or were changed; save the whole result of the query again",
                "\(group?.message ?? "")")
    }

    /// Values found wrong only after every row is read are still put at a line: the lowest
    /// score outside the declared range at its row's min_score.
    @Test func aScoreOutsideTheRangeIsAtItsLine() throws {
        let (profile, part) = try Self.part()
        var rows = Self.result(of: part)
        let header = rows[0]
        let (minimum, maximum) = (try #require(header.firstIndex(of: "min_score")), try #require(header.firstIndex(of: "max_score")))
        let index = try #require(rows.lastIndex { $0[0] == "threshold_0.5" })
        rows[index][minimum] = "-0.25"
        let error = try Self.refusal(rows, profile: profile)
        #expect(error?.message.hasPrefix("scores run -0.25–") == true, "\(error?.message ?? "")")
        #expect(error?.location == SourceLocation(file: error?.location?.file, line: index + 1, column: minimum + 1, field: "min_score"))
        var above = Self.result(of: part)
        above[1][maximum] = "1.5"
        let high = try Self.refusal(above, profile: profile)
        #expect(high?.location == SourceLocation(file: high?.location?.file, line: 2, column: maximum + 1, field: "max_score"),
                "\(high?.message ?? "")")
    }

    /// One row with another profile's spec among this profile's: that row's line.
    @Test func oneRowWithAnotherSpecIsAtItsLine() throws {
        let (profile, part) = try Self.part()
        var rows = Self.result(of: part)
        let column = try #require(rows[0].firstIndex(of: "statistics_spec"))
        rows[5][column] = String(repeating: "0", count: 64)
        let error = try Self.refusal(rows, profile: profile)
        #expect(error?.message == "line 6 holds the statistics spec \(String(repeating: "0", count: 60))…, other rows this profile's (\(part.profile.statisticsSHA256)): the result mixes two queries' results or was changed; save the whole result of this profile's query again",
                "\(error?.message ?? "")")
        #expect(error?.location?.line == 6 && error?.location?.column == column + 1)
    }

    /// An empty grouping or sum is said as empty (it read "grouping nan", "score_sum is nan").
    @Test func anEmptyGroupingOrSumIsSaidAsEmpty() throws {
        let (profile, part) = try Self.part()
        let rows = Self.result(of: part)
        let header = rows[0]
        var grouping = rows
        grouping[1][1] = ""
        let error = try Self.refusal(grouping, profile: profile)
        #expect(error?.message == "grouping is empty or not a number; expected one of 0 (ethnicity)", "\(error?.message ?? "")")
        #expect(error?.location?.line == 2 && error?.location?.field == "grouping")
        var sum = rows
        sum[1][try #require(header.firstIndex(of: "score_sum"))] = ""
        let empty = try Self.refusal(sum, profile: profile)
        #expect(empty?.message.hasPrefix("score_sum is empty or not a number, expected a finite number: ") == true, "\(empty?.message ?? "")")
    }
}
