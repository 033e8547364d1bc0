import Testing
@testable import FairleadCore

@Suite("Model predictions equal the source library's")
struct ModelPredictionGoldenTests {
    @Test(arguments: ModelFixtures.treeModels + ModelFixtures.categoricalModels + ModelFixtures.linearModels)
    func marginsAndProbabilities(model name: String) throws {
        let golden = try ModelFixtures.golden(name)
        let data = try ModelFixtures.dataSet(golden.dataset)
        let model = try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        #expect(model.featureNames == data.feature_names)
        let x = data.rowMatrix
        let margins = model.margins(x)
        let probabilities = model.probabilities(x)
        #expect(margins.count == golden.margin.count)
        // Margins reproduce the library's arithmetic (float32 sums for XGBoost) exactly;
        // XGBoost's probabilities come from a float32 sigmoid, hence the looser bound.
        #expect(largestDifference(margins, golden.margin) < 1e-9)
        #expect(largestDifference(probabilities, golden.probability) < 1e-6)
    }

    @Test(arguments: ["xgb-breast-cancer-logistic-v1.json", "xgb-breast-cancer-logistic-v2.json"])
    func olderXGBoostBaseScoreFormats(file: String) throws {
        let golden = try ModelFixtures.golden("xgb-breast-cancer-logistic")
        let x = try ModelFixtures.dataSet(golden.dataset).rowMatrix
        let model = try XGBoostModelLoader.load(contentsOf: ModelFixtures.path(file))
        let current = try XGBoostModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        #expect(model.baseMargin == current.baseMargin)
        #expect(largestDifference(model.margins(x), golden.margin) < 1e-6)
        #expect(largestDifference(model.probabilities(x), golden.probability) < 1e-6)
    }
}
