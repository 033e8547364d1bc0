import Foundation

/// An L2-regularized logistic regression fitted by Newton's method (IRLS) with BLAS and a
/// Cholesky solve: the multivariate proxy check's model of a group indicator.
///
/// It minimizes Σᵢ [log(1 + e^{ηᵢ}) − yᵢηᵢ] + (λ/2)‖w‖², ηᵢ = b + xᵢ·w, the intercept b
/// not penalized — scikit-learn's `LogisticRegression(C = 1/λ)` with its Newton solvers.
/// Each step forms the gradient Xᵀ(μ − y) + λw (GEMV) and the Hessian Xᵀ diag(μ(1−μ)) X + λI
/// (rows scaled by √(μ(1−μ)), then SYRK), solves H·Δ = g by Cholesky (`dpotrf`/`dpotrs`)
/// and halves the step while the objective does not fall. It stops when every |Δ| is
/// below 1e-10 (at most 100 steps).
///
///     let fit = try RegularizedLogisticRegression(features: z, labels: y, l2: 1)
///     let logits = fit.linearPredictor(zTest)
public struct RegularizedLogisticRegression: Sendable {
    /// The intercept b.
    public let intercept: Double
    /// The weights w, one per feature column.
    public let weights: [Double]
    /// Newton steps taken.
    public let iterations: Int

    /// Fits `labels` (0 or 1) on `features` (n × p) with penalty `l2` (λ > 0).
    ///
    /// - Throws: `FairleadError(.invalidData)` when the Hessian is not positive definite
    ///   (only possible for λ = 0 with separable data) or a value is not finite.
    public init(features: Matrix, labels: [Double], l2: Double, maximumIterations: Int = 100) throws {
        precondition(features.rows == labels.count, "one label per row")
        precondition(l2 > 0, "the L2 penalty must be positive")
        let (n, p) = (features.rows, features.columns)
        // The design with a leading column of ones for the intercept.
        var design = Matrix(rows: n, columns: p + 1)
        design.withUnsafeMutableBufferPointer { output in
            features.withUnsafeBufferPointer { input in
                for row in 0..<n {
                    output[row * (p + 1)] = 1
                    for column in 0..<p { output[row * (p + 1) + 1 + column] = input[row * p + column] }
                }
            }
        }
        var beta = [Double](repeating: 0, count: p + 1)
        func objective(_ beta: [Double]) -> Double {
            var eta = [Double](repeating: 0, count: n)
            BLAS.gemv(design, beta, into: &eta)
            var loss = 0.0
            for (value, label) in zip(eta, labels) {
                loss += (value > 0 ? value + log1p(exp(-value)) : log1p(exp(value))) - label * value
            }
            var penalty = 0.0
            for index in 1...p where p > 0 { penalty += beta[index] * beta[index] }
            return loss + l2 / 2 * penalty
        }
        var current = objective(beta)
        var iterations = 0
        var scaled = Matrix(rows: n, columns: p + 1)
        var hessian = Matrix(rows: p + 1, columns: p + 1)
        while iterations < maximumIterations {
            iterations += 1
            var eta = [Double](repeating: 0, count: n)
            BLAS.gemv(design, beta, into: &eta)
            var residual = [Double](repeating: 0, count: n)
            scaled.withUnsafeMutableBufferPointer { output in
                design.withUnsafeBufferPointer { input in
                    for row in 0..<n {
                        let mu = 1 / (1 + exp(-eta[row]))
                        residual[row] = mu - labels[row]
                        let root = (mu * (1 - mu)).squareRoot()
                        for column in 0...p { output[row * (p + 1) + column] = input[row * (p + 1) + column] * root }
                    }
                }
            }
            var gradient = [Double](repeating: 0, count: p + 1)
            BLAS.gemv(design, residual, into: &gradient, transposeA: true)
            BLAS.syrk(scaled, .transposeTimesSelf, into: &hessian)
            hessian.withUnsafeMutableBufferPointer { h in
                for index in 1..<(p + 1) { h[index * (p + 1) + index] += l2 }
            }
            for index in 1..<(p + 1) { gradient[index] += l2 * beta[index] }
            let step = try CholeskyFactorization(hessian, context: "the logistic regression's Hessian").solve(gradient)
            var length = 1.0
            var candidate = beta
            var value = current
            for _ in 0..<30 {
                candidate = zip(beta, step).map { $0 - length * $1 }
                value = objective(candidate)
                if value <= current { break }
                length /= 2
            }
            let change = step.reduce(0) { max($0, abs($1)) } * length
            beta = candidate
            current = value
            if change < 1e-10 { break }
        }
        intercept = beta[0]
        weights = Array(beta.dropFirst())
        self.iterations = iterations
    }

    /// b + X·w for every row of `features`: the log-odds of the positive class.
    public func linearPredictor(_ features: Matrix) -> [Double] {
        var result = [Double](repeating: intercept, count: features.rows)
        BLAS.gemv(features, weights, into: &result, beta: 1)
        return result
    }
}
