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
/// its cutting coordinate and its interval along its parent's; each leaf its bounding box
/// and its rows transposed as `Float` (p columns of `leafStride` values, the padding NaN,
/// which no comparison accepts).
///
/// **Search.** A query descends from the root, the nearer child first, keeping its k best
/// (distance, row) sorted. Its squared distance to a node's cell is kept incrementally —
/// per coordinate, its distance to the cell's interval, replaced along the cutting
/// coordinate at each step — and a child is skipped when that exceeds the k-th best by
/// more than a rounding margin, 10⁻¹² · (‖q‖² + max ‖r‖²), about a thousand times the
/// rounding of the few additions that keep it. A leaf is skipped when the squared distance
/// from the query to its box, Σ max(0, lo − q, q − hi)² summed in coordinate order, exceeds
/// the k-th best: that sum is never above the computed distance of a row inside the box
/// (subtraction, squaring and addition round monotonically), so it needs no margin. In a
/// leaf, ``fairlead_screen_distances`` gives the `Float` distances of all its rows at once
/// (eight at a time with AVX2 where the CPU has it), and a row whose `Float` distance is
/// within (p + 16) · 5 · 10⁻⁷ · (‖q‖² + max ‖r‖²) + 10⁻²⁷ of the k-th best — several times the
/// single-precision rounding, for coordinates within ±10¹⁵ (``isUsable(for:)``) — has its
/// exact distance Σ (q_c − r_c)² computed in `Double`, over the coordinates in order as a
/// brute-force search does. So ties (lower row first) are decided on exact values and
/// rounding decides nothing. Queries run in the k-d order, so consecutive queries read the
/// same leaves while they are in cache.
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
            let view = _KDTreeView(rowCount: rowCount, featureCount: featureCount, firstLeaf: firstLeaf,
                                   leafStride: leafStride, largestSquaredNorm: largestSquaredNorm,
                                   order: order.baseAddress!, rows: rows.baseAddress!,
                                   nodeStart: nodeStart.baseAddress!, nodeEnd: nodeEnd.baseAddress!,
                                   splitDimension: splitDimension.baseAddress!, splitLow: splitLow.baseAddress!,
                                   splitHigh: splitHigh.baseAddress!, leafLower: leafLower.baseAddress!,
                                   leafUpper: leafUpper.baseAddress!, leafColumns: leafColumns.baseAddress!)
            RowParallelism.forEachChunk(rowCount: rowCount, threads: threads, minimumChunk: 64) { positions in
                var query = _KDQuery(tree: view, k: k)
                defer { query.deallocate() }
                for position in positions { query.search(position: position, output: output) }
            }
        }}}}}}}}}}
    }
}

/// A ``_KDTree``'s arrays as pointers, for the duration of one search.
struct _KDTreeView: @unchecked Sendable {
    let rowCount: Int
    let featureCount: Int
    let firstLeaf: Int
    let leafStride: Int
    let largestSquaredNorm: Double
    let order: UnsafePointer<Int32>
    let rows: UnsafePointer<Double>
    let nodeStart: UnsafePointer<Int>
    let nodeEnd: UnsafePointer<Int>
    let splitDimension: UnsafePointer<Int>
    let splitLow: UnsafePointer<Double>
    let splitHigh: UnsafePointer<Double>
    let leafLower: UnsafePointer<Double>
    let leafUpper: UnsafePointer<Double>
    let leafColumns: UnsafePointer<Float>
}

/// One thread's search through a ``_KDTreeView``: the current query, its k best so far
/// and, per coordinate, its distance to the current node's cell along that coordinate.
struct _KDQuery {
    let tree: _KDTreeView
    let k: Int
    let values: UnsafeMutablePointer<Double>
    let candidates: UnsafeMutablePointer<Int32>
    let offsets: UnsafeMutablePointer<Double>
    /// The query as `Float`.
    let pointSingle: UnsafeMutablePointer<Float>
    /// One leaf's `Float` distances.
    let screened: UnsafeMutablePointer<Float>
    var point: UnsafePointer<Double>
    /// The k-th best distance so far (+∞ until there are k).
    var worst = Double.infinity
    var margin = 0.0
    var screenMargin = 0.0

