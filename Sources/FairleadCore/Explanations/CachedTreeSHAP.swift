/// Path-dependent TreeSHAP (the values of ``TreeSHAP``) for streams of many rows: a
/// tree's attributions are remembered per *decision signature* of a row, so rows that
/// take the same turns in a tree pay for it once.
///
/// Path-dependent TreeSHAP of one tree depends on a row only through the direction it
/// takes at every split (f_x(S) follows x at splits on S and averages both children
/// elsewhere), and the share of the leaves under a node only through the directions at
/// the node's ancestors and at the splits below it. Each tree is cut into parts — the
/// whole tree when it has at most 12 splits, else the largest subtrees whose ancestors
/// and splits number at most 12 (a depth-4 tree: its two halves, 8-bit keys; a depth-6
/// tree: 8 subtrees of depth 3, 10-bit keys) — and a part's attributions for a key are
/// computed once (leaf tables, see ``TreeSHAP/Algorithm/precomputed``) and then reused.
/// Whole depth-6 trees hardly ever see a key twice; their parts see a few hundred keys
/// over millions of leads and almost every lookup hits.
///
/// Rows are taken in blocks of 2,048, copied feature-major: a part's keys for the block
/// are one comparison pass down a column per split (vectorized), its entries are looked
/// up for all rows before any is added (lookups of different rows overlap instead of
/// waiting on one another), and its values are added feature by feature down the block,
/// to consecutive addresses. A part whose keys rarely repeat (a tree without tables,
/// continuous features in a big part) turns its cache off after its first 1,024 lookups
/// and is computed directly. A call with one row (a lead per request, `fairlead serve`)
/// skips the block: each part's entry is added straight into the row.
///
/// Every row's attributions are the sum over trees and their parts, in order, of the
/// part's attributions computed from zero — the same numbers whether they came from the
/// cache or not, so results do not depend on batch sizes, threads or what was explained
/// before. They equal ``TreeSHAP``'s up to rounding (it accumulates leaf by leaf; ≤ 1e-12
/// on the fixtures). The caches (at most 2,048 keys per part and thread) live as long as
/// the explainer and are shared safely between threads (each worker checks one out).
///
///     let shap = try CachedTreeSHAP(model: ensemble)
///     while let batch = try reader.next(maxRows: 65_536) {
///         let attributions = shap.explain(batch.features, threads: 2)
///     }
public struct CachedTreeSHAP: TreeExplainer {
    /// The explained model.
    public let model: TreeEnsemble
    let tables: TreeSHAPTables
    /// Every tree's parts, tree by tree (the order attributions are summed in); part i
    /// has memo i of every cache.
    let parts: [_CachedTreePart]
    /// The parts' keys and features end to end, for one row at a time.
    let flatParts: _FlatCachedParts
    private let pool: _TreeSHAPCachePool

    /// An explainer for `model`; builds the leaf tables once.
    ///
    /// - Throws: `FairleadError(.invalidModel)` when a split has cover 0 (as ``TreeSHAP``).
    public init(model: TreeEnsemble) throws {
        _ = try TreeSHAP(model: model, algorithm: .recursive)
        self.model = model
        let tables = TreeSHAPTables(model: model)
        self.tables = tables
        self.parts = model.trees.indices.flatMap { index in
            _CachedTreeLayout(model.trees[index], index: index, hasTables: tables.trees[index] != nil).parts
        }
        self.flatParts = _FlatCachedParts(parts)
        self.pool = _TreeSHAPCachePool()
    }

    /// The expected margin by node covers, the base of every row's attributions.
    public var baseValue: Double { model.expectedMargin }

    /// Attributions for every row of `features`, rows split across `threads` threads.
    public func explain(_ features: Matrix, threads: Int) -> Attributions {
        let width = modelWidth(of: features)
        var values = Matrix(rows: features.rows, columns: width)
        features.withUnsafeBufferPointer { input in
            values.withUnsafeMutableBufferPointer { output in
                let pointers = UncheckedSendable((input.baseAddress, output.baseAddress))
                RowParallelism.forEachChunk(rowCount: features.rows, threads: threads, minimumChunk: Self.blockRows) { range in
                    guard let input = pointers.value.0, let output = pointers.value.1 else { return }
                    let cache = pool.checkOut(model: model, parts: parts)
                    defer { pool.checkIn(cache) }
                    if range.count == 1 {
                        explainRow(input: input + range.lowerBound * width, output: output + range.lowerBound * width,
                                   width: width, cache: cache)
                    } else {
                        explainRows(range, input: input, output: output, width: width, cache: cache)
                    }
                }
            }
        }
        return Attributions(featureNames: model.featureNames, baseValue: baseValue, values: values)
    }

