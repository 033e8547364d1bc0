/// The constrained weighted least squares at the heart of KernelSHAP, through BLAS (SYRK,
/// GEMV, GEMM) and LAPACK (Cholesky).
///
/// With coalition matrix Z (n × p, 0/1), weights w (Σ w = 1), values y(z) = v(z) − v(∅)
/// and Δ = v(all) − v(∅), it solves min Σᵢ wᵢ (yᵢ − zᵢᵀφ)² subject to 1ᵀφ = Δ:
/// A = Zᵀ W Z, b = Zᵀ W y, u = A⁻¹b, v = A⁻¹1, φ = u − v · (1ᵀu − Δ) / (1ᵀv).
enum KernelSHAPRegression {
    /// φ, and per-feature standard errors for sampled coalitions in complementary pairs.
    ///
    /// The standard error is the delta method's (a sandwich estimate): with
    /// P = A⁻¹ − v vᵀ / (1ᵀv) and, per pair k, rₖ = Σ_{i∈k} m·wᵢ zᵢ (yᵢ − zᵢᵀφ) (m pairs),
    /// φ̂ − φ ≈ (1/m) Σₖ P rₖ, so SEⱼ = sqrt(sample variance of (P rₖ)ⱼ / m).
    ///
    /// - Throws: `FairleadError(.invalidData)` when Zᵀ W Z is singular (too few coalitions).
    static func solve(_ coalitions: KernelSHAPCoalitions, values y: [Double], total delta: Double,
                      features p: Int) throws -> (phi: [Double], standardErrors: [Double]) {
        let n = coalitions.count
        let z = Matrix(rows: n, columns: p, values: coalitions.masks)
        var scaled = z
        var weightedY = y
        for i in 0..<n {
            let root = coalitions.weights[i].squareRoot()
            for j in 0..<p { scaled.values[i * p + j] *= root }
            weightedY[i] *= coalitions.weights[i]
        }
        var a = Matrix(rows: p, columns: p)
        BLAS.syrk(scaled, .transposeTimesSelf, into: &a)
        var b = [Double](repeating: 0, count: p)
        BLAS.gemv(z, weightedY, into: &b, transposeA: true)
        let factorization: CholeskyFactorization
        let hint = " (too few coalitions for \(p) features: use more samples)"
        do {
            factorization = try CholeskyFactorization(a, context: "KernelSHAP's coalition matrix ZᵀWZ")
        } catch let error as FairleadError {
            throw FairleadError(error.kind, error.message + hint)
        }
        // Positive pivots can still hide a matrix that is singular but for rounding.
        guard factorization.minimumPivotRatio > 1e-10 else {
            throw FairleadError(.invalidData, "KernelSHAP's coalition matrix ZᵀWZ (\(p) × \(p)) is singular to working precision" + hint)
        }
        let u = factorization.solve(b)
        let v = factorization.solve([Double](repeating: 1, count: p))
        let sumV = v.reduce(0, +)
        let lambda = (u.reduce(0, +) - delta) / sumV
        let phi = zip(u, v).map { $0 - lambda * $1 }
        guard !coalitions.isExhaustive, n >= 4 else {
            return (phi, [Double](repeating: 0, count: p))
        }

        // Residuals per coalition, then rₖ per complementary pair.
        var residual = y
        BLAS.gemv(z, phi, into: &residual, alpha: -1, beta: 1)
        let pairs = n / 2
        var r = Matrix(rows: pairs, columns: p)
        for k in 0..<pairs {
            for i in [2 * k, 2 * k + 1] {
                let scale = Double(pairs) * coalitions.weights[i] * residual[i]
                for j in 0..<p where coalitions.masks[i * p + j] != 0 { r.values[k * p + j] += scale }
            }
        }
        var projector = factorization.solve(Matrix.identity(p))
        for i in 0..<p {
            for j in 0..<p { projector.values[i * p + j] -= v[i] * v[j] / sumV }
        }
        var influence = Matrix(rows: pairs, columns: p)
        BLAS.gemm(r, projector, into: &influence)
        var standardErrors = [Double](repeating: 0, count: p)
        for j in 0..<p {
            var mean = 0.0
            for k in 0..<pairs { mean += influence.values[k * p + j] }
            mean /= Double(pairs)
            var squares = 0.0
            for k in 0..<pairs {
                let d = influence.values[k * p + j] - mean
                squares += d * d
            }
            standardErrors[j] = (squares / Double(pairs - 1) / Double(pairs)).squareRoot()
        }
        return (phi, standardErrors)
    }
}
