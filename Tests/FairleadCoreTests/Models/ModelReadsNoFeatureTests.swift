import Foundation
import Testing
@testable import FairleadCore

/// A tree model whose trees split on no feature (no tree at all, or single leaves) gives
/// every lead the same score and no reason, as a linear model of no feature does: both are
/// refused alike, whatever feature names the file lists (they were accepted before).
@Suite struct ModelReadsNoFeatureTests {
    static func reason(_ why: String) -> String {
        "the model reads no feature\(why), so it gives every lead the same score and no reason; a model Fairlead explains reads at least one"
    }

    /// An XGBoost model over features a and b holding `trees` (JSON objects).
    static func xgboost(trees: [String]) -> String {
        """
        {"learner": {"feature_names": ["a", "b"], "learner_model_param": {"base_score": "5E-1", "num_class": "0", "num_feature": "2"},
         "objective": {"name": "binary:logistic"},
         "gradient_booster": {"name": "gbtree", "model": {"gbtree_model_param": {"num_trees": "\(trees.count)", "num_parallel_tree": "1"},
          "trees": [\(trees.joined(separator: ", "))]}}},
         "version": [3, 1, 0]}
        """
    }

    static let leaf = """
        {"left_children": [-1], "right_children": [-1], "split_indices": [0], "split_conditions": [0.7],
         "default_left": [0], "sum_hessian": [5], "tree_param": {"num_nodes": "1"}}
        """
    static let stump = """
        {"left_children": [1, -1, -1], "right_children": [2, -1, -1], "split_indices": [1, 0, 0],
         "split_conditions": [0.5, -0.3, 0.4], "default_left": [0, 0, 0], "sum_hessian": [10, 4, 6], "tree_param": {"num_nodes": "3"}}
        """

    /// A LightGBM model over features a and b holding `trees` (`Tree=` blocks).
    static func lightGBM(trees: [String]) -> String {
        "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nmax_feature_idx=1\nobjective=binary sigmoid:1\nfeature_names=a b\n\n"
            + trees.joined() + "end of trees\n"
    }

    static func lightGBMLeaf(_ index: Int) -> String {
        "Tree=\(index)\nnum_leaves=1\nnum_cat=0\nleaf_value=0.25\nshrinkage=1\n\n\n"
    }

    /// `text` loaded through `ModelLoader` from a file named `name` in a new folder.
    static func load(_ text: String, named name: String) throws -> any Model {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reads-no-feature-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        do {
            return try ModelLoader.load(contentsOf: path)
        } catch let error as FairleadError {
            // The folder is random: compare the file's name.
            #expect(error.location?.file == path)
            throw FairleadError(error.kind, error.message, at: SourceLocation(file: name))
        }
    }

    @Test(arguments: [
        (xgboost(trees: []), "m.json", " (it holds no tree)"),
        (xgboost(trees: [leaf]), "m.json", " (its tree is a single leaf)"),
        (xgboost(trees: [leaf, leaf, leaf]), "m.json", " (its 3 trees are single leaves)"),
        (lightGBM(trees: []), "m.txt", " (it holds no tree)"),
        (lightGBM(trees: [lightGBMLeaf(0), lightGBMLeaf(1)]), "m.txt", " (its 2 trees are single leaves)"),
    ])
    func aTreeModelWhoseTreesSplitOnNothingIsRefused(text: String, name: String, why: String) throws {
        #expect(throws: FairleadError(.invalidModel, Self.reason(why), at: SourceLocation(file: name))) {
            _ = try Self.load(text, named: name)
        }
    }

    /// One split anywhere is enough: the model reads that feature.
    @Test func oneSplitAmongLeavesIsRead() throws {
        let model = try #require(try Self.load(Self.xgboost(trees: [Self.leaf, Self.stump]), named: "m.json") as? TreeEnsemble)
        #expect(model.trees.count == 2)
        #expect(model.margins(Matrix(rowArrays: [[0, 0], [0, 1]])).count == 2)
    }

    /// The linear model's refusal, unchanged.
    @Test func aLinearModelOfNoFeatureIsRefused() throws {
        let json = #"{"format": "fairlead-linear", "version": 1, "link": "logit", "intercept": 0.5, "features": []}"#
        #expect(throws: FairleadError(.invalidModel, Self.reason(""), at: SourceLocation(file: "m.json"))) {
            _ = try Self.load(json, named: "m.json")
        }
    }
}
