import COpenBLAS
import Dispatch

/// Exact k nearest neighbours of every row of a point set among the same rows, by
/// Euclidean distance, with blocked GEMM distance tiles over OpenBLAS.
///
/// As scikit-learn's `NearestNeighbors(n_neighbors=k).fit(X).kneighbors(X)` — which AIF360's
/// `consistency()` calls — a row is its own nearest neighbour (distance 0), so the k include
/// the row itself. Ties go to the lower row index.
///
/// The rows are first put in a k-d order (``_SpatialLayout``): leaves of `leaf` rows that
/// lie close together, each with its bounding box. A tile of `tile` consecutive rows in that
/// order is a compact group of queries; it visits the leaves nearest its own box first,
/// a batch of leaves at a time, and skips a leaf when the distance from each query to the
/// leaf's box already exceeds that query's k-th best (with a rounding margin), and stops
/// when the distance between the boxes does for every query.
///
/// The leaves nearest a tile are needed by most of its queries: for a batch where at least
/// `gemmShare` of the (query, leaf) pairs are needed, one GEMM over augmented rows,
/// [q, 1] · [−2r, ‖r‖²]ᵀ = ‖q − r‖² − ‖q‖², screens them all, and only the values within a
/// rounding margin of the query's current k-th best get their exact distance computed. The
/// farther leaves are needed by few queries each, and a GEMM over the whole block would
/// compute mostly values nobody reads: those pairs are computed directly, eight rows at a
/// time. Every candidate is kept with its exact distance ‖q − r‖², summed over the
/// coordinates in order as a brute-force search does, so ties (lower row first) are decided
/// on exact values and the rounding of the expansion decides nothing; the margins (10⁻¹²
/// of ‖q‖² + the largest ‖r‖², about a thousand times the rounding) make both the screen
/// and the leaf skipping conservative. Memory: three reordered copies of the points, and per
/// thread one `tile` × (8 · `leaf`) product block and the tile's k best — never an n × n
/// matrix. Query tiles run in parallel on `threads` threads (OpenBLAS itself
/// single-threaded meanwhile).
///
///     let neighbours = NearestNeighbours.search(points, k: 5, threads: 2)
///     neighbours[i * 5 ..< i * 5 + 5]          // row i's neighbours, nearest first
public enum NearestNeighbours {
    /// The queries per tile. With ``defaultLeaf``, the fastest of tiles 32–256 × leaves
    /// 32–256 on the `consistency` benchmark at 20,000 and 100,000 rows (docs/benchmarks.md):
    /// each tile orders every leaf, so small tiles and leaves pay n² / (tile · leaf) there.
    public static let defaultTile = 128
    /// The rows per leaf of the k-d order.
    public static let defaultLeaf = 128
    /// The leaves multiplied by one GEMM.
    static let leavesPerBatch = 8
    /// The share of a batch's (query, leaf) pairs that must be needed for one GEMM to
    /// compute the batch.
    public static let defaultGEMMShare = 0.5

    /// For each row of `points` (n × p), the indices of its `k` nearest rows, nearest
    /// first, as n × k row-major `Int32`s. `k` must be between 1 and n; `tile` and `leaf`
    /// at least 1. `gemmShare` 0 multiplies every batch by GEMM, above 1 none; the results
    /// are the same.
    public static func search(_ points: Matrix, k: Int, threads: Int, tile: Int = defaultTile,
                              leaf: Int = defaultLeaf, gemmShare: Double = defaultGEMMShare) -> [Int32] {
        let n = points.rows
        precondition(k >= 1 && k <= n, "k must be between 1 and the number of rows (\(n)), found \(k)")
        precondition(n < Int(Int32.max), "too many rows for 32-bit neighbour indices")
        precondition(tile >= 1, "tile must be at least 1, found \(tile)")
        let layout = _SpatialLayout(points, leafSize: leaf)
        var neighbours = [Int32](repeating: 0, count: n * k)
        let savedThreads = BLAS.threadCount
        if threads > 1 { BLAS.setThreadCount(1) }
        defer { if threads > 1 { BLAS.setThreadCount(savedThreads) } }
        let tileCount = (n + tile - 1) / tile
        neighbours.withUnsafeMutableBufferPointer { out in
            let output = _NeighbourOutput(indices: out)
            points.values.withUnsafeBufferPointer { x in
                layout.withView(points: x) { view in
                    RowParallelism.forEachChunk(rowCount: tileCount, threads: threads, minimumChunk: 1) { tiles in
                        let workspace = _TileWorkspace(view: view, tile: tile, k: k, gemmShare: gemmShare)
                        for index in tiles {
                            workspace.search(rows: (index * tile)..<min(n, index * tile + tile), output: output)
                        }
                    }
                }
            }
        }
        return neighbours
    }
}

/// The neighbour array the tiles write; each tile writes only its own rows.
struct _NeighbourOutput: @unchecked Sendable {
    let indices: UnsafeMutableBufferPointer<Int32>
}

/// A ``_SpatialLayout``'s sizes, and its arrays as pointers, valid for the duration of one
/// search (``_SpatialLayout/withView(points:_:)``).
struct _LayoutView: @unchecked Sendable {
    let rowCount: Int
    let featureCount: Int
    let width: Int
    let leafSize: Int
    let leafCount: Int
    let leafStride: Int
    let largestSquaredNorm: Double
    /// The points in their original order.
    let points: UnsafeBufferPointer<Double>
    let order: UnsafeBufferPointer<Int32>
    let squaredNorms: UnsafeBufferPointer<Double>
    let queries: UnsafeBufferPointer<Double>
    let references: UnsafeBufferPointer<Double>
    let lower: UnsafeBufferPointer<Double>
    let upper: UnsafeBufferPointer<Double>
    let leafColumns: UnsafeBufferPointer<Double>
}
