import COpenBLAS

extension BLAS {
    /// `y ← α·op(A)·x + β·y` (`cblas_dgemv`, row-major), op(A) = A or Aᵀ.
    ///
    /// op(A) is m × n, `x` has n elements and `y` has m. When n = 0 the product is zero and
    /// `y` becomes `β·y`; β = 0 overwrites `y` without reading it.
    public static func gemv(
        _ a: Matrix, _ x: [Double], into y: inout [Double],
        alpha: Double = 1, beta: Double = 0, transposeA: Bool = false
    ) {
        let (m, n) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        precondition(x.count == n, "gemv: op(A) is \(m) × \(n) but x has \(x.count) elements")
        precondition(y.count == m, "gemv: op(A) is \(m) × \(n) but y has \(y.count) elements")
        guard m > 0 else { return }
        guard n > 0 else {
            scaleInPlace(&y, by: beta)
            return
        }
        let (rows, columns) = (blasInt(a.rows), blasInt(a.columns))
        a.values.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                                rows, columns, alpha, ap.baseAddress, max(1, columns),
                                xp.baseAddress, 1, beta, yp.baseAddress, 1)
                }
            }
        }
    }
}

extension Matrix {
    /// The matrix–vector product A·x (through `BLAS.gemv`).
    public static func * (lhs: Matrix, rhs: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: lhs.rows)
        BLAS.gemv(lhs, rhs, into: &result)
        return result
    }
}
