import COpenBLAS
import Dispatch

/// Exact k nearest neighbours of every row of a point set among the same rows, by
/// Euclidean distance.
///
/// As scikit-learn's `NearestNeighbors(n_neighbors=k).fit(X).kneighbors(X)` — which AIF360's
/// `consistency()` calls — a row is its own nearest neighbour (distance 0), so the k include
/// the row itself. Ties go to the lower row index. Every candidate is ranked by its exact
/// distance Σ (q_c − r_c)², summed over the coordinates in order as a brute-force search
/// does, so every ``Method`` gives the same neighbours.
///
/// Two searches, chosen by the number of features p (``Method/automatic``):
///
/// - **A k-d tree** (``Method/kdTree``, ``_KDTree``), up to ``treeFeatureLimit`` features:
///   leaves of at most `bucket` rows, each query descending depth first, the nearer child
///   first, skipping any cell or leaf box farther than its k-th best; the rows of a leaf are
///   screened by single-precision distances and only those within a margin of the k-th best
///   get their exact distance. At p = 8 a query reads a few thousand of 20,000 rows.
/// - **Blocked GEMM distance tiles** (``Method/gemmTiles``), beyond: in many dimensions the
///   boxes of a tree overlap every query's ball and a tree scans nearly everything one row at
///   a time. The rows are put in a k-d order (``_SpatialLayout``): leaves of `leaf` rows with
///   their bounding boxes. A tile of `tile` consecutive rows visits the leaves nearest its
///   own box first, a batch of leaves at a time, skips a leaf when the distance from each
///   query to the leaf's box already exceeds that query's k-th best (with a rounding
///   margin), and stops when the distance between the boxes does for every query. For a
///   batch where at least `gemmShare` of the (query, leaf) pairs are needed, one GEMM over
///   augmented rows, [q, 1] · [−2r, ‖r‖²]ᵀ = ‖q − r‖² − ‖q‖², screens them all, and only the
///   values within a rounding margin of the query's current k-th best get their exact
///   distance computed; sparser batches have their needed pairs computed directly, eight
///   rows at a time. The margins (10⁻¹² of ‖q‖² + the largest ‖r‖², about a thousand times
///   the rounding) make both the screen and the leaf skipping conservative. Memory: three
///   reordered copies of the points, and per thread one `tile` × (8 · `leaf`) product block
///   and the tile's k best — never an n × n matrix. OpenBLAS runs single-threaded meanwhile.
///
/// Both split the queries over `threads` threads. Points with a coordinate beyond ±10¹⁵ (or
/// not finite) always take the GEMM tiles: the tree's single-precision screen does not cover
/// them.
///
///     let neighbours = NearestNeighbours.search(points, k: 5, threads: 2)
///     neighbours[i * 5 ..< i * 5 + 5]          // row i's neighbours, nearest first
public enum NearestNeighbours {
    /// Which search finds the neighbours; all give the same result.
    public enum Method: String, Sendable, CaseIterable {
        /// ``kdTree`` up to ``NearestNeighbours/treeFeatureLimit`` features, ``gemmTiles``
        /// beyond.
        case automatic
        /// The exact k-d tree (``_KDTree``), one query at a time.
        case kdTree = "kd-tree"
        /// Tiles of queries against batches of k-d leaves, the dense ones by GEMM.
        case gemmTiles = "gemm-tiles"
    }

    /// The most features ``Method/automatic`` searches with the k-d tree; measured on the
    /// `consistency` benchmark's data with 4–64 features (docs/benchmarks.md).
    public static let treeFeatureLimit = 16
    /// The most rows in a k-d tree's leaf: of 32–512, the fastest on the `consistency`
    /// benchmark (docs/benchmarks.md) — smaller leaves skip more rows, but the descent to
    /// them, branch after branch, costs more than the screen of the rows it saves.
    public static let defaultBucket = 128
    /// The queries per tile. With ``defaultLeaf``, the fastest of tiles 32–256 × leaves
    /// 32–256 on the `consistency` benchmark at 20,000 and 100,000 rows (docs/benchmarks.md):
    /// each tile orders every leaf, so small tiles and leaves pay n² / (tile · leaf) there.
    public static let defaultTile = 128
    /// The rows per leaf of the GEMM tiles' k-d order.
    public static let defaultLeaf = 128
    /// The leaves multiplied by one GEMM.
    static let leavesPerBatch = 8
    /// The share of a batch's (query, leaf) pairs that must be needed for one GEMM to
    /// compute the batch.
    public static let defaultGEMMShare = 0.5

    /// The search ``Method/automatic`` takes for points with `featureCount` columns.
    public static func method(forFeatureCount featureCount: Int) -> Method {
        featureCount <= treeFeatureLimit ? .kdTree : .gemmTiles
    }

    /// For each row of `points` (n × p), the indices of its `k` nearest rows, nearest
    /// first, as n × k row-major `Int32`s. `k` must be between 1 and n; `bucket`, `tile`
    /// and `leaf` at least 1. `bucket` sizes the k-d tree; `tile`, `leaf` and `gemmShare`
    /// the GEMM tiles (`gemmShare` 0 multiplies every batch by GEMM, above 1 none). The
    /// results are the same whatever the method and the sizes.
    public static func search(_ points: Matrix, k: Int, threads: Int, method: Method = .automatic,
                              bucket: Int = defaultBucket, tile: Int = defaultTile, leaf: Int = defaultLeaf,
                              gemmShare: Double = defaultGEMMShare) -> [Int32] {
        let n = points.rows
        precondition(k >= 1 && k <= n, "k must be between 1 and the number of rows (\(n)), found \(k)")
        precondition(n < Int(Int32.max), "too many rows for 32-bit neighbour indices")
        precondition(tile >= 1, "tile must be at least 1, found \(tile)")
        var neighbours = [Int32](repeating: 0, count: n * k)
        let chosen = method == .automatic ? Self.method(forFeatureCount: points.columns) : method
        if chosen == .kdTree && _KDTree.isUsable(for: points) {
            let tree = _KDTree(points, bucketSize: bucket)
            neighbours.withUnsafeMutableBufferPointer { out in
                tree.search(k: k, threads: threads, output: _NeighbourOutput(indices: out))
            }
            return neighbours
        }
        let layout = _SpatialLayout(points, leafSize: leaf)
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

/// The neighbour array the searches write; each query writes only its own row.
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
