import Testing
@testable import FairleadCore
import FairleadTestSupport

/// ``NearestNeighbours`` against a brute-force search (every distance computed directly,
/// sorted by distance then row index) on inputs the goldens do not cover: many exact ties
/// and duplicates, fewer rows than a tile or a bucket, more neighbours than distinct
/// points, every mix of GEMM and direct scans, leaf and bucket sizes from 1 up, sets large
/// enough for the k-d pruning to skip most leaves, and wide rows — by both searches.
@Suite struct NearestNeighboursTests {
    static func bruteForce(_ points: Matrix, k: Int) -> [Int32] {
        let n = points.rows, p = points.columns
        var result: [Int32] = []
        for i in 0..<n {
            var order: [(distance: Double, index: Int)] = []
            for j in 0..<n {
                var sum = 0.0
                for c in 0..<p {
                    let d: Double = points[i, c] - points[j, c]
                    sum += d * d
                }
                order.append((sum, j))
            }
            order.sort { lhs, rhs in lhs.distance != rhs.distance ? lhs.distance < rhs.distance : lhs.index < rhs.index }
            for entry in order.prefix(k) { result.append(Int32(entry.index)) }
        }
        return result
    }

    /// As ``bruteForce(_:k:)``, keeping only the k best of each row (for the larger sets).
    static func bruteForceTopK(_ points: Matrix, k: Int) -> [Int32] {
        let n = points.rows, p = points.columns
        var result: [Int32] = []
        result.reserveCapacity(n * k)
        points.values.withUnsafeBufferPointer { x in
            for i in 0..<n {
                var best: [(distance: Double, index: Int)] = []
                for j in 0..<n {
                    var sum = 0.0
                    for c in 0..<p {
                        let d = x[i * p + c] - x[j * p + c]
                        sum += d * d
                    }
                    if best.count == k, let last = best.last, (last.distance, last.index) < (sum, j) { continue }
                    let position = best.firstIndex { ($0.distance, $0.index) > (sum, j) } ?? best.count
                    best.insert((sum, j), at: position)
                    if best.count > k { best.removeLast() }
                }
                for entry in best { result.append(Int32(entry.index)) }
            }
        }
        return result
    }

