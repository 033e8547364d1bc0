import Foundation
import Testing
@testable import Fairlead

/// Hand-made data sets with known answers: row accounting, production mode, errors.
@Suite struct AuditBehaviourTests {
    static func profile(score: String = "score", label: String? = "y", rules: [AuditProfile.RuleSpec] = [],
                        missing: AuditProfile.SensitiveSpec.MissingPolicy = .unknownGroup,
                        reference: AuditProfile.SensitiveSpec.Reference = .largest,
                        minimumGroupSize: Int = 1) -> AuditProfile {
        AuditProfile(name: "t", data: .init(score: score, label: label, scoreRange: 0...1),
                     decisions: [.init(name: "t05", kind: .threshold(0.5))],
                     sensitive: [.init(column: "g", reference: reference, missing: missing)],
                     rules: rules, settings: .init(minimumGroupSize: minimumGroupSize, bootstrapReplicates: 0))
    }

    /// a: scores 0.9 0.8 0.2 0.1 (2 of 4 selected); b: 0.7 0.3 0.2 (1 of 3); one row with
    /// no group, one with no label, one with no score.
    static let csv = """
        id,score,y,g
        1,0.9,1,a
        2,0.8,0,a
        3,0.2,1,a
        4,0.1,0,a
        5,0.7,1,b
        6,0.3,0,b
        7,0.2,0,b
        8,0.6,1,
        9,0.9,NA,b
        10,,1,a

        """

    @Test func rowsAreAccountedForAndRatesAreExact() throws {
        let path = try AuditFixtures.temporaryCSV(Self.csv)
        let report = try Audit(profile: Self.profile(), dataPath: path, threads: 1, clock: AuditFixtures.fixedClock).run()
        #expect(report.rows == AuditReport.RowAccounting(read: 10, used: 8, excluded: ["missing_score": 1, "missing_label": 1]))
        let g = try #require(report.decisions["t05"]?.attributes["g"])
        #expect(g.groups.keys.sorted() == ["a", "b", "unknown"])
        #expect(g.groups["a"]?.metrics["selection_rate"]?.value == 0.5)
        #expect(g.groups["a"]?.metrics["selection_rate"]?.numerator == 2)
        #expect(g.groups["a"]?.metrics["selection_rate"]?.denominator == 4)
        #expect(g.groups["b"]?.metrics["selection_rate"]?.value == 1.0 / 3)
        #expect(g.groups["b"]?.metrics["true_positive_rate"]?.value == 1)
        #expect(g.groups["unknown"]?.count == 1)
        #expect(g.groups["a"]?.metrics["false_positive_rate"]?.value == 0.5)
        #expect(g.referenceGroup == "a")
        #expect(g.disparities["selection_rate"]?.ratioToReference["b"]?.value == (1.0 / 3) / 0.5)
        #expect(report.decisions["t05"]?.selected == 4)
        // The Wilson interval of 2/4 at 95%.
        let interval = try #require(g.groups["a"]?.metrics["selection_rate"]?.interval)
        #expect(abs(interval[0] - 0.15003898915214947) < 1e-12 && abs(interval[1] - 0.8499610108478506) < 1e-12)
    }

    @Test func excludedMissingSensitiveValuesAreCounted() throws {
        let path = try AuditFixtures.temporaryCSV(Self.csv)
        let report = try Audit(profile: Self.profile(missing: .exclude), dataPath: path, threads: 1).run()
        let g = try #require(report.decisions["t05"]?.attributes["g"])
        #expect(g.groups.keys.sorted() == ["a", "b"])
        #expect(g.excludedMissing == 1)
    }

    @Test func productionModeWithoutLabelsAuditsLabelFreeMetrics() throws {
        let path = try AuditFixtures.temporaryCSV(Self.csv)
        let rules = [AuditProfile.RuleSpec(metric: .disparateImpact, comparison: .atLeast, bound: 0.8),
                     AuditProfile.RuleSpec(metric: .equalOpportunityDifference, comparison: .atMost, bound: 0.1)]
        let report = try Audit(profile: Self.profile(label: nil, rules: rules), dataPath: path, threads: 1).run()
        #expect(report.rows == AuditReport.RowAccounting(read: 10, used: 9, excluded: ["missing_score": 1]))
        let g = try #require(report.decisions["t05"]?.attributes["g"])
        #expect(g.groups["a"]?.metrics["true_positive_rate"] == nil)
        #expect(g.groups["b"]?.metrics["selection_rate"]?.value == 0.5)
        #expect(report.findings.map(\.verdict) == [.pass, .pass, .insufficientEvidence])
        #expect(report.findings.map(\.group) == ["b", "unknown", nil])
        #expect(report.findings[2].reason == "equal_opportunity_difference needs labels; the data has no label column; a label column (or `fairlead history label` once outcomes arrive) would decide it")
        #expect(report.status == .insufficientEvidence)
    }

