import COpenBLAS

/// One thread's scratch for ``NearestNeighbours``: the candidates of one query tile, the
/// leaves it visits, and the GEMM blocks. Allocated once per chunk of tiles, reused for
/// each tile of the chunk; every field is a constant pointer, so the hot loops pay no
/// exclusivity checks.
final class _TileWorkspace {
    let view: _LayoutView
    let tile: Int
    let k: Int
    let gemmShare: Double
    /// The product of the tile's queries with a batch of leaves: `tile` × batch width.
    let product: UnsafeMutablePointer<Double>
    /// The batch's reference rows, copied together for the GEMM: batch width × (p + 1).
    let packed: UnsafeMutablePointer<Double>
    /// Each query's k best so far, ascending by (distance, row): `tile` × `k`. The distance
    /// is the exact ‖q − r‖², summed over the coordinates in order, as a brute-force
    /// search would; the row is the original row index.
    let candidateValues: UnsafeMutablePointer<Double>
    let candidateRows: UnsafeMutablePointer<Int32>
    /// Per query: a leaf whose box is farther than this (squared distance) cannot hold
    /// one of its k nearest; +∞ until it has k candidates.
    let thresholds: UnsafeMutablePointer<Double>
    /// Per query: bit b set when batch leaf b needs scanning for it.
    let masks: UnsafeMutablePointer<UInt32>
    /// Per batch leaf: the leaf, its first column in `product`, its first k-d position and
    /// its row count.
    let batchLeaves: UnsafeMutablePointer<Int>
    let batchColumns: UnsafeMutablePointer<Int>
    let batchPositions: UnsafeMutablePointer<Int>
    let batchLengths: UnsafeMutablePointer<Int>
    /// Every leaf with the squared distance between its box and the tile's.
    let leafOrder: UnsafeMutableBufferPointer<(bound: Double, leaf: Int32)>
    /// The tile's bounding box.
    let tileLower: UnsafeMutablePointer<Double>
    let tileUpper: UnsafeMutablePointer<Double>

    init(view: _LayoutView, tile: Int, k: Int, gemmShare: Double) {
        self.view = view
        self.tile = tile
        self.k = k
        self.gemmShare = gemmShare
        let batchCapacity = NearestNeighbours.leavesPerBatch * view.leafSize
        product = .allocate(capacity: tile * batchCapacity)
        packed = .allocate(capacity: batchCapacity * view.width)
        candidateValues = .allocate(capacity: tile * k)
        candidateRows = .allocate(capacity: tile * k)
        thresholds = .allocate(capacity: tile)
        masks = .allocate(capacity: tile)
        masks.initialize(repeating: 0, count: tile)
        batchLeaves = .allocate(capacity: NearestNeighbours.leavesPerBatch)
        batchColumns = .allocate(capacity: NearestNeighbours.leavesPerBatch)
        batchPositions = .allocate(capacity: NearestNeighbours.leavesPerBatch)
        batchLengths = .allocate(capacity: NearestNeighbours.leavesPerBatch)
        leafOrder = .allocate(capacity: view.leafCount)
        tileLower = .allocate(capacity: max(1, view.featureCount))
        tileUpper = .allocate(capacity: max(1, view.featureCount))
    }

    deinit {
        product.deallocate()
        packed.deallocate()
        candidateValues.deallocate()
        candidateRows.deallocate()
        thresholds.deallocate()
        masks.deallocate()
        batchLeaves.deallocate()
        batchColumns.deallocate()
        batchPositions.deallocate()
        batchLengths.deallocate()
        leafOrder.deallocate()
        tileLower.deallocate()
        tileUpper.deallocate()
    }

    /// The k nearest neighbours of the queries at k-d positions `rows`, written to the
    /// output at their original row indices.
    func search(rows: Range<Int>, output: _NeighbourOutput) {
        let p = view.featureCount, width = view.width
        let queries = view.queries.baseAddress!
        let count = rows.count
        for slot in 0..<(count * k) {
            candidateValues[slot] = .infinity
            candidateRows[slot] = Int32.max
        }
        for query in 0..<count { thresholds[query] = .infinity }
        orderLeaves(rows: rows)

        var largestThreshold = Double.infinity
        var batchCount = 0, batchWidth = 0
        for (bound, leaf) in leafOrder {
            // Sorted by bound: once one leaf is out of every query's reach, all the rest are.
            if bound > largestThreshold { break }
            let start = Int(leaf) * view.leafSize
            let end = min(view.rowCount, start + view.leafSize)
            let bit = UInt32(1) << UInt32(batchCount)
            var needed = false
            for query in 0..<count {
                let threshold = thresholds[query]
                if threshold < .infinity {
                    let distance = boxDistance(point: queries + (rows.lowerBound + query) * width, leaf: Int(leaf), p: p)
                    if distance > threshold { continue }
                }
                masks[query] |= bit
                needed = true
            }
            guard needed else { continue }
            batchLeaves[batchCount] = Int(leaf)
            batchColumns[batchCount] = batchWidth
            batchPositions[batchCount] = start
            batchLengths[batchCount] = end - start
            batchCount += 1
            batchWidth += end - start
            if batchCount == NearestNeighbours.leavesPerBatch {
                largestThreshold = flush(rows: rows, batchCount: batchCount, batchWidth: batchWidth)
                batchCount = 0
                batchWidth = 0
            }
        }
        if batchCount > 0 { _ = flush(rows: rows, batchCount: batchCount, batchWidth: batchWidth) }
        write(rows: rows, output: output)
    }

