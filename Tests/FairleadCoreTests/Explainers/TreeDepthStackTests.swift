import Foundation
import Testing
@testable import FairleadCore

/// The walks along a tree's paths — path-dependent TreeSHAP (plain and cached),
/// interventional TreeSHAP and KernelSHAP's tree coalition game — loop over preallocated
/// stacks (recursing, the first two overflowed this stack in a debug build). At
/// ``TreeEnsemble/maximumTreeDepth``, the deepest tree any raised `max_tree_depth` admits,
/// each runs on a thread of 512 KiB, Foundation's secondary threads' stack on Linux, and
/// stays additive: 40 features repeated along 512 levels, which path-dependent TreeSHAP
/// unwinds and extends again at every level.
@Suite struct TreeDepthStackTests {
    /// `body` on a thread of `stackSize` bytes; its error, if any, rethrown here.
    static func onThread(stackSize: Int, _ body: @escaping @Sendable () throws -> Void) throws {
        final class Outcome: @unchecked Sendable { var error: (any Error)? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do { try body() } catch { outcome.error = error }
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        if let error = outcome.error { throw error }
    }

    static let features = 40

    static func deepestModel() throws -> TreeEnsemble {
        let depth = TreeEnsemble.maximumTreeDepth
        let raw = TreeDepthLimitTests.chain(depth: depth, features: features)
        let tree = try DecisionTree(raw: raw, featureCount: features, maxDepth: depth) { FairleadError(.invalidModel, $0) }
        return TreeEnsemble(source: .lightgbm, featureNames: (0..<features).map { "f\($0)" }, link: .identity,
                            baseMargin: 0.25, trees: [tree])
    }

    /// Rows that follow the chain to its last leaf (every feature above 0.5), stop early,
    /// and mix both.
    static let rows = Matrix(rowArrays: [
        Array(repeating: 1, count: features),
        Array(repeating: 0, count: features),
        (0..<features).map { $0 % 3 == 0 ? 0 : 1 },
    ])

    static func expectAdditive(_ attributions: Attributions, _ model: TreeEnsemble) {
        let margins = model.exactMargins(rows)
        #expect(margins == [5.25, -2.75, -2.75])
        #expect(attributions.values.rows == 3)
        for (sum, margin) in zip(attributions.margins(), margins) {
            #expect(abs(sum - margin) < 1e-9, "\(sum) vs \(margin)")
        }
    }

    @Test(arguments: [512 << 10]) func pathDependentTreeSHAPRunsOnASmallStackAtTheDeepestTree(stackSize: Int) throws {
        let model = try Self.deepestModel()
        #expect(model.maximumDepth == 512)
        try Self.onThread(stackSize: stackSize) {
            Self.expectAdditive(try TreeSHAP(model: model, algorithm: .recursive).explain(Self.rows, threads: 1), model)
            Self.expectAdditive(try CachedTreeSHAP(model: model).explain(Self.rows, threads: 1), model)
        }
    }

    @Test(arguments: [512 << 10]) func interventionalTreeSHAPRunsOnASmallStackAtTheDeepestTree(stackSize: Int) throws {
        let model = try Self.deepestModel()
        let background = Matrix(rowArrays: [Array(repeating: 1, count: Self.features), (0..<Self.features).map { $0 % 2 == 0 ? 1 : 0 }])
        try Self.onThread(stackSize: stackSize) {
            Self.expectAdditive(try InterventionalTreeSHAP(model: model, background: background).explain(Self.rows, threads: 1), model)
        }
    }

    @Test(arguments: [512 << 10]) func kernelSHAPsTreeGameRunsOnASmallStackAtTheDeepestTree(stackSize: Int) throws {
        let model = try Self.deepestModel()
        let background = Matrix(rowArrays: [Array(repeating: 1, count: Self.features), (0..<Self.features).map { $0 % 2 == 0 ? 1 : 0 }])
        try Self.onThread(stackSize: stackSize) {
            let kernel = try KernelSHAP(model: model, background: background, sampleCount: 512, seed: 1)
            #expect(kernel.usesTreeGame)
            Self.expectAdditive(try kernel.explain(Self.rows, threads: 1), model)
        }
    }
}
