import Testing
@testable import FairleadCore

/// ``NearestNeighbours`` against a brute-force search (every distance computed directly,
/// sorted by distance then row index) on inputs the goldens do not cover: many exact ties
/// and duplicates, fewer rows than a tile, more neighbours than distinct points.
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

    /// A seeded generator, so that a failure names a reproducible input.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Points on a 3 × 3 × 3 grid, each about 11 times: every distance is exact, and each
    /// row has more duplicates than the search keeps candidates, so ties decide.
    @Test(arguments: [(1, 1), (2, 7), (1, 64), (2, NearestNeighbours.defaultTile), (3, 512)])
    func tiesGoToTheLowerRowIndex(threads: Int, tile: Int) {
        var generator = SplitMix(state: 7)
        let n = 300
        let values = (0..<(n * 3)).map { _ in Double(Int.random(in: 0...2, using: &generator)) }
        let points = Matrix(rows: n, columns: 3, values: values)
        for k in [1, 5, 12] {
            #expect(NearestNeighbours.search(points, k: k, threads: threads, tile: tile) == Self.bruteForce(points, k: k),
                    "k = \(k), tile \(tile), \(threads) threads")
        }
    }

    /// Continuous features on different scales, as the benchmark's.
    @Test(arguments: [(1, 5), (2, 33), (2, NearestNeighbours.defaultTile)])
    func continuousFeaturesMatchBruteForce(threads: Int, tile: Int) {
        var generator = SplitMix(state: 11)
        let n = 700, p = 8
        let scales = (0..<p).map { Double($0 * 3 + 1) }
        var values: [Double] = []
        for index in 0..<(n * p) { values.append(Double.random(in: -1...1, using: &generator) * scales[index % p]) }
        let points = Matrix(rows: n, columns: p, values: values)
        #expect(NearestNeighbours.search(points, k: 5, threads: threads, tile: tile) == Self.bruteForce(points, k: 5))
    }

    /// k equal to n: every row, nearest first; and a single row.
    @Test func everyRowAsNeighbour() {
        let points = Matrix(rows: 4, columns: 2, values: [0, 0, 3, 4, 0, 0, 1, 1])
        #expect(NearestNeighbours.search(points, k: 4, threads: 2, tile: 3) == Self.bruteForce(points, k: 4))
        #expect(NearestNeighbours.search(Matrix(rows: 1, columns: 2, values: [5, 5]), k: 1, threads: 1) == [0])
    }

    /// No features: every row is at distance 0 from every other, so the lowest indices win.
    @Test func noFeatures() {
        let points = Matrix(rows: 6, columns: 0, values: [])
        #expect(NearestNeighbours.search(points, k: 2, threads: 2, tile: 4) == Self.bruteForce(points, k: 2))
    }
}
