import Foundation
@testable import FairleadCore

/// The committed model fixtures and goldens (fixtures/models/, made by make_goldens.py).
enum ModelFixtures {
    static let directory: String = {
        // Tests/FairleadCoreTests/Models/ModelFixtures.swift -> repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent("fixtures/models").path
    }()

    static func path(_ name: String) -> String { directory + "/" + name }

    /// Input rows of a data set; JSON null is a missing value (NaN).
    struct DataSet: Decodable {
        var dataset: String
        var feature_names: [String]
        var rows: [[Double?]]
        var background: [[Double?]]

        var rowMatrix: Matrix { Self.matrix(rows, columns: feature_names.count) }
        var backgroundMatrix: Matrix { Self.matrix(background, columns: feature_names.count) }

        static func matrix(_ rows: [[Double?]], columns: Int) -> Matrix {
            Matrix(rowArrays: rows.map { $0.map { $0 ?? .nan } }, columns: columns)
        }
    }

    struct Attributions: Decodable {
        var expected_value: Double?
        var values: [[Double]]
        var rows: Int?
        var nsamples: Int?
        var background_rows: Int?
    }

    /// What the reference libraries computed for one model on its data set's rows.
    struct Golden: Decodable {
        var model: String
        var dataset: String
        var kind: String
        var versions: [String: String]
        var margin: [Double]
        var probability: [Double]
        var library_contributions: [[Double]]?
        var shap_path_dependent: Attributions?
        var shap_interventional: Attributions?
        var shap_linear: Attributions?
        var shap_kernel: Attributions?
    }

    static func decode<T: Decodable>(_ type: T.Type, _ relativePath: String) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relativePath)))
        return try JSONDecoder().decode(type, from: data)
    }

    static func golden(_ model: String) throws -> Golden {
        try decode(Golden.self, "goldens/\(model).json")
    }

    static func dataSet(_ name: String) throws -> DataSet {
        try decode(DataSet.self, "data/\(name).json")
    }

    /// Every golden model, by the stem shared by its model file and golden file.
    static let treeModels = [
        "xgb-leads-logistic", "xgb-leads-reglogistic", "xgb-breast-cancer-logistic", "xgb-diabetes-squarederror",
        "lgb-leads-binary", "lgb-breast-cancer-binary", "lgb-diabetes-regression",
    ]
    /// Models with categorical splits; shap's TreeExplainer rejects them, so their goldens
    /// hold the library's predictions and contributions only.
    static let categoricalModels = ["xgb-leads-categorical", "lgb-leads-categorical"]
    static let linearModels = ["linear-breast-cancer-logistic", "linear-diabetes-identity", "linear-leads-logistic"]
}

/// The largest |a − b| over two equally long vectors.
func largestDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "lengths differ: \(a.count) and \(b.count)")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

extension Matrix {
    /// The first `count` rows.
    func firstRows(_ count: Int) -> Matrix {
        Matrix(rows: count, columns: columns, values: Array(values.prefix(count * columns)))
    }
}
