import Testing
@testable import FairleadCore

@Suite("Cached TreeSHAP: trees cut into parts, and the memo of a part")
struct CachedTreeSHAPPartsTests {
    /// A complete tree of `depth` levels over `features` features (the feature of a split
    /// cycles with its level, so paths split on a feature twice), seeded thresholds, leaf
    /// values and covers; the nodes are numbered breadth-first before `DecisionTree`
    /// puts them in preorder.
    static func completeTree(depth: Int, features: Int, seed: UInt64) throws -> DecisionTree {
        var generator = SeededGenerator(seed: seed)
        let splits = (1 << depth) - 1
        let count = 2 * splits + 1
        var raw = RawTree()
        raw.leftChild = (0..<count).map { $0 < splits ? 2 * $0 + 1 : -1 }
        raw.rightChild = (0..<count).map { $0 < splits ? 2 * $0 + 2 : -1 }
        raw.feature = (0..<count).map { node in (Int.bitWidth - 1 - (node + 1).leadingZeroBitCount) % features }
        raw.threshold = (0..<count).map { _ in Double(Int.random(in: 1...4, using: &generator)) / 5 }
        raw.flags = (0..<count).map { _ in Bool.random(using: &generator) ? [.missingGoesLeft] : [] }
        raw.value = (0..<count).map { _ in Double.random(in: -1...1, using: &generator) }
        raw.cover = Array(repeating: 0, count: count)
        for node in (0..<count).reversed() {
            raw.cover[node] = node < splits ? raw.cover[2 * node + 1] + raw.cover[2 * node + 2]
                                            : Double(Int.random(in: 1...20, using: &generator))
        }
        return try DecisionTree(raw: raw, featureCount: features) { FairleadError(.invalidModel, $0) }
    }

    /// The leaves under node `root` of `tree`.
    static func leaves(under root: Int, in tree: DecisionTree) -> [Int] {
        var found: [Int] = []
        var pending = [root]
        while let index = pending.popLast() {
            let node = tree.nodes[index]
            if node.isLeaf { found.append(index) } else { pending += [Int(node.leftChild), Int(node.rightChild)] }
        }
        return found
    }

    @Test func aDepthSixTreeIsEightPartsOfTenBits() throws {
        let tree = try Self.completeTree(depth: 6, features: 4, seed: 6)
        let layout = _CachedTreeLayout(tree, index: 0, hasTables: true)
        #expect(layout.parts.count == 8)
        for part in layout.parts {
            #expect(part.ancestors.count == 3)
            #expect(part.splits.count == 10)
            #expect(part.features == [0, 1, 2, 3])
        }
        let covered = layout.parts.flatMap { Self.leaves(under: Int($0.root), in: tree) }
        #expect(covered.count == 64)
        #expect(Set(covered) == Set(tree.nodes.indices.filter { tree.nodes[$0].isLeaf }))
    }

    @Test(arguments: [(3, 1), (4, 2), (6, 8)])
    func smallTreesStayWhole(depth: Int, parts: Int) throws {
        // 7 splits fit 12 bits; 15 do not (two halves of 1 + 7 bits); 63 make 8 parts.
        let tree = try Self.completeTree(depth: depth, features: 3, seed: UInt64(depth))
        let layout = _CachedTreeLayout(tree, index: 0, hasTables: true)
        #expect(layout.parts.count == parts)
        #expect(layout.parts.allSatisfy { $0.splits.count <= _CachedTreeLayout.maximumKeyBits })
        #expect(_CachedTreeLayout(tree, index: 0, hasTables: false).parts.count == 1)
    }

    @Test func partsGiveTreeSHAPsValuesFromTheCacheAndWithout() throws {
        let trees = try (0..<3).map { try Self.completeTree(depth: 6, features: 5, seed: 100 + UInt64($0)) }
        let model = TreeEnsemble(source: .lightgbm, featureNames: ["a", "b", "c", "d", "e"], link: .identity,
                                 baseMargin: 0.25, trees: trees)
        // Values on a grid (and missing ones), so keys repeat and most lookups hit.
        var generator = SeededGenerator(seed: 7)
        let grid: [Double] = [0.1, 0.3, 0.5, 0.7, 0.9, .nan]
        let x = Matrix(rowArrays: (0..<5_000).map { _ in (0..<5).map { _ in grid.randomElement(using: &generator) ?? 0 } })
        let reference = try TreeSHAP(model: model).explain(x)
        let shap = try CachedTreeSHAP(model: model)
        for threads in [1, 2] {
            let cached = shap.explain(x, threads: threads)
            #expect(largestDifference(cached.values.values, reference.values.values) < 1e-12)
            #expect(largestDifference(cached.margins(), model.exactMargins(x)) < 1e-9)
        }
    }

    @Test func aMemoOfRarelyRepeatedKeysTurnsItselfOff() {
        var memo = _SignatureMemo(width: 2, keyBits: 40)
        for key in 0..<UInt64(_SignatureMemo.trialLookups) {
            #expect(memo.find(key * 7_919) == -1)
            _ = memo.insert(key * 7_919) { $0[0] = Double(key); $0[1] = 0 }
        }
        memo.judge()
        #expect(!memo.isEnabled)
        #expect(memo.insert(1) { $0[0] = 1 } == -1)
    }

    @Test(arguments: [4, 40])
    func aMemoOfRepeatedKeysStaysOnAndKeepsValues(keyBits: Int) {
        var memo = _SignatureMemo(width: 2, keyBits: keyBits)
        let keys: [UInt64] = [3, 9, 12, 15]
        for key in keys {
            #expect(memo.insert(key) { $0[0] = Double(key); $0[1] = -Double(key) } >= 0)
        }
        for round in 0..<_SignatureMemo.trialLookups {
            let key = keys[round % keys.count]
            let entry = memo.find(key)
            #expect(entry >= 0)
            #expect(memo.values(entry)[0] == Double(key) && memo.values(entry)[1] == -Double(key))
        }
        #expect(memo.find(5) == -1)
        memo.judge()
        #expect(memo.isEnabled)
    }
}
