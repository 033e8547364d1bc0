import FairleadTestSupport
import Foundation
import Testing
@testable import Fairlead
import FairleadCore

/// A sensitive attribute given as one-hot indicator columns (`name:` with `one_hot:`):
/// audited as the one column holding each row's group would be, its missing rows under
/// the attribute's policy, and a row with two indicators at 1 refused at its line.
@Suite struct OneHotAttributeTests {
    /// The bundled leads sample twice: once with `ethnicity` as four indicators (`other`
    /// has none: its rows have every indicator 0; every 13th lead's `eth_black` is missing),
    /// once with `ethnicity` as one column, empty where the indicators give no group.
    /// The indicators are spelt as a 0/1 column may be: `1.0`/`0.0`, `true`/`false`,
    /// 0/1 with `NA`, and 1/0 beside true/false in one column.
    static func leadsBothWays() throws -> (indicators: String, column: String) {
        let lines = try String(contentsOfFile: AuditFixtures.leads, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let ethnicity = try #require(header.firstIndex(of: "ethnicity"))
        var indicators = [(header.filter { $0 != "ethnicity" } + ["eth_white", "eth_black", "eth_asian", "eth_hispanic"]).joined(separator: ",")]
        var column = [lines[0]]
        for (index, line) in lines.dropFirst().enumerated() {
            var values = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let group = values.remove(at: ethnicity)
            let blackMissing = index % 13 == 0
            indicators.append((values + [group == "white" ? "1.0" : "0.0",
                                         blackMissing ? "NA" : (group == "black" ? "1" : "0"),
                                         group == "asian" ? "true" : "false",
                                         group == "hispanic" ? "1" : (index % 2 == 0 ? "false" : "0")]).joined(separator: ","))
            var same = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if group == "other" || blackMissing { same[ethnicity] = "" }
            column.append(same.joined(separator: ","))
        }
        return (try AuditFixtures.temporaryCSV(indicators.joined(separator: "\n") + "\n", name: "indicators.csv"),
                try AuditFixtures.temporaryCSV(column.joined(separator: "\n") + "\n", name: "column.csv"))
    }

    /// The profile of both files; `ethnicity` is the attribute's entry under `sensitive:`.
    static func profile(path: String, ethnicity: String, missing: String = "unknown") throws -> AuditProfile {
        try unfiled(AuditProfile.parse("""
            name: onehot
            data:
              path: \(path)
              id: lead_id
              score: score
              label: converted
              score_range: [0, 1]
            decisions:
              - threshold: 0.3
              - top_k: 10%
            sensitive:
              - \(ethnicity)
                reference: white
                labels: {asian: Asian}
                missing: \(missing)
              - column: gender
            intersections:
              - [ethnicity, gender]
            rules:
              - disparate_impact >= 0.8
              - check: equal_opportunity_difference <= 0.1
                attributes: [ethnicity, ethnicity*gender]
            settings:
              min_group_size: 30
              bootstrap: 200
              seed: 11
            """))
    }

    /// `profile` as if given without a file (an audit fingerprints its profile's files).
    static func unfiled(_ profile: AuditProfile) -> AuditProfile {
        var profile = profile
        profile.sourceFiles = []
        return profile
    }

    static let oneHotEntry = "name: ethnicity\n    one_hot: {white: eth_white, black: eth_black, asian: eth_asian, hispanic: eth_hispanic}"

    static func json(_ report: AuditReport) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
    }

