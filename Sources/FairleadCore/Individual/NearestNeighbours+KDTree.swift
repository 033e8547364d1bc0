import _DistanceKernels

/// The points of a ``NearestNeighbours`` search in an exact k-d tree, searched one query at
/// a time, depth first — the algorithm of scikit-learn's `KDTree.query`, with the
/// incremental cell distance of Arya and Mount and a single-precision screen in front of
/// the exact distances.
///
/// **Layout.** The tree is complete and implicit: node i has children 2i + 1 and 2i + 2.
/// The rows of a node are a range of the k-d order, cut at its middle position along the
/// node's widest coordinate (a quickselect by value, then row), so the leaves hold
/// ⌊n / leaves⌋ or ⌈n / leaves⌉ rows, at most `bucketSize` when n allows. Each node keeps
/// its cutting coordinate and its interval along its parent's; each leaf its bounding box,
/// its rows transposed as `Float` (p columns of `leafStride` values, the padding NaN, which
/// no comparison accepts) and their ‖r‖² as `Float`.
///
/// **Search** (``fairlead_kd_search``, in C): a query descends from the root, the nearer
/// child first. Its squared distance to a node's cell is kept incrementally — per
/// coordinate, its distance to the cell's interval, replaced along the cutting coordinate at
/// each step (Arya and Mount) — and a leaf's box is checked exactly before its rows are
/// screened: single-precision values ‖r‖² + ‖q‖² − 2 q · r for all its rows at once (eight
/// at a time with AVX2 and FMA where the CPU has them, chosen at run time). The query keeps
/// its k smallest screen values; a row more than a margin above the k-th of them — the
/// margin, (p + 16) · 5 · 10⁻⁷ · (‖q‖² + max ‖r‖²) + 10⁻²⁷, over twice the screen's rounding
/// for coordinates within ±10¹⁵ (``isUsable(for:)``) — has k rows strictly nearer and is
/// dropped, and so is any leaf or cell farther than that bound. When the tree is done, the
/// rows still within the bound (usually k or a few more) get their exact distance
/// Σ (q_c − r_c)², computed in `Double` over the coordinates in order as a brute-force search
/// does. So ties (lower row first) are decided on exact values and rounding decides nothing
/// (the full argument is at the top of `Sources/_DistanceKernels/DistanceKernels.c`).
/// Queries run in the k-d order, so consecutive queries read the same leaves while they are
/// in cache.
struct _KDTree {
    /// The largest coordinate magnitude the `Float` screen's margin covers.
    static let largestCoordinate = 1e15

    let rowCount: Int
    let featureCount: Int
    /// Nodes, `2 · leafCount − 1`; the leaves are the last `leafCount`.
    let nodeCount: Int
    let leafCount: Int
    /// The first leaf's node index.
    let firstLeaf: Int
    /// The largest leaf's row count rounded up to a multiple of 8.
    let leafStride: Int
    /// Position in the k-d order → original row index.
    let order: [Int32]
    /// The rows in the k-d order, n × p row-major.
    let rows: [Double]
    /// Each node's first position and one past its last.
    let nodeStart: [Int]
    let nodeEnd: [Int]
    /// Each internal node's cutting coordinate.
    let splitDimension: [Int]
    /// Each node's lowest and highest coordinate along its parent's cutting coordinate
    /// (the root's unused).
    let splitLow: [Double]
    let splitHigh: [Double]
    /// Each leaf's bounding box, `leafCount` × p, lowest and highest coordinates.
    let leafLower: [Double]
    let leafUpper: [Double]
    /// `leafCount` × p × `leafStride`: coordinate c of leaf l's rows, as `Float`, starts at
    /// (l · p + c) · `leafStride`.
    let leafColumns: [Float]
    /// `leafCount` × `leafStride`: ‖r‖² of leaf l's rows (summed in `Double`) as `Float`, the
    /// padding NaN.
    let leafNorms: [Float]
    /// The largest ‖x‖² of a row, which scales the margins.
    let largestSquaredNorm: Double

