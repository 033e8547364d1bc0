/// The interventional coalition game of a `TreeEnsemble` for one explained row, in closed
/// form, so that KernelSHAP can value thousands of coalitions without evaluating the model
/// on coalitions × background synthetic rows.
///
/// For a background row r and a tree, x and r part ways at some splits; the leaf reached
/// by (x_S, r_{∖S}) is the one whose path needs the split features in A from x and those
/// in B from r, A ⊆ S and B ∩ S = ∅ (the walk of `InterventionalTreeSHAP`). Hence
/// v(S) = (1/R) Σ_r Σ_trees f(x_S, r_{∖S}) = Σₖ wₖ · 1[Aₖ ⊆ S, Bₖ ∩ S = ∅] over the
/// distinct (A, B) pairs met, with wₖ the summed leaf values / R. Terms with no condition
/// or a single one are summed per feature rather than listed. Sums are in double (as
/// `TreeEnsemble.exactMargins`). Needs at most 64 features (masks are 64-bit).
struct TreeCoalitionGame {
    /// Aₖ: features that must come from x.
    private(set) var fromX: [UInt64] = []
    /// Bₖ: features that must come from the background.
    private(set) var fromBackground: [UInt64] = []
    /// wₖ.
    private(set) var weight: [Double] = []
    /// The summed weight of leaves reached whatever the coalition (A = B = ∅): where x and
    /// the background row agree all along the path, the common case, kept out of the hash.
    private(set) var constant = 0.0
    /// Per feature j: the weight of terms with A = {j}, B = ∅ (counted when j ∈ S) …
    private(set) var whenIn: [Double] = []
    /// … and with A = ∅, B = {j} (counted when j ∉ S): single disagreements, the next most
    /// common case, summed per feature instead of listed.
    private(set) var whenOut: [Double] = []

    /// The game of `row` (prepared as the ensemble reads it) against `background` (prepared).
    ///
    /// - Throws: `CancellationError` once `cancellation` is cancelled or past its deadline,
    ///   checked before each tree's walks over the background: the game of one row costs
    ///   trees × background rows walks, the larger part of a lead's KernelSHAP time.
    init(model: TreeEnsemble, row: UnsafePointer<Double>, background: Matrix, cancellation: Cancellation? = nil) throws {
        precondition(model.featureNames.count <= 64, "the closed-form tree game needs at most 64 features")
        var index: [Pair: Int] = [:]
        var fromX: [UInt64] = [], fromBackground: [UInt64] = [], weight: [Double] = []
        var constant = 0.0
        var whenIn = [Double](repeating: 0, count: model.featureNames.count)
        var whenOut = [Double](repeating: 0, count: model.featureNames.count)
        let width = background.columns
        let scale = 1 / Double(background.rows)
        // A pending reference side per feature x has taken on the current path, at most one per feature.
        let pending = UnsafeMutablePointer<PendingSide>.allocate(capacity: model.featureNames.count + 1)
        defer { pending.deallocate() }
        try background.withUnsafeBufferPointer { reference in
            guard let reference = reference.baseAddress else { return }
            for tree in model.trees {
                try cancellation?.check()
                tree.nodes.withUnsafeBufferPointer { nodes in
                    for r in 0..<background.rows {
                        Self.collect(tree, nodes, row, reference + r * width, pending: pending) { a, b, value in
                            if a | b == 0 {
                                constant += value * scale
                                return
                            }
                            if b == 0, a.nonzeroBitCount == 1 {
                                whenIn[a.trailingZeroBitCount] += value * scale
                                return
                            }
                            if a == 0, b.nonzeroBitCount == 1 {
                                whenOut[b.trailingZeroBitCount] += value * scale
                                return
                            }
                            let key = Pair(a: a, b: b)
                            if let slot = index[key] {
                                weight[slot] += value * scale
                            } else {
                                index[key] = weight.count
                                fromX.append(a)
                                fromBackground.append(b)
                                weight.append(value * scale)
                            }
                        }
                    }
                }
            }
        }
        self.fromX = fromX
        self.fromBackground = fromBackground
        self.weight = weight
        self.constant = constant
        self.whenIn = whenIn
        self.whenOut = whenOut
    }

