import COpenBLAS

extension BLAS {
    /// `C ← α·op(A)·op(B) + β·C` (`cblas_dgemm`, row-major), op(X) = X or Xᵀ.
    ///
    /// op(A) is m × k, op(B) is k × n and C is m × n. When k = 0 the product is zero and
    /// C becomes `β·C`; β = 0 overwrites C without reading it.
    public static func gemm(
        _ a: Matrix, _ b: Matrix, into c: inout Matrix,
        alpha: Double = 1, beta: Double = 0,
        transposeA: Bool = false, transposeB: Bool = false
    ) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kB, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kB, "gemm: op(A) is \(m) × \(k) but op(B) is \(kB) × \(n)")
        precondition(c.rows == m && c.columns == n, "gemm: C is \(c.rows) × \(c.columns), expected \(m) × \(n)")
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            scaleInPlace(&c.values, by: beta)
            return
        }
        let (lda, ldb, ldc) = (blasInt(a.columns), blasInt(b.columns), blasInt(c.columns))
        let (mm, nn, kk) = (blasInt(m), blasInt(n), blasInt(k))
        a.values.withUnsafeBufferPointer { ap in
            b.values.withUnsafeBufferPointer { bp in
                c.values.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(CblasRowMajor,
                                transposeA ? CblasTrans : CblasNoTrans,
                                transposeB ? CblasTrans : CblasNoTrans,
                                mm, nn, kk, alpha, ap.baseAddress, lda, bp.baseAddress, ldb,
                                beta, cp.baseAddress, ldc)
                }
            }
        }
    }

    /// `C ← α·Aᵀ·A + β·C` or `C ← α·A·Aᵀ + β·C` (`cblas_dsyrk`, row-major), with both
    /// triangles of C filled.
    ///
    /// BLAS computes the upper triangle only; it is mirrored into the lower one. When
    /// β ≠ 0, C must be symmetric on entry (only its upper triangle is read).
    public static func syrk(
        _ a: Matrix, _ product: SymmetricProduct, into c: inout Matrix,
        alpha: Double = 1, beta: Double = 0
    ) {
        let (n, k) = product == .transposeTimesSelf ? (a.columns, a.rows) : (a.rows, a.columns)
        precondition(c.rows == n && c.columns == n, "syrk: C is \(c.rows) × \(c.columns), expected \(n) × \(n)")
        guard n > 0 else { return }
        if k > 0 {
            let (nn, kk, lda) = (blasInt(n), blasInt(k), blasInt(a.columns))
            a.values.withUnsafeBufferPointer { ap in
                c.values.withUnsafeMutableBufferPointer { cp in
                    cblas_dsyrk(CblasRowMajor, CblasUpper,
                                product == .transposeTimesSelf ? CblasTrans : CblasNoTrans,
                                nn, kk, alpha, ap.baseAddress, lda, beta, cp.baseAddress, nn)
                }
            }
        } else {
            scaleInPlace(&c.values, by: beta)
        }
        c.values.withUnsafeMutableBufferPointer { cp in
            for i in 0..<n {
                for j in (i + 1)..<n { cp[j * n + i] = cp[i * n + j] }
            }
        }
    }
}

extension Matrix {
    /// The matrix product A·B (through `BLAS.gemm`).
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        var result = Matrix(rows: lhs.rows, columns: rhs.columns)
        BLAS.gemm(lhs, rhs, into: &result)
        return result
    }

    /// The Gram matrix of the columns, Aᵀ·A (through `BLAS.syrk`).
    public func gram() -> Matrix {
        var result = Matrix(rows: columns, columns: columns)
        BLAS.syrk(self, .transposeTimesSelf, into: &result)
        return result
    }
}
