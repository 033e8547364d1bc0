/// Individual fairness as AIF360's `consistency()` (Zemel et al. 2013, *Learning Fair
/// Representations*): how alike the decisions of similar leads are.
///
///     consistency = 1 − (1/n) Σ_i |ŷ_i − (1/k) Σ_{j ∈ N_k(x_i)} ŷ_j|
///
/// N_k(x_i) are the k nearest rows to x_i by Euclidean distance among all n rows, the row
/// itself included (scikit-learn's `kneighbors(X)` on the fitted X, as AIF360 calls it;
/// k = 5 by default, AIF360's `n_neighbors`). AIF360 uses the features as given;
/// Fairlead standardizes them first (``standardized(_:)``) so that no feature's unit
/// decides who is similar, and its goldens pass AIF360 the same standardized features.
/// 1 when every lead is decided as its neighbours are.
///
///     let value = Consistency.value(features: Consistency.standardized(x), decisions: yHat, k: 5, threads: 2)
public enum Consistency {
    /// Each column shifted to mean 0 and scaled to standard deviation 1 (population
    /// standard deviation, ddof = 0, as scikit-learn's `StandardScaler`); a constant
    /// column becomes 0.
    public static func standardized(_ features: Matrix) -> Matrix {
        let n = features.rows, p = features.columns
        guard n > 0 else { return features }
        var values = features.values
        for column in 0..<p {
            var mean = 0.0
            for row in 0..<n { mean += values[row * p + column] }
            mean /= Double(n)
            var variance = 0.0
            for row in 0..<n {
                let d = values[row * p + column] - mean
                variance += d * d
            }
            let deviation = (variance / Double(n)).squareRoot()
            for row in 0..<n {
                values[row * p + column] = deviation > 0 ? (values[row * p + column] - mean) / deviation : 0
            }
        }
        return Matrix(rows: n, columns: p, values: values)
    }

    /// The consistency of `decisions` (one 0/1 — or any number — per row of `features`)
    /// over the `k` nearest neighbours by `features` (``NearestNeighbours``; `method`,
    /// `bucket`, `tile`, `leaf` and `gemmShare` as its search takes them, the value the same
    /// whatever they are).
    public static func value(features: Matrix, decisions: [Double], k: Int = 5, threads: Int,
                             method: NearestNeighbours.Method = .automatic, bucket: Int = NearestNeighbours.defaultBucket,
                             tile: Int = NearestNeighbours.defaultTile, leaf: Int = NearestNeighbours.defaultLeaf,
                             gemmShare: Double = NearestNeighbours.defaultGEMMShare) -> Double {
        precondition(decisions.count == features.rows, "one decision per row")
        let n = features.rows
        guard n > 0 else { return 1 }
        let neighbours = NearestNeighbours.search(features, k: min(k, n), threads: threads, method: method,
                                                 bucket: bucket, tile: tile, leaf: leaf, gemmShare: gemmShare)
        let kk = min(k, n)
        var total = 0.0
        for i in 0..<n {
            var mean = 0.0
            for slot in 0..<kk { mean += decisions[Int(neighbours[i * kk + slot])] }
            total += abs(decisions[i] - mean / Double(kk))
        }
        return 1 - total / Double(n)
    }
}
