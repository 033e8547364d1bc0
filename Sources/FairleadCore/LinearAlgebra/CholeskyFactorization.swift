import COpenBLAS

/// The Cholesky factorization A = L·Lᵀ of a symmetric positive-definite matrix, through
/// LAPACK's `dpotrf_`, and solves of A·x = b through `dpotrs_`.
///
/// LAPACK is column-major (the Fortran ABI). A symmetric matrix reads the same in either
/// layout, so the row-major values are handed over as they are; the factor is kept in
/// LAPACK's column-major form and only ever passed back to LAPACK. Right-hand sides held
/// row-major (one column per system) are transposed on the way in and out.
///
///     let factorization = try CholeskyFactorization(gram)   // throws if not SPD
///     let x = factorization.solve(rhs)                      // gram · x = rhs
///
/// Only the lower triangle (column-major view) of A is read; a matrix that is not
/// symmetric is therefore treated as its symmetric lower half.
public struct CholeskyFactorization: Sendable {
    /// The order n of the n × n matrix that was factored.
    public let dimension: Int
    /// The factor as `dpotrf_` left it (column-major, lower triangle).
    private let factor: [Double]
    /// minᵢ Lᵢᵢ² / Aᵢᵢ: the share of each diagonal entry left after removing what the
    /// earlier rows explain. Near machine epsilon, A is singular to working precision even
    /// though the factorization succeeded; callers that need a well-posed solve check it.
    /// 1 for an empty matrix.
    public let minimumPivotRatio: Double

    /// Factors `matrix`, which must be square, symmetric and positive definite.
    ///
    /// - Throws: `FairleadError(.invalidData)` when a value is not finite or the matrix is
    ///   not positive definite (LAPACK's `info > 0`: the leading minor of that order is
    ///   not positive), with `context` prefixed to the message.
    public init(_ matrix: Matrix, context: String = "matrix") throws {
        precondition(matrix.rows == matrix.columns,
                     "Cholesky needs a square matrix, got \(matrix.rows) × \(matrix.columns)")
        dimension = matrix.rows
        if let bad = matrix.values.firstIndex(where: { !$0.isFinite }) {
            let (row, column) = bad.quotientAndRemainder(dividingBy: max(1, matrix.columns))
            throw FairleadError(.invalidData,
                                "\(context) has a non-finite value \(matrix.values[bad]) at (\(row), \(column)); cannot factor it")
        }
        var factor = matrix.values
        guard dimension > 0 else {
            self.factor = factor
            minimumPivotRatio = 1
            return
        }
        var uplo = CChar(UInt8(ascii: "L"))
        var n = BLAS.blasInt(dimension)
        var lda = n
        var info: Int32 = 0
        factor.withUnsafeMutableBufferPointer { ap in
            dpotrf_(&uplo, &n, ap.baseAddress, &lda, &info)
        }
        if info > 0 {
            throw FairleadError(.invalidData,
                                "\(context) (\(dimension) × \(dimension)) is not positive definite: its leading minor of order \(info) is not positive")
        }
        precondition(info == 0, "dpotrf_ rejected argument \(-info)")
        self.factor = factor
        var ratio = 1.0
        for i in 0..<dimension {
            let pivot = factor[i * dimension + i]
            ratio = min(ratio, pivot * pivot / matrix.values[i * dimension + i])
        }
        minimumPivotRatio = ratio
    }

    /// The solution x of A·x = b for one right-hand side.
    public func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == dimension, "solve: A is \(dimension) × \(dimension) but b has \(b.count) elements")
        var x = b
        potrs(&x, rightHandSides: 1)
        return x
    }

    /// The solution X of A·X = B, one column of B per system (B is n × k, row-major).
    public func solve(_ b: Matrix) -> Matrix {
        precondition(b.rows == dimension, "solve: A is \(dimension) × \(dimension) but B has \(b.rows) rows")
        guard b.columns > 0 else { return b }
        // Row-major n × k is column-major k × n; transposing gives the column-major n × k LAPACK wants.
        var columnMajor = b.transposed().values
        potrs(&columnMajor, rightHandSides: b.columns)
        return Matrix(rows: b.columns, columns: dimension, values: columnMajor).transposed()
    }

    /// Overwrites the column-major n × k `values` with the solution of A·X = values.
    private func potrs(_ values: inout [Double], rightHandSides: Int) {
        guard dimension > 0 else { return }
        var uplo = CChar(UInt8(ascii: "L"))
        var n = BLAS.blasInt(dimension)
        var nrhs = BLAS.blasInt(rightHandSides)
        var lda = n
        var ldb = n
        var info: Int32 = 0
        factor.withUnsafeBufferPointer { ap in
            values.withUnsafeMutableBufferPointer { bp in
                dpotrs_(&uplo, &n, &nrhs, ap.baseAddress, &lda, bp.baseAddress, &ldb, &info)
            }
        }
        precondition(info == 0, "dpotrs_ rejected argument \(-info)")
    }
}

extension Matrix {
    /// The solution x of A·x = b for this symmetric positive-definite A (Cholesky).
    ///
    /// - Throws: `FairleadError(.invalidData)` when A is not positive definite.
    public func solvePositiveDefinite(_ b: [Double]) throws -> [Double] {
        try CholeskyFactorization(self).solve(b)
    }
}