    @Test(arguments: ["unknown", "exclude"])
    func theAuditOfTheIndicatorsEqualsTheAuditOfOneColumn(missing: String) throws {
        let (indicators, column) = try Self.leadsBothWays()
        defer {
            try? FileManager.default.removeItem(atPath: (indicators as NSString).deletingLastPathComponent)
            try? FileManager.default.removeItem(atPath: (column as NSString).deletingLastPathComponent)
        }
        let oneHot = try Self.profile(path: indicators, ethnicity: Self.oneHotEntry, missing: missing)
        let plain = try Self.profile(path: column, ethnicity: "column: ethnicity", missing: missing)
        let a = try Audit(profile: oneHot, threads: 2, clock: AuditFixtures.fixedClock).run()
        let b = try Audit(profile: plain, threads: 2, clock: AuditFixtures.fixedClock).run()
        let (left, right) = (try Self.json(a), try Self.json(b))
        let differences = JSONDifferences.ofStatistics(left, right)
        #expect(differences.isEmpty, "\(differences.prefix(8))")
        #expect(a.status == b.status)

        // The groups: the four indicators' (other has none), and the rows without one.
        let decision = try #require(a.decisions["threshold_0.3"])
        let groups = try #require(decision.attributes["ethnicity"]?.groups)
        let expected = missing == "unknown" ? ["asian", "black", "hispanic", "unknown", "white"] : ["asian", "black", "hispanic", "white"]
        #expect(groups.keys.sorted() == expected)
        #expect(decision.attributes["ethnicity*gender"] != nil)
        // What was read, and why: the indicators, for grouping; no column "ethnicity".
        let data = try #require(left["data"] as? [String: Any])
        let columns = try #require(data["columns"] as? [String])
        #expect(columns.contains("eth_white") && columns.contains("eth_hispanic") && !columns.contains("ethnicity"), "\(columns)")
        let purposes = try #require(data["column_purposes"] as? [[String: Any]])
        let black = purposes.first { $0["column"] as? String == "eth_black" }
        #expect(black?["purposes"] as? [String] == ["grouping"], "\(purposes)")
    }

    /// Rows of a small file: no indicator at 1, an indicator missing, and two at 1.
    static let small = """
        score,converted,race_white,race_black,race_asian
        0.9,1,1,0,0
        0.8,0,0,1,0
        0.7,1,0,0,1
        0.6,0,0,0,0
        0.5,1,NA,0,0
        0.4,0,1,0,0

        """

    static func smallProfile(path: String, missing: String = "unknown", extra: String = "") throws -> AuditProfile {
        try unfiled(AuditProfile.parse("""
            name: small
            data: {path: \(path), score: score, label: converted}
            decisions: [{threshold: 0.5}]
            sensitive:
              - name: race
                one_hot:
                  white: race_white
                  black: race_black
                  asian: race_asian
                missing: \(missing)\(extra)
            settings: {min_group_size: 1, bootstrap: 0}
            """))
    }

    @Test func aRowWithoutAnIndicatorAtOneOrWithOneMissingIsMissing() throws {
        let path = try AuditFixtures.temporaryCSV(Self.small)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let data = try AuditData.read(profile: try Self.smallProfile(path: path), path: path, threads: 1)
        let race = try #require(data.attributes.first)
        #expect(race.name == "race" && race.levels == ["asian", "black", "white"])
        #expect((0..<6).map { race.codes[$0] } == [2, 1, 0, -1, -1, 2])

        let unknown = try Audit(profile: try Self.smallProfile(path: path), threads: 1).run()
        let groups = try #require(unknown.decisions["threshold_0.5"]?.attributes["race"]?.groups)
        #expect(groups["unknown"]?.count == 2 && groups["white"]?.count == 2, "\(groups.keys.sorted())")
        let excluded = try Audit(profile: try Self.smallProfile(path: path, missing: "exclude"), threads: 1).run()
        let section = try #require(excluded.decisions["threshold_0.5"]?.attributes["race"])
        #expect(section.groups["unknown"] == nil && section.excludedMissing == 2, "\(section.groups.keys.sorted())")
    }

