import Foundation
import Testing
@testable import Fairlead
@testable import FairleadCore

/// Two values of a sensitive column that differ only in the blanks around them (`white`
/// and `white `) were two groups that every table printed alike: one group shown twice,
/// each with part of its rows, judged apart. Every path that makes groups refuses them,
/// naming both spelt out (and their lines when read from rows).
@Suite struct GroupNamesAlikeTests {
    @Test func theHelperFindsLevelsAlikeButForBlanks() {
        #expect(MessageQuote.firstAlikeButForBlanks(["white", "black", "white "])! == (0, 2))
        #expect(MessageQuote.firstAlikeButForBlanks([" white", "white\u{A0}"])! == (0, 1))
        #expect(MessageQuote.firstAlikeButForBlanks(["  ", " "])! == (0, 1))
        // A tab is printed escaped (`\t`): visibly apart, not refused.
        #expect(MessageQuote.firstAlikeButForBlanks(["white", "white\t"]) == nil)
        // A no-break space within prints as a space does; two spaces print wider than one,
        // and case and other letters print apart.
        #expect(MessageQuote.firstAlikeButForBlanks(["white british", "black", "white\u{A0}british"])! == (0, 2))
        #expect(MessageQuote.blankDifference("white british", "white\u{A0}british")
                == "differ only in their blanks (a no-break or other space in one where the other has a space)")
        #expect(MessageQuote.blankDifference("white", "white ") == "differ only in the blanks around them")
        #expect(MessageQuote.firstAlikeButForBlanks(["white british", "white  british", "White"]) == nil)
        #expect(MessageQuote.firstAlikeButForBlanks([]) == nil)
    }

    /// Rows of three groups, the third being the first with `blank` around it.
    static func rows(_ alike: String) -> String {
        var rows = ["lead_id,score,converted,ethnicity"]
        for index in 0..<60 {
            let group = ["white", "black", alike][index % 3]
            rows.append("L\(index),\(Double(index % 10) / 10),\(index % 2),\(group)")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    static func profile(path: String) -> AuditProfile {
        AuditProfile(name: "alike", data: .init(path: path, id: "lead_id", score: "score", label: "converted", scoreRange: 0...1),
                     decisions: [.init(name: "threshold_0.5", kind: .threshold(0.5))],
                     sensitive: [.init(column: "ethnicity")])
    }

    @Test(arguments: [("white ", "\"white \""), (" white", "\" white\""), ("white\u{A0}", "\"white\\u{00A0}\"")])
    func theAuditOfRowsAndItsStatisticsRefuseThem(alike: String, spelled: String) throws {
        let path = try AuditFixtures.temporaryCSV(Self.rows(alike))
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let profile = Self.profile(path: path)
        let fromRows = #expect(throws: FairleadError.self) { try Audit(profile: profile).run() }
        // Sorted by code point: " white" comes before "white", "white " and "white\u{A0}" after.
        let pair = alike.hasPrefix(" ") ? "\(spelled) (line 4) and \"white\" (line 2)" : "\"white\" (line 2) and \(spelled) (line 4)"
        #expect(fromRows?.message == "sensitive attribute \"ethnicity\" holds \(pair), which differ only in the blanks around them: "
                + "they would be two groups that print alike; trim the column's values and write their spaces as plain spaces first", "\(fromRows?.message ?? "")")
        #expect(fromRows?.location?.file == path)
        let stats = #expect(throws: FairleadError.self) { try Audit(profile: profile, dataPath: path).statisticsPart() }
        #expect(stats?.message == fromRows?.message)
    }

    /// A value of blanks only (`" "`) was a group printed without a name — and could be
    /// the reference — while an empty field is missing (`unknown`).
    @Test func aValueOfBlanksOnlyIsRefused() throws {
        #expect(MessageQuote.firstBlankOnly(["a", "", " "]) == 2)
        #expect(MessageQuote.firstBlankOnly(["a", "", "\t"]) == nil)
        let path = try AuditFixtures.temporaryCSV(Self.rows(" "))
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let error = #expect(throws: FairleadError.self) { try Audit(profile: Self.profile(path: path)).run() }
        #expect(error?.message == "sensitive attribute \"ethnicity\" holds \" \" (line 4), only blanks: a group every table would print "
                + "without a name; make such values empty (missing) or name them", "\(error?.message ?? "")")
    }

    /// A database's result keeps them apart: the audit completed from it refuses them too.
    @Test func anAuditFromADatabasesStatisticsRefusesThem() throws {
        let (profile, part) = try StatisticsQueryResultGridTests.part()
        let rows = StatisticsQueryResultGridTests.result(of: part).map { row in row.map { $0 == "b" ? "a " : $0 } }
        let path = try StatisticsQueryResultGridTests.write(rows)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let fromQuery = try StatisticsPart.fromQueryResult(path: path, profile: profile)
        #expect(fromQuery.decisions[0].groupings[0].levels[0].sorted() == ["a", "a "])
        let error = #expect(throws: FairleadError.self) {
            try Audit.fromStatistics(profile: profile, parts: [(path, fromQuery)], threads: 1)
        }
        #expect(error?.message == "sensitive attribute \"ethnicity\" holds \"a\" and \"a \", which differ only in the blanks around them: "
                + "they would be two groups that print alike; trim the column's values and write their spaces as plain spaces first (in the query or the data)",
                "\(error?.message ?? "")")
        // The same result with the groups apart audits.
        let clean = try StatisticsPart.fromQueryResult(path: try StatisticsQueryResultGridTests.write(StatisticsQueryResultGridTests.result(of: part)),
                                                       profile: profile)
        #expect(try Audit.fromStatistics(profile: profile, parts: [(path, clean)], threads: 1).decisions["threshold_0.5"]?
            .attributes["ethnicity"]?.groups.keys.sorted() == ["a", "b"])
    }
}

