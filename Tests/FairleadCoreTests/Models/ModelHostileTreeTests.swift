import Foundation
import FairleadTestSupport
import Testing
@testable import FairleadCore

/// Tree model files made to cost memory out of proportion to their size, or to hide nodes
/// no prediction reads: each is refused with the tree and node, or loaded in memory the
/// file bounds.
@Suite struct ModelHostileTreeTests {
    /// An XGBoost model of one tree over one feature `c`, from its node arrays.
    static func xgboostTree(left: [Int], right: [Int], splitIndices: [Int], conditions: [Double], defaultLeft: [Int],
                            splitTypes: [Int]? = nil, categoryNodes: [Int] = [], segments: [Int] = [], sizes: [Int] = [],
                            categories: [Int] = [], numDeleted: Int? = 0) -> Data {
        func list(_ values: [some CustomStringConvertible]) -> String { "[" + values.map(\.description).joined(separator: ",") + "]" }
        let count = left.count
        let deleted = numDeleted.map { ", \"num_deleted\": \"\($0)\"" } ?? ""
        let text = """
            {"learner": {"feature_names": ["c"], "learner_model_param": {"base_score": "[0E0]", "num_class": "0", "num_feature": "1"},
             "objective": {"name": "reg:squarederror"},
             "gradient_booster": {"name": "gbtree", "model": {"gbtree_model_param": {"num_trees": "1"},
              "trees": [{"left_children": \(list(left)), "right_children": \(list(right)),
                         "parents": \(list([Int](repeating: 0, count: count))), "split_indices": \(list(splitIndices)),
                         "split_conditions": \(list(conditions)), "default_left": \(list(defaultLeft)),
                         "sum_hessian": \(list([Double](repeating: 1, count: count))),
                         "split_type": \(list(splitTypes ?? [Int](repeating: 0, count: count))),
                         "categories": \(list(categories)), "categories_nodes": \(list(categoryNodes)),
                         "categories_segments": \(list(segments)), "categories_sizes": \(list(sizes)),
                         "tree_param": {"num_nodes": "\(count)", "size_leaf_vector": "1"\(deleted)}}]}}},
             "version": [3, 2, 0]}
            """
        return Data(text.utf8)
    }

    /// A chain of `splits` categorical splits, split k at node 2k with the leaf k + 1 on its
    /// left and the next split on its right (the last split's right is the leaf 0). Split k's
    /// set is `sets[k]`, written one segment after another as XGBoost writes them.
    static func categoricalChain(_ sets: [[Int]]) -> Data {
        let splits = sets.count
        var left: [Int] = [], right: [Int] = [], conditions: [Double] = [], types: [Int] = []
        for split in 0..<splits {
            left += [2 * split + 1, -1]
            right += [2 * split + 2, -1]
            conditions += [0, Double(split + 1)]
            types += [1, 0]
        }
        left.append(-1); right.append(-1); conditions.append(0); types.append(0)
        var segments: [Int] = [], start = 0
        for set in sets { segments.append(start); start += set.count }
        return xgboostTree(left: left, right: right, splitIndices: [Int](repeating: 0, count: left.count),
                           conditions: conditions, defaultLeft: [Int](repeating: 0, count: left.count),
                           splitTypes: types, categoryNodes: (0..<splits).map { 2 * $0 }, segments: segments,
                           sizes: sets.map(\.count), categories: sets.flatMap { $0 })
    }

