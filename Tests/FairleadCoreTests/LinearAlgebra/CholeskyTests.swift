import Testing
@testable import FairleadCore
import FairleadTestSupport

@Suite("Cholesky solve")
struct CholeskyTests {
    /// A random SPD matrix: Bᵀ·B + n·I.
    func randomSPD(_ n: Int, using generator: inout SplitMix64) -> Matrix {
        let b = randomMatrix(n + 3, n, using: &generator)
        var a = referenceProduct(b, b, transposeA: true)
        for i in 0..<n { a[i, i] += Double(n) * 0.1 }
        return a
    }

    @Test(arguments: [1, 2, 3, 8, 25, 60])
    func solvesRandomSPDSystems(n: Int) throws {
        var generator = SplitMix64(seed: UInt64(n) &* 7_919)
        let a = randomSPD(n, using: &generator)
        let b = randomVector(n, using: &generator)
        let x = try CholeskyFactorization(a).solve(b)
        let residual = maxAbsDifference(referenceProduct(a, Matrix(rows: n, columns: 1, values: x)).values, b)
        #expect(residual < 1e-10)
        #expect(try a.solvePositiveDefinite(b) == x)
    }

    @Test(arguments: [(4, 3), (6, 1), (5, 0)])
    func solvesSeveralRightHandSides(n: Int, k: Int) throws {
        var generator = SplitMix64(seed: UInt64(n * 10 + k))
        let a = randomSPD(n, using: &generator)
        let b = randomMatrix(n, k, using: &generator)
        let x = try CholeskyFactorization(a).solve(b)
        #expect(x.rows == n && x.columns == k)
        #expect(maxAbsDifference(referenceProduct(a, x).values, b.values) < 1e-10)
        for column in 0..<k {
            let single = try CholeskyFactorization(a).solve(b.column(column))
            #expect(maxAbsDifference(single, x.column(column)) < 1e-12)
        }
    }

    @Test func knownSmallSystem() throws {
        // [[4, 2], [2, 3]] x = [2, 1] has x = [0.5, 0].
        let a = Matrix(rows: 2, columns: 2, values: [4, 2, 2, 3])
        let x = try CholeskyFactorization(a).solve([2, 1])
        #expect(abs(x[0] - 0.5) < 1e-15 && abs(x[1]) < 1e-15)
    }

    @Test func pivotRatioFlagsNumericallySingularMatrices() throws {
        // [[4, 2], [2, 3]]: L = [[2, 0], [1, √2]], so the ratios are 4/4 and 2/3.
        let wellPosed = try CholeskyFactorization(Matrix(rows: 2, columns: 2, values: [4, 2, 2, 3]))
        #expect(abs(wellPosed.minimumPivotRatio - 2.0 / 3) < 1e-15)
        // Singular but for rounding: x·xᵀ with x = (1, 1/3, …) plus 1e-14 on the diagonal.
        let x = (1...6).map { 1 / Double($0) }
        var almost = Matrix(rows: 6, columns: 6, values: x.flatMap { a in x.map { a * $0 } })
        for i in 0..<6 { almost[i, i] += 1e-14 }
        let factorization = try CholeskyFactorization(almost)
        #expect(factorization.minimumPivotRatio < 1e-10)
    }

    @Test func emptySystem() throws {
        let factorization = try CholeskyFactorization(Matrix(rows: 0, columns: 0))
        #expect(factorization.dimension == 0)
        #expect(factorization.solve([]) == [])
    }

    @Test func indefiniteMatrixThrows() {
        // Eigenvalues 3 and -1: symmetric but not positive definite.
        let a = Matrix(rows: 2, columns: 2, values: [1, 2, 2, 1])
        #expect {
            try CholeskyFactorization(a, context: "weighted Gram matrix")
        } throws: { error in
            guard let error = error as? FairleadError else { return false }
            return error.kind == .invalidData
                && error.message == "weighted Gram matrix (2 × 2) is not positive definite: its leading minor of order 2 is not positive"
        }
    }

    @Test func singularMatrixThrows() {
        let a = Matrix(rows: 3, columns: 3, values: [1, 1, 0, 1, 1, 0, 0, 0, 1])
        #expect(throws: FairleadError.self) { try CholeskyFactorization(a) }
    }

    @Test func nonFiniteValueThrows() {
        let a = Matrix(rows: 2, columns: 2, values: [1, .nan, .nan, 1])
        #expect {
            try CholeskyFactorization(a)
        } throws: { error in
            (error as? FairleadError)?.message == "matrix has a non-finite value nan at (0, 1); cannot factor it"
        }
    }
}
