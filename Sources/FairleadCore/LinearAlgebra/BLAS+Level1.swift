import COpenBLAS

extension BLAS {
    /// The dot product Σᵢ xᵢ·yᵢ (`cblas_ddot`); 0 for empty vectors.
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot needs vectors of equal length, got \(x.count) and \(y.count)")
        guard !x.isEmpty else { return 0 }
        return x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                cblas_ddot(blasInt(x.count), xp.baseAddress, 1, yp.baseAddress, 1)
            }
        }
    }

    /// `y ← α·x + y` (`cblas_daxpy`).
    public static func axpy(alpha: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count, "axpy needs vectors of equal length, got \(x.count) and \(y.count)")
        guard !x.isEmpty else { return }
        let count = blasInt(x.count)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                cblas_daxpy(count, alpha, xp.baseAddress, 1, yp.baseAddress, 1)
            }
        }
    }

    /// `x ← α·x` (`cblas_dscal`).
    public static func scal(alpha: Double, _ x: inout [Double]) {
        guard !x.isEmpty else { return }
        let count = blasInt(x.count)
        x.withUnsafeMutableBufferPointer { xp in
            cblas_dscal(count, alpha, xp.baseAddress, 1)
        }
    }
}
