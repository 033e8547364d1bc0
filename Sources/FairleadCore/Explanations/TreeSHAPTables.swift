/// Precomputed leaf tables that make path-dependent TreeSHAP cost O(L·k) per tree and row
/// instead of the recursion's O(L·D²) (the idea of Fast TreeSHAP v2, Yang 2021, in a
/// closed form derived for this implementation).
///
/// Seen from one leaf with value v, the path-dependent game is a product game over the
/// k distinct features U on its root path: g(S) = v · Πⱼ∈U (j ∈ S ? oⱼ : zⱼ), where zⱼ is
/// the product of the cover fractions of the path's splits on j and oⱼ is 1 when the row
/// follows all of them. With O = {j : oⱼ = 1}, w(s) = s!(k−1−s)!/k!,
/// G(M) = Σ_{s=0}^{|M|} w(s) · e_{|M|−s}({zⱼ : j ∈ M}) (e_t the elementary symmetric
/// polynomial) and R = v · Πⱼ∉O zⱼ, the leaf's Shapley values are
///
///     φᵢ = R · (1 − zᵢ) · G(O ∖ {i})   for i ∈ O,
///     φᵢ = −R · G(O)                   for i ∉ O.
///
/// v·G is tabulated for all 2^k masks of every leaf; a row then needs one depth-first walk
/// that tracks O as a bit mask (each split's feature has a fixed bit on the path) and k
/// updates per leaf. Trees with a leaf of more than `maximumPathFeatures` distinct path
/// features, or beyond the memory budget, are left to the recursive algorithm.
struct TreeSHAPTables: Sendable {
    /// One tree's tables.
    struct Tree: Sendable {
        /// Per node: the bit of the node's split feature on the path to it.
        var bit: [UInt8]
        /// Per node: the leaf slot of a leaf, −1 for a split.
        var leafSlot: [Int32]
        /// Per leaf slot: the number k of distinct features on its path.
        var pathCount: [Int32]
        /// Per leaf slot: where its features and fractions start in `pathFeature`/`pathZero`.
        var pathStart: [Int32]
        /// Per leaf slot: where its 2^k table entries start in `table`.
        var tableStart: [Int32]
        /// The distinct path features of every leaf, by bit.
        var pathFeature: [Int32]
        /// zⱼ for every leaf and bit.
        var pathZero: [Double]
        /// v · G(M) for every leaf and mask M.
        var table: [Double]
    }

    /// The largest number of distinct features on a leaf's path that gets a table (2^12 entries).
    static let maximumPathFeatures = 12

    /// Tables by tree index; nil for a tree left to the recursive algorithm.
    let trees: [Tree?]

    /// Tables for `model`'s trees, within `budget` table entries in all (8 bytes each).
    init(model: TreeEnsemble, budget: Int = 48_000_000) {
        var used = 0
        var trees: [Tree?] = []
        trees.reserveCapacity(model.trees.count)
        for tree in model.trees {
            guard let built = Self.build(tree, remaining: budget - used) else {
                trees.append(nil)
                continue
            }
            used += built.table.count
            trees.append(built)
        }
        self.trees = trees
    }

    /// Whether any tree has tables.
    var isUseful: Bool { trees.contains { $0 != nil } }

    private static func build(_ tree: DecisionTree, remaining: Int) -> Tree? {
        let nodes = tree.nodes
        var result = Tree(bit: Array(repeating: 0, count: nodes.count), leafSlot: Array(repeating: -1, count: nodes.count),
                          pathCount: [], pathStart: [], tableStart: [], pathFeature: [], pathZero: [], table: [])
        // Depth-first, carrying the distinct features met so far and their cover fractions.
        var stack: [(node: Int, features: [Int32], zero: [Double])] = [(0, [], [])]
        var polynomial: [Double] = []
        while let (index, features, zero) = stack.popLast() {
            let node = nodes[index]
            if node.isLeaf {
                let k = features.count
                guard k <= maximumPathFeatures, result.table.count + (1 << k) <= remaining else { return nil }
                result.leafSlot[index] = Int32(result.pathCount.count)
                result.pathCount.append(Int32(k))
                result.pathStart.append(Int32(result.pathFeature.count))
                result.tableStart.append(Int32(result.table.count))
                result.pathFeature.append(contentsOf: features)
                result.pathZero.append(contentsOf: zero)
                appendTable(value: node.value, zero: zero, into: &result.table, scratch: &polynomial)
                continue
            }
            let position = features.firstIndex(of: node.feature) ?? features.count
            guard position < maximumPathFeatures else { return nil }
            result.bit[index] = UInt8(position)
            for child in [Int(node.rightChild), Int(node.leftChild)] {
                var childFeatures = features
                var childZero = zero
                if position == features.count {
                    childFeatures.append(node.feature)
                    childZero.append(1)
                }
                childZero[position] *= nodes[child].cover / node.cover
                stack.append((child, childFeatures, childZero))
            }
        }
        return result
    }

    /// Appends v · G(M) for all 2^k masks M of a leaf whose path fractions are `zero`.
    private static func appendTable(value: Double, zero: [Double], into table: inout [Double], scratch: inout [Double]) {
        let k = zero.count
        let width = k + 1
        let masks = 1 << k
        // scratch[M * width + t] = e_t({zⱼ : j ∈ M}), built from M without its lowest bit.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: repeatElement(0, count: masks * width))
        scratch[0] = 1
        var shapleyWeight = [Double](repeating: 0, count: max(1, k))
        if k > 0 {
            // w(s) = s!(k−1−s)!/k!, by w(0) = 1/k and w(s+1) = w(s)·(s+1)/(k−1−s).
            shapleyWeight[0] = 1 / Double(k)
            for s in stride(from: 0, to: k - 1, by: 1) {
                shapleyWeight[s + 1] = shapleyWeight[s] * Double(s + 1) / Double(k - 1 - s)
            }
        }
        for mask in 1..<max(1, masks) {
            let lowest = mask.trailingZeroBitCount
            let previous = mask & (mask - 1)
            let z = zero[lowest]
            scratch[mask * width] = 1
            for t in 1..<width {
                scratch[mask * width + t] = scratch[previous * width + t] + z * scratch[previous * width + t - 1]
            }
        }
        for mask in 0..<masks {
            let size = mask.nonzeroBitCount
            guard size < k else {
                // The full mask is never read: every row has some i ∉ O or reads O ∖ {i}.
                table.append(0)
                continue
            }
            var sum = 0.0
            for s in 0...size { sum += shapleyWeight[s] * scratch[mask * width + size - s] }
            table.append(value * sum)
        }
    }
}
