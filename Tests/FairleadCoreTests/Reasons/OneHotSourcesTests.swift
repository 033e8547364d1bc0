import Foundation
import Testing
@testable import FairleadCore

@Suite("Feature sources from pandas-style one-hot features")
struct OneHotSourcesTests {
    static let features = ["age", "occupation_Prof-specialty", "occupation_Sales", "lead_source_web_form",
                           "lead_source_referral", "sex_Female", "sex_Male"]

    @Test func rawColumnsGiveCategoricalSourcesReadFromTheColumn() throws {
        let sources = try FeatureSources(featureNames: Self.features, header: ["lead_id", "age", "occupation", "lead_source", "sex"])
        #expect(sources.sources.map(\.name) == ["age", "occupation", "lead_source", "sex"])
        #expect(sources.sources.map(\.kind) == [.numeric, .categorical, .categorical, .categorical])
        #expect(sources.sources[1].levels == ["Prof-specialty", "Sales"])
        #expect(sources.sources[2].levels == ["web_form", "referral"])
        #expect(sources.readings[1] == .indicator(source: 1, level: "Prof-specialty"))
        #expect(sources.groups.membership == [0, 1, 1, 2, 2, 3, 3])
    }

    @Test func aSensitiveColumnTheFileLacksStillGroupsItsIndicators() throws {
        let header = ["lead_id", "age", "occupation", "lead_source"] + Self.features.dropFirst()
        let sources = try FeatureSources(featureNames: Self.features, header: header, knownColumns: ["sex"])
        #expect(sources.sources.map(\.name) == ["age", "occupation", "lead_source", "sex"])
        #expect(sources.sources[3].isColumn == false)
        #expect(sources.sources[3].levels == ["Female", "Male"])
        #expect(sources.readings[5] == .column("sex_Female"))
        #expect(sources.sourceName(for: "sex") == "sex")
        #expect(sources.sourceName(for: "sex_Male") == "sex")
        #expect(sources.sourceName(for: "sex=Male") == "sex")
        #expect(sources.sourceName(for: "occupation.Sales") == "occupation")
        #expect(sources.sourceName(for: "gender") == nil)
        // Without knowing `sex`, its indicators are two numeric features: the leak users reported.
        let unknown = try FeatureSources(featureNames: Self.features, header: header)
        #expect(unknown.sources.map(\.name).suffix(2) == ["sex_Female", "sex_Male"])
    }

    @Test func derivedNumericFeaturesJoinTheirColumnAndReadIt() throws {
        let sources = try FeatureSources(featureNames: ["age_squared", "age", "visits"], header: ["age", "age_squared", "visits"])
        #expect(sources.sources.map(\.name) == ["age", "visits"])
        #expect(sources.sources[0].kind == .numeric)
        #expect(sources.sources[0].features == [0, 1])
        #expect(sources.sources[0].valueFeature == 1)
    }

    @Test(arguments: [
        (["Male"], "not Male"),
        (["Female", "Male"], "neither Female nor Male"),
        (["Sales", "Tech-support", "Exec-managerial"], "none of Sales, Tech-support or Exec-managerial"),
        (["A", "B", "C", "D"], "none of A, B, C or 1 other"),
        (["A", "B", "C", "D", "E"], "none of A, B, C or 2 others"),
    ])
    func aLeadWithNoIndicatorOnReadsAsNoneOfTheLevels(levels: [String], expected: String) throws {
        let names = levels.map { "occupation_\($0)" }
        let sources = try FeatureSources(featureNames: names, header: names, knownColumns: ["occupation"])
        #expect(sources.sources[0].otherLevel == expected)
    }

    @Test func reasonsNameTheCategoryNotTheIndicator() throws {
        // Lead 1 is Prof-specialty; lead 2 has no indicator on (and only indicator columns).
        let path = try ExplanationFixtures.temporaryFile("""
            lead_id,hours,occupation_Prof-specialty,occupation_Sales,sex_Male
            a,40,1,0,1
            b,20,0,0,0

            """)
        let reader = try LeadReader(path: path, featureNames: ["hours", "occupation_Prof-specialty", "occupation_Sales", "sex_Male"],
                                    idColumn: "lead_id", knownColumns: ["occupation", "sex"])
        let batch = try #require(try reader.next(maxRows: 10))
        #expect(reader.sources.sources.map(\.name) == ["hours", "occupation", "sex"])
        #expect(batch.levels[1] == ["Prof-specialty", "Sales", "neither Prof-specialty nor Sales"])
        let typical = TypicalValues(values: [.number(30), .level("Sales"), .level("Male")])
        let codes = ReasonCodes(sources: reader.sources, typical: typical, top: 2, link: .logit)
        let attributions = Attributions(featureNames: ["hours", "occupation", "sex"], baseValue: -1,
                                        values: Matrix(rowArrays: [[0.2, 0.9, -0.3], [-0.4, -0.6, 0.2]]))
        let leads = codes.explain(batch, attributions: attributions)
        #expect(leads[0].raising.map(\.text) == ["Occupation is Prof-specialty — the strongest reason for this score",
                                                 "Hours is 40, above the typical 30"])
        #expect(leads[0].raising[0].value == .category("Prof-specialty"))
        #expect(leads[0].lowering.map(\.text) == ["Sex is Male — the strongest reason against it"])
        #expect(leads[1].lowering.map(\.text) == ["Occupation is neither Prof-specialty nor Sales — the strongest reason against it",
                                                  "Hours is 20, below the typical 30"])
        #expect(leads[1].raising.map(\.text) == ["Sex is not Male — the strongest reason for this score"])
    }

    @Test func pointsAreTheRescaledShareOfTheMoveInProbability() throws {
        let sources = try FeatureSources(featureNames: ["a", "b"], header: ["a", "b"])
        let batch = LeadBatch(ids: ["x"], features: Matrix(rowArrays: [[1, 2]]), categories: [[], []], levels: [[], []])
        let codes = ReasonCodes(sources: sources, typical: TypicalValues(values: [.number(0), .number(0)]), top: 1, link: .logit)
        let lead = codes.explain(batch, attributions: Attributions(featureNames: ["a", "b"], baseValue: -1,
                                                                   values: Matrix(rowArrays: [[2, -0.5]])))[0]
        let p = { (x: Double) in 1 / (1 + exp(-x)) }
        let scale = 100 * (p(0.5) - p(-1)) / 1.5
        #expect(abs(try #require(lead.raising[0].points) - 2 * scale) < 1e-12)
        #expect(abs(try #require(lead.lowering[0].points) + 0.5 * scale) < 1e-12)
        // Additive: the typical score plus every source's points is the lead's score.
        #expect(abs(100 * p(-1) + 2 * scale - 0.5 * scale - 100 * lead.score) < 1e-12)
        #expect(Link.identity.pointsPerMarginUnit(margin: 3, baseValue: 1) == nil)
        let slope = try #require(Link.logit.pointsPerMarginUnit(margin: 0, baseValue: 0))
        #expect(abs(slope - 25) < 1e-12)
    }
}