    @Test func smallGroupsGetInsufficientEvidence() throws {
        let path = try AuditFixtures.temporaryCSV(Self.csv)
        let rules = [AuditProfile.RuleSpec(metric: .disparateImpact, comparison: .atLeast, bound: 0.8)]
        let report = try Audit(profile: Self.profile(rules: rules, minimumGroupSize: 4), dataPath: path, threads: 1).run()
        // b has 3 rows (one more has no label), under 4; unknown has 1.
        #expect(report.findings.map(\.group) == ["b", "unknown"])
        #expect(report.findings.map(\.verdict) == [.insufficientEvidence, .insufficientEvidence])
        #expect(report.findings[0].reason == "group 'b' has 3 rows, under the minimum of 4; 1 more rows in 'b' would decide it")
        #expect(report.decisions["t05"]?.attributes["g"]?.groups["b"]?.sufficient == false)
    }

    @Test func reportRoundTripsThroughJSONAndIsDeterministic() throws {
        let profile = AuditFixtures.goldenProfile(bootstrap: 200)
        let first = try Audit(profile: profile, threads: 2, clock: AuditFixtures.fixedClock).run()
        let second = try Audit(profile: profile, threads: 1, clock: AuditFixtures.fixedClock).run()
        let json = try first.jsonData()
        #expect(json == (try second.jsonData()))
        #expect(try AuditReport.decode(json: json) == first)
        let interval = try #require(first.decisions["threshold_0.3"]?.attributes["ethnicity"]?
            .disparities["selection_rate"]?.ratioToReference["black"]?.interval)
        #expect(interval[0] < 0.3802 && 0.3802 < interval[1])
        #expect(first.generatedAt == "2026-11-18T11:06:40Z")
        #expect(first.data.columns == ["lead_id", "score", "converted", "gender", "age_band", "ethnicity"])
        #expect(first.data.sha256 == (try ContentDigest.sha256(ofFile: AuditFixtures.leads)).hex)
    }

    /// `1e300` rows is JSON, but no count: the decoder said "the file is not valid JSON",
    /// with no place. The message names the line, column and key, and what was expected.
    @Test func aCountThatIsNoWholeNumberIsLocated() throws {
        let report = try Audit(profile: AuditFixtures.goldenProfile(bootstrap: 0), threads: 1, clock: AuditFixtures.fixedClock).run()
        let text = String(decoding: try report.jsonData(), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let line = try #require(lines.lastIndex { $0.hasPrefix("    \"used\" : ") })
        lines[line] = lines[line].replacing(#/\d+/#, with: "1e300")
        let error = #expect(throws: FairleadError.self) {
            try AuditReport.decode(json: Data(lines.joined(separator: "\n").utf8), source: "rep.json")
        }
        #expect(error?.message == "not a valid Fairlead report of schema version 2: expected a whole number from -9223372036854775808 to 9223372036854775807, found 1e300")
        #expect(error?.location == SourceLocation(file: "rep.json", line: line + 1, column: 14, field: "rows.used"))
    }

    /// A key given twice reads as its first copy here and its last in Python and jq: a
    /// second `"status"` or profile `"name"` made one file two reports.
    @Test func aKeyGivenTwiceIsRefusedAtItsSecondCopy() throws {
        let report = try Audit(profile: AuditFixtures.goldenProfile(bootstrap: 0), threads: 1, clock: AuditFixtures.fixedClock).run()
        let text = String(decoding: try report.jsonData(), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let nameLine = try #require(lines.firstIndex { $0.hasPrefix("    \"name\" : ") })
        lines.insert("    \"name\" : \"another\",", at: nameLine + 1)
        let error = #expect(throws: FairleadError.self) {
            try AuditReport.decode(json: Data(lines.joined(separator: "\n").utf8), source: "rep.json")
        }
        #expect(error?.message == "not a report as `fairlead audit` writes it: the key \"name\" is given twice in one object, and readers disagree on which copy counts (this one reads the first, Python and jq the last); restore the report, or audit the data again")
        #expect(error?.location == SourceLocation(file: "rep.json", line: nameLine + 2, column: 11, field: "profile.name"))
        // At the top level, spelt with an escape ("\u0073tatus" is "status"), it is the same key.
        let status = text.replacingOccurrences(of: "\n}", with: ",\n  \"\\u0073tatus\" : \"pass\"\n}")
        let second = #expect(throws: FairleadError.self) { try AuditReport.decode(json: Data(status.utf8), source: "rep.json") }
        #expect(second?.location?.field == "status", "\(String(describing: second))")
    }

    /// Numbers no audit writes, each refused with where it is: a rate of 5.0 beside its
    /// 117/931, a share of -3, findings at a decision the report lost, a time that is no
    /// time. They rendered as "5.000" and "-300.0%" with exit 0.
    @Test func impossibleNumbersAreRefused() throws {
        let report = try Audit(profile: AuditFixtures.goldenProfile(bootstrap: 0), threads: 1, clock: AuditFixtures.fixedClock).run()
        #expect(report.inconsistency == nil)
        let decision = try #require(report.decisions.keys.sorted().first)
        let attribute = try #require(report.decisions[decision]?.attributes.keys.sorted().first)
        let group = try #require(report.decisions[decision]?.attributes[attribute]?.groups.keys.sorted().first)
        let place = "decisions.\(decision).attributes.\(attribute).groups.\(group)"
        func edited(_ change: (inout AuditReport) -> Void) -> String? {
            var copy = report
            change(&copy)
            return copy.inconsistency
        }
        let rate = try #require(report.decisions[decision]?.attributes[attribute]?.groups[group]?.metrics["selection_rate"])
        #expect(edited { $0.decisions[decision]?.attributes[attribute]?.groups[group]?.metrics["selection_rate"]?.value = 5 }
                == "\(place).metrics.selection_rate is 5; a rate lies between 0 and 1")
        let other = (rate.value ?? 0) < 0.5 ? 0.9 : 0.1
        #expect(edited { $0.decisions[decision]?.attributes[attribute]?.groups[group]?.metrics["selection_rate"]?.value = other }
                == "\(place).metrics.selection_rate is \(FindingJudge.format(other)), but its numerator and denominator give \(FindingJudge.format(rate.numerator ?? 0)) / \(FindingJudge.format(rate.denominator ?? 0)) = \(FindingJudge.format(rate.value ?? 0))")
        #expect(edited { $0.decisions[decision]?.attributes[attribute]?.groups[group]?.share = -3 }
                == "\(place).share is -3.0; a group's share of the rows lies between 0 and 1")
        #expect(edited { $0.generatedAt = "9999-99-99T99:99:99Z" }
                == "generated_at is \"9999-99-99T99:99:99Z\"; an audit writes the UTC time it ran, such as 2026-03-02T09:00:00Z")
        let finding = try #require(report.findings.first)
        #expect(edited { $0.decisions[finding.decision] = nil }?.hasSuffix("is at decision \(finding.decision), which the report's decisions do not hold") == true)
    }

    @Test func unsupportedSchemaVersionIsRejected() throws {
        let json = Data(#"{"schema_version": 99}"#.utf8)
        #expect(throws: FairleadError(.invalidData, "report schema version 99 is not supported (this Fairlead reads versions 1 to 2)",
                                      at: SourceLocation(file: "report"))) {
            try AuditReport.decode(json: json)
        }
    }

    // MARK: - Errors

    func auditError(_ profile: AuditProfile, csv: String = Self.csv) throws -> FairleadError? {
        let path = try AuditFixtures.temporaryCSV(csv)
        do {
            _ = try Audit(profile: profile, dataPath: path, threads: 1).run()
            return nil
        } catch let error as FairleadError {
            var error = error
            if error.location?.file == path { error.location?.file = "data.csv" }
            return error
        }
    }

    @Test func misspeltColumnNamesTheClosest() throws {
        let error = try auditError(Self.profile(score: "socre"))
        #expect(error?.description == "data.csv:1 (socre): no column \"socre\"; closest: \"score\", \"id\", \"y\"")
    }

    @Test func labelOutsideZeroOneNamesTheRowAndColumn() throws {
        let error = try auditError(Self.profile(), csv: "score,y,g\n0.5,1,a\n0.4,2,b\n")
        // The physical line and field, as the reader's own errors give them.
        #expect(error?.description == "data.csv:3:2 (y): expected 0/1 or true/false, found \"2\"")
    }

    @Test func textLabelsAreRejected() throws {
        let error = try auditError(Self.profile(), csv: "score,y,g\n0.5,yes,a\n0.4,no,b\n")
        // The first row holding a value that is neither, located as the reader's errors are.
        #expect(error?.description == "data.csv:2:2 (y): expected 0/1 or true/false, found \"yes\"")
    }

    @Test func trueFalseLabelsAreAccepted() throws {
        let error = try auditError(Self.profile(), csv: "score,y,g\n0.5,true,a\n0.4,false,b\n")
        #expect(error == nil)
    }

    @Test func scoreOutsideTheRangeStops() throws {
        let error = try auditError(Self.profile(), csv: "score,y,g\n0.5,1,a\n1.5,0,b\n")
        #expect(error?.description == "data.csv:3:1 (score): score is 1.5, expected a finite score within 0.0...1.0")
    }

    @Test func unknownRuleMetricIsAProfileError() throws {
        // Checked where the rule is read, through the catalog, before any data.
        let error = #expect(throws: FairleadError.self) { try AuditProfile.rule("disparate_impacts >= 0.8", source: "--rule") }
        #expect(error?.kind == .invalidProfile)
        #expect(error?.message == "unknown metric 'disparate_impacts' in rule 'disparate_impacts >= 0.8'; did you mean 'disparate_impact'?")
    }

    @Test func unknownReferenceGroupListsTheGroups() throws {
        let error = try auditError(Self.profile(reference: .group("c")))
        #expect(error?.message == "reference group \"c\" is not a group of g; groups: \"a\", \"b\", \"unknown\"")
    }
}