/// Column names that differ only in the blanks around them (`eth` and `eth `) print
/// alike in every message and in `inspect`, and `--sensitive 'eth '` (trimmed, as every
/// comma-separated flag is) named the other one: an audit of the wrong column, said
/// nowhere. A header holding such names, or a name of blanks only, is refused, as a name
/// given twice is — whichever columns are read, from a file or a query's result.
@Suite struct ColumnNamesAlikeTests {
    @Test func theCheckNamesBothFields() throws {
        #expect(MessageQuote.columnNameProblem(["a", "b", "a b"]) == nil)
        #expect(MessageQuote.columnNameProblem(["a", "a\t"]) == nil)
        let alike = try #require(MessageQuote.columnNameProblem(["lead_id", "eth", "score", "eth "]))
        #expect(alike.message == "the column names \"eth\" (field 2) and \"eth \" (field 4) differ only in the blanks around them, so they print alike; rename one")
        #expect(alike.field == 3)
        let inner = try #require(MessageQuote.columnNameProblem(["A SECRET", "A\u{A0}SECRET"]))
        #expect(inner.message == "the column names \"A SECRET\" (field 1) and \"A\\u{00A0}SECRET\" (field 2) differ only in their blanks (a no-break or other space in one where the other has a space), so they print alike; rename one")
        let blank = try #require(MessageQuote.columnNameProblem(["lead_id", "\u{A0}"]))
        #expect(blank.message == "the column name of field 2 is blanks only (\"\\u{00A0}\"); every table would print it without a name: give it one")
        let twice = try #require(MessageQuote.columnNameProblem(["a", "b", "a"]))
        #expect(twice.message == "duplicate column name \"a\" (fields 1 and 3)" && twice.field == 2)
    }

    @Test(arguments: [("lead_id,score,converted,eth,eth \n", 5, "the column names \"eth\" (field 4) and \"eth \" (field 5)"),
                      ("lead_id,score,converted, eth,eth\n", 5, "the column names \" eth\" (field 4) and \"eth\" (field 5)"),
                      ("lead_id,score,converted,eth,  \n", 5, "the column name of field 5 is blanks only")])
    func aFileWithSuchAHeaderIsRefusedAtItsField(header: String, column: Int, message: String) throws {
        let path = try AuditFixtures.temporaryCSV(header + "L1,0.5,1,a,b\n")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let error = #expect(throws: FairleadError.self) {
            _ = try CSVReader.read(path: path, columns: [ColumnRequest("score")])
        }
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
        #expect(error?.location?.file == path && error?.location?.line == 1 && error?.location?.column == column)
        var profile = GroupNamesAlikeTests.profile(path: path)
        profile.sensitive = [.init(column: "eth")]
        let audited = #expect(throws: FairleadError.self) { try Audit(profile: profile).run() }
        #expect(audited?.message.hasPrefix(message) == true, "\(audited?.message ?? "")")
    }

    /// One column `eth ` and `--sensitive 'eth '` (trimmed to `eth`), or a profile's
    /// `eth`: the message said `no column "eth"; closest: "eth "`, two names that print
    /// alike. It says what differs.
    @Test func aColumnAskedForWithoutItsBlanksIsNamed() throws {
        #expect(missingColumnMessage("eth", among: ["lead_id", "eth\u{A0}", "score"])
                == "no column \"eth\", but the column \"eth\\u{00A0}\" differs from it only in the blanks around it: rename the column without them")
        #expect(missingColumnMessage("A SECRET", among: ["lead_id", "A\u{A0}SECRET"])
                == "no column \"A SECRET\", but the column \"A\\u{00A0}SECRET\" differs from it only in its blanks (a no-break or other space for a space): write them as plain spaces")
        #expect(missingColumnMessage("eth", among: ["lead_id", "ethnicity"]) == "no column \"eth\"; closest: \"lead_id\", \"ethnicity\"")
        let path = try AuditFixtures.temporaryCSV("lead_id,score,converted,eth \nL1,0.5,1,a\nL2,0.2,0,b\n")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var profile = GroupNamesAlikeTests.profile(path: path)
        profile.sensitive = [.init(column: "eth")]
        let error = #expect(throws: FairleadError.self) { try Audit(profile: profile).run() }
        #expect(error?.message.hasPrefix("no column \"eth\", but the column \"eth \" differs from it only in the blanks around it") == true,
                "\(error?.message ?? "")")
    }
}
