import Testing
@testable import FairleadCore

@Suite("Path-dependent TreeSHAP against the Shapley definition")
struct TreeSHAPPropertyTests {
    /// f_x(S): follow x at splits on features in S, average the children by cover elsewhere.
    static func conditionalValue(_ tree: DecisionTree, _ x: [Double], _ known: Set<Int>, node: Int = 0) -> Double {
        let current = tree.nodes[node]
        if current.isLeaf { return current.value }
        let (left, right) = (Int(current.leftChild), Int(current.rightChild))
        if known.contains(Int(current.feature)) {
            let next = tree.goesLeft(current, x[Int(current.feature)]) ? left : right
            return conditionalValue(tree, x, known, node: next)
        }
        return (conditionalValue(tree, x, known, node: left) * tree.nodes[left].cover
            + conditionalValue(tree, x, known, node: right) * tree.nodes[right].cover) / current.cover
    }

    /// φⱼ = Σ_{S ⊆ F∖{j}} |S|!(p−|S|−1)!/p! · (f(S ∪ {j}) − f(S)), by enumerating all 2^p subsets.
    static func bruteForceShapley(_ model: TreeEnsemble, _ x: [Double]) -> [Double] {
        let p = x.count
        var factorial = [1.0]
        for k in 1...p { factorial.append(factorial[k - 1] * Double(k)) }
        var value = [Double](repeating: 0, count: 1 << p)
        for mask in 0..<(1 << p) {
            let known = Set((0..<p).filter { mask & (1 << $0) != 0 })
            value[mask] = model.trees.reduce(0) { $0 + conditionalValue($1, x, known) }
        }
        var phi = [Double](repeating: 0, count: p)
        for j in 0..<p {
            for mask in 0..<(1 << p) where mask & (1 << j) == 0 {
                let size = mask.nonzeroBitCount
                phi[j] += factorial[size] * factorial[p - size - 1] / factorial[p] * (value[mask | (1 << j)] - value[mask])
            }
        }
        return phi
    }

    @Test(arguments: ["xgb-diabetes-squarederror", "lgb-diabetes-regression"], [TreeSHAP.Algorithm.recursive, .precomputed])
    func equalsBruteForceEnumeration(model name: String, algorithm: TreeSHAP.Algorithm) throws {
        let golden = try ModelFixtures.golden(name)
        let x = try ModelFixtures.dataSet(golden.dataset).rowMatrix
        let ensemble = try #require(try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model)) as? TreeEnsemble)
        let attributions = try TreeSHAP(model: ensemble, algorithm: algorithm).explain(x)
        for row in [0, 7, 19] {
            // XGBoost splits read float32 values; round as the ensemble does.
            let values = x.row(row).map { ensemble.source == .xgboost ? Double(Float($0)) : $0 }
            let expected = Self.bruteForceShapley(ensemble, values)
            #expect(largestDifference(Array(attributions.values.row(row)), expected) < 1e-9)
        }
    }

    @Test(arguments: [TreeSHAP.Algorithm.recursive, .precomputed])
    func repeatedFeatureOnAPathIsHandled(algorithm: TreeSHAP.Algorithm) throws {
        // x0 <= 0 then x0 <= -1 again below, x1 elsewhere: the unwind path of the algorithm.
        var raw = RawTree()
        raw.leftChild = [1, 3, 5, -1, -1, -1, -1]
        raw.rightChild = [2, 4, 6, -1, -1, -1, -1]
        raw.feature = [0, 0, 1, 0, 0, 0, 0]
        raw.threshold = [0, -1, 0.5, 0, 0, 0, 0]
        raw.flags = Array(repeating: [], count: 7)
        raw.value = [0, 0, 0, 1, 2, 4, 8]
        raw.cover = [10, 6, 4, 2, 4, 1, 3]
        let tree = try DecisionTree(raw: raw, featureCount: 2) { FairleadError(.invalidModel, $0) }
        let model = TreeEnsemble(source: .lightgbm, featureNames: ["a", "b"], link: .identity, baseMargin: 0.5, trees: [tree])
        let x = Matrix(rowArrays: [[-2, 1], [-0.5, 0], [3, 0.2], [3, 9]])
        let attributions = try TreeSHAP(model: model, algorithm: algorithm).explain(x)
        for row in 0..<x.rows {
            #expect(largestDifference(Array(attributions.values.row(row)), Self.bruteForceShapley(model, Array(x.row(row)))) < 1e-12)
        }
        #expect(largestDifference(attributions.margins(), model.exactMargins(x)) < 1e-12)
        // E[f] by cover: (1·2 + 2·4 + 4·1 + 8·3) / 10 + 0.5.
        #expect(abs(attributions.baseValue - 4.3) < 1e-12)
    }

    @Test func zeroCoverIsRejected() throws {
        var raw = RawTree()
        raw.leftChild = [1, -1, -1]
        raw.rightChild = [2, -1, -1]
        raw.feature = [0, 0, 0]
        raw.threshold = [0, 0, 0]
        raw.flags = [[], [], []]
        raw.value = [0, 1, 2]
        raw.cover = [0, 0, 0]
        let tree = try DecisionTree(raw: raw, featureCount: 1) { FairleadError(.invalidModel, $0) }
        let model = TreeEnsemble(source: .xgboost, featureNames: ["a"], link: .identity, baseMargin: 0, trees: [tree])
        #expect(throws: FairleadError.self) { try TreeSHAP(model: model) }
    }
}