    /// The coalition S whose 0/1 membership row is `mask` (p entries), as a bit mask.
    static func coalition(_ mask: UnsafePointer<Double>, features: Int) -> UInt64 {
        var coalition: UInt64 = 0
        for j in 0..<features where mask[j] != 0 { coalition |= 1 << UInt64(j) }
        return coalition
    }

    /// v(S) for the coalition S given as a bit mask.
    func value(of coalition: UInt64) -> Double {
        values(of: coalition).inside
    }

    /// v(S) and v(S̄) (S̄ the complement of S among the features) in one pass: with
    /// t = S ∩ (A ∪ B), a term counts for S when t = A and for S̄ when t = B.
    func values(of coalition: UInt64) -> (inside: Double, outside: Double) {
        var inside = constant
        var outside = constant
        for j in whenIn.indices {
            if coalition & (1 << UInt64(j)) != 0 {
                inside += whenIn[j]
                outside += whenOut[j]
            } else {
                inside += whenOut[j]
                outside += whenIn[j]
            }
        }
        fromX.withUnsafeBufferPointer { a in
            fromBackground.withUnsafeBufferPointer { b in
                weight.withUnsafeBufferPointer { w in
                    // Branch-free, so that the loop vectorizes.
                    for k in 0..<w.count {
                        let touched = coalition & (a[k] | b[k])
                        inside += touched == a[k] ? w[k] : 0
                        outside += touched == b[k] ? w[k] : 0
                    }
                }
            }
        }
        return (inside, outside)
    }

    private struct Pair: Hashable {
        var a: UInt64
        var b: UInt64
    }

    /// A reference side still to walk: its node and the (A, B) of the path down to it.
    private struct PendingSide {
        var node: Int32
        var a: UInt64
        var b: UInt64
    }

    /// Walks one tree for (x, reference), calling `emit(A, B, leaf value)` per leaf reached,
    /// x's side of a parting split before the reference's. A loop over `pending`, not a
    /// recursion, so that a tree as deep as ``TreeEnsemble/maximumTreeDepth`` needs no more
    /// thread stack than a stump; every pending side has a distinct feature of A at the
    /// current node, so `pending` needs at most one entry per feature.
    private static func collect(_ tree: DecisionTree, _ nodes: UnsafeBufferPointer<DecisionTree.Node>,
                                _ x: UnsafePointer<Double>, _ reference: UnsafePointer<Double>,
                                pending: UnsafeMutablePointer<PendingSide>, _ emit: (UInt64, UInt64, Double) -> Void) {
        var index = 0
        var a: UInt64 = 0
        var b: UInt64 = 0
        var pendingCount = 0
        while true {
            let node = nodes[index]
            if node.isLeaf {
                emit(a, b, node.value)
                guard pendingCount > 0 else { return }
                pendingCount -= 1
                index = Int(pending[pendingCount].node)
                a = pending[pendingCount].a
                b = pending[pendingCount].b
                continue
            }
            let feature = Int(node.feature)
            let bit = UInt64(1) << UInt64(feature)
            let xChild = Int(tree.goesLeft(node, x[feature]) ? node.leftChild : node.rightChild)
            if a & bit != 0 {
                index = xChild
                continue
            }
            let referenceChild = Int(tree.goesLeft(node, reference[feature]) ? node.leftChild : node.rightChild)
            if b & bit != 0 || xChild == referenceChild {
                index = referenceChild
                continue
            }
            pending[pendingCount] = PendingSide(node: Int32(referenceChild), a: a, b: b | bit)
            pendingCount += 1
            index = xChild
            a |= bit
        }
    }
}
