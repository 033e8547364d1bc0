import Foundation
import Testing
@testable import FairleadCore

/// One broken file of fixtures/models/bad/ and the error it must give.
struct BadModelCase: Sendable, CustomTestStringConvertible {
    var file: String
    var message: String
    var field: String? = nil
    var line: Int? = nil

    var testDescription: String { file }
}

@Suite("Bad model corpus")
struct ModelBadCorpusTests {
    static let cases: [BadModelCase] = [
        BadModelCase(file: "xgb-truncated.json", message: "not valid JSON (truncated: the text ends inside a value)",
                     field: "learner.gradient_booster.model.trees[1]", line: 1),
        BadModelCase(file: "xgb-unknown-objective.json",
                     message: "objective \"rank:pairwise\" is not supported; Fairlead reads binary:logistic, reg:logistic, reg:squarederror",
                     field: "learner.objective.name"),
        BadModelCase(file: "xgb-missing-node.json", message: "tree 0 node 0 refers to node 99, but the tree has 7 nodes",
                     field: "learner.gradient_booster.model.trees[0]"),
        BadModelCase(file: "xgb-cycle.json", message: "tree 1 reaches node 0 twice (a cycle or a shared child)",
                     field: "learner.gradient_booster.model.trees[1]"),
        BadModelCase(file: "xgb-length-mismatch.json", message: "num_nodes is 7 but sum_hessian has 6 entries",
                     field: "learner.gradient_booster.model.trees[0]"),
        BadModelCase(file: "xgb-missing-key.json", message: "missing key \"split_indices\" in this XGBoost JSON model",
                     field: "learner.gradient_booster.model.trees[1].split_indices"),
        BadModelCase(file: "xgb-feature-out-of-range.json",
                     message: "tree 0 node 0 splits on feature 50, but the model has 3 features",
                     field: "learner.gradient_booster.model.trees[0]"),
        BadModelCase(file: "xgb-dart.json", message: "booster \"dart\" is not supported; Fairlead reads gbtree boosters",
                     field: "learner.gradient_booster.name"),
        BadModelCase(file: "xgb-base-score-text.json", message: "base_score \"[abc]\" is not a number",
                     field: "learner.learner_model_param.base_score"),
        BadModelCase(file: "xgb-base-score-vector.json",
                     message: "base_score \"[2E-1,3E-1]\" has 2 values; only single-output models are supported",
                     field: "learner.learner_model_param.base_score"),
        BadModelCase(file: "xgb-multiclass.json", message: "a multi-class model (3 classes) is not supported",
                     field: "learner.learner_model_param.num_class"),
        BadModelCase(file: "lgb-truncated-after-tree.txt",
                     message: "the file is truncated: no \"end of trees\" line after Tree=1"),
        BadModelCase(file: "lgb-truncated-mid-tree.txt",
                     message: "the file is truncated: Tree=1 has no leaf_value= line", line: 31),
        BadModelCase(file: "lgb-missing-node.txt", message: "Tree=0 refers to a missing node -9 (3 splits, 4 leaves)", line: 19),
        BadModelCase(file: "lgb-multiclass.txt", message: "a multi-class model (3 classes) is not supported", line: 3),
        BadModelCase(file: "lgb-unknown-objective.txt",
                     message: "objective \"lambdarank\" is not supported; Fairlead reads binary, cross_entropy and the regression objectives with an identity link",
                     line: 7),
        BadModelCase(file: "lgb-bad-number.txt", message: "Tree=0 threshold[1] is \"abc\", not a finite number", line: 17),
        BadModelCase(file: "lgb-linear-tree.txt",
                     message: "Tree=0 is a linear tree (is_linear=1); linear trees are not supported", line: 27),
        BadModelCase(file: "linear-unknown-link.json", message: "unknown link \"probit\", expected \"identity\" or \"logit\"",
                     field: "link"),
        BadModelCase(file: "linear-duplicate-feature.json", message: "feature \"web_visits\" is listed twice",
                     field: "features[1].name"),
        BadModelCase(file: "linear-missing-intercept.json", message: "missing key \"intercept\" in this linear model",
                     field: "intercept"),
        BadModelCase(file: "linear-coefficient-text.json", message: "expected a number in this linear model",
                     field: "features[0].coefficient"),
        BadModelCase(file: "linear-duplicate-key.json",
                     message: "the key \"intercept\" is given twice in one object of this linear model; readers disagree on which copy counts, so give it once",
                     field: "intercept"),
        BadModelCase(file: "linear-no-features.json",
                     message: "the model reads no feature, so it gives every lead the same score and no reason; a model Fairlead explains reads at least one"),
        BadModelCase(file: "xgb-duplicate-key.json",
                     message: "the key \"base_score\" is given twice in one object of this XGBoost JSON model; readers disagree on which copy counts, so give it once",
                     field: "learner.learner_model_param.base_score"),
        BadModelCase(file: "not-a-model.csv",
                     message: "not a model Fairlead reads: expected XGBoost JSON, Fairlead linear JSON, a LightGBM text model or ONNX"),
        BadModelCase(file: "onnx-truncated.onnx", message: "not a valid ONNX model (truncated or malformed protobuf)"),
        BadModelCase(file: "onnx-unsupported-normalizer.onnx",
                     message: "node \"Normalizer\" (op_type Normalizer): is not supported before the model; Fairlead folds ArrayFeatureExtractor, Cast, Concat, Flatten, Identity, Imputer, OneHotEncoder, Reshape, Scaler",
                     field: "graph.node[0]"),
        BadModelCase(file: "onnx-tree-cycle.onnx",
                     message: "node \"TreeEnsembleClassifier\" (op_type TreeEnsembleClassifier): tree 0 is deeper than 256 levels (the max_tree_depth limit) or loops back on itself (a cycle)",
                     field: "graph.node[0]"),
        BadModelCase(file: "onnx-no-model-node.onnx",
                     message: "the graph has no model operator; Fairlead reads LinearClassifier, LinearRegressor, TreeEnsembleClassifier, TreeEnsembleRegressor (ai.onnx.ml)"),
        BadModelCase(file: "empty.json", message: "the model file is empty"),
        BadModelCase(file: "no-such-file.json", message: "model file not found"),
    ]

