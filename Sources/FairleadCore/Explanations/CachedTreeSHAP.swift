import Dispatch
import Foundation

/// Path-dependent TreeSHAP (the values of ``TreeSHAP``) for streams of many rows: each
/// tree's attributions are remembered per *decision signature* of a row, so rows that
/// take the same turns in a tree pay for that tree once.
///
/// Path-dependent TreeSHAP of one tree depends on a row only through the direction it
/// takes at every split of the tree (f_x(S) follows x at splits on S and averages both
/// children elsewhere). For a tree of at most 64 splits those directions are a 64-bit key;
/// the tree's attributions for a key are computed once (leaf tables, see
/// ``TreeSHAP/Algorithm/precomputed``) and then reused. Rows are taken in blocks of 256,
/// copied feature-major, so that a tree's keys for the whole block are one comparison
/// pass down a column per split (which the compiler vectorizes). Lead-scoring trees of depth 3–4 see
/// a few hundred keys per tree over millions of leads, so most lookups hit; a tree whose
/// keys rarely repeat (deep trees, continuous features) turns its cache off after 1,024
/// lookups and is computed directly.
///
/// Every row's attributions are the sum over trees, in tree order, of the tree's
/// attributions computed from zero — the same numbers whether they came from the cache or
/// not, so results do not depend on batch sizes, threads or what was explained before.
/// They equal ``TreeSHAP``'s up to rounding (it accumulates leaf by leaf; ≤ 1e-12 on the
/// fixtures). The caches (at most 2,048 keys per tree and thread) live as long as the
/// explainer and are shared safely between threads (each worker checks one out).
///
///     let shap = try CachedTreeSHAP(model: ensemble)
///     while let batch = try reader.next(maxRows: 65_536) {
///         let attributions = shap.explain(batch.features, threads: 2)
///     }
public struct CachedTreeSHAP: Explainer {
    /// The explained model.
    public let model: TreeEnsemble
    let tables: TreeSHAPTables
    /// Per tree: its split nodes in preorder (the key's bits) and its distinct features.
    let layouts: [_CachedTreeLayout]
    private let pool: _TreeSHAPCachePool

    /// An explainer for `model`; builds the leaf tables once.
    ///
    /// - Throws: `FairleadError(.invalidModel)` when a split has cover 0 (as ``TreeSHAP``).
    public init(model: TreeEnsemble) throws {
        _ = try TreeSHAP(model: model, algorithm: .recursive)
        self.model = model
        self.tables = TreeSHAPTables(model: model)
        self.layouts = model.trees.map(_CachedTreeLayout.init)
        self.pool = _TreeSHAPCachePool()
    }

    /// The model's features.
    public var featureNames: [String] { model.featureNames }

    /// The expected margin by node covers, the base of every row's attributions.
    public var baseValue: Double { model.expectedMargin }

    /// Attributions for every row of `features`, on one thread.
    public func explain(_ features: Matrix) -> Attributions {
        explain(features, threads: 1)
    }

