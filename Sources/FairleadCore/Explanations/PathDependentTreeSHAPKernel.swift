/// The path-dependent TreeSHAP algorithm of Lundberg, Erion and Lee (2018, "Consistent
/// individualized feature attribution for tree ensembles", Algorithm 2) for one tree and
/// one row, over preallocated path buffers.
///
/// The path holds, for each distinct feature split on between the root and the current
/// node, the fraction of training cover that flows along the path when the feature is
/// unknown (`zero`) and whether the row itself follows it (`one`), plus the permutation
/// weights (`weight`) of subsets of each size. Each level works on a copy of its parent's
/// path placed right after it, so the buffers need (D + 2)(D + 3) / 2 entries for a tree of
/// depth D. The paper's recursion runs as a loop over a stack of pending visits (each
/// level's path stays intact in its own slot while its hot child's subtree is walked), so
/// a tree as deep as ``TreeEnsemble/maximumTreeDepth`` needs no more thread stack than a
/// stump; the visits and their arithmetic come in the recursion's order.
struct PathDependentTreeSHAPKernel {
    /// A child waiting to be visited, with what its parent passes down: the parent's
    /// path length (after any unwinding) plus one, the parent's slot, and the fractions and
    /// feature of the path element the child adds.
    struct PendingVisit {
        var node: Int32
        var depth: Int32
        var parentOffset: Int32
        var parentFeature: Int32
        var parentZero: Double
        var parentOne: Double
    }

    /// One thread's buffers for walking trees of depth at most `depth`.
    struct Workspace {
        let feature: UnsafeMutablePointer<Int32>
        let zero: UnsafeMutablePointer<Double>
        let one: UnsafeMutablePointer<Double>
        let weight: UnsafeMutablePointer<Double>
        /// At most one pending (cold) child per level of the current path, plus the hot one.
        let pending: UnsafeMutablePointer<PendingVisit>

        init(depth: Int) {
            let size = PathDependentTreeSHAPKernel.bufferSize(depth: depth)
            feature = .allocate(capacity: size)
            zero = .allocate(capacity: size)
            one = .allocate(capacity: size)
            weight = .allocate(capacity: size)
            pending = .allocate(capacity: depth + 2)
        }

        func deallocate() {
            feature.deallocate()
            zero.deallocate()
            one.deallocate()
            weight.deallocate()
            pending.deallocate()
        }
    }

    let nodes: UnsafePointer<DecisionTree.Node>
    let tree: DecisionTree
    let row: UnsafePointer<Double>
    let phi: UnsafeMutablePointer<Double>
    let feature: UnsafeMutablePointer<Int32>
    let zero: UnsafeMutablePointer<Double>
    let one: UnsafeMutablePointer<Double>
    let weight: UnsafeMutablePointer<Double>
    let pending: UnsafeMutablePointer<PendingVisit>

    init(nodes: UnsafePointer<DecisionTree.Node>, tree: DecisionTree, row: UnsafePointer<Double>,
         phi: UnsafeMutablePointer<Double>, workspace: Workspace) {
        self.nodes = nodes
        self.tree = tree
        self.row = row
        self.phi = phi
        feature = workspace.feature
        zero = workspace.zero
        one = workspace.one
        weight = workspace.weight
        pending = workspace.pending
    }

    /// Path buffer entries needed for a tree of depth `depth`.
    static func bufferSize(depth: Int) -> Int { (depth + 2) * (depth + 3) / 2 }

    /// Adds the tree's attributions for `row` to `phi`.
    func run() {
        if nodes[0].isLeaf { return }
        pending[0] = PendingVisit(node: 0, depth: 0, parentOffset: 0, parentFeature: -1, parentZero: 1, parentOne: 1)
        var pendingCount = 1
        while pendingCount > 0 {
            pendingCount -= 1
            let visit = pending[pendingCount]
            var depth = Int(visit.depth)
            let parentOffset = Int(visit.parentOffset)
            let offset = parentOffset + depth + 1
            // Copy the parent's path (depth entries) into this level's slot, then extend it.
            if depth > 0 {
                (feature + offset).update(from: feature + parentOffset, count: depth)
                (zero + offset).update(from: zero + parentOffset, count: depth)
                (one + offset).update(from: one + parentOffset, count: depth)
                (weight + offset).update(from: weight + parentOffset, count: depth)
            }
            extend(offset, depth, visit.parentZero, visit.parentOne, visit.parentFeature)

            let node = nodes[Int(visit.node)]
            if node.isLeaf {
                var i = 1
                while i <= depth {
                    let scale = unwoundSum(offset, depth, i)
                    phi[Int(feature[offset + i])] += scale * (one[offset + i] - zero[offset + i]) * node.value
                    i += 1
                }
                continue
            }
            let goesLeft = tree.goesLeft(node, row[Int(node.feature)])
            let hot = goesLeft ? node.leftChild : node.rightChild
            let cold = goesLeft ? node.rightChild : node.leftChild
            let hotZero = nodes[Int(hot)].cover / node.cover
            let coldZero = nodes[Int(cold)].cover / node.cover

            var incomingZero = 1.0
            var incomingOne = 1.0
            // A feature split on again: undo its earlier extension and carry its fractions.
            var pathIndex = 0
            while pathIndex <= depth, feature[offset + pathIndex] != node.feature { pathIndex += 1 }
            if pathIndex <= depth {
                incomingZero = zero[offset + pathIndex]
                incomingOne = one[offset + pathIndex]
                unwind(offset, depth, pathIndex)
                depth -= 1
            }
            // The cold child waits under the hot one, so the hot subtree is walked first; it
            // writes only past this level's slot, which the cold child then copies intact.
            // A branch with zero and one fractions both 0 contributes nothing (and would divide by 0).
            if coldZero * incomingZero > 0 {
                pending[pendingCount] = PendingVisit(node: cold, depth: Int32(depth + 1), parentOffset: Int32(offset),
                                                     parentFeature: node.feature, parentZero: coldZero * incomingZero,
                                                     parentOne: 0)
                pendingCount += 1
            }
            if hotZero * incomingZero > 0 || incomingOne > 0 {
                pending[pendingCount] = PendingVisit(node: hot, depth: Int32(depth + 1), parentOffset: Int32(offset),
                                                     parentFeature: node.feature, parentZero: hotZero * incomingZero,
                                                     parentOne: incomingOne)
                pendingCount += 1
            }
        }
    }