/// An intersection keeps each attribute's own policy for a missing value: a row missing
/// an attribute that excludes is left out, one missing only an attribute whose missing
/// values are `unknown` is in that attribute's `unknown` groups. Both attributes' rows
/// were left out when either excluded.
@Suite struct IntersectionMissingPolicyTests {
    /// g: a a a a b b b b, one missing; s: f m f m f m, two missing.
    static let csv = """
        id,score,y,g,s
        1,0.9,1,a,f
        2,0.8,0,a,m
        3,0.2,1,a,
        4,0.1,0,a,f
        5,0.7,1,b,m
        6,0.3,0,b,
        7,0.6,1,b,f
        8,0.4,0,,m
        9,0.9,1,b,m

        """

    static func profile(g: AuditProfile.SensitiveSpec.MissingPolicy, s: AuditProfile.SensitiveSpec.MissingPolicy) -> AuditProfile {
        AuditProfile(name: "t", data: .init(score: "score", label: "y", scoreRange: 0...1),
                     decisions: [.init(name: "t05", kind: .threshold(0.5))],
                     sensitive: [.init(column: "g", missing: g), .init(column: "s", missing: s)],
                     intersections: [["g", "s"]],
                     settings: .init(minimumGroupSize: 1, bootstrapReplicates: 0))
    }