    /// Attributions for every row of `features`, rows split across `threads` threads.
    public func explain(_ features: Matrix, threads: Int) -> Attributions {
        let width = model.featureNames.count
        precondition(features.columns == width,
                     "the feature matrix has \(features.columns) columns, the model reads \(width)")
        var values = Matrix(rows: features.rows, columns: width)
        let rows = features.rows
        let workers = max(1, min(threads, (rows + Self.blockRows - 1) / Self.blockRows))
        let chunk = max(Self.blockRows, (rows + workers * 8 - 1) / (workers * 8))
        features.withUnsafeBufferPointer { input in
            values.withUnsafeMutableBufferPointer { output in
                let pointers = UncheckedSendable((input.baseAddress, output.baseAddress))
                let next = _RowRangeQueue(rowCount: rows, chunk: chunk)
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    guard let input = pointers.value.0, let output = pointers.value.1 else { return }
                    let cache = pool.checkOut(model: model, layouts: layouts)
                    defer { pool.checkIn(cache) }
                    while let range = next.next() {
                        explainRows(range, input: input, output: output, width: width, cache: cache)
                    }
                }
            }
        }
        return Attributions(featureNames: model.featureNames, baseValue: baseValue, values: values)
    }

    /// Rows per block: each tree's cache is used for a whole block while it is warm.
    static let blockRows = 256

    private func explainRows(_ rows: Range<Int>, input: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>,
                             width: Int, cache: _TreeSHAPCache) {
        var blockStart = rows.lowerBound
        while blockStart < rows.upperBound {
            let count = min(Self.blockRows, rows.upperBound - blockStart)
            for r in 0..<count {
                model.prepare(input + (blockStart + r) * width, into: cache.block + r * width, count: width)
            }
            // Feature-major copy: a split's test then runs down one contiguous column.
            for r in 0..<count {
                for j in 0..<width { cache.columns[j * Self.blockRows + r] = cache.block[r * width + j] }
            }
            let phi = output + blockStart * width
            for treeIndex in model.trees.indices {
                let layout = layouts[treeIndex]
                guard !layout.features.isEmpty else { continue }
                explainTree(treeIndex, layout: layout, rowCount: count, phi: phi, width: width, cache: cache)
            }
            blockStart += count
        }
    }

    private func explainTree(_ treeIndex: Int, layout: _CachedTreeLayout, rowCount: Int,
                             phi: UnsafeMutablePointer<Double>, width: Int, cache: _TreeSHAPCache) {
        let tree = model.trees[treeIndex]
        let k = layout.features.count
        let memo = cache.memos + treeIndex
        let scratch = cache.scratch
        let cached = layout.isCacheable && memo.pointee.isEnabled
        if cached && layout.isPlain {
            layout.keys(columns: cache.columns, stride: Self.blockRows, rowCount: rowCount, into: cache.keys)
        }
        tree.nodes.withUnsafeBufferPointer { nodes in
            layout.features.withUnsafeBufferPointer { features in
                guard let nodes = nodes.baseAddress else { return }
                for r in 0..<rowCount {
                    let row = UnsafePointer(cache.block + r * width)
                    let rowPhi = phi + r * width
                    if cached && memo.pointee.isEnabled {
                        let key = layout.isPlain ? cache.keys[r] : layout.key(of: row, tree: tree, nodes: nodes)
                        if let stored = memo.pointee.find(key) {
                            for i in 0..<k { rowPhi[Int(features[i])] += stored[i] }
                            continue
                        }
                        computeTree(treeIndex, row: row, nodes: nodes, cache: cache)
                        memo.pointee.insert(key) { slot in
                            for i in 0..<k { slot[i] = scratch[Int(features[i])] }
                        }
                    } else {
                        computeTree(treeIndex, row: row, nodes: nodes, cache: cache)
                    }
                    for i in 0..<k {
                        let feature = Int(features[i])
                        rowPhi[feature] += scratch[feature]
                        scratch[feature] = 0
                    }
                }
            }
        }
    }

    /// Writes one tree's attributions for `row` into the (zero) scratch row.
    private func computeTree(_ treeIndex: Int, row: UnsafePointer<Double>, nodes: UnsafePointer<DecisionTree.Node>,
                             cache: _TreeSHAPCache) {
        let tree = model.trees[treeIndex]
        if let table = tables.trees[treeIndex] {
            table.accumulate(tree, rows: row, rowCount: 1, width: model.featureNames.count, phi: cache.scratch,
                             stackNodes: cache.stackNodes, stackMasks: cache.stackMasks)
        } else {
            PathDependentTreeSHAPKernel(nodes: nodes, tree: tree, row: row, phi: cache.scratch, feature: cache.pathFeature,
                                        zero: cache.pathZero, one: cache.pathOne, weight: cache.pathWeight).run()
        }
    }
}