    @Test func aSplitOnTheLargestCategoryHoldsItsCodeNotADenseBitset() throws {
        // 16 splits on category 2²⁴ − 1 (inside the accepted range): as dense bitsets, 2 MiB
        // each; a 4,095-split file of 452 KB made 8.6 GB so.
        let sets = [[Int]](repeating: [16_777_215], count: 16)
        let model = try XGBoostModelLoader.load(jsonData: Self.categoricalChain(sets), path: "wide.json")
        let tree = try #require(model.trees.first)
        #expect(tree.categorySets.count == 16)
        #expect(tree.categorySets.storedWords <= 16)
        // Codes in a set go right, down the chain to leaf 0, and so does a missing code
        // (default_left 0); any other code stops at split 0. Rows are read as float32, so
        // 16777215.5 is 16777216, outside the set.
        let rows = Matrix(rowArrays: [[16_777_215], [3], [16_777_214], [.nan], [-1], [16_777_215.5], [1e300]], columns: 1)
        #expect(model.margins(rows) == [0, 1, 1, 0, 1, 1, 1])
    }

    @Test func smallSetsStayBitsets() throws {
        let model = try XGBoostModelLoader.load(jsonData: Self.categoricalChain([[1, 5, 30], [0, 64, 127], [200, 300]]), path: "small.json")
        let sets = try #require(model.trees.first).categorySets
        // One word, two words, and two sorted codes (one word) where a bitset would take five.
        #expect(sets.storedWords == 4)
        #expect(sets.entries.map(\.isSorted) == [false, false, true])
    }

