import Testing
@testable import FairleadCore

@Suite("Interventional TreeSHAP against shap")
struct InterventionalTreeSHAPGoldenTests {
    @Test(arguments: ModelFixtures.treeModels)
    func matchesShap(model name: String) throws {
        let golden = try ModelFixtures.golden(name)
        let data = try ModelFixtures.dataSet(golden.dataset)
        let ensemble = try #require(try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model)) as? TreeEnsemble)
        let x = data.rowMatrix
        let attributions = try InterventionalTreeSHAP(model: ensemble, background: data.backgroundMatrix).explain(x)
        let shap = try #require(golden.shap_interventional)
        let scale = max(1, abs(try #require(shap.expected_value)))
        // shap's interventional values carry float32-sized rounding (its XGBoost base margin
        // is a double logit of the float32 base_score; its LightGBM values are not exactly
        // additive to lightgbm's predictions, by up to 6e-8 relative): 1e-6 relative.
        // Exactness is checked by additivity below and by exact KernelSHAP in the next test.
        let tolerance = 1e-6 * scale
        #expect(abs(attributions.baseValue - (shap.expected_value ?? .nan)) < tolerance)
        for row in 0..<x.rows {
            #expect(largestDifference(Array(attributions.values.row(row)), shap.values[row]) < tolerance)
        }
        #expect(largestDifference(attributions.margins(), ensemble.exactMargins(x)) < 1e-9 * scale)
    }

    @Test(arguments: ModelFixtures.categoricalModels)
    func isAdditiveOnCategoricalSplits(model name: String) throws {
        let golden = try ModelFixtures.golden(name)
        let data = try ModelFixtures.dataSet(golden.dataset)
        let ensemble = try #require(try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model)) as? TreeEnsemble)
        let x = data.rowMatrix
        let attributions = try InterventionalTreeSHAP(model: ensemble, background: data.backgroundMatrix).explain(x, threads: 2)
        #expect(largestDifference(attributions.margins(), ensemble.exactMargins(x)) < 1e-9)
    }

    @Test func exactKernelSHAPGivesTheSameValues() throws {
        // Both are the exact Shapley values of the same interventional game.
        let golden = try ModelFixtures.golden("lgb-diabetes-regression")
        let data = try ModelFixtures.dataSet(golden.dataset)
        let ensemble = try LightGBMModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        let background = data.backgroundMatrix.firstRows(8)
        let x = data.rowMatrix.firstRows(3)
        let tree = try InterventionalTreeSHAP(model: ensemble, background: background).explain(x)
        let kernel = try KernelSHAP(model: ensemble, background: background, sampleCount: 1 << 10).explain(x)
        #expect(largestDifference(tree.values.values, kernel.values.values) < 1e-9)
        #expect(abs(tree.baseValue - kernel.baseValue) < 1e-9)
    }
}