    @Test(arguments: cases)
    func eachBadFileGivesItsError(_ expected: BadModelCase) {
        let path = ModelFixtures.path("bad/" + expected.file)
        #expect {
            _ = try ModelLoader.load(contentsOf: path)
        } throws: { error in
            guard let error = error as? FairleadError else { return false }
            return error.kind == .invalidModel
                && error.message == expected.message
                && error.location?.file == path
                && error.location?.field == expected.field
                && error.location?.line == expected.line
        }
    }

    /// `NaN` is not JSON; the message said only "not valid JSON (truncated or malformed)".
    @Test func aNaNSplitIsPlacedByLineColumnAndKey() throws {
        let text = try String(contentsOfFile: ModelFixtures.path("xgb-leads-logistic.json"), encoding: .utf8)
        let start = try #require(text.firstRange(of: #/"split_conditions"\s*:\s*\[\s*/#)).upperBound
        let end = try #require(text[start...].firstIndex { $0 == "," || $0 == "]" })
        let broken = text[..<start] + "NaN" + text[end...]
        let before = broken[..<start]
        let line = before.filter { $0 == "\n" }.count + 1
        let column = before.distance(from: before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex, to: start) + 1
        let error = #expect(throws: FairleadError.self) {
            try XGBoostModelLoader.load(jsonData: Data(broken.utf8), path: "nan.json")
        }
        #expect(error?.message == "not valid JSON: NaN is not a JSON number (JSON has no NaN or Infinity)")
        #expect(error?.location == SourceLocation(file: "nan.json", line: line, column: column,
                                                  field: "learner.gradient_booster.model.trees[0].split_conditions[0]"))
    }

    @Test func messageNamesTheFileAndKey() throws {
        let path = ModelFixtures.path("bad/xgb-dart.json")
        do {
            _ = try ModelLoader.load(contentsOf: path)
            Issue.record("a dart booster must be rejected")
        } catch let error as FairleadError {
            #expect(error.description == "\(path) (learner.gradient_booster.name): booster \"dart\" is not supported; Fairlead reads gbtree boosters")
        }
    }
}