    @Test func twoIndicatorsAtOneOnARowAreRefusedAtItsLine() throws {
        let path = try AuditFixtures.temporaryCSV(Self.small.replacingOccurrences(of: "0.4,0,1,0,0", with: "0.4,0,1,0,true"))
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let error = try #require(throws: FairleadError.self) { try Audit(profile: try Self.smallProfile(path: path), threads: 1).run() }
        #expect(error.kind == .invalidData)
        #expect(error.message == "race_white and race_asian are both 1: a one-hot attribute takes one group per row (sensitive attribute race)", "\(error.message)")
        #expect(error.location?.file == path && error.location?.line == 7 && error.location?.field == "race_asian", "\(String(describing: error.location))")
        #expect(error.location?.column != nil)
        // Three at 1, said so.
        let three = try AuditFixtures.temporaryCSV(Self.small.replacingOccurrences(of: "0.8,0,0,1,0", with: "0.8,0,1,1,1"))
        defer { try? FileManager.default.removeItem(atPath: (three as NSString).deletingLastPathComponent) }
        let all = try #require(throws: FairleadError.self) { try Audit(profile: try Self.smallProfile(path: three), threads: 1).run() }
        #expect(all.message.hasPrefix("race_white, race_black and race_asian are all 1: ") && all.location?.line == 3, "\(all.message)")
    }

    @Test func anIndicatorThatIsNotZeroOrOneIsRefusedAtItsLine() throws {
        let path = try AuditFixtures.temporaryCSV(Self.small.replacingOccurrences(of: "0.6,0,0,0,0", with: "0.6,0,0,2,0"))
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let error = try #require(throws: FairleadError.self) { try Audit(profile: try Self.smallProfile(path: path), threads: 1).run() }
        #expect(error.message == "expected 0/1 or true/false, found \"2\"", "\(error.message)")
        #expect(error.location?.line == 5 && error.location?.column == 4 && error.location?.field == "race_black", "\(String(describing: error.location))")
        let word = try AuditFixtures.temporaryCSV(Self.small.replacingOccurrences(of: "0.6,0,0,0,0", with: "0.6,0,0,yes,0"))
        defer { try? FileManager.default.removeItem(atPath: (word as NSString).deletingLastPathComponent) }
        let text = try #require(throws: FairleadError.self) { try Audit(profile: try Self.smallProfile(path: word), threads: 1).run() }
        #expect(text.message == "expected 0/1 or true/false, found \"yes\"" && text.location?.line == 5, "\(text.message)")
    }

    @Test func aMissingIndicatorColumnIsNamedBeforeAnyRowIsRead() throws {
        let path = try AuditFixtures.temporaryCSV(Self.small.replacingOccurrences(of: "race_asian", with: "race_asain"))
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let error = try #require(throws: FairleadError.self) { try AuditPreflight.check(try Self.smallProfile(path: path)) }
        #expect(error.message.hasPrefix("no column \"race_asian\""), "\(error.message)")
        #expect(error.location?.line == 1 && error.location?.field == "race_asian")
    }

