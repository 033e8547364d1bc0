/// The coalitions KernelSHAP evaluates for one row: 0/1 rows of "feature taken from the
/// explained row", with their regression weights, grouped in complementary pairs.
struct KernelSHAPCoalitions {
    /// n × p, row-major: 1 where the feature comes from the explained row.
    var masks: [Double]
    /// One weight per coalition, summing to 1.
    var weights: [Double]
    /// Whether every proper non-empty coalition is present (then the result is exact).
    var isExhaustive: Bool
    /// The number of coalitions n.
    var count: Int { weights.count }

    /// The Shapley kernel weight of a coalition of size s among p features:
    /// (p − 1) / (C(p, s) · s · (p − s)).
    static func kernelWeight(size: Int, features: Int) -> Double {
        Double(features - 1) / (binomial(features, size) * Double(size) * Double(features - size))
    }

    static func binomial(_ n: Int, _ k: Int) -> Double {
        var result = 1.0
        for i in 0..<min(k, n - k) { result = result * Double(n - i) / Double(i + 1) }
        return result
    }

    /// All 2^p − 2 proper non-empty coalitions, weighted by the Shapley kernel.
    static func exhaustive(features p: Int) -> KernelSHAPCoalitions {
        let count = (1 << p) - 2
        var masks = [Double](repeating: 0, count: count * p)
        var weights = [Double](repeating: 0, count: count)
        for index in 0..<count {
            let mask = index + 1
            for j in 0..<p where mask & (1 << j) != 0 { masks[index * p + j] = 1 }
            weights[index] = kernelWeight(size: mask.nonzeroBitCount, features: p)
        }
        let total = weights.reduce(0, +)
        return KernelSHAPCoalitions(masks: masks, weights: weights.map { $0 / total }, isExhaustive: true)
    }

    /// `pairs` coalitions drawn from the Shapley kernel's distribution over sizes
    /// (P(s) ∝ (p − 1) / (s · (p − s))) with a uniform subset of that size, each followed by
    /// its complement (paired sampling, Covert and Lee 2021); all weights equal.
    static func sampled(features p: Int, pairs: Int, using generator: inout SeededGenerator) -> KernelSHAPCoalitions {
        var cumulative: [Double] = []
        var running = 0.0
        for size in 1..<p {
            running += 1 / (Double(size) * Double(p - size))
            cumulative.append(running)
        }
        var masks = [Double](repeating: 0, count: 2 * pairs * p)
        var order = Array(0..<p)
        for pair in 0..<pairs {
            let draw = Double.random(in: 0..<running, using: &generator)
            var size = 1
            while size < p - 1, cumulative[size - 1] <= draw { size += 1 }
            // A uniform subset of the drawn size: the first `size` of a partial shuffle.
            for i in 0..<size {
                let j = Int.random(in: i..<p, using: &generator)
                order.swapAt(i, j)
            }
            let first = 2 * pair * p
            for j in 0..<p { masks[first + p + j] = 1 }
            for i in 0..<size {
                masks[first + order[i]] = 1
                masks[first + p + order[i]] = 0
            }
        }
        let count = 2 * pairs
        return KernelSHAPCoalitions(masks: masks, weights: Array(repeating: 1 / Double(count), count: count),
                                    isExhaustive: false)
    }
}
