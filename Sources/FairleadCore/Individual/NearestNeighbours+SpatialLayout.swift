/// The points of a ``NearestNeighbours`` search, reordered so that consecutive rows lie
/// close together, in the two forms the distance GEMM multiplies.
///
/// The order comes from a k-d split: a range of rows is sorted along its widest coordinate
/// and cut after half of its leaves (so every leaf but the last holds exactly `leafSize`
/// rows), recursively, down to single leaves. Each leaf keeps its bounding box, from which
/// a lower bound on the distance of any point to any row of the leaf follows.
///
/// Row i of the order (original row `order[i]`) appears as
///
///     queries[i]    = [x, 1]              (p + 1 values)
///     references[i] = [−2x, ‖x‖²]         (p + 1 values)
///
/// so that one GEMM gives queries · referencesᵀ = ‖r‖² − 2 q·r, which differs from the
/// squared distance ‖q − r‖² by ‖q‖², a constant for each query: ranking a query's
/// candidates needs no other term. `leafColumns` holds each leaf's rows transposed (p
/// columns of `leafStride` values, the padding NaN, which no comparison accepts), for the
/// scan that computes one query's distances to one leaf directly.
struct _SpatialLayout {
    let rowCount: Int
    let featureCount: Int
    /// p + 1, the row width of `queries` and `references`.
    let width: Int
    /// Position in the k-d order → original row index.
    let order: [Int32]
    let queries: [Double]
    let references: [Double]
    /// ‖x‖² of each row, in the k-d order.
    let squaredNorms: [Double]
    /// The largest of `squaredNorms`, which scales the rounding margin.
    let largestSquaredNorm: Double
    let leafSize: Int
    let leafCount: Int
    /// Each leaf's bounding box, `leafCount` × p, lowest and highest coordinates.
    let lower: [Double]
    let upper: [Double]
    /// `leafSize` rounded up to a multiple of 8.
    let leafStride: Int
    /// `leafCount` × p × `leafStride`: coordinate c of leaf t's rows starts at
    /// (t · p + c) · `leafStride`.
    let leafColumns: [Double]

    init(_ points: Matrix, leafSize: Int) {
        precondition(leafSize >= 1, "leaf size must be at least 1, found \(leafSize)")
        let n = points.rows, p = points.columns, width = p + 1
        rowCount = n
        featureCount = p
        self.width = width
        self.leafSize = leafSize
        leafCount = (n + leafSize - 1) / leafSize
        let order = Self.kdOrder(points, leafSize: leafSize)
        self.order = order
        let leafStride = (leafSize + 7) / 8 * 8
        self.leafStride = leafStride
        let queries = UnsafeMutableBufferPointer<Double>.allocate(capacity: n * width)
        let references = UnsafeMutableBufferPointer<Double>.allocate(capacity: n * width)
        let squaredNorms = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let lower = UnsafeMutableBufferPointer<Double>.allocate(capacity: leafCount * p)
        let upper = UnsafeMutableBufferPointer<Double>.allocate(capacity: leafCount * p)
        let leafColumns = UnsafeMutableBufferPointer<Double>.allocate(capacity: leafCount * p * leafStride)
        defer {
            for buffer in [queries, references, squaredNorms, lower, upper, leafColumns] { buffer.deallocate() }
        }
        queries.initialize(repeating: 1)
        lower.initialize(repeating: .infinity)
        upper.initialize(repeating: -.infinity)
        // Padding rows (past n, or past the leaf size up to the stride) stay NaN.
        leafColumns.initialize(repeating: .nan)
        var largest = 0.0
        points.values.withUnsafeBufferPointer { x in
            for position in 0..<n {
                let row = Int(order[position]), leaf = position / leafSize, column = position % leafSize
                var norm = 0.0
                for c in 0..<p {
                    let value = x[row * p + c]
                    queries[position * width + c] = value
                    references[position * width + c] = -2 * value
                    leafColumns[(leaf * p + c) * leafStride + column] = value
                    norm += value * value
                    lower[leaf * p + c] = Swift.min(lower[leaf * p + c], value)
                    upper[leaf * p + c] = Swift.max(upper[leaf * p + c], value)
                }
                references[position * width + p] = norm
                squaredNorms[position] = norm
                largest = Swift.max(largest, norm)
            }
        }
        self.leafColumns = Array(leafColumns)
        self.queries = Array(queries)
        self.references = Array(references)
        self.squaredNorms = Array(squaredNorms)
        largestSquaredNorm = largest
        self.lower = Array(lower)
        self.upper = Array(upper)
    }

