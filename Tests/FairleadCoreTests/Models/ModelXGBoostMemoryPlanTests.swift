import Foundation
import Testing
@testable import FairleadCore

/// XGBoost JSON models whose trees or feature names cost more memory than the budget: each
/// is refused from the first pass over the text, before a tree or a name is built, at the
/// file and the field that takes the most, naming the limit; under a raised budget it loads.
@Suite struct ModelXGBoostMemoryPlanTests {
    static let path = "m.json"

    static func budget(_ bytes: Int) -> Limits {
        var limits = Limits()
        limits.memoryBudgetBytes = bytes
        return limits
    }

    /// The leads model with its trees replaced by one complete binary tree of `nodes` nodes
    /// (2^k − 1), every split on feature 0 at 0 and every leaf 0.
    static func oneCompleteTree(nodes: Int) throws -> Data {
        let internalNodes = nodes / 2
        let tree: [String: Any] = [
            "tree_param": ["num_nodes": "\(nodes)", "num_deleted": "0", "size_leaf_vector": "1"],
            "left_children": (0..<nodes).map { $0 < internalNodes ? 2 * $0 + 1 : -1 },
            "right_children": (0..<nodes).map { $0 < internalNodes ? 2 * $0 + 2 : -1 },
            "split_indices": [Int](repeating: 0, count: nodes),
            "split_conditions": [Int](repeating: 0, count: nodes),
            "default_left": [Int](repeating: 0, count: nodes),
            "sum_hessian": [Int](repeating: 1, count: nodes),
        ]
        return try ModelDeclaredCountsTests.xgboost { json in
            ModelDeclaredCountsTests.editTrees(&json) { $0 = [tree] }
            var learner = json["learner"] as? [String: Any] ?? [:]
            var booster = learner["gradient_booster"] as? [String: Any] ?? [:]
            var model = booster["model"] as? [String: Any] ?? [:]
            model["gbtree_model_param"] = ["num_trees": "1", "num_parallel_tree": "1"]
            model["tree_info"] = [0]  // one tree, one round: as the loader checks
            model["iteration_indptr"] = [0, 1]
            booster["model"] = model
            learner["gradient_booster"] = booster
            json["learner"] = learner
        }
    }

    /// 2¹⁸ − 1 nodes in 4.6 MB: planned at about 64 MiB (48 bytes a node, and 16 an array
    /// element and 96 a node while the tree is built), where the old loader took them unplanned.
    @Test func aLargeTreeAboveTheMemoryBudgetIsRefusedAtTheTreeNamingTheLimit() throws {
        let data = try Self.oneCompleteTree(nodes: (1 << 18) - 1)
        let error = #expect(throws: FairleadError.self) {
            _ = try XGBoostModelLoader.load(jsonData: data, path: Self.path, limits: Self.budget(32 << 20))
        }
        #expect(error?.limit == .memoryBudgetBytes)
        #expect(error?.location == SourceLocation(file: Self.path, field: "learner.gradient_booster.model.trees[0]"))
        #expect(error?.message.hasPrefix("the XGBoost model holds 1 trees of 262143 nodes and 0 category codes, the largest (tree 0) with 1572858 array elements") == true,
                "\(String(describing: error))")
        #expect(error?.message.hasSuffix("above the memory budget of 32 MiB") == true, "\(String(describing: error))")

        let model = try XGBoostModelLoader.load(jsonData: data, path: Self.path, limits: Self.budget(256 << 20))
        #expect(model.trees.count == 1)
        #expect(model.trees[0].nodes.count == (1 << 18) - 1)
    }

    /// `num_feature` 1048576 with no names: a file of a few kilobytes that makes a million
    /// names, planned at 80 bytes each before they are made.
    @Test func namesMadeForADeclaredFeatureCountAreRefusedAtNumFeature() throws {
        let data = try ModelDeclaredCountsTests.xgboost { json in
            var learner = json["learner"] as? [String: Any] ?? [:]
            learner["feature_names"] = [String]()
            learner["feature_types"] = [String]()
            var parameters = learner["learner_model_param"] as? [String: Any] ?? [:]
            parameters["num_feature"] = "1048576"
            learner["learner_model_param"] = parameters
            json["learner"] = learner
        }
        let error = #expect(throws: FairleadError.self) {
            _ = try XGBoostModelLoader.load(jsonData: data, path: Self.path, limits: Self.budget(64 << 20))
        }
        #expect(error?.limit == .memoryBudgetBytes)
        #expect(error?.location == SourceLocation(file: Self.path, field: "learner.learner_model_param.num_feature"))
        #expect(error?.message.contains("and 1048576 feature names in \(data.count) bytes") == true, "\(String(describing: error))")

        let model = try XGBoostModelLoader.load(jsonData: data, path: Self.path, limits: Self.budget(256 << 20))
        #expect(model.featureNames.count == 1_048_576)
        #expect(model.featureNames.last == "f1048575")
    }

    /// A budget lowered to bound an explainer does not refuse a model of a few hundred kilobytes.
    @Test func aSmallModelLoadsUnderATinyBudget() throws {
        let data = try ModelDeclaredCountsTests.xgboost { _ in }
        #expect(try XGBoostModelLoader.load(jsonData: data, path: Self.path, limits: Self.budget(100)).trees.count > 0)
    }

    /// Names read after the plan keep their located errors.
    @Test func aFeatureNameOfAnotherKindIsStillReportedAtItsIndex() throws {
        let data = try ModelDeclaredCountsTests.xgboost { json in
            var learner = json["learner"] as? [String: Any] ?? [:]
            var names = learner["feature_names"] as? [Any] ?? []
            names[2] = 7
            learner["feature_names"] = names
            json["learner"] = learner
        }
        #expect(throws: FairleadError(.invalidModel, "expected a string in this XGBoost JSON model",
                                      at: SourceLocation(file: Self.path, field: "learner.feature_names[2]"))) {
            _ = try XGBoostModelLoader.load(jsonData: data, path: Self.path)
        }
    }
}
