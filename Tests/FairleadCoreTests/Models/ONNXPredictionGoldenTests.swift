import Foundation
import Testing
@testable import FairleadCore

@Suite("ONNX models predict as onnxruntime and the original model")
struct ONNXPredictionGoldenTests {
    @Test(arguments: ONNXFixtures.models + ONNXFixtures.csvModels)
    func predictionsEqualOnnxruntimeAndOriginal(model name: String) throws {
        let golden = try ONNXFixtures.golden(name)
        let model = try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        let (x, _) = try ONNXFixtures.rows(for: golden, model: model)
        let probabilities = model.probabilities(x)
        // onnxruntime: same float32 inputs, preprocessing and thresholds; its float32 sums
        // and sigmoid differ from ours by rounding only. On every row.
        #expect(largestDifference(probabilities, golden.onnxruntime_prediction) < 1e-6 * scale(golden))
        // The original model (double precision throughout): the ONNX file's float32
        // weights are the only difference — except on the rows its float32 preprocessing
        // routes otherwise (rows_routed_unlike_original).
        let kept = Set(golden.rows_routed_unlike_original ?? [])
        let same = { (values: [Double]) in values.indices.filter { !kept.contains($0) }.map { values[$0] } }
        #expect(largestDifference(same(probabilities), same(golden.probability)) < 1e-6 * scale(golden))
        #expect(largestDifference(same(model.margins(x)), same(golden.margin)) < 1e-6 * scale(golden))
    }

    /// skl2onnx writes StandardScaler as a float32 Scaler node: onnxruntime computes
    /// (float32(x) − offset) × scale in float32, scikit-learn (x − mean) / scale in double
    /// and rounds to float32 only for its trees. A value on a split threshold (102.9 and 4.7
    /// days, each midway between two training values) can land a float32 step to the other
    /// side. Fairlead follows the ONNX file, so it answers as onnxruntime there too.
    @Test func rowsRoutedByFloat32PreprocessingFollowOnnxruntime() throws {
        let golden = try ONNXFixtures.golden("gbc-leads-scaler-onehot")
        let model = try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        let (x, _) = try ONNXFixtures.rows(for: golden, model: model)
        let routed = try #require(golden.rows_routed_unlike_original)
        // The validation leads L0002774, L0002651 and L0002812 of the notebooks.
        #expect(routed.map { golden.csv_rows?[$0] } == [2773, 2650, 2811])
        let margins = model.margins(x)
        for row in routed {
            let p = golden.onnxruntime_prediction[row]
            #expect(abs(margins[row] - log(p / (1 - p))) < 1e-5)
            #expect(abs(margins[row] - golden.margin[row]) > 0.05)
        }
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

/// Models written with onnx.helper for what the converters never write (comparison modes,
/// missing-value tracks, LOGISTIC / NONE with base values, AVERAGE, a two-row
/// LinearClassifier under SOFTMAX), against onnxruntime.
@Suite("Hand-written ONNX models predict as onnxruntime")
struct ONNXHandmadeModelTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            var model: String
            var rows: [[Double?]]
            var onnxruntime_prediction: [Double]
        }
        var models: [Case]
    }

    static let cases: [String] = ["handmade-logistic", "handmade-none", "handmade-average", "handmade-linear-softmax",
                                  "handmade-equality"]

    @Test func aTreeClassifierWithScoresForBothClassesIsRefused() {
        #expect {
            _ = try ModelLoader.load(contentsOf: ModelFixtures.path("onnx/handmade-two-columns.onnx"))
        } throws: { error in
            (error as? FairleadError)?.message.hasPrefix("node \"trees\" (op_type TreeEnsembleClassifier): gives scores for both classes") == true
        }
    }

    @Test(arguments: cases)
    func predictionsEqualOnnxruntime(model name: String) throws {
        let golden = try ModelFixtures.decode(Golden.self, "goldens/onnx-handmade.json")
        let entry = try #require(golden.models.first { $0.model == "onnx/\(name).onnx" })
        let model = try ModelLoader.load(contentsOf: ModelFixtures.path(entry.model))
        #expect(model.featureNames == ["f0", "f1", "f2"])
        let x = ModelFixtures.DataSet.matrix(entry.rows, columns: 3)
        #expect(largestDifference(model.probabilities(x), entry.onnxruntime_prediction) < 1e-6)
    }
}
