import Foundation
@testable import FairleadCore

/// The explanation fixtures (fixtures/explanations/, made by make_goldens.py): the bundled
/// lead-scoring model and what shap, scikit-learn and scipy computed for it on the leads sample.
enum ExplanationFixtures {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static let leadsPath = path("fixtures/leads/leads-sample.csv")
    static let modelPath = path("fixtures/explanations/xgb-leads-score.json")

    struct Golden: Decodable {
        struct Proxy: Decodable {
            var feature: String
            var attribute: String
            var kind: String
            var rows: Int
            var missing: Int?
            var chi_square: Double?
            var cramers_v: Double?
            var cramers_v_corrected: Double?
            var correlation_ratio: Double?
            var mutual_information: Double
            var auc: [String: Double]
        }
        struct Multivariate: Decodable {
            struct Group: Decodable {
                var positives: Int
                var cv_auc: Double
            }
            var rows: Int
            var features: Int
            var groups: [String: Group]
        }
        struct Attributions: Decodable {
            var ids: [String]
            var values: [[Double]]
        }
        struct Decomposition: Decodable {
            struct Group: Decodable {
                var count: Int
                var contributions: [String: Double]
                var gap: Double
                var xgboost_mean_margin: Double
            }
            var reference: String
            var groups: [String: Group]
        }
        var versions: [String: String]
        var feature_names: [String]
        var sources: [String]
        var proxies: [Proxy]
        var multivariate: [String: Multivariate]
        var attributions: Attributions
        var decomposition: [String: Decomposition]
    }

    static func golden() throws -> Golden {
        let data = try Data(contentsOf: URL(fileURLWithPath: path("fixtures/explanations/leads-goldens.json")))
        return try JSONDecoder().decode(Golden.self, from: data)
    }

    static func model() throws -> TreeEnsemble {
        guard let model = try ModelLoader.load(contentsOf: modelPath) as? TreeEnsemble else {
            throw FairleadError(.invalidModel, "the bundled model is not a tree ensemble")
        }
        return model
    }

    /// Every lead of the sample in one batch, with the sensitive columns.
    static func leads(_ model: TreeEnsemble, attributes: [String] = ["ethnicity", "gender", "age_band"]) throws -> (LeadReader, LeadBatch) {
        let reader = try LeadReader(path: leadsPath, featureNames: model.featureNames, idColumn: "lead_id",
                                    attributeColumns: attributes)
        guard let batch = try reader.next(maxRows: 1_000_000) else { throw FairleadError(.invalidData, "no leads") }
        return (reader, batch)
    }

    /// A temporary file holding `text`.
    static func temporaryFile(_ text: String, suffix: String = ".csv") throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("fairlead-explain-\(UUID().uuidString)\(suffix)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