    /// Points on a 3 × 3 × 3 grid, each about 11 times: every distance is exact, and each
    /// row has more duplicates than the search keeps candidates, so ties decide.
    /// `size` is the tile for the GEMM tiles and the bucket for the k-d tree.
    @Test(arguments: [NearestNeighbours.Method.kdTree, .gemmTiles],
          [(1, 1), (2, 7), (1, 64), (2, NearestNeighbours.defaultTile), (3, 512), (2, NearestNeighbours.defaultBucket)])
    func tiesGoToTheLowerRowIndex(method: NearestNeighbours.Method, sizes: (Int, Int)) {
        let (threads, size) = sizes
        var generator = SplitMix64(seed: 7)
        let n = 300
        let values = (0..<(n * 3)).map { _ in Double(Int.random(in: 0...2, using: &generator)) }
        let points = Matrix(rows: n, columns: 3, values: values)
        for k in [1, 5, 12] {
            #expect(NearestNeighbours.search(points, k: k, threads: threads, method: method, bucket: size, tile: size)
                        == Self.bruteForce(points, k: k),
                    "k = \(k), \(method), size \(size), \(threads) threads")
        }
    }

    /// Continuous features on different scales, as the benchmark's.
    @Test(arguments: [NearestNeighbours.Method.kdTree, .gemmTiles],
          [(1, 5), (2, 33), (2, NearestNeighbours.defaultTile), (2, NearestNeighbours.defaultBucket)])
    func continuousFeaturesMatchBruteForce(method: NearestNeighbours.Method, sizes: (Int, Int)) {
        let (threads, size) = sizes
        var generator = SplitMix64(seed: 11)
        let n = 700, p = 8
        let scales = (0..<p).map { Double($0 * 3 + 1) }
        var values: [Double] = []
        for index in 0..<(n * p) { values.append(Double.random(in: -1...1, using: &generator) * scales[index % p]) }
        let points = Matrix(rows: n, columns: p, values: values)
        #expect(NearestNeighbours.search(points, k: 5, threads: threads, method: method, bucket: size, tile: size)
                    == Self.bruteForce(points, k: 5))
    }

    /// Rows that repeat earlier rows, rows on a coarse grid and continuous rows, for several
    /// n, p and k, through GEMM only (share 0), direct scans only (share 2) and the mix, and
    /// through the k-d tree with buckets of the leaf's size.
    @Test(arguments: [(0.0, 1, 1), (0.0, 7, 3), (2.0, 16, 5), (2.0, 64, 32), (0.5, 33, 8), (0.0, 128, 100),
                      (0.5, NearestNeighbours.defaultTile, NearestNeighbours.defaultLeaf)])
    func everyScanMatchesBruteForce(gemmShare: Double, tile: Int, leaf: Int) {
        var generator = SplitMix64(seed: 23)
        for (n, p) in [(1, 3), (9, 1), (250, 2), (400, 5), (300, 9), (200, 8)] {
            var values: [Double] = []
            for row in 0..<n {
                if row > 0 && Bool.random(using: &generator) {
                    let source = Int.random(in: 0..<row, using: &generator)
                    values += values[(source * p)..<(source * p + p)]
                } else if row % 3 == 0 {
                    for _ in 0..<p { values.append(Double(Int.random(in: 0...3, using: &generator))) }
                } else {
                    for _ in 0..<p { values.append(Double.random(in: -2...2, using: &generator)) }
                }
            }
            let points = Matrix(rows: n, columns: p, values: values)
            for k in Set([1, min(n, 5), min(n, 13)]).sorted() {
                let expected = Self.bruteForce(points, k: k)
                let found = NearestNeighbours.search(points, k: k, threads: 2, method: .gemmTiles, tile: tile, leaf: leaf,
                                                     gemmShare: gemmShare)
                #expect(found == expected, "n = \(n), p = \(p), k = \(k), tile \(tile), leaf \(leaf), share \(gemmShare)")
                let tree = NearestNeighbours.search(points, k: k, threads: 2, method: .kdTree, bucket: leaf)
                #expect(tree == expected, "n = \(n), p = \(p), k = \(k), k-d tree, bucket \(leaf)")
            }
        }
    }

    /// Clustered rows in 3 and 8 dimensions, 3,000 of them: most leaves are skipped, and
    /// the result is still the brute-force one.
    @Test(arguments: [3, 8])
    func prunedSearchMatchesBruteForce(p: Int) {
        var generator = SplitMix64(seed: 31)
        let n = 3_000
        let centres = (0..<(12 * p)).map { _ in Double.random(in: -10...10, using: &generator) }
        var values: [Double] = []
        for _ in 0..<n {
            let centre = Int.random(in: 0..<12, using: &generator)
            for c in 0..<p {
                // Sum of uniforms: roughly normal around the centre; rounded to make ties.
                let noise = (0..<4).reduce(0.0) { sum, _ in sum + Double.random(in: -0.5...0.5, using: &generator) }
                values.append(((centres[centre * p + c] + noise) * 64).rounded() / 64)
            }
        }
        let points = Matrix(rows: n, columns: p, values: values)
        let expected = Self.bruteForceTopK(points, k: 5)
        for (threads, share) in [(1, 0.5), (2, 0.0), (2, 2.0)] {
            #expect(NearestNeighbours.search(points, k: 5, threads: threads, method: .gemmTiles, gemmShare: share) == expected,
                    "p = \(p), \(threads) threads, share \(share)")
        }
        for (threads, bucket) in [(1, NearestNeighbours.defaultBucket), (2, 1), (2, 5), (2, 32)] {
            #expect(NearestNeighbours.search(points, k: 5, threads: threads, method: .kdTree, bucket: bucket) == expected,
                    "p = \(p), \(threads) threads, k-d tree, bucket \(bucket)")
        }
    }

    /// Rows wider than the k-d tree's limit, where ``NearestNeighbours/Method/automatic``
    /// takes the GEMM tiles: both searches still give the brute-force result.
    @Test(arguments: [NearestNeighbours.treeFeatureLimit + 1, 40])
    func wideRowsMatchBruteForce(p: Int) {
        var generator = SplitMix64(seed: 43)
        let n = 600
        let values = (0..<(n * p)).map { index in
            index % 7 == 0 ? Double(Int.random(in: 0...1, using: &generator)) : Double.random(in: -1...1, using: &generator)
        }
        let points = Matrix(rows: n, columns: p, values: values)
        #expect(NearestNeighbours.method(forFeatureCount: p) == .gemmTiles)
        #expect(NearestNeighbours.method(forFeatureCount: 8) == .kdTree)
        let expected = Self.bruteForceTopK(points, k: 5)
        for method in NearestNeighbours.Method.allCases {
            #expect(NearestNeighbours.search(points, k: 5, threads: 2, method: method) == expected, "p = \(p), \(method)")
        }
    }

    /// Distances that differ in their last bits, far below the k-d tree's single-precision
    /// screen, and exact duplicates among them: the exact distances still decide, as brute
    /// force does.
    @Test(arguments: [1, 8, NearestNeighbours.defaultBucket])
    func nearlyTiedDistancesMatchBruteForce(bucket: Int) {
        var generator = SplitMix64(seed: 59)
        let n = 500, p = 4
        var values: [Double] = []
        for row in 0..<n {
            if row > 0 && row % 5 == 0 {
                let source = Int.random(in: 0..<row, using: &generator)
                values += values[(source * p)..<(source * p + p)]
            } else {
                for _ in 0..<p { values.append(1 + Double(Int.random(in: 0...3, using: &generator)) * 1e-9 + Double(Int.random(in: 0...1, using: &generator)) * 0x1p-50) }
            }
        }
        let points = Matrix(rows: n, columns: p, values: values)
        #expect(NearestNeighbours.search(points, k: 7, threads: 2, method: .kdTree, bucket: bucket) == Self.bruteForceTopK(points, k: 7))
    }

    /// Coordinates beyond the k-d tree's single-precision range (and a NaN-free set
    /// otherwise the tree's): the search still finds the brute-force neighbours.
    @Test func hugeCoordinatesMatchBruteForce() {
        var generator = SplitMix64(seed: 61)
        let n = 300, p = 3
        let values = (0..<(n * p)).map { _ in Double(Int.random(in: -4...4, using: &generator)) * 1e16 }
        let points = Matrix(rows: n, columns: p, values: values)
        #expect(!_KDTree.isUsable(for: points))
        for method in NearestNeighbours.Method.allCases {
            #expect(NearestNeighbours.search(points, k: 5, threads: 2, method: method) == Self.bruteForceTopK(points, k: 5), "\(method)")
        }
    }

    /// k equal to n: every row, nearest first; and a single row.
    @Test(arguments: NearestNeighbours.Method.allCases)
    func everyRowAsNeighbour(method: NearestNeighbours.Method) {
        let points = Matrix(rows: 4, columns: 2, values: [0, 0, 3, 4, 0, 0, 1, 1])
        for bucket in [1, 3] {
            #expect(NearestNeighbours.search(points, k: 4, threads: 2, method: method, bucket: bucket, tile: 3)
                        == Self.bruteForce(points, k: 4))
        }
        #expect(NearestNeighbours.search(Matrix(rows: 1, columns: 2, values: [5, 5]), k: 1, threads: 1, method: method) == [0])
    }

    /// No features: every row is at distance 0 from every other, so the lowest indices win.
    @Test(arguments: NearestNeighbours.Method.allCases)
    func noFeatures(method: NearestNeighbours.Method) {
        let points = Matrix(rows: 6, columns: 0, values: [])
        for bucket in [1, 4] {
            #expect(NearestNeighbours.search(points, k: 2, threads: 2, method: method, bucket: bucket, tile: 4)
                        == Self.bruteForce(points, k: 2))
        }
    }
}
