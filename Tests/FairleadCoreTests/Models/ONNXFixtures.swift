import Foundation
@testable import FairleadCore

/// The ONNX goldens of fixtures/models/make_onnx_goldens.py.
enum ONNXFixtures {
    struct Golden: Decodable {
        struct SHAP: Decodable {
            var expected_value: Double
            var values: [[Double]]
        }

        var model: String
        var dataset: String
        var kind: String
        var versions: [String: String]
        var onnxruntime_prediction: [Double]
        var margin: [Double]
        var probability: [Double]
        var shap: SHAP
        var csv_rows: [Int]?
        var csv_background_rows: [Int]?
        var feature_names: [String]?
        /// Positions in the rows where the ONNX graph's float32 preprocessing sends the row
        /// down another branch than scikit-learn's double preprocessing does.
        var rows_routed_unlike_original: [Int]?
    }

    /// Models whose rows come from a data set of fixtures/models/data/.
    static let models = [
        "rf-leads", "extra-trees-leads", "gbc-leads-imputer", "gbr-diabetes-scaler", "xgb-leads",
        "lgbm-leads", "logreg-leads", "logreg-leads-pipeline", "linreg-diabetes",
    ]

    /// Models whose rows and background are rows of fixtures/leads/leads-sample.csv.
    static let csvModels = ["onehot-gbc-leads", "gbc-leads-scaler-onehot"]

    static func golden(_ name: String) throws -> Golden {
        try ModelFixtures.decode(Golden.self, "goldens/onnx-\(name).json")
    }

    /// The golden's rows and background, as the model's feature matrices.
    static func rows(for golden: Golden, model: any Model) throws -> (rows: Matrix, background: Matrix) {
        if let rows = golden.csv_rows, let background = golden.csv_background_rows {
            let root = URL(fileURLWithPath: ModelFixtures.directory).deletingLastPathComponent().path
            let input = try ModelInput(csvAt: root + "/leads/leads-sample.csv", model: model)
            return (input.features.selectingRows(rows), input.features.selectingRows(background))
        }
        let data = try ModelFixtures.dataSet(golden.dataset)
        return (data.rowMatrix, data.backgroundMatrix)
    }
}

extension Matrix {
    func selectingRows(_ indices: [Int]) -> Matrix {
        var values: [Double] = []
        for row in indices { values += self.values[(row * columns)..<((row + 1) * columns)] }
        return Matrix(rows: indices.count, columns: columns, values: values)
    }
}

/// The largest |a − b| / max(|b|, floor): a relative difference that does not blow up
/// for values near 0.
func largestRelativeDifference(_ a: [Double], _ b: [Double], floor: Double) -> Double {
    precondition(a.count == b.count, "lengths differ: \(a.count) and \(b.count)")
    return zip(a, b).map { abs($0 - $1) / max(abs($1), floor) }.max() ?? 0
}
