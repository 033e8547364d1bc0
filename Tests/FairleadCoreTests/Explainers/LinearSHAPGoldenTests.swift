import Testing
@testable import FairleadCore

@Suite("LinearSHAP against shap's LinearExplainer")
struct LinearSHAPGoldenTests {
    @Test(arguments: ModelFixtures.linearModels)
    func matchesShap(model name: String) throws {
        let golden = try ModelFixtures.golden(name)
        let data = try ModelFixtures.dataSet(golden.dataset)
        let model = try LinearModel(contentsOf: ModelFixtures.path(golden.model))
        let explainer = try LinearSHAP(model: model, background: data.backgroundMatrix)
        let x = data.rowMatrix
        let attributions = explainer.explain(x)
        let shap = try #require(golden.shap_linear)
        let scale = max(1, abs(try #require(shap.expected_value)))
        #expect(abs(attributions.baseValue - (shap.expected_value ?? .nan)) < 1e-9 * scale)
        for row in 0..<x.rows {
            #expect(largestDifference(Array(attributions.values.row(row)), shap.values[row]) < 1e-9 * scale)
        }
        #expect(largestDifference(attributions.margins(), golden.margin) < 1e-9 * scale)
        #expect(explainer.explain(x, threads: 2) == attributions)
    }

    @Test func formulaOnASmallCase() throws {
        let model = LinearModel(featureNames: ["a", "b"], coefficients: [2, -1], intercept: 0.5, link: .logit)
        let background = Matrix(rowArrays: [[1, 10], [3, 30]])
        let attributions = try LinearSHAP(model: model, background: background).explain(Matrix(rowArrays: [[4, 5]]))
        // μ = (2, 20): base = 0.5 + 4 − 20; φ = (2·(4 − 2), −1·(5 − 20)).
        #expect(attributions.baseValue == -15.5)
        #expect(attributions.values.values == [4, 15])
    }

    @Test func backgroundWithMissingValuesIsAnError() {
        let model = LinearModel(featureNames: ["a", "b"], coefficients: [1, 1], intercept: 0, link: .identity)
        // The row and the feature, for the caller to place in its file.
        let error = #expect(throws: FairleadError.self) {
            try LinearSHAP(model: model, background: Matrix(rowArrays: [[1, 2], [1, .nan], [1, .nan]]))
        }
        #expect(error?.message == "the background has no value (missing or not finite) of \"b\" in this row; LinearSHAP needs the mean of each feature over the background")
        #expect(error?.row == 1 && error?.location == SourceLocation(field: "b"))
        #expect(throws: FairleadError.self) {
            try LinearSHAP(model: model, background: Matrix(rows: 0, columns: 2))
        }
    }
}
