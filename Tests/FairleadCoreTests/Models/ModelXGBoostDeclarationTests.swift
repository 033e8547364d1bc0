import Foundation
import Testing
@testable import FairleadCore

/// What an XGBoost JSON model declares about its rounds, versions and nodes is checked
/// against what it holds, and refused at its line and column: `split_type` 7 was read as
/// numeric, `default_left` 2 as true, `num_parallel_tree` "0" or "3", `tree_info` [3] and
/// `iteration_indptr` [0, 5] beside one tree and `"version": "x"` were all accepted.
@Suite struct ModelXGBoostDeclarationTests {
    /// A one-stump model; each argument is the JSON text of its key (nil leaves the key out).
    static func model(parallel: String? = #""1""#, treeInfo: String? = "[0]", indptr: String? = "[0, 1]",
                      version: String = "[3, 1, 0]", splitType: String = "[0, 0, 0]", defaultLeft: String = "[0, 1, 0]") -> String {
        var parameters = [#""num_trees": "1""#]
        if let parallel { parameters.append(#""num_parallel_tree": "# + parallel) }
        var model = [#""gbtree_model_param": {"# + parameters.joined(separator: ", ") + "}"]
        if let treeInfo { model.append(#""tree_info": "# + treeInfo) }
        if let indptr { model.append(#""iteration_indptr": "# + indptr) }
        return """
            {"learner": {"feature_names": ["a", "b"],
             "learner_model_param": {"base_score": "5E-1", "num_class": "0", "num_feature": "2"},
             "objective": {"name": "binary:logistic"},
             "gradient_booster": {"name": "gbtree", "model": {\(model.joined(separator: ", ")),
              "trees": [{"left_children": [1, -1, -1], "right_children": [2, -1, -1], "split_indices": [1, 0, 0],
                         "split_conditions": [0.5, -0.3, 0.4], "sum_hessian": [10, 4, 6],
                         "split_type": \(splitType),
                         "default_left": \(defaultLeft), "tree_param": {"num_nodes": "3"}}]}}},
             "version": \(version)}
            """
    }

    /// The 1-based line and column where `marker` first starts in `text` after `key`.
    static func place(of marker: String, in text: String, after key: String = "") throws -> (line: Int, column: Int) {
        let from = try #require(text.range(of: key)).upperBound
        let start = try #require(text.range(of: marker, range: from..<text.endIndex)).lowerBound
        let before = text[..<start]
        let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
        return (before.filter { $0 == "\n" }.count + 1, before[lineStart...].count + 1)
    }

    static func expectRefusal(_ text: String, _ message: String, at marker: String, after key: String,
                              field: String) throws {
        let (line, column) = try place(of: marker, in: text, after: key)
        #expect(throws: FairleadError(.invalidModel, message, at: SourceLocation(file: "m.json", line: line, column: column, field: field))) {
            _ = try XGBoostModelLoader.load(jsonData: Data(text.utf8), path: "m.json")
        }
    }

    static let modelField = "learner.gradient_booster.model"

    @Test func theDeclarationsAsXGBoostWritesThemLoad() throws {
        let model = try XGBoostModelLoader.load(jsonData: Data(Self.model().utf8), path: "m.json")
        #expect(model.trees.count == 1)
        // XGBoost 1.x writes no iteration_indptr; hand-made files may leave all of them out.
        _ = try XGBoostModelLoader.load(jsonData: Data(Self.model(indptr: nil).utf8), path: "m.json")
        _ = try XGBoostModelLoader.load(jsonData: Data(Self.model(parallel: nil, treeInfo: nil, indptr: nil).utf8), path: "m.json")
        // Booleans for default_left, as some writers give them.
        _ = try XGBoostModelLoader.load(jsonData: Data(Self.model(defaultLeft: "[false, true, false]").utf8), path: "m.json")
    }

    @Test func aSplitTypeXGBoostDoesNotWriteIsRefused() throws {
        let text = Self.model(splitType: "[0, 7, 0]")
        try Self.expectRefusal(text, "node 1 has split_type 7; XGBoost writes 0 (numeric) or 1 (categorical)",
                               at: "7", after: "split_type", field: "\(Self.modelField).trees[0].split_type[1]")
    }

    @Test func aDefaultLeftOtherThanZeroOrOneIsRefused() throws {
        let text = Self.model(defaultLeft: "[2, 1, 0]")
        try Self.expectRefusal(text, "node 0 has default_left 2; expected 0 or 1 (or false or true)",
                               at: "2", after: "default_left", field: "\(Self.modelField).trees[0].default_left[0]")
    }

    @Test(arguments: [
        (#""0""#, #"num_parallel_tree is "0"; expected a whole number of trees per round, at least 1"#),
        (#""x""#, #"num_parallel_tree is "x"; expected a whole number of trees per round, at least 1"#),
        (#""3""#, "num_parallel_tree is 3, but num_trees is 1, not a whole number of rounds of 3 trees"),
    ])
    func aNumberOfParallelTreesTheTreesDoNotMakeIsRefused(parallel: String, message: String) throws {
        let text = Self.model(parallel: parallel)
        try Self.expectRefusal(text, message, at: parallel, after: "num_parallel_tree", field: "\(Self.modelField).gbtree_model_param.num_parallel_tree")
    }

    @Test func treeInfoMustGiveOneOutputGroupZeroPerTree() throws {
        try Self.expectRefusal(Self.model(treeInfo: "[3]"), "tree_info[0] is 3, but the model has one output: every tree's output group is 0",
                               at: "3", after: "tree_info", field: "\(Self.modelField).tree_info[0]")
        try Self.expectRefusal(Self.model(treeInfo: "[0, 0]"), "tree_info has 2 entries, but num_trees is 1",
                               at: "[", after: "tree_info", field: "\(Self.modelField).tree_info")
    }

    @Test func iterationStartsMustBeTheRoundsOfTheTrees() throws {
        try Self.expectRefusal(Self.model(indptr: "[0, 5]"),
                               "iteration_indptr[1] is 5, expected 1 (num_trees 1, num_parallel_tree 1: round k starts at tree k × 1)",
                               at: "5", after: "iteration_indptr", field: "\(Self.modelField).iteration_indptr[1]")
        try Self.expectRefusal(Self.model(indptr: "[0]"),
                               "iteration_indptr has 1 entries, expected 2 (num_trees 1, num_parallel_tree 1: one per round and one for the end)",
                               at: "[", after: "iteration_indptr", field: "\(Self.modelField).iteration_indptr")
    }

    @Test(arguments: [#""x""#, "[3, 1]", "[3, -1, 0]", "[3, 1.5, 0]"])
    func aVersionThatIsNotThreeWholeNumbersIsRefused(version: String) throws {
        let text = Self.model(version: version)
        try Self.expectRefusal(text, "version is not XGBoost's [major, minor, patch] of three whole numbers",
                               at: version, after: #""version": "#, field: "version")
    }
}
