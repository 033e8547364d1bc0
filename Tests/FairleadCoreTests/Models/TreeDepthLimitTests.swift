import Foundation
import Testing
@testable import FairleadCore

/// `limits.max_tree_depth`: a tree deeper than the limit is refused by every loader with
/// the limit named; raised, the same tree loads; past ``TreeEnsemble/maximumTreeDepth`` no
/// limit admits it.
@Suite struct TreeDepthLimitTests {
    /// A chain of `depth` splits: split k (on feature k mod `features`, x ≤ 0.5) has a leaf
    /// of value k on its left and split k + 1 on its right; the last split's right is a leaf.
    static func chain(depth: Int, features: Int) -> RawTree {
        var raw = RawTree()
        for k in 0..<depth {
            raw.leftChild += [2 * k + 1, -1]
            raw.rightChild += [2 * k + 2, -1]
            raw.feature += [k % features, 0]
            raw.threshold += [0.5, 0]
            raw.flags += [[], []]
            raw.value += [0, Double(k % 7) - 3]
            raw.cover += [Double(depth - k + 1), 1]
        }
        raw.leftChild.append(-1)
        raw.rightChild.append(-1)
        raw.feature.append(0)
        raw.threshold.append(0)
        raw.flags.append([])
        raw.value.append(5)
        raw.cover.append(1)
        return raw
    }

    /// A LightGBM text model of one chain tree `depth` splits deep over f0…f(features − 1).
    static func lightGBMChain(depth: Int, features: Int) -> String {
        let names = (0..<features).map { "f\($0)" }
        let splits = 0..<depth
        let right = splits.map { $0 == depth - 1 ? "-\(depth + 1)" : "\($0 + 1)" }
        let leaves = 0...depth
        return """
            tree
            version=v4
            num_class=1
            num_tree_per_iteration=1
            label_index=0
            max_feature_idx=\(features - 1)
            objective=binary sigmoid:1
            feature_names=\(names.joined(separator: " "))
            feature_infos=\(Array(repeating: "[0:1]", count: features).joined(separator: " "))
            tree_sizes=1

            Tree=0
            num_leaves=\(depth + 1)
            num_cat=0
            split_feature=\(splits.map { "\($0 % features)" }.joined(separator: " "))
            split_gain=\(splits.map { _ in "1" }.joined(separator: " "))
            threshold=\(splits.map { _ in "0.5" }.joined(separator: " "))
            decision_type=\(splits.map { _ in "2" }.joined(separator: " "))
            left_child=\(splits.map { "-\($0 + 1)" }.joined(separator: " "))
            right_child=\(right.joined(separator: " "))
            leaf_value=\(leaves.map { "\($0 % 7 - 3)" }.joined(separator: " "))
            leaf_weight=\(leaves.map { _ in "1" }.joined(separator: " "))
            leaf_count=\(leaves.map { _ in "1" }.joined(separator: " "))
            internal_value=\(splits.map { _ in "0" }.joined(separator: " "))
            internal_weight=\(splits.map { "\(depth - $0 + 1)" }.joined(separator: " "))
            internal_count=\(splits.map { "\(depth - $0 + 1)" }.joined(separator: " "))
            is_linear=0
            shrinkage=1


            end of trees

            pandas_categorical:null

            """
    }

    @Test func aTreeDeeperThanTheDefaultIsRefusedNamingTheLimit() throws {
        let error = #expect(throws: FairleadError.self) {
            _ = try DecisionTree(raw: Self.chain(depth: 257, features: 3), featureCount: 3) { FairleadError(.invalidModel, $0) }
        }
        #expect(error?.message == "is deeper than 256 levels (the max_tree_depth limit)")
        #expect(error?.limit == .maxTreeDepth)
        let tree = try DecisionTree(raw: Self.chain(depth: 256, features: 3), featureCount: 3) { FairleadError(.invalidModel, $0) }
        #expect(tree.depth == 256)
    }

    @Test func aRaisedLimitLoadsTheTreeAndALoweredOneRefusesIt() throws {
        let text = Data(Self.lightGBMChain(depth: 300, features: 3).utf8)
        let refused = #expect(throws: FairleadError.self) { _ = try LightGBMModelLoader.load(textData: text, path: "deep.txt") }
        #expect(refused?.limit == .maxTreeDepth)
        #expect(refused?.message.contains("Tree=0 is deeper than 256 levels (the max_tree_depth limit)") == true, "\(String(describing: refused))")
        var limits = Limits()
        limits.maxTreeDepth = 300
        let model = try LightGBMModelLoader.load(textData: text, path: "deep.txt", limits: limits)
        #expect(model.maximumDepth == 300)
        #expect(model.trees[0].nodes.count == 601)
        limits.maxTreeDepth = 4
        let lowered = #expect(throws: FairleadError.self) {
            _ = try LightGBMModelLoader.load(textData: Data(Self.lightGBMChain(depth: 5, features: 3).utf8), path: "deep.txt", limits: limits)
        }
        #expect(lowered?.message.contains("Tree=0 is deeper than 4 levels (the max_tree_depth limit)") == true, "\(String(describing: lowered))")
    }

    @Test func noLimitAdmitsATreeDeeperThanTheCeiling() throws {
        let ceiling = TreeEnsemble.maximumTreeDepth
        #expect(ceiling == 512)
        let error = #expect(throws: FairleadError.self) {
            _ = try DecisionTree(raw: Self.chain(depth: ceiling + 1, features: 3), featureCount: 3, maxDepth: 1 << 30) {
                FairleadError(.invalidModel, $0)
            }
        }
        #expect(error?.message == "is deeper than 512 levels, more than any tree may be")
        #expect(error?.limit == nil)
        let tree = try DecisionTree(raw: Self.chain(depth: ceiling, features: 3), featureCount: 3, maxDepth: ceiling) {
            FairleadError(.invalidModel, $0)
        }
        #expect(tree.depth == ceiling)
    }

    @Test func theLimitIsReadFromTextLikeTheOthers() {
        #expect(Limits.parse("512", as: .maxTreeDepth) == 512)
        #expect(Limits.parse("1KiB", as: .maxTreeDepth) == nil)
        #expect(Limits().maxTreeDepth == 256)
        var limits = Limits()
        limits[.maxTreeDepth] = 512
        #expect(limits.maxTreeDepth == 512)
    }
}