    /// Sorts every leaf by the squared distance between its box and the box of the tile's
    /// queries (ties: leaf order).
    private func orderLeaves(rows: Range<Int>) {
        let p = view.featureCount, width = view.width
        let queries = view.queries
        for c in 0..<p {
            var low = Double.infinity, high = -Double.infinity
            for position in rows {
                let value = queries[position * width + c]
                low = min(low, value)
                high = max(high, value)
            }
            tileLower[c] = low
            tileUpper[c] = high
        }
        let lower = view.lower, upper = view.upper
        for leaf in 0..<view.leafCount {
            var sum = 0.0
            for c in 0..<p {
                let gap = max(0, lower[leaf * p + c] - tileUpper[c], tileLower[c] - upper[leaf * p + c])
                sum += gap * gap
            }
            leafOrder[leaf] = (sum, Int32(leaf))
        }
        var order = leafOrder
        order.sort { $0.bound != $1.bound ? $0.bound < $1.bound : $0.leaf < $1.leaf }
    }

    /// The squared distance from a point to a leaf's bounding box: a lower bound on its
    /// distance to any row of the leaf.
    @inline(__always)
    private func boxDistance(point: UnsafePointer<Double>, leaf: Int, p: Int) -> Double {
        let lower = view.lower.baseAddress! + leaf * p, upper = view.upper.baseAddress! + leaf * p
        var sum = 0.0
        for c in 0..<p {
            let value = point[c]
            let gap = max(0, lower[c] - value, value - upper[c])
            sum += gap * gap
        }
        return sum
    }

    /// Scans each query's values over the batch leaves its mask names, and returns the
    /// largest threshold after it.
    ///
    /// When at least `gemmShare` of the (query, leaf) pairs are needed — the first batches,
    /// the leaves nearest the tile — one GEMM gives them all; otherwise each needed pair is
    /// multiplied directly (``_scanLeaf(query:leafColumns:stride:p:length:rows:worst:values:candidates:k:)``),
    /// as a GEMM over the whole block would compute mostly values no query reads.
    private func flush(rows: Range<Int>, batchCount: Int, batchWidth: Int) -> Double {
        let width = view.width, count = rows.count, p = view.featureCount
        let queries = view.queries.baseAddress!, order = view.order.baseAddress!
        var pairs = 0
        for query in 0..<count { pairs += masks[query].nonzeroBitCount }
        let dense = Double(pairs) >= gemmShare * Double(count * batchCount)
        if dense {
            for slot in 0..<batchCount {
                (packed + batchColumns[slot] * width).update(from: view.references.baseAddress! + batchPositions[slot] * width,
                                                             count: batchLengths[slot] * width)
            }
            // product = Q' · R'ᵀ  (count × batchWidth)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(batchWidth), Int32(width),
                        1, queries + rows.lowerBound * width, Int32(width), packed, Int32(width),
                        0, product, Int32(batchWidth))
        }
        var largest = 0.0
        for query in 0..<count {
            var mask = masks[query]
            masks[query] = 0
            let values = candidateValues + query * k, candidates = candidateRows + query * k
            let point = queries + (rows.lowerBound + query) * width
            let norm = view.squaredNorms[rows.lowerBound + query]
            // The expansion's rounding, and the box bounds', are a few ulps of ‖q‖² + ‖r‖²;
            // this margin is about a thousand times that, so neither a GEMM value nor a
            // leaf is passed over on rounding alone.
            let margin = 1e-12 * (norm + view.largestSquaredNorm)
            var worst = values[k - 1]
            while mask != 0 {
                let slot = mask.trailingZeroBitCount
                mask &= mask - 1
                let length = batchLengths[slot]
                if dense {
                    worst = _scanProduct(row: product + query * batchWidth + batchColumns[slot], length: length,
                                         query: point, firstPosition: batchPositions[slot], view: view, norm: norm,
                                         margin: margin, worst: worst, values: values, candidates: candidates, k: k)
                } else {
                    worst = _scanLeaf(query: point, leafColumns: view.leafColumns.baseAddress! + batchLeaves[slot] * p * view.leafStride,
                                      stride: view.leafStride, p: p, length: length, rows: order + batchPositions[slot],
                                      worst: worst, values: values, candidates: candidates, k: k)
                }
            }
            let threshold = values[k - 1] + margin
            thresholds[query] = threshold
            largest = max(largest, threshold)
        }
        return largest
    }

    /// Each query's k best, already in order, written to the output.
    private func write(rows: Range<Int>, output: _NeighbourOutput) {
        for query in 0..<rows.count {
            let row = Int(view.order[rows.lowerBound + query])
            let candidates = candidateRows + query * k
            precondition(candidates[k - 1] != Int32.max, "a query found fewer than k candidates (a NaN feature?)")
            for slot in 0..<k { output.indices[row * k + slot] = candidates[slot] }
        }
    }
}

