import Testing
@testable import FairleadCore
import FairleadTestSupport

@Suite("BLAS level 3: gemm and syrk")
struct BLASLevel3Tests {
    @Test(arguments: productShapes, [false, true])
    func gemmMatchesReferenceLoops(shape: (Int, Int, Int), transpose: Bool) {
        let (m, n, k) = shape
        var generator = SplitMix64(seed: UInt64(m * 10_000 + n * 100 + k))
        for (transposeA, transposeB) in [(false, transpose), (true, !transpose)] {
            let a = transposeA ? randomMatrix(k, m, using: &generator) : randomMatrix(m, k, using: &generator)
            let b = transposeB ? randomMatrix(n, k, using: &generator) : randomMatrix(k, n, using: &generator)
            let c0 = randomMatrix(m, n, using: &generator)
            var c = c0
            BLAS.gemm(a, b, into: &c, alpha: 0.75, beta: -0.5, transposeA: transposeA, transposeB: transposeB)
            let product = referenceProduct(a, b, transposeA: transposeA, transposeB: transposeB)
            let expected = zip(product.values, c0.values).map { 0.75 * $0 - 0.5 * $1 }
            #expect(c.rows == m && c.columns == n)
            #expect(maxAbsDifference(c.values, expected) < 1e-12)
        }
    }

    @Test func gemmWithBetaZeroIgnoresNaNInOutput() {
        let a = Matrix(rows: 2, columns: 2, values: [1, 2, 3, 4])
        var c = Matrix(rows: 2, columns: 2, repeating: .nan)
        BLAS.gemm(a, Matrix.identity(2), into: &c)
        #expect(c.values == [1, 2, 3, 4])
        var empty = Matrix(rows: 2, columns: 2, repeating: .nan)
        BLAS.gemm(Matrix(rows: 2, columns: 0), Matrix(rows: 0, columns: 2), into: &empty)
        #expect(empty.values == [0, 0, 0, 0])
    }

    @Test func productOperator() {
        let a = Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        let b = Matrix(rows: 3, columns: 1, values: [1, 0, -1])
        #expect((a * b).values == [-2, -2])
    }

    @Test(arguments: [(0, 0), (0, 5), (5, 0), (1, 6), (6, 1), (1, 1), (13, 7), (40, 25)],
          [BLAS.SymmetricProduct.transposeTimesSelf, .selfTimesTranspose])
    func syrkFillsBothTriangles(shape: (Int, Int), product: BLAS.SymmetricProduct) {
        let (rows, columns) = shape
        var generator = SplitMix64(seed: UInt64(rows * 100 + columns))
        let a = randomMatrix(rows, columns, using: &generator)
        let transposeFirst = product == .transposeTimesSelf
        let gram = referenceProduct(a, a, transposeA: transposeFirst, transposeB: !transposeFirst)
        // A symmetric starting C, so that β·C is well defined on both triangles.
        let seedMatrix = randomMatrix(gram.rows, gram.columns, using: &generator)
        let c0 = referenceProduct(seedMatrix, seedMatrix, transposeB: true)
        var c = c0
        BLAS.syrk(a, product, into: &c, alpha: 2, beta: 0.5)
        let expected = zip(gram.values, c0.values).map { 2 * $0 + 0.5 * $1 }
        #expect(c.rows == gram.rows && c.columns == gram.columns)
        #expect(maxAbsDifference(c.values, expected) < 1e-12)
        #expect(c == c.transposed())
    }

    @Test func gramIsTransposeTimesSelf() {
        let a = Matrix(rows: 3, columns: 2, values: [1, 2, 3, 4, 5, 6])
        #expect(a.gram().values == [35, 44, 44, 56])
    }
}