    @Test func overlappingCategorySegmentsAreRefused() throws {
        // Four nodes share one segment of one code: a file could so name a long segment for
        // thousands of nodes, each copied.
        var data = Self.categoricalChain([[16_777_215], [16_777_215], [16_777_215], [16_777_215]])
        data = Data(String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "\"categories\": [16777215,16777215,16777215,16777215]", with: "\"categories\": [16777215]")
            .replacingOccurrences(of: "\"categories_segments\": [0,1,2,3]", with: "\"categories_segments\": [0,0,0,0]").utf8)
        #expect(throws: FairleadError(.invalidModel, "the category sets up to node 2 hold 2 codes, more than the 1 of the categories array: segments overlap",
                                      at: SourceLocation(file: "shared.json", field: "learner.gradient_booster.model.trees[0]"))) {
            _ = try XGBoostModelLoader.load(jsonData: data, path: "shared.json")
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func membershipEqualsTheDenseBitset(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<50 {
            let largest = [3, 63, 64, 200, 5_000, 1 << 24][Int.random(in: 0..<6, using: &random)]
            let size = Int.random(in: 0...min(40, largest + 1), using: &random)
            let members = (0..<size).map { _ in Int.random(in: 0...largest, using: &random) }
            // The dense bitset the loaders held before, and its answer.
            var dense = [UInt64](repeating: 0, count: (members.max() ?? 0) / 64 + 1)
            for code in members { dense[code >> 6] |= 1 << UInt64(code & 63) }
            func denseContains(_ code: Double) -> Bool {
                guard code >= 0, code < Double(dense.count * 64) else { return false }
                return dense[Int(code) >> 6] & (1 << UInt64(Int(code) & 63)) != 0
            }
            var sets = DecisionTree.CategorySets()
            let fromCodes = sets.append(categories: members)
            let fromBits = sets.append(bitset: dense + [0, 0])
            var probes: [Double] = [-1, -0.5, 0, 0.5, .nan, .infinity, -.infinity, 1e300]
            probes.append(Double(largest + 1))
            probes.append(Double(dense.count * 64))
            for member in members.map(Double.init) { probes += [member, member + 0.75, member - 1, member + 1] }
            for _ in 0..<200 { probes.append(Double(Int.random(in: 0...(largest + 70), using: &random))) }
            for probe in probes {
                #expect(sets.contains(probe, inSet: fromCodes) == denseContains(probe), "seed \(seed), code \(probe), set \(members.sorted())")
                #expect(sets.contains(probe, inSet: fromBits) == denseContains(probe), "seed \(seed), code \(probe), set \(members.sorted())")
            }
        }
    }

    @Test func anXGBoostNodeNoPathReachesIsRefused() throws {
        // Nodes 3 and 4 hang from no node and are not marked deleted.
        let data = Self.xgboostTree(left: [1, -1, -1, -1, -1], right: [2, -1, -1, -1, -1], splitIndices: [0, 0, 0, 0, 0],
                                    conditions: [0.5, 1, 2, 7, 8], defaultLeft: [1, 0, 0, 0, 0])
        #expect(throws: FairleadError(.invalidModel, "tree 0 node 3 is reached by no path from the root",
                                      at: SourceLocation(file: "orphan.json", field: "learner.gradient_booster.model.trees[0]"))) {
            _ = try XGBoostModelLoader.load(jsonData: data, path: "orphan.json")
        }
    }

    @Test func xgboostsDeletedNodesAreAccepted() throws {
        // As XGBoost writes pruned nodes: split index 2³¹ − 1, default_left 1, counted by num_deleted.
        let pruned = Self.xgboostTree(left: [1, -1, -1, -1, -1], right: [2, -1, -1, -1, -1],
                                      splitIndices: [0, 0, 0, 2_147_483_647, 2_147_483_647],
                                      conditions: [0.5, 1, 2, 7, 8], defaultLeft: [1, 0, 0, 1, 1], numDeleted: 2)
        let stump = Self.xgboostTree(left: [1, -1, -1], right: [2, -1, -1], splitIndices: [0, 0, 0],
                                     conditions: [0.5, 1, 2], defaultLeft: [1, 0, 0])
        let rows = Matrix(rowArrays: [[0], [1], [.nan]], columns: 1)
        let model = try XGBoostModelLoader.load(jsonData: pruned, path: "pruned.json")
        #expect(model.margins(rows) == [1, 2, 1])
        #expect(model.margins(rows) == (try XGBoostModelLoader.load(jsonData: stump, path: "stump.json")).margins(rows))
        #expect(model.trees[0].nodes.count == 3)
    }

    @Test func deletedNodesMustMatchNumDeleted() throws {
        let data = Self.xgboostTree(left: [1, -1, -1, -1, -1], right: [2, -1, -1, -1, -1],
                                    splitIndices: [0, 0, 0, 2_147_483_647, 2_147_483_647],
                                    conditions: [0.5, 1, 2, 7, 8], defaultLeft: [1, 0, 0, 1, 1], numDeleted: 1)
        #expect(throws: FairleadError(.invalidModel, "num_deleted is 1 but 2 nodes are marked deleted (split index 2147483647 with default_left)",
                                      at: SourceLocation(file: "m.json", field: "learner.gradient_booster.model.trees[0]"))) {
            _ = try XGBoostModelLoader.load(jsonData: data, path: "m.json")
        }
    }

    @Test func aLightGBMSplitNoPathReachesIsRefused() throws {
        // Split 1 (and leaf 2, its child) hang from no node: split 0 sends rows to leaves 0 and 1.
        let text = ModelLoaderTests.lightGBMStump(decisionType: 2, threshold: 0.5)
            .replacingOccurrences(of: "num_leaves=2", with: "num_leaves=3")
            .replacingOccurrences(of: "split_feature=0", with: "split_feature=0 0")
            .replacingOccurrences(of: "threshold=0.5", with: "threshold=0.5 0.25")
            .replacingOccurrences(of: "decision_type=2", with: "decision_type=2 2")
            .replacingOccurrences(of: "left_child=-1", with: "left_child=-1 -3")
            .replacingOccurrences(of: "right_child=-2", with: "right_child=-2 -1")
            .replacingOccurrences(of: "leaf_value=-1 1", with: "leaf_value=-1 1 5")
            .replacingOccurrences(of: "leaf_count=5 5", with: "leaf_count=5 5 0")
            .replacingOccurrences(of: "internal_count=10", with: "internal_count=10 0")
        #expect(throws: FairleadError(.invalidModel, "Tree=0 node 1 is reached by no path from the root",
                                      at: SourceLocation(file: "orphan.txt", line: 9))) {
            _ = try LightGBMModelLoader.load(textData: Data(text.utf8), path: "orphan.txt")
        }
    }
}
