import Testing
@testable import FairleadCore

/// Interventional TreeSHAP on paths where the explained row and the background part on
/// more than 170 features, past which the factorials of the leaf weights
/// (a−1)!·b!/(a+b)! overflow a double: the attributions stay finite and additive.
@Suite struct InterventionalTreeSHAPDeepPathTests {
    static let depth = 220

    /// A chain of `depth` splits on as many distinct features.
    static func chainModel() throws -> TreeEnsemble {
        let raw = TreeDepthLimitTests.chain(depth: depth, features: depth)
        let tree = try DecisionTree(raw: raw, featureCount: depth, maxDepth: depth) { FairleadError(.invalidModel, $0) }
        return TreeEnsemble(source: .lightgbm, featureNames: (0..<depth).map { "f\($0)" }, link: .identity,
                            baseMargin: 0.25, trees: [tree])
    }

    @Test func attributionsStayFiniteAndSumToPredictionMinusExpectedValue() throws {
        let model = try Self.chainModel()
        #expect(model.maximumDepth == Self.depth)
        // Row and background part at every split: all from one side (a = 220, b = 0 at the
        // chain's end), or alternately (a = b = 110).
        let ones = [Double](repeating: 1, count: Self.depth)
        let alternating = (0..<Self.depth).map { Double($0 % 2) }
        let rows = Matrix(rowArrays: [ones, alternating])
        let background = Matrix(rowArrays: [[Double](repeating: 0, count: Self.depth), alternating.map { 1 - $0 }])
        let attributions = try InterventionalTreeSHAP(model: model, background: background).explain(rows, threads: 1)
        let finite = attributions.values.withUnsafeBufferPointer { values in values.allSatisfy { $0.isFinite } }
        #expect(finite)
        let backgroundMargins = model.exactMargins(background)
        #expect(attributions.baseValue == (backgroundMargins[0] + backgroundMargins[1]) / 2)
        for (sum, margin) in zip(attributions.margins(), model.exactMargins(rows)) {
            #expect(abs(sum - margin) < 1e-9, "\(sum) vs \(margin)")
        }
    }

    @Test(arguments: [1, 6, 20, 85, TreeEnsemble.maximumTreeDepth])
    func weightsAreOneOverABinomialAndStayFinite(depth: Int) {
        let weights = InterventionalTreeSHAP.shapleyWeights(depth: depth)
        let stride = depth + 1
        // (a−1)!·b!/(a+b)! = 1/(a·C(a+b, a)): 1/a with no reference feature, 1/(a(a+1)) with one.
        for a in 1...depth {
            #expect(weights[a * stride] == 1 / Double(a))
            if a < depth { #expect(abs(weights[a * stride + 1] - 1 / Double(a * (a + 1))) <= 1e-15 / Double(a * (a + 1))) }
        }
        let finiteAndNonNegative = weights.allSatisfy { $0.isFinite && $0 >= 0 }
        #expect(finiteAndNonNegative)
        let noneWithoutXFeatures = weights[0 ..< stride].allSatisfy { $0 == 0 }
        #expect(noneWithoutXFeatures)
    }
}