/// Scans one query's row of the product over a leaf. A value whose distance, ‖q‖² + the
/// value, is within `margin` of the current worst has its exact distance computed and put
/// into the k best (``_insert(distance:row:worst:values:candidates:k:)``); four values are
/// screened at once, and most blocks hold none. Returns the new worst.
@inline(__always)
func _scanProduct(row: UnsafePointer<Double>, length: Int, query: UnsafePointer<Double>, firstPosition: Int,
                  view: _LayoutView, norm: Double, margin: Double, worst: Double,
                  values: UnsafeMutablePointer<Double>, candidates: UnsafeMutablePointer<Int32>, k: Int) -> Double {
    var worst = worst
    var bar = worst - norm + margin
    let p = view.featureCount, width = view.width
    let queries = view.queries.baseAddress!, order = view.order.baseAddress!
    @inline(__always) func consider(_ column: Int) {
        guard row[column] <= bar else { return }
        let reference = queries + (firstPosition + column) * width
        var sum = 0.0
        for c in 0..<p {
            let d = query[c] - reference[c]
            sum += d * d
        }
        worst = _insert(distance: sum, row: order[firstPosition + column], worst: worst, values: values,
                        candidates: candidates, k: k)
        bar = worst - norm + margin
    }
    var column = 0
    while column + 4 <= length {
        let block = UnsafeRawPointer(row + column).loadUnaligned(as: SIMD4<Double>.self)
        if any(block .<= SIMD4(repeating: bar)) {
            for offset in 0..<4 { consider(column + offset) }
        }
        column += 4
    }
    while column < length {
        consider(column)
        column += 1
    }
    return worst
}

/// As ``_scanProduct(row:length:query:firstPosition:view:norm:margin:worst:values:candidates:k:)``,
/// with the query's exact distances to one leaf computed here, eight rows at a time, from
/// the leaf's transposed rows, in the same order of operations as the GEMM path's.
@inline(__always)
func _scanLeaf(query: UnsafePointer<Double>, leafColumns: UnsafePointer<Double>, stride: Int, p: Int, length: Int,
               rows: UnsafePointer<Int32>, worst: Double, values: UnsafeMutablePointer<Double>,
               candidates: UnsafeMutablePointer<Int32>, k: Int) -> Double {
    var worst = worst
    var column = 0
    while column < length {
        var low = SIMD4<Double>(repeating: 0), high = SIMD4<Double>(repeating: 0)
        for c in 0..<p {
            let coordinate = SIMD4(repeating: query[c])
            let r = UnsafeRawPointer(leafColumns + c * stride + column)
            let dLow = coordinate - r.loadUnaligned(as: SIMD4<Double>.self)
            let dHigh = coordinate - r.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self)
            low = low + dLow * dLow
            high = high + dHigh * dHigh
        }
        let bar = SIMD4(repeating: worst)
        if any((low .<= bar) .| (high .<= bar)) {
            for lane in 0..<min(8, length - column) {
                worst = _insert(distance: lane < 4 ? low[lane] : high[lane - 4], row: rows[column + lane], worst: worst,
                                values: values, candidates: candidates, k: k)
            }
        }
        column += 8
    }
    return worst
}

/// Puts (distance, row) into the k best, ascending by distance then row, if it comes
/// before the last; returns the new last distance.
@inline(__always)
func _insert(distance: Double, row: Int32, worst: Double, values: UnsafeMutablePointer<Double>,
             candidates: UnsafeMutablePointer<Int32>, k: Int) -> Double {
    let value = distance
    guard value < worst || (value == worst && row < candidates[k - 1]) else { return worst }
    var slot = k - 1
    while slot > 0 && (values[slot - 1] > value || (values[slot - 1] == value && candidates[slot - 1] > row)) {
        values[slot] = values[slot - 1]
        candidates[slot] = candidates[slot - 1]
        slot -= 1
    }
    values[slot] = value
    candidates[slot] = row
    return values[k - 1]
}
