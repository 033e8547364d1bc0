import Foundation
import Testing
@testable import FairleadCore

@Suite("Model loading and feature matching")
struct ModelLoaderTests {
    @Test(arguments: [
        ("xgb-leads-logistic.json", ModelFormat.xgboost), ("lgb-leads-binary.txt", .lightgbm),
        ("linear-leads-logistic.json", .linear),
    ])
    func formatIsRecognisedFromContent(file: String, format: ModelFormat) throws {
        let data = try ModelFile.contents(of: ModelFixtures.path(file))
        #expect(try ModelLoader.detectFormat(data, path: file) == format)
    }

    @Test func linearModelFromJSON() throws {
        let json = """
            {"format": "fairlead-linear", "version": 1, "link": "logit", "intercept": -1.5,
             "features": [{"name": "web_visits", "coefficient": 0.25}, {"name": "email_opens", "coefficient": 0.1}]}
            """
        let model = try LinearModel(jsonData: Data(json.utf8), path: "m.json")
        #expect(model.featureNames == ["web_visits", "email_opens"])
        #expect(model.link == .logit)
        let x = Matrix(rowArrays: [[4, 5], [0, 0]])
        #expect(model.margins(x) == [-1.5 + 1 + 0.5, -1.5])
        #expect(abs(model.probabilities(x)[1] - 1 / (1 + exp(1.5))) < 1e-15)
    }

    @Test func explicitFormatOverridesDetection() {
        #expect(throws: FairleadError.self) {
            _ = try ModelLoader.load(contentsOf: ModelFixtures.path("lgb-leads-binary.txt"), format: .xgboost)
        }
    }

    @Test func featuresAreMatchedByName() throws {
        let model = LinearModel(featureNames: ["b", "a"], coefficients: [10, 1], intercept: 0, link: .identity)
        let data = Matrix(rowArrays: [[1, 2, 3], [4, 5, 6]])
        let x = try model.featureMatrix(from: data, columnNames: ["a", "unused", "b"])
        #expect(x == Matrix(rowArrays: [[3, 1], [6, 4]]))
        #expect(model.margins(x) == [31, 64])
    }

    @Test func missingFeatureIsNamedWithTheClosestColumns() {
        let model = LinearModel(featureNames: ["web_visits", "email_opens"], coefficients: [1, 1], intercept: 0, link: .identity)
        let data = Matrix(rows: 1, columns: 2, values: [1, 2])
        #expect {
            _ = try model.featureMatrix(from: data, columnNames: ["web_visit", "email_opens"], source: "leads.csv")
        } throws: { error in
            guard let error = error as? FairleadError else { return false }
            return error.kind == .invalidData
                && error.description == "leads.csv: the model needs feature \"web_visits\", which is not among the columns (closest: \"web_visit\")"
        }
    }

    @Test func duplicateColumnIsAnError() {
        let model = LinearModel(featureNames: ["a"], coefficients: [1], intercept: 0, link: .identity)
        #expect(throws: FairleadError.self) {
            _ = try model.featureMatrix(from: Matrix(rows: 1, columns: 2, values: [1, 2]), columnNames: ["a", "a"])
        }
    }

    @Test func xgboostThresholdsCompareInFloat32() throws {
        // XGBoost sends x left when Float(x) < Float(t). With t = 0.1 (float32 0.100000001…),
        // the double 0.1 rounds to that same float32, so it must go RIGHT even though
        // 0.1 < Double(Float(0.1)) in double precision.
        let model = try XGBoostModelLoader.load(jsonData: Data(Self.stumpJSON(threshold: "0.1").utf8), path: "stump.json")
        let margins = model.margins(Matrix(rowArrays: [[0.1], [0.09999999], [.nan]]))
        #expect(margins == [2, 1, 1])
    }

    @Test(arguments: [
        // decision_type, threshold, x, expected leaf (0 left / 1 right); each row checked
        // against lightgbm 4.7's Booster(model_str=…).predict on the same stump.
        (2, 0.5, Double.nan, 0), (0, -0.5, Double.nan, 1),   // missing type none: NaN reads as 0
        (2, 0.5, 0.7, 1), (0, 0.5, 0.5, 0),                  // x <= threshold goes left
        (4, -1.0, 0.0, 1), (6, -1.0, 0.0, 0),                // missing type zero: 0 follows default_left
        (6, -1.0, Double.nan, 0), (4, 5.0, Double.nan, 1),   // … and so does NaN
        (8, -1.0, Double.nan, 1), (10, -1.0, Double.nan, 0), // missing type NaN: default right (8), left (10)
        (8, 5.0, Double.nan, 1), (8, 5.0, 0.0, 0),           // NaN type with default right; 0 compares
    ])
    func lightGBMDecisionTypes(decisionType: Int, threshold: Double, x: Double, leaf: Int) throws {
        let model = try LightGBMModelLoader.load(textData: Data(Self.lightGBMStump(decisionType: decisionType, threshold: threshold).utf8),
                                                 path: "stump.txt")
        #expect(model.margins(Matrix(rowArrays: [[x]])) == [leaf == 0 ? -1 : 1])
    }

    /// A model saved with CRLF line ends reads as with LF: the bundled models predict the
    /// same margins either way.
    @Test(arguments: ["lgb-leads-binary.txt", "lgb-breast-cancer-binary.txt"])
    func lightGBMWithCRLFLineEnds(file: String) throws {
        let path = ModelFixtures.path(file)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.utf8.contains(13))
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        let lf = try LightGBMModelLoader.load(textData: Data(text.utf8), path: file)
        let windows = try LightGBMModelLoader.load(textData: Data(crlf.utf8), path: file)
        let columns = lf.featureNames.count
        var values: [Double] = []
        for row in 0..<20 {
            for column in 0..<columns { values.append(Double((row * 31 + column * 7) % 17) / 4) }
        }
        let rows = Matrix(rows: 20, columns: columns, values: values)
        #expect(windows.margins(rows) == lf.margins(rows))
        #expect(windows.featureNames == lf.featureNames && windows.trees.count == lf.trees.count)
    }

    static func stumpJSON(threshold: String) -> String {
        """
        {"learner": {"feature_names": ["x"], "learner_model_param": {"base_score": "[0E0]", "num_class": "0", "num_feature": "1"},
         "objective": {"name": "reg:squarederror"},
         "gradient_booster": {"name": "gbtree", "model": {"gbtree_model_param": {"num_trees": "1"},
          "trees": [{"left_children": [1, -1, -1], "right_children": [2, -1, -1], "split_indices": [0, 0, 0],
                     "split_conditions": [\(threshold), 1, 2], "default_left": [1, 0, 0], "sum_hessian": [2, 1, 1],
                     "tree_param": {"num_nodes": "3"}}]}}},
         "version": [3, 2, 0]}
        """
    }

    static func lightGBMStump(decisionType: Int, threshold: Double) -> String {
        """
        tree
        version=v4
        num_class=1
        num_tree_per_iteration=1
        max_feature_idx=0
        objective=regression
        feature_names=x

        Tree=0
        num_leaves=2
        num_cat=0
        split_feature=0
        threshold=\(threshold)
        decision_type=\(decisionType)
        left_child=-1
        right_child=-2
        leaf_value=-1 1
        leaf_count=5 5
        internal_count=10
        shrinkage=1


        end of trees
        """
    }
}
