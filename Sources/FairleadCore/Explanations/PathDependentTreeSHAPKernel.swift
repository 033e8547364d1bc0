/// The path-dependent TreeSHAP recursion of Lundberg, Erion and Lee (2018, "Consistent
/// individualized feature attribution for tree ensembles", Algorithm 2) for one tree and
/// one row, over preallocated path buffers.
///
/// The path holds, for each distinct feature split on between the root and the current
/// node, the fraction of training cover that flows along the path when the feature is
/// unknown (`zero`) and whether the row itself follows it (`one`), plus the permutation
/// weights (`weight`) of subsets of each size. Each recursion level works on a copy of its
/// parent's path placed right after it, so the buffers need (D + 2)(D + 3) / 2 entries for
/// a tree of depth D.
struct PathDependentTreeSHAPKernel {
    let nodes: UnsafePointer<DecisionTree.Node>
    let tree: DecisionTree
    let row: UnsafePointer<Double>
    let phi: UnsafeMutablePointer<Double>
    let feature: UnsafeMutablePointer<Int32>
    let zero: UnsafeMutablePointer<Double>
    let one: UnsafeMutablePointer<Double>
    let weight: UnsafeMutablePointer<Double>

    /// Path buffer entries needed for a tree of depth `depth`.
    static func bufferSize(depth: Int) -> Int { (depth + 2) * (depth + 3) / 2 }

    /// Adds the tree's attributions for `row` to `phi`.
    func run() {
        if nodes[0].isLeaf { return }
        recurse(node: 0, depth: 0, parentOffset: 0, parentZero: 1, parentOne: 1, parentFeature: -1)
    }

    private func recurse(node index: Int, depth inputDepth: Int, parentOffset: Int,
                         parentZero: Double, parentOne: Double, parentFeature: Int32) {
        var depth = inputDepth
        let offset = parentOffset + depth + 1
        // Copy the parent's path (depth entries) into this level's slot, then extend it.
        if depth > 0 {
            (feature + offset).update(from: feature + parentOffset, count: depth)
            (zero + offset).update(from: zero + parentOffset, count: depth)
            (one + offset).update(from: one + parentOffset, count: depth)
            (weight + offset).update(from: weight + parentOffset, count: depth)
        }
        extend(offset, depth, parentZero, parentOne, parentFeature)

        let node = nodes[index]
        if node.isLeaf {
            var i = 1
            while i <= depth {
                let scale = unwoundSum(offset, depth, i)
                phi[Int(feature[offset + i])] += scale * (one[offset + i] - zero[offset + i]) * node.value
                i += 1
            }
            return
        }
        let goesLeft = tree.goesLeft(node, row[Int(node.feature)])
        let hot = Int(goesLeft ? node.leftChild : node.rightChild)
        let cold = Int(goesLeft ? node.rightChild : node.leftChild)
        let hotZero = nodes[hot].cover / node.cover
        let coldZero = nodes[cold].cover / node.cover

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
        // A branch with zero and one fractions both 0 contributes nothing (and would divide by 0).
        if hotZero * incomingZero > 0 || incomingOne > 0 {
            recurse(node: hot, depth: depth + 1, parentOffset: offset,
                    parentZero: hotZero * incomingZero, parentOne: incomingOne, parentFeature: node.feature)
        }
        if coldZero * incomingZero > 0 {
            recurse(node: cold, depth: depth + 1, parentOffset: offset,
                    parentZero: coldZero * incomingZero, parentOne: 0, parentFeature: node.feature)
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

    /// Removes path element `pathIndex`, restoring the weights as if it had never been added.
    @inline(__always)
    private func unwind(_ offset: Int, _ depth: Int, _ pathIndex: Int) {
        let oneFraction = one[offset + pathIndex]
        let zeroFraction = zero[offset + pathIndex]
        var next = weight[offset + depth]
        var i = depth - 1
        while i >= 0 {
            if oneFraction != 0 {
                let saved = weight[offset + i]
                weight[offset + i] = next * Double(depth + 1) / (Double(i + 1) * oneFraction)
                next = saved - weight[offset + i] * zeroFraction * Double(depth - i) / Double(depth + 1)
            } else {
                weight[offset + i] = weight[offset + i] * Double(depth + 1) / (zeroFraction * Double(depth - i))
            }
            i -= 1
        }
        var j = pathIndex
        while j < depth {
            feature[offset + j] = feature[offset + j + 1]
            zero[offset + j] = zero[offset + j + 1]
            one[offset + j] = one[offset + j + 1]
            j += 1
        }
    }

    /// The total permutation weight the path would have without element `pathIndex`.
    @inline(__always)
    private func unwoundSum(_ offset: Int, _ depth: Int, _ pathIndex: Int) -> Double {
        let oneFraction = one[offset + pathIndex]
        let zeroFraction = zero[offset + pathIndex]
        var next = weight[offset + depth]
        var total = 0.0
        var i = depth - 1
        if oneFraction != 0 {
            let scaledOne = Double(depth + 1) / oneFraction
            while i >= 0 {
                let part = next * scaledOne / Double(i + 1)
                total += part
                next = weight[offset + i] - part * zeroFraction * Double(depth - i) / Double(depth + 1)
                i -= 1
            }
        } else {
            while i >= 0 {
                total += weight[offset + i] * Double(depth + 1) / (zeroFraction * Double(depth - i))
                i -= 1
            }
        }
        return total
    }
}