/// One tree's split nodes (preorder), their tests in a compact form, and its distinct
/// split features.
struct _CachedTreeLayout: Sendable {
    /// The split nodes' indices, in preorder: bit i of a key is split i's direction.
    let splits: [Int32]
    /// Per split: the feature, the threshold and whether a missing value goes left —
    /// for trees of plain numeric splits (`isPlain`), tested without the node.
    let splitFeature: [Int32]
    let splitThreshold: [Double]
    let splitMissingLeft: [UInt64]
    /// The distinct split features, ascending.
    let features: [Int32]
    /// Whether every split is a plain numeric `x <= t` with a missing direction (no
    /// categorical sets, no LightGBM zero-as-missing).
    let isPlain: Bool
    /// Whether a key of one bit per split fits 64 bits.
    var isCacheable: Bool { splits.count <= 64 }

    init(_ tree: DecisionTree) {
        splits = tree.nodes.indices.filter { !tree.nodes[$0].isLeaf }.map { Int32($0) }
        let nodes = splits.map { tree.nodes[Int($0)] }
        splitFeature = nodes.map(\.feature)
        splitThreshold = nodes.map(\.threshold)
        splitMissingLeft = nodes.map { $0.flags.contains(.missingGoesLeft) ? 1 : 0 }
        isPlain = nodes.allSatisfy { !$0.flags.contains(.categorical) && !$0.flags.contains(.zeroIsMissing) }
        features = Array(Set(splitFeature)).sorted()
    }

    /// The keys of `rowCount` rows held feature-major (feature j's values at
    /// `columns + j · stride`), for a tree of plain splits: one pass down a column per split.
    func keys(columns: UnsafePointer<Double>, stride: Int, rowCount: Int, into keys: UnsafeMutablePointer<UInt64>) {
        keys.update(repeating: 0, count: rowCount)
        splitFeature.withUnsafeBufferPointer { feature in
            splitThreshold.withUnsafeBufferPointer { threshold in
                splitMissingLeft.withUnsafeBufferPointer { missingLeft in
                    for bit in 0..<feature.count {
                        let column = columns + Int(feature[bit]) * stride
                        let (limit, value) = (threshold[bit], UInt64(1) &<< UInt64(bit))
                        // NaN fails every comparison: `x <= t` sends it right, `!(x > t)` left.
                        if missingLeft[bit] != 0 {
                            for r in 0..<rowCount { keys[r] |= column[r] > limit ? 0 : value }
                        } else {
                            for r in 0..<rowCount { keys[r] |= column[r] <= limit ? value : 0 }
                        }
                    }
                }
            }
        }
    }

    /// The directions `row` takes at every split, one bit each (1 = left).
    @inline(__always)
    func key(of row: UnsafePointer<Double>, tree: DecisionTree, nodes: UnsafePointer<DecisionTree.Node>) -> UInt64 {
        var key: UInt64 = 0
        if isPlain {
            splitFeature.withUnsafeBufferPointer { feature in
                splitThreshold.withUnsafeBufferPointer { threshold in
                    splitMissingLeft.withUnsafeBufferPointer { missingLeft in
                        for bit in 0..<feature.count {
                            let x = row[Int(feature[bit])]
                            let left: UInt64 = (x <= threshold[bit] ? 1 : 0) | (x.isNaN ? missingLeft[bit] : 0)
                            key |= left << UInt64(bit)
                        }
                    }
                }
            }
        } else {
            for bit in 0..<splits.count {
                let node = nodes[Int(splits[bit])]
                if tree.goesLeft(node, row[Int(node.feature)]) { key |= 1 << UInt64(bit) }
            }
        }
        return key
    }
}

/// Hands out consecutive row ranges to worker threads.
final class _RowRangeQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var start = 0
    private let rowCount: Int
    private let chunk: Int

    init(rowCount: Int, chunk: Int) {
        self.rowCount = rowCount
        self.chunk = chunk
    }

    func next() -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        guard start < rowCount else { return nil }
        let range = start..<min(rowCount, start + chunk)
        start = range.upperBound
        return range
    }
}
