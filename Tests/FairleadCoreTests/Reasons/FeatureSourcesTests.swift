import Testing
@testable import FairleadCore

@Suite("Feature sources: one-hot features grouped back to their columns")
struct FeatureSourcesTests {
    @Test func derivesIndicatorsAndGroups() throws {
        let sources = try FeatureSources(featureNames: ["industry=retail", "web_visits", "industry=software", "region=north"],
                                         header: ["lead_id", "industry", "web_visits", "region"])
        #expect(sources.sources.map(\.name) == ["industry", "web_visits", "region"])
        #expect(sources.sources.map(\.kind) == [.categorical, .numeric, .categorical])
        #expect(sources.sources[0].features == [0, 2])
        #expect(sources.sources[0].levels == ["retail", "software"])
        #expect(sources.membership == [0, 1, 0, 2])
        #expect(sources.readings == [.indicator(source: 0, level: "retail"), .column("web_visits"),
                                     .indicator(source: 0, level: "software"), .indicator(source: 2, level: "north")])
        #expect(sources.groups.names == ["industry", "web_visits", "region"])
        #expect(sources.columnRequests.map(\.name) == ["industry", "region", "web_visits"])
    }

    @Test func indicatorColumnsWithoutTheirSource() throws {
        let path = try ExplanationFixtures.temporaryFile("id,size=small,size=large,x\na,1,0,3\nb,0,0,4\nc,0,1,5\n")
        let reader = try LeadReader(path: path, featureNames: ["size=small", "size=large", "x"], idColumn: "id")
        let batch = try #require(try reader.next(maxRows: 10))
        #expect(reader.sources.sources[0].isColumn == false)
        // A lead none of whose indicators is 1 has neither level: a value of its own.
        #expect(batch.categories[0] == [0, 2, 1])
        #expect(batch.levels[0] == ["small", "large", "neither small nor large"])
        #expect(batch.features.values == [1, 0, 3, 0, 0, 4, 0, 1, 5])
    }

    @Test func aMissingValueIsNoIndicator() throws {
        let path = try ExplanationFixtures.temporaryFile("id,industry\na,retail\nb,\nc,NA\nd,software\n")
        let reader = try LeadReader(path: path, featureNames: ["industry=retail", "industry=software"], idColumn: "id")
        let batch = try #require(try reader.next(maxRows: 10))
        #expect(batch.features.values == [1, 0, 0, 0, 0, 0, 0, 1])
        #expect(batch.categories[0].map { $0 < 0 } == [false, true, true, false])
    }

    @Test func aFeatureTheDataLacksIsNamedWithTheClosestColumns() throws {
        #expect(throws: FairleadError(.invalidData,
                                      "the model needs feature \"web_visit\", which is neither a column nor a one-hot column (column_value, column=value, column:value, column.value) of one (closest: \"web_visits\")",
                                      at: SourceLocation(file: "leads.csv", line: 1))) {
            try FeatureSources(featureNames: ["industry", "web_visit"], header: ["web_visits", "industry"], file: "leads.csv")
        }
    }

    @Test func idsDefaultToRowNumbers() throws {
        let model = try ExplanationFixtures.model()
        let reader = try LeadReader(path: ExplanationFixtures.leadsPath, featureNames: model.featureNames, idColumn: nil)
        _ = try reader.next(maxRows: 3)
        let second = try #require(try reader.next(maxRows: 2))
        #expect(second.ids == ["4", "5"])
    }
}