    /// Rows per block: each part's cache is used for a whole block while it is warm.
    static let blockRows = 2048

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
            // Attributions are summed feature-major too (feature j's at j · blockRows): a part
            // then adds one feature down all rows at a time, storing to consecutive addresses.
            let phi = cache.phiColumns
            // Only the block's rows of each column: a short block (a few leads) then clears
            // a few values per feature, not the 2,048 rows of all of them.
            if count == Self.blockRows {
                phi.update(repeating: 0, count: width * Self.blockRows)
            } else {
                for j in 0..<width { (phi + j * Self.blockRows).update(repeating: 0, count: count) }
            }
            for (index, part) in parts.enumerated() {
                explainPart(part, memo: cache.memos + index, rowCount: count, phi: phi, width: width, cache: cache)
            }
            for r in 0..<count {
                let rowPhi = output + (blockStart + r) * width
                for j in 0..<width { rowPhi[j] += phi[j * Self.blockRows + r] }
            }
            blockStart += count
        }
    }

    /// One row alone — what a service explaining a lead per request asks for: the same
    /// parts in the same order, with the same memo entries, added straight into the row's
    /// attributions (which start at zero, as a block's do), so the values are those of
    /// ``explainRows(_:input:output:width:cache:)`` bit for bit; no block is copied,
    /// transposed or cleared.
    private func explainRow(input: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>, width: Int,
                            cache: _TreeSHAPCache) {
        let row = cache.block
        model.prepare(input, into: row, count: width)
        let scratch = cache.scratch
        flatParts.withBuffers { flat in
            for index in 0..<flat.isFlat.count {
                let memo = cache.memos + index
                // A plain part's hit, the common case, touches only the flat arrays and the memo.
                if flat.isFlat[index], memo.pointee.isEnabled {
                    let key = flat.key(of: index, row: row)
                    let entry = memo.pointee.find(key)
                    if entry >= 0 {
                        let values = memo.pointee.values(entry)
                        let first = flat.featureStart[index]
                        for i in 0..<(flat.featureStart[index + 1] - first) {
                            output[Int(flat.features[first + i])] += values[i]
                        }
                        memo.pointee.judge()
                    } else {
                        storePartOfRow(parts[index], key: key, memo: memo, row: row, output: output,
                                       scratch: scratch, cache: cache)
                    }
                    continue
                }
                explainPartOfRow(parts[index], tree: model.trees[parts[index].tree], memo: memo, row: row,
                                 output: output, scratch: scratch, cache: cache)
            }
        }
    }

    /// A cacheable part's miss for one row: its attributions computed, stored under `key`
    /// and added into the row, as ``explainPartOfRow(_:tree:memo:row:output:scratch:cache:)``
    /// does after its lookup.
    private func storePartOfRow(_ part: _CachedTreePart, key: UInt64, memo: UnsafeMutablePointer<_SignatureMemo>,
                                row: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>,
                                scratch: UnsafeMutablePointer<Double>, cache: _TreeSHAPCache) {
        model.trees[part.tree].nodes.withUnsafeBufferPointer { nodes in
            part.features.withUnsafeBufferPointer { features in
                guard let nodes = nodes.baseAddress else { return }
                computePart(part, row: row, nodes: nodes, cache: cache)
                let entry = memo.pointee.insert(key) { slot in
                    for i in features.indices {
                        slot[i] = scratch[Int(features[i])]
                        scratch[Int(features[i])] = 0
                    }
                }
                if entry >= 0 {
                    let values = memo.pointee.values(entry)
                    for i in features.indices { output[Int(features[i])] += values[i] }
                } else {
                    // Not stored (the cache is full): added now, in the part's turn all the same.
                    addScratch(to: output, features: features, scratch: scratch, stride: 1)
                }
                memo.pointee.judge()
            }
        }
    }

    @inline(__always)
    private func explainPartOfRow(_ part: _CachedTreePart, tree: DecisionTree, memo: UnsafeMutablePointer<_SignatureMemo>,
                                  row: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>,
                                  scratch: UnsafeMutablePointer<Double>, cache: _TreeSHAPCache) {
        tree.nodes.withUnsafeBufferPointer { nodes in
            part.features.withUnsafeBufferPointer { features in
                guard let nodes = nodes.baseAddress else { return }
                guard part.isCacheable && memo.pointee.isEnabled else {
                    computePart(part, row: row, nodes: nodes, cache: cache)
                    addScratch(to: output, features: features, scratch: scratch, stride: 1)
                    return
                }
                let key = part.key(of: row, tree: tree, nodes: nodes)
                var entry = memo.pointee.find(key)
                if entry < 0 {
                    computePart(part, row: row, nodes: nodes, cache: cache)
                    entry = memo.pointee.insert(key) { slot in
                        for i in features.indices {
                            slot[i] = scratch[Int(features[i])]
                            scratch[Int(features[i])] = 0
                        }
                    }
                    // Not stored (the cache is full): added now, in the part's turn all the same.
                    if entry < 0 { addScratch(to: output, features: features, scratch: scratch, stride: 1) }
                }
                if entry >= 0 {
                    let values = memo.pointee.values(entry)
                    for i in features.indices { output[Int(features[i])] += values[i] }
                }
                memo.pointee.judge()
            }
        }
    }

    private func explainPart(_ part: _CachedTreePart, memo: UnsafeMutablePointer<_SignatureMemo>,
                             rowCount: Int, phi: UnsafeMutablePointer<Double>, width: Int, cache: _TreeSHAPCache) {
        let tree = model.trees[part.tree]
        let k = part.features.count
        let scratch = cache.scratch
        tree.nodes.withUnsafeBufferPointer { nodes in
            part.features.withUnsafeBufferPointer { features in
                guard let nodes = nodes.baseAddress else { return }
                guard part.isCacheable && memo.pointee.isEnabled else {
                    for r in 0..<rowCount { computeAndAdd(r) }
                    return
                }
                if part.isPlain {
                    part.keys(columns: cache.columns, stride: Self.blockRows, rowCount: rowCount, into: cache.keys)
                } else {
                    for r in 0..<rowCount { cache.keys[r] = part.key(of: cache.block + r * width, tree: tree, nodes: nodes) }
                }
                // First every row's entry (misses computed and stored), then the additions:
                // the lookups of different rows do not wait for one another.
                for r in 0..<rowCount {
                    let key = cache.keys[r]
                    var entry = memo.pointee.find(key)
                    if entry < 0 {
                        computePart(part, row: cache.block + r * width, nodes: nodes, cache: cache)
                        entry = memo.pointee.insert(key) { slot in
                            for i in 0..<k {
                                slot[i] = scratch[Int(features[i])]
                                scratch[Int(features[i])] = 0
                            }
                        }
                        // Not stored (the cache is full): added now, in the part's turn all the same.
                        if entry < 0 { addScratch(to: phi + r, features: features, scratch: scratch) }
                    }
                    cache.entries[r] = Int32(entry)
                }
                for i in 0..<k {
                    let column = phi + Int(features[i]) * Self.blockRows
                    for r in 0..<rowCount where cache.entries[r] >= 0 {
                        column[r] += memo.pointee.values(Int(cache.entries[r]))[i]
                    }
                }
                memo.pointee.judge()

                func computeAndAdd(_ r: Int) {
                    computePart(part, row: cache.block + r * width, nodes: nodes, cache: cache)
                    addScratch(to: phi + r, features: features, scratch: scratch)
                }
            }
        }
    }

    /// Adds the scratch row's values of `features` to a row of attributions whose feature
    /// j is at `rowPhi + j · stride` (the feature-major block: `blockRows`; a plain row: 1)
    /// and zeroes them.
    @inline(__always)
    private func addScratch(to rowPhi: UnsafeMutablePointer<Double>, features: UnsafeBufferPointer<Int32>,
                            scratch: UnsafeMutablePointer<Double>, stride: Int = CachedTreeSHAP.blockRows) {
        for feature in features {
            rowPhi[Int(feature) * stride] += scratch[Int(feature)]
            scratch[Int(feature)] = 0
        }
    }

    /// Writes one part's attributions for `row` into the (zero) scratch row.
    private func computePart(_ part: _CachedTreePart, row: UnsafePointer<Double>,
                             nodes: UnsafePointer<DecisionTree.Node>, cache: _TreeSHAPCache) {
        let tree = model.trees[part.tree]
        if let table = tables.trees[part.tree] {
            let mask = table.bit.withUnsafeBufferPointer { bits in
                part.rootMask(of: row, tree: tree, nodes: nodes, bits: bits)
            }
            table.accumulate(tree, rows: row, rowCount: 1, width: model.featureNames.count, phi: cache.scratch,
                             stackNodes: cache.stackNodes, stackMasks: cache.stackMasks, root: part.root, mask: mask)
        } else {
            // A tree without tables is a single part: the whole tree.
            PathDependentTreeSHAPKernel(nodes: nodes, tree: tree, row: row, phi: cache.scratch, workspace: cache.path).run()
        }
    }
}
