import Testing
@testable import FairleadCore

@Suite("Path-dependent TreeSHAP against shap, xgboost and lightgbm")
struct TreeSHAPGoldenTests {
    @Test(arguments: ModelFixtures.treeModels + ModelFixtures.categoricalModels, [TreeSHAP.Algorithm.recursive, .precomputed])
    func matchesShapAndTheLibrary(model name: String, algorithm: TreeSHAP.Algorithm) throws {
        let golden = try ModelFixtures.golden(name)
        let x = try ModelFixtures.dataSet(golden.dataset).rowMatrix
        let ensemble = try #require(try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model)) as? TreeEnsemble)
        let attributions = try TreeSHAP(model: ensemble, algorithm: algorithm).explain(x)
        let library = try #require(golden.library_contributions)
        for row in 0..<x.rows {
            let ours = Array(attributions.values.row(row))
            if let shap = golden.shap_path_dependent {
                // shap's C++ TreeSHAP in double precision.
                #expect(largestDifference(ours, shap.values[row]) < 1e-6)
            }
            // XGBoost computes pred_contribs in float32, so its values carry float32
            // rounding: 1e-6 relative to the row's largest contribution. LightGBM's are double.
            let tolerance = ensemble.source == .xgboost ? 1e-6 * max(1, library[row].map(abs).max() ?? 1) : 1e-9
            #expect(largestDifference(ours, Array(library[row].dropLast())) < tolerance)
        }
    }

    @Test(arguments: ModelFixtures.treeModels + ModelFixtures.categoricalModels, [TreeSHAP.Algorithm.recursive, .precomputed])
    func isAdditiveAndHasTheLibrarysBias(model name: String, algorithm: TreeSHAP.Algorithm) throws {
        let golden = try ModelFixtures.golden(name)
        let x = try ModelFixtures.dataSet(golden.dataset).rowMatrix
        let ensemble = try #require(try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model)) as? TreeEnsemble)
        let attributions = try TreeSHAP(model: ensemble, algorithm: algorithm).explain(x)
        #expect(largestDifference(attributions.margins(), ensemble.exactMargins(x)) < 1e-9)
        // Against the library's own (float32 for XGBoost) margins.
        #expect(largestDifference(attributions.margins(), golden.margin) < 1e-6 * max(1, golden.margin.map(abs).max() ?? 1))
        let bias = try #require(golden.library_contributions?.first?.last)
        #expect(abs(attributions.baseValue - bias) < 1e-6 * max(1, abs(bias)))
    }

    @Test(arguments: ModelFixtures.treeModels + ModelFixtures.categoricalModels)
    func bothAlgorithmsAgree(model name: String) throws {
        let golden = try ModelFixtures.golden(name)
        let x = try ModelFixtures.dataSet(golden.dataset).rowMatrix
        let ensemble = try #require(try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model)) as? TreeEnsemble)
        let recursive = try TreeSHAP(model: ensemble, algorithm: .recursive).explain(x)
        let precomputed = try TreeSHAP(model: ensemble, algorithm: .precomputed)
        #expect(precomputed.tables?.trees.allSatisfy { $0 != nil } == true)
        #expect(largestDifference(recursive.values.values, precomputed.explain(x).values.values) < 1e-12)
    }

    @Test func threadsGiveTheSameValues() throws {
        let golden = try ModelFixtures.golden("xgb-leads-logistic")
        let x = try ModelFixtures.dataSet(golden.dataset).rowMatrix
        let ensemble = try XGBoostModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        let explainer = try TreeSHAP(model: ensemble)
        #expect(explainer.explain(x, threads: 2) == explainer.explain(x, threads: 1))
    }
}
