import Testing
@testable import FairleadCore

@Suite("Feature groups and global importance")
struct ExplainerFeatureGroupTests {
    @Test func oneHotColumnsGroupByPrefix() {
        let groups = FeatureGroups.byPrefix(["industry=retail", "web_visits", "industry=software", "region=east"])
        #expect(groups.names == ["industry", "web_visits", "region"])
        #expect(groups.membership == [0, 1, 0, 2])
        let explicit = FeatureGroups(featureNames: ["a_log", "b", "a_sq"], mapping: ["a_log": "a", "a_sq": "a"])
        #expect(explicit.names == ["a", "b"])
        #expect(explicit.membership == [0, 1, 0])
    }

    @Test func groupedAttributionsSumTheirMembersAndStayAdditive() throws {
        let golden = try ModelFixtures.golden("xgb-leads-logistic")
        let data = try ModelFixtures.dataSet(golden.dataset)
        let model = try XGBoostModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        let attributions = try TreeSHAP(model: model).explain(data.rowMatrix)
        let grouped = attributions.grouped(by: .byPrefix(model.featureNames))
        #expect(grouped.featureNames == ["lead_source", "industry", "region", "company_size", "job_level",
                                         "web_visits", "email_opens", "pricing_page_views", "days_since_first_touch"])
        #expect(attributions.featureNames[28] == "web_visits")
        #expect(largestDifference(grouped.margins(), attributions.margins()) < 1e-12)
        for row in 0..<3 {
            let industry = (6..<13).reduce(0.0) { $0 + attributions.values[row, $1] }
            #expect(abs(grouped.values[row, 1] - industry) < 1e-15)
            #expect(grouped.values[row, 5] == attributions.values[row, 28])
        }
    }

    @Test func standardErrorsAreDroppedWhenGrouping() {
        let attributions = Attributions(featureNames: ["a=1", "a=2"], baseValue: 0,
                                        values: Matrix(rowArrays: [[1, 2]]), standardErrors: Matrix(rowArrays: [[0.1, 0.1]]))
        let grouped = attributions.grouped(by: .byPrefix(attributions.featureNames))
        #expect(grouped.values.values == [3])
        #expect(grouped.standardErrors == nil)
    }

    @Test func meanAbsoluteAttributionOverallAndPerGroup() throws {
        let attributions = Attributions(
            featureNames: ["x", "y"], baseValue: 1,
            values: Matrix(rowArrays: [[1, -4], [-3, 2], [2, .nan], [0, 6]]))
        let global = GlobalImportance(attributions, groups: ["b", "a", "b", "a"])
        #expect(global.overall.rowCount == 4)
        #expect(global.overall.meanAbsolute == [1.5, 4])
        #expect(global.overall.mean == [0, 4.0 / 3])
        #expect(global.overall.ranking == [1, 0])
        #expect(global.byGroup.map(\.label) == ["a", "b"])
        let a = try #require(global.summary(for: "a"))
        #expect(a.meanAbsolute == [1.5, 4])
        #expect(a.mean == [-1.5, 4])
        let b = try #require(global.summary(for: "b"))
        #expect(b.rowCount == 2)
        #expect(b.meanAbsolute == [1.5, 4])
        #expect(b.mean == [1.5, -4])
        #expect(global.summary(for: "c") == nil)
    }
}
