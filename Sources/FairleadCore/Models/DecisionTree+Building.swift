/// A tree as a loader reads it from a file, before validation: parallel arrays indexed by
/// the file's node ids, `-1` children for leaves.
struct RawTree {
    var leftChild: [Int] = []
    var rightChild: [Int] = []
    var feature: [Int] = []
    var threshold: [Double] = []
    var flags: [DecisionTree.Flags] = []
    var value: [Double] = []
    var cover: [Double] = []
    /// Category sets of categorical nodes, by file node id.
    var categorySets: [Int: RawCategorySet] = [:]
    /// Nodes the file marks as deleted (XGBoost's pruned nodes): left in the arrays, hanging
    /// from no node, and so not reached from the root. Any other node the root does not
    /// reach is refused.
    var deletedNodes: Set<Int> = []
}

/// A categorical node's set as the file writes it.
enum RawCategorySet {
    /// The codes (XGBoost's `categories` segment).
    case codes([Int])
    /// A bitset: code 64·i + j is bit j of word i (LightGBM's `cat_threshold`).
    case bitset([UInt64])
}

extension DecisionTree {
    /// The refusal of a tree deeper than `maxDepth` levels (``Limits/maxTreeDepth``, at most
    /// ``TreeEnsemble/maximumTreeDepth``), `also` said after the depth (an ONNX tree may
    /// be deep because it loops back on itself). It names the limit when raising it would help.
    static func depthRefusal(maxDepth: Int, also: String = "", fail: (String) -> FairleadError) -> FairleadError {
        let limit = min(maxDepth, TreeEnsemble.maximumTreeDepth)
        guard maxDepth < TreeEnsemble.maximumTreeDepth else {
            return fail("is deeper than \(limit) levels, more than any tree may be\(also)")
        }
        var error = fail("is deeper than \(limit) levels (the max_tree_depth limit)\(also)")
        error.limit = .maxTreeDepth
        return error
    }

    /// Validates `raw` and lays it out in depth-first preorder.
    ///
    /// Checks that every child id exists, that every node is reached once (no cycle, no
    /// shared child) and every node the file does not mark deleted is reached, that no node
    /// is deeper than `maxDepth` (``Limits/maxTreeDepth``), that leaves
    /// have no child and splits two, that split features exist and that numbers are
    /// finite — read ones and the cover-weighted means derived from them (the base value of
    /// path-dependent TreeSHAP). `fail` turns a description into the loader's error (which
    /// names the file and the tree).
    init(raw: RawTree, featureCount: Int, maxDepth: Int = Limits().maxTreeDepth, fail: (String) -> FairleadError) throws {
        let depthLimit = min(maxDepth, TreeEnsemble.maximumTreeDepth)
        let count = raw.leftChild.count
        guard count > 0 else { throw fail("has no nodes") }
        for (name, length) in [("right children", raw.rightChild.count), ("features", raw.feature.count),
                               ("thresholds", raw.threshold.count), ("values", raw.value.count),
                               ("covers", raw.cover.count), ("flags", raw.flags.count)] where length != count {
            throw fail("has \(count) nodes but \(length) \(name)")
        }
        var newIndex = [Int](repeating: -1, count: count)
        var order: [Int] = []
        var nodeDepth = [Int](repeating: 0, count: count)
        var stack = [0]
        var maxDepth = 0
        while let node = stack.popLast() {
            guard newIndex[node] < 0 else { throw fail("reaches node \(node) twice (a cycle or a shared child)") }
            newIndex[node] = order.count
            order.append(node)
            let (left, right) = (raw.leftChild[node], raw.rightChild[node])
            if left < 0 && right < 0 {
                guard raw.value[node].isFinite else { throw fail("leaf \(node) has a non-finite value \(raw.value[node])") }
                continue
            }
            guard left >= 0, right >= 0 else { throw fail("node \(node) has one child only") }
            for child in [left, right] where child >= count {
                throw fail("node \(node) refers to node \(child), but the tree has \(count) nodes")
            }
            guard raw.feature[node] >= 0, raw.feature[node] < featureCount else {
                throw fail("node \(node) splits on feature \(raw.feature[node]), but the model has \(featureCount) features")
            }
            if raw.flags[node].contains(.categorical) {
                guard raw.categorySets[node] != nil else { throw fail("categorical node \(node) has no category set") }
            } else {
                guard raw.threshold[node].isFinite else { throw fail("node \(node) has a threshold that is not a finite number") }
            }
            let childDepth = nodeDepth[node] + 1
            guard childDepth <= depthLimit else { throw Self.depthRefusal(maxDepth: maxDepth, fail: fail) }
            nodeDepth[left] = childDepth
            nodeDepth[right] = childDepth
            maxDepth = max(maxDepth, childDepth)
            stack.append(right)
            stack.append(left)
        }
        // A node off every path would load silently: a spliced or hand-edited tree whose
        // dropped branch no prediction reads, though its counts say otherwise.
        if order.count < count, let orphan = (0..<count).first(where: { newIndex[$0] < 0 && !raw.deletedNodes.contains($0) }) {
            throw fail("node \(orphan) is reached by no path from the root")
        }
        for node in order where !(raw.cover[node].isFinite && raw.cover[node] >= 0) {
            throw fail("node \(node) has an invalid cover \(raw.cover[node])")
        }

        var categorySets = CategorySets()
        var nodes: [Node] = []
        nodes.reserveCapacity(order.count)
        for old in order {
            let isLeaf = raw.leftChild[old] < 0
            var threshold = isLeaf ? 0 : raw.threshold[old]
            if !isLeaf, raw.flags[old].contains(.categorical), let set = raw.categorySets[old] {
                switch set {
                case .codes(let codes): threshold = Double(categorySets.append(categories: codes))
                case .bitset(let bits): threshold = Double(categorySets.append(bitset: bits))
                }
            }
            nodes.append(Node(
                leftChild: isLeaf ? -1 : Int32(newIndex[raw.leftChild[old]]),
                rightChild: isLeaf ? -1 : Int32(newIndex[raw.rightChild[old]]),
                feature: isLeaf ? 0 : Int32(raw.feature[old]),
                flags: isLeaf ? [] : raw.flags[old],
                threshold: threshold,
                value: isLeaf ? raw.value[old] : 0,
                cover: raw.cover[old]))
        }
        // Preorder puts children after parents, so one backward pass fills internal means.
        // Each child's weight is its share of the cover, computed before it multiplies a
        // value: finite covers of 1e308 make finite shares, where vₗ·coverₗ would be inf.
        for index in nodes.indices.reversed() where !nodes[index].isLeaf {
            let left = nodes[Int(nodes[index].leftChild)]
            let right = nodes[Int(nodes[index].rightChild)]
            let largest = max(left.cover, right.cover)
            let cover = nodes[index].cover > 0 ? nodes[index].cover : largest * (left.cover / largest + right.cover / largest)
            nodes[index].value = cover > 0
                ? left.value * (left.cover / cover) + right.value * (right.cover / cover)
                : left.value / 2 + right.value / 2
            guard nodes[index].value.isFinite else {
                throw fail("node \(order[index]) has covers (\(nodes[index].cover), children \(left.cover) and \(right.cover)) whose cover-weighted mean of leaf values is \(nodes[index].value), not a finite number")
            }
        }
        self.init(nodes: nodes, categorySets: categorySets, depth: maxDepth)
    }
}