    /// Whether the tree's `Float` screen covers `points`: every coordinate finite and
    /// within ±``largestCoordinate``.
    static func isUsable(for points: Matrix) -> Bool {
        points.values.allSatisfy { abs($0) <= largestCoordinate }
    }

    /// A tree over `points` (``isUsable(for:)``) whose leaves hold at most `bucketSize`
    /// rows when n allows (never fewer than one row per leaf).
    init(_ points: Matrix, bucketSize: Int) {
        precondition(bucketSize >= 1, "bucket size must be at least 1, found \(bucketSize)")
        let n = points.rows, p = points.columns
        var leaves = 1
        while (n + leaves - 1) / leaves > bucketSize && leaves * 2 <= n { leaves *= 2 }
        let nodeCount = 2 * leaves - 1, firstLeaf = leaves - 1
        let leafStride = max(8, ((n + leaves - 1) / leaves + 7) / 8 * 8)
        rowCount = n
        featureCount = p
        leafCount = leaves
        self.nodeCount = nodeCount
        self.firstLeaf = firstLeaf
        self.leafStride = leafStride

        var nodeStart = [Int](repeating: 0, count: nodeCount)
        var nodeEnd = [Int](repeating: n, count: nodeCount)
        for node in 0..<firstLeaf {
            let middle = nodeStart[node] + (nodeEnd[node] - nodeStart[node]) / 2
            nodeStart[2 * node + 1] = nodeStart[node]
            nodeEnd[2 * node + 1] = middle
            nodeStart[2 * node + 2] = middle
            nodeEnd[2 * node + 2] = nodeEnd[node]
        }
        var order = (0..<n).map { Int32($0) }
        var splitDimension = [Int](repeating: 0, count: nodeCount)
        var splitLow = [Double](repeating: 0, count: nodeCount)
        var splitHigh = [Double](repeating: 0, count: nodeCount)
        // Every array holds at least one element, so that its base address exists at p = 0.
        var leafLower = [Double](repeating: 0, count: max(1, leaves * p))
        var leafUpper = [Double](repeating: 0, count: max(1, leaves * p))
        let keys = UnsafeMutableBufferPointer<(value: Double, row: Int32)>.allocate(capacity: max(1, n))
        let lower = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, p))
        let upper = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, p))
        defer {
            keys.deallocate()
            lower.deallocate()
            upper.deallocate()
        }
        points.values.withUnsafeBufferPointer { x in
            order.withUnsafeMutableBufferPointer { order in
                // Parents before children: a node's range is arranged when it is reached.
                for node in 0..<nodeCount {
                    let start = nodeStart[node], end = nodeEnd[node]
                    for c in 0..<p {
                        lower[c] = .infinity
                        upper[c] = -.infinity
                    }
                    for position in start..<end {
                        let row = Int(order[position]) * p
                        for c in 0..<p {
                            lower[c] = Swift.min(lower[c], x[row + c])
                            upper[c] = Swift.max(upper[c], x[row + c])
                        }
                    }
                    if node > 0 && p > 0 {
                        let c = splitDimension[(node - 1) / 2]
                        splitLow[node] = lower[c]
                        splitHigh[node] = upper[c]
                    }
                    if node >= firstLeaf {
                        for c in 0..<p {
                            leafLower[(node - firstLeaf) * p + c] = lower[c]
                            leafUpper[(node - firstLeaf) * p + c] = upper[c]
                        }
                        continue
                    }
                    guard p > 0 else { continue }
                    var widest = 0, widestSpread = -Double.infinity
                    for c in 0..<p where upper[c] - lower[c] > widestSpread {
                        widestSpread = upper[c] - lower[c]
                        widest = c
                    }
                    splitDimension[node] = widest
                    let count = end - start
                    let range = UnsafeMutableBufferPointer(rebasing: keys[0..<count])
                    for offset in 0..<count {
                        let row = order[start + offset]
                        range[offset] = (x[Int(row) * p + widest], row)
                    }
                    _selectSmallest(range, count: count / 2)
                    for offset in 0..<count { order[start + offset] = range[offset].row }
                }
            }
        }
        var rows = [Double](repeating: 0, count: max(1, n * p))
        var leafColumns = [Float](repeating: .nan, count: max(1, leaves * p * leafStride))
        var leafNorms = [Float](repeating: .nan, count: max(1, leaves * leafStride))
        var largest = 0.0
        points.values.withUnsafeBufferPointer { x in
            for leaf in 0..<leaves {
                let node = firstLeaf + leaf
                for position in nodeStart[node]..<nodeEnd[node] {
                    let row = Int(order[position]), column = position - nodeStart[node]
                    var norm = 0.0
                    for c in 0..<p {
                        let value = x[row * p + c]
                        rows[position * p + c] = value
                        leafColumns[(leaf * p + c) * leafStride + column] = Float(value)
                        norm += value * value
                    }
                    leafNorms[leaf * leafStride + column] = Float(norm)
                    largest = Swift.max(largest, norm)
                }
            }
        }
        self.order = order
        self.rows = rows
        self.nodeStart = nodeStart
        self.nodeEnd = nodeEnd
        self.splitDimension = splitDimension
        self.splitLow = splitLow
        self.splitHigh = splitHigh
        self.leafLower = leafLower
        self.leafUpper = leafUpper
        self.leafColumns = leafColumns
        self.leafNorms = leafNorms
        largestSquaredNorm = largest
    }

    /// For each row, its `k` nearest rows, nearest first (ties: lower row first), written
    /// to `output` (n × k) at the row's original index; the queries split into chunks of
    /// consecutive positions of the k-d order over `threads` threads.
    func search(k: Int, threads: Int, output: _NeighbourOutput) {
        order.withUnsafeBufferPointer { order in
        rows.withUnsafeBufferPointer { rows in
        nodeStart.withUnsafeBufferPointer { nodeStart in
        nodeEnd.withUnsafeBufferPointer { nodeEnd in
        splitDimension.withUnsafeBufferPointer { splitDimension in
        splitLow.withUnsafeBufferPointer { splitLow in
        splitHigh.withUnsafeBufferPointer { splitHigh in
        leafLower.withUnsafeBufferPointer { leafLower in
        leafUpper.withUnsafeBufferPointer { leafUpper in
        leafColumns.withUnsafeBufferPointer { leafColumns in
        leafNorms.withUnsafeBufferPointer { leafNorms in
            let tree = _KDTreeHandle(value: fairlead_kd_tree(
                row_count: rowCount, feature_count: featureCount, first_leaf: firstLeaf, leaf_stride: leafStride,
                largest_squared_norm: largestSquaredNorm, order: order.baseAddress, rows: rows.baseAddress,
                node_start: nodeStart.baseAddress, node_end: nodeEnd.baseAddress,
                split_dimension: splitDimension.baseAddress, split_low: splitLow.baseAddress,
                split_high: splitHigh.baseAddress, leaf_lower: leafLower.baseAddress,
                leaf_upper: leafUpper.baseAddress, leaf_columns: leafColumns.baseAddress,
                leaf_norms: leafNorms.baseAddress))
            RowParallelism.forEachChunk(rowCount: rowCount, threads: threads, minimumChunk: 64) { positions in
                var value = tree.value
                let status = fairlead_kd_search(&value, k, positions.lowerBound, positions.upperBound,
                                                output.indices.baseAddress)
                precondition(status != -1, "out of memory in the nearest-neighbour search")
                precondition(status == 0, "a query found fewer than k candidates")
            }
        }}}}}}}}}}}
    }
}

/// A ``fairlead_kd_tree`` (pointers into a ``_KDTree``'s arrays) handed to the search threads.
struct _KDTreeHandle: @unchecked Sendable {
    let value: fairlead_kd_tree
}