    @Test func theSummarySaysHowTheAttributeIsBuilt() throws {
        let profile = try Self.smallProfile(path: "x.csv")
        #expect(profile.columnsRead == ["score", "converted", "race_white", "race_black", "race_asian"])
        let line = try #require(profile.summaryLines.first { $0.hasPrefix("  race (") })
        #expect(line == "  race (one-hot: the group whose indicator is 1, white (race_white), black (race_black), asian (race_asian); "
                + "two indicators at 1 on a row are refused; reference: the largest group; missing values (no indicator at 1, or one missing) audited as \"unknown\")",
                "\(line)")
    }

    /// Every key a plain attribute has that a one-hot one cannot take, and every name that
    /// would collide, refused at its key.
    @Test(arguments: [
        ("\n    bins: [1, 2]", "sensitive[0].bins", "bins: does not go with one_hot:, whose keys are the attribute's groups"),
        ("\n    values: [a, b]", "sensitive[0].values", "values: does not go with one_hot:"),
        ("\n    column: race", "sensitive[0].column", "a one-hot attribute is read from its one_hot: columns"),
        ("\n    reference: purple", "sensitive[0].reference", "the reference group 'purple' is not one of the one_hot groups: white, black, asian"),
        ("\n    labels: {purple: Purple}", "sensitive[0].labels", "labels: names 'purple', which is not one of the one_hot groups"),
    ])
    func keysThatDoNotGoWithOneHotAreRefused(extra: String, field: String, message: String) throws {
        let error = try #require(throws: FairleadError.self) { try Self.smallProfile(path: "x.csv", extra: extra) }
        #expect(error.kind == .invalidProfile)
        #expect(error.location?.field == field && error.message.contains(message), "\(String(describing: error.location?.field)): \(error.message)")
    }

    @Test(arguments: [
        ("- {name: race, one_hot: {white: race_white}}", "sensitive[0].one_hot", "expected two or more groups"),
        ("- {name: race, one_hot: [race_white, race_black]}", "sensitive[0].one_hot", "expected a mapping of each group's value"),
        ("- {one_hot: {white: race_white, black: race_black}}", "sensitive[0].name", "missing required key 'name'"),
        ("- {name: race}", "sensitive[0].name", "name: names an attribute built from indicator columns; give its one_hot:"),
        ("- {name: score, one_hot: {white: race_white, black: race_black}}", "sensitive[0].name",
         "'score' is the score column (data.score) too"),
        ("- {name: race, one_hot: {white: race_white, black: race_white}}", "sensitive[0].one_hot", "'race_white' is the indicator of group 'white' of sensitive[0] (one_hot) too"),
        ("- {name: race, one_hot: {white: race_white, black: converted}}", "sensitive[0].one_hot", "'converted' is the label column (data.label) too"),
        ("- race_white\n  - {name: race, one_hot: {white: race_white, black: race_black}}", "sensitive[1].one_hot", "'race_white' is a sensitive attribute (sensitive[0]) too"),
        ("- {name: race_white, one_hot: {white: race_white, black: race_black}}", "sensitive[0].one_hot", "'race_white' is the name of the one-hot attribute sensitive[0] too"),
        ("- race\n  - {name: race, one_hot: {white: race_white, black: race_black}}", "sensitive[1]", "two sensitive attributes are named 'race'"),
        ("- {name: 'a*b', one_hot: {white: race_white, black: race_black}}", "sensitive[0].name", "'*' joins the attributes of an intersection"),
    ])
    func malformedOneHotEntriesAreRefusedAtTheirKey(entry: String, field: String, message: String) throws {
        let error = try #require(throws: FairleadError.self) {
            try AuditProfile.parse("name: t\ndata: {score: score, label: converted}\ndecisions: [{threshold: 0.5}]\nsensitive:\n  \(entry)\n")
        }
        #expect(error.location?.field == field && error.message.contains(message), "\(String(describing: error.location?.field)): \(error.message)")
        #expect(error.location?.line != nil)
    }

    /// The sections that read a sensitive attribute as one column are refused, not half done.
    @Test func sectionsThatReadOneColumnPerAttributeAreRefused() throws {
        let base = "name: t\ndata: {score: score}\ndecisions: [{threshold: 0.5}]\nsensitive:\n  - {name: race, one_hot: {white: race_white, black: race_black}}\n"
        let model = try #require(throws: FairleadError.self) { try AuditProfile.parse(base + "model: {path: m.json}\n") }
        #expect(model.location?.field == "model"
                && model.message == "sensitive[0] (race) is a one-hot attribute: one_hot attributes are not yet supported with model: (explanations, proxies, individual fairness), which read each sensitive attribute as one column; audit them in a profile without model:, or give the attribute as one column",
                "\(model.message)")
        let privacy = try #require(throws: FairleadError.self) { try AuditProfile.parse(base + "privacy: {quasi_identifiers: [region]}\n") }
        #expect(privacy.location?.field == "privacy.quasi_identifiers" && privacy.message.contains("not yet supported by privacy.quasi_identifiers"))
    }

    /// The statistics spec holds the indicators: parts of a one-hot attribute do not merge
    /// with parts of a column of the same name; a plain attribute's spec keeps its digest.
    @Test func theStatisticsSpecNamesTheIndicators() throws {
        let oneHot = try Self.smallProfile(path: "x.csv")
        var plain = oneHot
        plain.sensitive[0] = .init(column: "race")
        let spec = StatisticsSpec(oneHot)
        #expect(spec.sensitive[0].oneHot == [["white", "race_white"], ["black", "race_black"], ["asian", "race_asian"]])
        #expect(spec.sha256 != StatisticsSpec(plain).sha256)
        let text = String(decoding: try JSONEncoder().encode(StatisticsSpec(plain)), as: UTF8.self)
        #expect(!text.contains("one_hot"))
        #expect(spec.difference(from: StatisticsSpec(plain))?.hasPrefix("sensitive is") == true)
    }

    /// `fairlead stats` on shards of the indicators, merged, completes the audit the rows give.
    @Test func statisticsPartsOfTheIndicatorsCompleteTheAuditOfTheRows() throws {
        let path = try AuditFixtures.temporaryCSV(Self.small)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let profile = try Self.smallProfile(path: path)
        let part = try Audit(profile: profile, dataPath: path).statisticsPart()
        let fromPart = try Audit.fromStatistics(profile: profile, parts: [(file: "p.json", part: part)], clock: AuditFixtures.fixedClock)
        let fromRows = try Audit(profile: profile, threads: 1, clock: AuditFixtures.fixedClock).run()
        let differences = JSONDifferences.ofStatistics(try Self.json(fromRows), try Self.json(fromPart))
        #expect(differences.isEmpty, "\(differences.prefix(5))")
    }

    /// The pushdown query builds the group with a CASE over the indicators, in every
    /// dialect, and marks a row with two at 1 (or another value) as a cell of its own.
    @Test(arguments: PushdownQuery.Dialect.allCases)
    func theQueryBuildsTheGroupFromTheIndicators(dialect: PushdownQuery.Dialect) throws {
        let profile = try Self.smallProfile(path: "x.csv")
        let sql = try PushdownQuery(profile: profile, dialect: dialect, source: .table("leads")).sql()
        let quoted = dialect == .postgres || dialect == .duckdb ? "\"race_asian\"" : "`race_asian`"
        #expect(sql.contains(" THEN 'asian' ELSE NULL END AS a0"), "\(sql)")
        #expect(sql.contains(quoted))
        #expect(sql.contains("WHEN h = 1 THEN 'invalid_indicator' WHEN h = 2 THEN 'several_indicators'"), "\(sql)")
        #expect(!sql.contains("\"race\"") && !sql.contains("`race`"))
    }

    /// A result holding the cell `several_indicators` is refused, saying how many rows.
    @Test func aQueryResultCountingRowsWithTwoIndicatorsAtOneIsRefused() throws {
        let profile = try Self.smallProfile(path: "x.csv")
        let spec = StatisticsSpec(profile).sha256
        var rows = [PushdownQuery.resultColumns(attributeCount: 1)]
        rows.append(["threshold_0.5", "0", "white", "tp", "2", "2", "2", "2", "1.3", "0.6", "0.7", spec])
        rows.append(["threshold_0.5", "0", "", "several_indicators", "3", "3", "3", "3", "1.5", "0.5", "0.5", spec])
        let path = try AuditFixtures.temporaryCSV(rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n", name: "result.csv")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let error = try #require(throws: FairleadError.self) { try StatisticsPart.fromQueryResult(path: path, profile: profile) }
        #expect(error.message == "3 rows the query read have two or more indicators at 1 of one one-hot attribute, race (race_white, race_black, race_asian): "
                + "a one-hot attribute takes one group per row, and such a row belongs to none; the audit of the rows names the first", "\(error.message)")
        // A profile without a one-hot attribute has no such cell.
        var plain = profile
        plain.sensitive[0] = .init(column: "race")
        rows = rows.map { $0.map { $0 == spec ? StatisticsSpec(plain).sha256 : $0 } }
        try (rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let other = try #require(throws: FairleadError.self) { try StatisticsPart.fromQueryResult(path: path, profile: plain) }
        #expect(other.message.contains("cell several_indicators, but the profile has no one-hot attribute"), "\(other.message)")
    }
}