    init(tree: _KDTreeView, k: Int) {
        self.tree = tree
        self.k = k
        values = .allocate(capacity: k)
        candidates = .allocate(capacity: k)
        offsets = .allocate(capacity: max(1, tree.featureCount))
        pointSingle = .allocate(capacity: max(1, tree.featureCount))
        screened = .allocate(capacity: tree.leafStride)
        point = tree.rows
    }

    func deallocate() {
        values.deallocate()
        candidates.deallocate()
        offsets.deallocate()
        pointSingle.deallocate()
        screened.deallocate()
    }

    /// The k nearest rows of the row at `position` of the k-d order, written to the output.
    mutating func search(position: Int, output: _NeighbourOutput) {
        let p = tree.featureCount
        point = tree.rows + position * p
        var norm = 0.0
        for c in 0..<p {
            norm += point[c] * point[c]
            pointSingle[c] = Float(point[c])
            offsets[c] = 0
        }
        margin = 1e-12 * (norm + tree.largestSquaredNorm)
        screenMargin = Double(p + 16) * 5e-7 * (norm + tree.largestSquaredNorm) + 1e-27
        for slot in 0..<k {
            values[slot] = .infinity
            candidates[slot] = Int32.max
        }
        worst = .infinity
        visit(node: 0, bound: 0)
        let row = Int(tree.order[position])
        precondition(candidates[k - 1] != Int32.max, "a query found fewer than k candidates")
        for slot in 0..<k { output.indices[row * k + slot] = candidates[slot] }
    }

    /// Visits `node`, whose cell is at squared distance `bound` from the query (the sum of
    /// `offsets`' squares, to rounding): the nearer child first, the farther one if the
    /// k-th best still reaches it.
    private mutating func visit(node: Int, bound: Double) {
        if node >= tree.firstLeaf {
            scan(leaf: node - tree.firstLeaf)
            return
        }
        let c = tree.splitDimension[node], value = point[c]
        let left = 2 * node + 1, right = left + 1
        let leftOffset = max(0, tree.splitLow[left] - value, value - tree.splitHigh[left])
        let rightOffset = max(0, tree.splitLow[right] - value, value - tree.splitHigh[right])
        let old = offsets[c]
        let base = bound - old * old
        let (near, nearOffset, far, farOffset) = leftOffset <= rightOffset
            ? (left, leftOffset, right, rightOffset) : (right, rightOffset, left, leftOffset)
        let nearBound = base + nearOffset * nearOffset
        if nearBound <= worst + margin {
            offsets[c] = nearOffset
            visit(node: near, bound: nearBound)
        }
        let farBound = base + farOffset * farOffset
        if farBound <= worst + margin {
            offsets[c] = farOffset
            visit(node: far, bound: farBound)
        }
        offsets[c] = old
    }

    /// One leaf: skipped when its box is out of reach; else its `Float` distances, and the
    /// exact distance of each row they do not rule out.
    private mutating func scan(leaf: Int) {
        let p = tree.featureCount
        let low = tree.leafLower + leaf * p, high = tree.leafUpper + leaf * p
        var box = 0.0
        for c in 0..<p {
            let value = point[c]
            let gap = max(0, low[c] - value, value - high[c])
            box += gap * gap
        }
        if box > worst { return }
        let node = tree.firstLeaf + leaf
        let start = tree.nodeStart[node], length = tree.nodeEnd[node] - start
        var limit = Float(worst + screenMargin).nextUp
        let passed = fairlead_screen_distances(pointSingle, tree.leafColumns + leaf * p * tree.leafStride,
                                               tree.leafStride, p, length, limit, screened)
        guard passed > 0 else { return }
        for index in 0..<length where screened[index] <= limit {
            let reference = tree.rows + (start + index) * p
            var distance = 0.0
            for c in 0..<p {
                let d = point[c] - reference[c]
                distance += d * d
            }
            worst = _insert(distance: distance, row: tree.order[start + index], worst: worst, values: values,
                            candidates: candidates, k: k)
            limit = Float(worst + screenMargin).nextUp
        }
    }
}