    /// Adds a path element (fractions `zeroFraction`, `oneFraction`) at position `depth`
    /// and updates the permutation weights.
    @inline(__always)
    private func extend(_ offset: Int, _ depth: Int, _ zeroFraction: Double, _ oneFraction: Double, _ featureIndex: Int32) {
        feature[offset + depth] = featureIndex
        zero[offset + depth] = zeroFraction
        one[offset + depth] = oneFraction
        weight[offset + depth] = depth == 0 ? 1 : 0
        let scale = 1 / Double(depth + 1)
        var i = depth - 1
        while i >= 0 {
            weight[offset + i + 1] += oneFraction * weight[offset + i] * Double(i + 1) * scale
            weight[offset + i] = zeroFraction * weight[offset + i] * Double(depth - i) * scale
            i -= 1
        }
    }

    /// How many of the `depth` unwound weights are found from the bottom up when removing
    /// an element of fractions `zeroFraction`, `oneFraction`; the rest come from the top down.
    ///
    /// Removing an element divides the weights' polynomial by the element's factor. From the
    /// top down, weight i − 1 comes from weight i with its error scaled by
    /// zero·(depth − i) / (one · i); from the bottom up, weight i comes from weight i − 1
    /// scaled by one · i / (zero · (depth − i)). Each direction is taken only where its
    /// factor is below 1 (a composite deflation), so errors shrink instead of growing like
    /// a binomial coefficient: long paths (dozens of features, a feature split on again and
    /// again) stay additive. The two fractions are never both 0.
    @inline(__always)
    private static func bottomUpCount(_ depth: Int, _ zeroFraction: Double, _ oneFraction: Double) -> Int {
        if oneFraction == 0 { return depth }
        if zeroFraction == 0 { return 0 }
        return min(depth, Int((Double(depth) * zeroFraction / (zeroFraction + oneFraction)).rounded(.up)))
    }

    /// Removes path element `pathIndex`, restoring the weights as if it had never been added.
    @inline(__always)
    private func unwind(_ offset: Int, _ depth: Int, _ pathIndex: Int) {
        let oneFraction = one[offset + pathIndex]
        let zeroFraction = zero[offset + pathIndex]
        let bottomUp = Self.bottomUpCount(depth, zeroFraction, oneFraction)
        if oneFraction == 0 {
            var i = depth - 1
            while i >= 0 {
                weight[offset + i] = weight[offset + i] * Double(depth + 1) / (zeroFraction * Double(depth - i))
                i -= 1
            }
        } else {
            var next = weight[offset + depth]
            var i = depth - 1
            while i >= bottomUp {
                let saved = weight[offset + i]
                weight[offset + i] = next * Double(depth + 1) / (Double(i + 1) * oneFraction)
                next = saved - weight[offset + i] * zeroFraction * Double(depth - i) / Double(depth + 1)
                i -= 1
            }
            var previous = 0.0
            i = 0
            while i < bottomUp {
                previous = (weight[offset + i] - previous * oneFraction * Double(i) / Double(depth + 1))
                    * Double(depth + 1) / (zeroFraction * Double(depth - i))
                weight[offset + i] = previous
                i += 1
            }
        }
        var j = pathIndex
        while j < depth {
            feature[offset + j] = feature[offset + j + 1]
            zero[offset + j] = zero[offset + j + 1]
            one[offset + j] = one[offset + j + 1]
            j += 1
        }
    }

    /// The total permutation weight the path would have without element `pathIndex`: the
    /// sum of the weights `unwind` would leave, found the same way.
    @inline(__always)
    private func unwoundSum(_ offset: Int, _ depth: Int, _ pathIndex: Int) -> Double {
        let oneFraction = one[offset + pathIndex]
        let zeroFraction = zero[offset + pathIndex]
        var total = 0.0
        if oneFraction != 0 {
            let bottomUp = Self.bottomUpCount(depth, zeroFraction, oneFraction)
            let scaledOne = Double(depth + 1) / oneFraction
            var next = weight[offset + depth]
            var i = depth - 1
            while i >= bottomUp {
                let part = next * scaledOne / Double(i + 1)
                total += part
                next = weight[offset + i] - part * zeroFraction * Double(depth - i) / Double(depth + 1)
                i -= 1
            }
            var previous = 0.0
            i = 0
            while i < bottomUp {
                previous = (weight[offset + i] - previous * oneFraction * Double(i) / Double(depth + 1))
                    * Double(depth + 1) / (zeroFraction * Double(depth - i))
                total += previous
                i += 1
            }
        } else {
            var i = depth - 1
            while i >= 0 {
                total += weight[offset + i] * Double(depth + 1) / (zeroFraction * Double(depth - i))
                i -= 1
            }
        }
        return total
    }
}
