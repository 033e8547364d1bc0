import Testing
@testable import FairleadCore

@Suite("ONNX models' attributions equal shap's on the original model")
struct ONNXAttributionGoldenTests {
    @Test(arguments: ONNXFixtures.models + ONNXFixtures.csvModels)
    func attributionsEqualShap(model name: String) throws {
        let golden = try ONNXFixtures.golden(name)
        let model = try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        let (x, background) = try ONNXFixtures.rows(for: golden, model: model)
        let method = AttributionMethod.defaultMethod(for: model)
        #expect(method == (golden.kind == "linear" ? .linear : .treeInterventional))
        let attributions = try method.explainer(for: model, background: background, explained: x).explain(x)
        let expected = golden.shap.values.flatMap { $0 }
        // Relative to the row's largest attribution: the ONNX file holds float32 weights.
        let floor = max(1e-3, expected.map(abs).max() ?? 1)
        let differences = zip(attributions.values.values, expected).map { abs($0 - $1) / max(abs($1), floor) }
        let worst = differences.indices.max { differences[$0] < differences[$1] } ?? 0
        #expect(differences[worst] < 1e-6,
                "row \(worst / x.columns), feature \(model.featureNames[worst % x.columns]): \(attributions.values.values[worst]) vs shap \(expected[worst])")
        #expect(abs(attributions.baseValue - golden.shap.expected_value) < 1e-6 * max(1, abs(golden.shap.expected_value)))
    }
}
