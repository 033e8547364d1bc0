import Testing
@testable import FairleadCore
import FairleadTestSupport

@Suite("BLAS levels 1 and 2: dot, axpy, scal, gemv")
struct BLASLevel12Tests {
    @Test(arguments: [0, 1, 2, 7, 100, 1_001])
    func vectorOperationsMatchLoops(count: Int) {
        var generator = SplitMix64(seed: UInt64(count) &+ 99)
        let x = randomVector(count, using: &generator)
        let y0 = randomVector(count, using: &generator)
        var loopDot = 0.0
        for i in 0..<count { loopDot += x[i] * y0[i] }
        #expect(abs(BLAS.dot(x, y0) - loopDot) < 1e-12)

        var y = y0
        BLAS.axpy(alpha: -1.25, x, &y)
        #expect(maxAbsDifference(y, (0..<count).map { -1.25 * x[$0] + y0[$0] }) < 1e-15)

        var scaled = x
        BLAS.scal(alpha: 3, &scaled)
        #expect(scaled == x.map { 3 * $0 })
    }

    @Test func dotOfEmptyVectorsIsZero() {
        #expect(BLAS.dot([], []) == 0)
    }

    @Test(arguments: [(0, 0), (0, 4), (4, 0), (1, 1), (1, 9), (9, 1), (12, 7), (31, 64)], [false, true])
    func gemvMatchesReferenceLoops(shape: (Int, Int), transposeA: Bool) {
        let (rows, columns) = shape
        var generator = SplitMix64(seed: UInt64(rows * 1_000 + columns))
        let a = randomMatrix(rows, columns, using: &generator)
        let (m, n) = transposeA ? (columns, rows) : (rows, columns)
        let x = randomVector(n, using: &generator)
        let y0 = randomVector(m, using: &generator)
        var y = y0
        BLAS.gemv(a, x, into: &y, alpha: 1.5, beta: 0.25, transposeA: transposeA)
        var expected = [Double](repeating: 0, count: m)
        for i in 0..<m {
            var sum = 0.0
            for j in 0..<n { sum += (transposeA ? a[j, i] : a[i, j]) * x[j] }
            expected[i] = 1.5 * sum + 0.25 * y0[i]
        }
        #expect(maxAbsDifference(y, expected) < 1e-12)
    }

    @Test func matrixVectorOperator() {
        let a = Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        #expect(a * [1, 1, 1] == [6, 15])
        #expect(Matrix(rows: 3, columns: 0) * [] == [0, 0, 0])
    }
}