    @Test(arguments: [(AuditProfile.SensitiveSpec.MissingPolicy.exclude, AuditProfile.SensitiveSpec.MissingPolicy.unknownGroup,
                       ["a & f": 2, "a & m": 1, "a & unknown": 1, "b & f": 1, "b & m": 2, "b & unknown": 1], 1),
                      (.unknownGroup, .exclude,
                       ["a & f": 2, "a & m": 1, "b & f": 1, "b & m": 2, "unknown & m": 1], 2),
                      (.exclude, .exclude, ["a & f": 2, "a & m": 1, "b & f": 1, "b & m": 2], 3),
                      (.unknownGroup, .unknownGroup,
                       ["a & f": 2, "a & m": 1, "a & unknown": 1, "b & f": 1, "b & m": 2, "b & unknown": 1, "unknown & m": 1], 0)])
    func eachAttributeKeepsItsPolicy(g: AuditProfile.SensitiveSpec.MissingPolicy, s: AuditProfile.SensitiveSpec.MissingPolicy,
                                     expected: [String: Int], excluded: Int) throws {
        let path = try AuditFixtures.temporaryCSV(Self.csv)
        let profile = Self.profile(g: g, s: s)
        let report = try Audit(profile: profile, dataPath: path, threads: 1).run()
        let intersection = try #require(report.decisions["t05"]?.attributes["g*s"])
        let counts = intersection.groups.compactMapValues { $0.count > 0 ? $0.count : nil }
        #expect(counts == expected)
        #expect(intersection.excludedMissing == excluded)
        // The statistics of the rows complete the same audit.
        let part = try Audit(profile: profile, dataPath: path, threads: 1).statisticsPart()
        let merged = try Audit.fromStatistics(profile: profile, parts: [(file: "p.json", part: part)])
        let fromPart = try #require(merged.decisions["t05"]?.attributes["g*s"])
        #expect(fromPart.groups.compactMapValues { $0.count > 0 ? $0.count : nil } == expected)
        #expect(fromPart.excludedMissing == excluded)
    }
}
