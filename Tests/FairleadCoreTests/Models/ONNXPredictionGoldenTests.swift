import Testing
@testable import FairleadCore

@Suite("ONNX models predict as onnxruntime and the original model")
struct ONNXPredictionGoldenTests {
    @Test(arguments: ONNXFixtures.models + ["onehot-gbc-leads"])
    func predictionsEqualOnnxruntimeAndOriginal(model name: String) throws {
        let golden = try ONNXFixtures.golden(name)
        let model = try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        let (x, _) = try ONNXFixtures.rows(for: golden, model: model)
        let probabilities = model.probabilities(x)
        // onnxruntime: same float32 inputs and thresholds; its float32 sums and sigmoid
        // differ from ours by rounding only.
        #expect(largestDifference(probabilities, golden.onnxruntime_prediction) < 1e-6 * scale(golden))
        // The original model (double precision throughout): the ONNX file's float32
        // weights are the only difference.
        #expect(largestDifference(probabilities, golden.probability) < 1e-6 * scale(golden))
        #expect(largestDifference(model.margins(x), golden.margin) < 1e-6 * scale(golden))
    }

    @Test(arguments: ONNXFixtures.models)
    func featureNamesComeFromTheMetadata(model name: String) throws {
        let golden = try ONNXFixtures.golden(name)
        let model = try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        #expect(model.featureNames == (try ModelFixtures.dataSet(golden.dataset)).feature_names)
    }

    @Test func oneHotInputsAreNamedColumnEqualsCategory() throws {
        let model = try ModelLoader.load(contentsOf: ModelFixtures.path("onnx/onehot-gbc-leads.onnx"))
        #expect(model.featureNames.prefix(2) == ["lead_source=cold_outbound", "lead_source=paid_search"])
        #expect(model.featureNames.suffix(4) == ["web_visits", "email_opens", "pricing_page_views", "days_since_first_touch"])
        #expect(model.featureNames.count == 6 + 7 + 5 + 4)
    }

    @Test func modelKinds() throws {
        let forest = try #require(try ModelLoader.load(contentsOf: ModelFixtures.path("onnx/rf-leads.onnx")) as? TreeEnsemble)
        #expect(forest.source == .onnx && forest.link == .identity && forest.trees.count == 15)
        let boosted = try #require(try ModelLoader.load(contentsOf: ModelFixtures.path("onnx/gbc-leads-imputer.onnx")) as? TreeEnsemble)
        #expect(boosted.link == .logit && boosted.trees.count == 30)
        let pipeline = try #require(try ModelLoader.load(contentsOf: ModelFixtures.path("onnx/logreg-leads-pipeline.onnx")) as? LinearModel)
        #expect(pipeline.link == .logit && pipeline.missingValues != nil)
        #expect(AttributionMethod.defaultMethod(for: forest) == .treeInterventional)
        #expect(throws: FairleadError.self) { _ = try TreeSHAP(model: forest) }
    }

    /// Regression outputs (diabetes: about 150) are compared relative to their size.
    private func scale(_ golden: ONNXFixtures.Golden) -> Double {
        max(1, golden.probability.map(abs).max() ?? 1)
    }
}
