import Testing
@testable import FairleadCore

@Suite("Cached TreeSHAP: the values of TreeSHAP, independent of batches and threads")
struct CachedTreeSHAPTests {
    @Test(arguments: ModelFixtures.treeModels + ModelFixtures.categoricalModels)
    func equalsTreeSHAP(model name: String) throws {
        let golden = try ModelFixtures.golden(name)
        let x = try ModelFixtures.dataSet(golden.dataset).rowMatrix
        let ensemble = try #require(try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model)) as? TreeEnsemble)
        let cached = try CachedTreeSHAP(model: ensemble)
        let reference = try TreeSHAP(model: ensemble).explain(x)
        // Twice: the second call is answered from the caches filled by the first.
        for _ in 0..<2 {
            let attributions = cached.explain(x, threads: 2)
            #expect(attributions.baseValue == reference.baseValue)
            #expect(largestDifference(attributions.values.values, reference.values.values) < 1e-12)
            #expect(largestDifference(attributions.margins(), ensemble.exactMargins(x)) < 1e-9)
        }
    }

    @Test(arguments: ModelFixtures.treeModels + ModelFixtures.categoricalModels)
    func oneRowAtATimeGivesTheBlocksValuesBitForBit(model name: String) throws {
        // A service explains one lead per call, which takes the single-row path; its values
        // must be the block's exactly: with a fresh explainer (every entry computed), from
        // the caches, and past the memo's trial of 1,024 lookups (where parts whose keys
        // rarely repeat turn their cache off).
        let golden = try ModelFixtures.golden(name)
        let x = try ModelFixtures.dataSet(golden.dataset).rowMatrix
        let ensemble = try #require(try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model)) as? TreeEnsemble)
        let whole = try CachedTreeSHAP(model: ensemble).explain(x, threads: 1).values
        let shap = try CachedTreeSHAP(model: ensemble)
        let passes = max(2, 1_100 / max(1, x.rows) + 1)
        for _ in 0..<passes {
            for row in 0..<x.rows {
                let one = shap.explain(Matrix(rows: 1, columns: x.columns, values: Array(x.row(row))), threads: 1).values
                #expect(Array(one.row(0)) == Array(whole.row(row)), "\(name): row \(row) differs")
            }
        }
    }

    @Test func bundledModelMatchesShapGrouped() throws {
        let golden = try ExplanationFixtures.golden()
        let model = try ExplanationFixtures.model()
        let (reader, batch) = try ExplanationFixtures.leads(model)
        let grouped = try CachedTreeSHAP(model: model).explain(batch.features, threads: 2).grouped(by: reader.sources.groups)
        #expect(grouped.featureNames == golden.sources)
        // shap reads the model's leaf values through its own loader; its values differ from
        // the exact ones by float32-size rounding (a few 1e-9 here), as in TreeSHAPGoldenTests.
        for (row, expected) in golden.attributions.values.enumerated() {
            #expect(batch.ids[row] == golden.attributions.ids[row])
            #expect(largestDifference(Array(grouped.values.row(row)), expected) < 1e-7)
        }
    }

    @Test func resultsDoNotDependOnBatchesThreadsOrHistory() throws {
        let model = try ExplanationFixtures.model()
        let (_, batch) = try ExplanationFixtures.leads(model)
        let whole = try CachedTreeSHAP(model: model).explain(batch.features, threads: 1)
        // A fresh explainer, rows in pieces of odd sizes, two threads, in reverse order.
        let shap = try CachedTreeSHAP(model: model)
        let pieces = stride(from: 0, to: batch.count, by: 777).map { $0..<min(batch.count, $0 + 777) }
        for piece in pieces.reversed() {
            let part = batch.subset(Array(piece))
            let values = shap.explain(part.features, threads: 2).values
            for (offset, row) in piece.enumerated() {
                #expect(Array(values.row(offset)) == Array(whole.values.row(row)), "row \(row) differs")
            }
        }
    }

    @Test func deepTreesOverContinuousFeaturesStayExact() throws {
        // Depth 8 trees over continuous features, cut into parts; the rows repeat 20 times.
        let golden = try ModelFixtures.golden("lgb-diabetes-regression")
        let x = try ModelFixtures.dataSet(golden.dataset).rowMatrix
        let ensemble = try #require(try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model)) as? TreeEnsemble)
        var rows: [Double] = []
        for _ in 0..<20 { rows += x.values }
        let many = Matrix(rows: x.rows * 20, columns: x.columns, values: rows)
        let cached = try CachedTreeSHAP(model: ensemble).explain(many, threads: 2)
        let reference = try TreeSHAP(model: ensemble).explain(many)
        #expect(largestDifference(cached.values.values, reference.values.values) < 1e-12)
    }
}