    /// Calls `body` with the layout's arrays as pointers, `points` the original rows.
    func withView<Result>(points: UnsafeBufferPointer<Double>, _ body: (_LayoutView) -> Result) -> Result {
        order.withUnsafeBufferPointer { order in
            squaredNorms.withUnsafeBufferPointer { squaredNorms in
                queries.withUnsafeBufferPointer { queries in
                    references.withUnsafeBufferPointer { references in
                        lower.withUnsafeBufferPointer { lower in
                            upper.withUnsafeBufferPointer { upper in
                                leafColumns.withUnsafeBufferPointer { leafColumns in
                                    body(_LayoutView(rowCount: rowCount, featureCount: featureCount, width: width,
                                                     leafSize: leafSize, leafCount: leafCount, leafStride: leafStride,
                                                     largestSquaredNorm: largestSquaredNorm, points: points, order: order,
                                                     squaredNorms: squaredNorms, queries: queries, references: references,
                                                     lower: lower, upper: upper, leafColumns: leafColumns))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The k-d order of the rows: leaves of `leafSize` consecutive rows (the last may be
    /// shorter), each range split along its widest coordinate.
    static func kdOrder(_ points: Matrix, leafSize: Int) -> [Int32] {
        let n = points.rows, p = points.columns
        var order = (0..<n).map { Int32($0) }
        guard p > 0, n > leafSize else { return order }
        let keys = UnsafeMutableBufferPointer<(value: Double, row: Int32)>.allocate(capacity: n)
        defer { keys.deallocate() }
        var pending = [(start: 0, end: n)]
        points.values.withUnsafeBufferPointer { x in
            order.withUnsafeMutableBufferPointer { order in
                while let (start, end) = pending.popLast() {
                    let count = end - start
                    guard count > leafSize else { continue }
                    var widest = 0, widestSpread = -1.0
                    for c in 0..<p {
                        var low = Double.infinity, high = -Double.infinity
                        for position in start..<end {
                            let value = x[Int(order[position]) * p + c]
                            low = Swift.min(low, value)
                            high = Swift.max(high, value)
                        }
                        if high - low > widestSpread {
                            widestSpread = high - low
                            widest = c
                        }
                    }
                    let range = UnsafeMutableBufferPointer(rebasing: keys[0..<count])
                    for offset in 0..<count {
                        let row = order[start + offset]
                        range[offset] = (x[Int(row) * p + widest], row)
                    }
                    let leaves = (count + leafSize - 1) / leafSize
                    let half = (leaves + 1) / 2 * leafSize
                    _selectSmallest(range, count: half)
                    for offset in 0..<count { order[start + offset] = range[offset].row }
                    pending.append((start, start + half))
                    pending.append((start + half, end))
                }
            }
        }
        return order
    }
}

/// Rearranges `keys` so that its first `count` elements are its `count` smallest by
/// (value, row) — a quickselect, linear on average. Rows are distinct, so the order is
/// strict; the bounds checks on the scans keep a NaN value from running past the range.
func _selectSmallest(_ keys: UnsafeMutableBufferPointer<(value: Double, row: Int32)>, count: Int) {
    @inline(__always) func less(_ a: (value: Double, row: Int32), _ b: (value: Double, row: Int32)) -> Bool {
        a.value != b.value ? a.value < b.value : a.row < b.row
    }
    guard count > 0 && count < keys.count else { return }
    var low = 0, high = keys.count - 1
    while low < high {
        let middle = low + (high - low) / 2
        // Median of three as the pivot.
        var a = keys[low], b = keys[middle], c = keys[high]
        if less(b, a) { swap(&a, &b) }
        if less(c, b) { swap(&b, &c) }
        if less(b, a) { swap(&a, &b) }
        let pivot = b
        var i = low, j = high
        while i <= j {
            while i <= high && less(keys[i], pivot) { i += 1 }
            while j >= low && less(pivot, keys[j]) { j -= 1 }
            if i <= j {
                keys.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        if count <= j {
            high = j
        } else if count >= i {
            low = i
        } else {
            return
        }
    }
}
