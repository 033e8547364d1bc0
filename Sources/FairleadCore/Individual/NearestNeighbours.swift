import COpenBLAS
import Dispatch

/// Exact k nearest neighbours of every row of a point set among the same rows, by
/// Euclidean distance, with blocked GEMM distance tiles over OpenBLAS.
///
/// As scikit-learn's `NearestNeighbors(n_neighbors=k).fit(X).kneighbors(X)` — which AIF360's
/// `consistency()` calls — a row is its own nearest neighbour (distance 0), so the k include
/// the row itself. Ties go to the lower row index.
///
/// Squared distances of a tile of queries Q against a tile of rows R come from one GEMM:
/// ‖q − r‖² = ‖q‖² + ‖r‖² − 2 q·r. Each query keeps its k + 4 best candidates by that value;
/// at the end the candidates' distances are recomputed directly and sorted, so the
/// rounding of the expansion cannot reorder the k kept. Memory: the points, n × (k + 4)
/// candidates, and one `tile` × `tile` block per thread — never an n × n matrix. Query
/// tiles run in parallel on `threads` threads (OpenBLAS itself single-threaded meanwhile).
///
///     let neighbours = NearestNeighbours.search(points, k: 5, threads: 2)
///     neighbours[i * 5 ..< i * 5 + 5]          // row i's neighbours, nearest first
public enum NearestNeighbours {
    /// The rows per GEMM tile.
    public static let defaultTile = 128

    /// For each row of `points` (n × p), the indices of its `k` nearest rows, nearest
    /// first, as n × k row-major `Int32`s. `k` must be between 1 and n.
    public static func search(_ points: Matrix, k: Int, threads: Int, tile: Int = defaultTile) -> [Int32] {
        let n = points.rows, p = points.columns
        precondition(k >= 1 && k <= n, "k must be between 1 and the number of rows (\(n)), found \(k)")
        precondition(n <= Int(Int32.max), "too many rows for 32-bit neighbour indices")
        let kept = min(n, k + 4)
        var norms = [Double](repeating: 0, count: n)
        points.values.withUnsafeBufferPointer { x in
            for i in 0..<n {
                var sum = 0.0
                for j in 0..<p { sum += x[i * p + j] * x[i * p + j] }
                norms[i] = sum
            }
        }
        var candidates = [Int32](repeating: -1, count: n * kept)
        var candidateDistances = [Double](repeating: .infinity, count: n * kept)
        let savedThreads = BLAS.threadCount
        if threads > 1 { BLAS.setThreadCount(1) }
        defer { if threads > 1 { BLAS.setThreadCount(savedThreads) } }
        candidates.withUnsafeMutableBufferPointer { candidatesOut in
            candidateDistances.withUnsafeMutableBufferPointer { distancesOut in
                points.values.withUnsafeBufferPointer { x in
                    norms.withUnsafeBufferPointer { norms in
                        let shared = _TileOutputs(candidates: candidatesOut, distances: distancesOut)
                        RowParallelism.forEachChunk(rowCount: n, threads: threads, minimumChunk: tile) { rows in
                            var block = [Double](repeating: 0, count: tile * tile)
                            var queryStart = rows.lowerBound
                            while queryStart < rows.upperBound {
                                let queryEnd = min(rows.upperBound, queryStart + tile)
                                searchTile(queries: queryStart..<queryEnd, x: x, n: n, p: p, norms: norms, kept: kept,
                                           tile: tile, block: &block, outputs: shared)
                                queryStart = queryEnd
                            }
                        }
                    }
                }
            }
        }
        // Exact distances of the candidates, then the k nearest (ties: lower index).
        var neighbours = [Int32](repeating: 0, count: n * k)
        let found = candidates
        neighbours.withUnsafeMutableBufferPointer { out in
            let output = _NeighbourOutput(indices: out)
            points.values.withUnsafeBufferPointer { x in
                found.withUnsafeBufferPointer { found in
                    RowParallelism.forEachChunk(rowCount: n, threads: threads, minimumChunk: 1024) { rows in
                        var scored: [(distance: Double, index: Int32)] = []
                        scored.reserveCapacity(kept)
                        for i in rows {
                            scored.removeAll(keepingCapacity: true)
                            for slot in 0..<kept {
                                let j = Int(found[i * kept + slot])
                                guard j >= 0 else { continue }
                                var sum = 0.0
                                for c in 0..<p {
                                    let d = x[i * p + c] - x[j * p + c]
                                    sum += d * d
                                }
                                scored.append((sum, Int32(j)))
                            }
                            scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }
                            for slot in 0..<k { output.indices[i * k + slot] = scored[slot].index }
                        }
                    }
                }
            }
        }
        return neighbours
    }

    /// One query tile against every row tile: GEMM, then each query's running best.
    private static func searchTile(queries: Range<Int>, x: UnsafeBufferPointer<Double>, n: Int, p: Int,
                                   norms: UnsafeBufferPointer<Double>, kept: Int, tile: Int,
                                   block: inout [Double], outputs: _TileOutputs) {
        guard let base = x.baseAddress else { return }
        let queryCount = queries.count
        var referenceStart = 0
        while referenceStart < n {
            let referenceEnd = min(n, referenceStart + tile)
            let referenceCount = referenceEnd - referenceStart
            block.withUnsafeMutableBufferPointer { g in
                if p > 0 {
                    // G = Q · Rᵀ  (queryCount × referenceCount)
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(queryCount), Int32(referenceCount), Int32(p),
                                1, base + queries.lowerBound * p, Int32(p), base + referenceStart * p, Int32(p),
                                0, g.baseAddress, Int32(referenceCount))
                } else {
                    for index in 0..<(queryCount * referenceCount) { g[index] = 0 }
                }
                for (row, i) in queries.enumerated() {
                    let offset = i * kept
                    var worst = outputs.distances[offset + kept - 1]
                    for column in 0..<referenceCount {
                        let j = referenceStart + column
                        let distance = max(0, norms[i] + norms[j] - 2 * g[row * referenceCount + column])
                        guard distance < worst else { continue }
                        // Insert into the sorted candidates (ascending), dropping the last.
                        var slot = kept - 1
                        while slot > 0 && outputs.distances[offset + slot - 1] > distance {
                            outputs.distances[offset + slot] = outputs.distances[offset + slot - 1]
                            outputs.candidates[offset + slot] = outputs.candidates[offset + slot - 1]
                            slot -= 1
                        }
                        outputs.distances[offset + slot] = distance
                        outputs.candidates[offset + slot] = Int32(j)
                        worst = outputs.distances[offset + kept - 1]
                    }
                }
            }
            referenceStart = referenceEnd
        }
    }
}

/// The neighbour array the refinement writes; each chunk writes only its own rows.
private struct _NeighbourOutput: @unchecked Sendable {
    let indices: UnsafeMutableBufferPointer<Int32>
}

/// The candidate arrays the query tiles write; each tile writes only its own rows.
private struct _TileOutputs: @unchecked Sendable {
    let candidates: UnsafeMutableBufferPointer<Int32>
    let distances: UnsafeMutableBufferPointer<Double>
}
