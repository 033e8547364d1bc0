/// One tree of a ``CachedTreeSHAP``, cut into parts whose attributions are remembered
/// separately.
///
/// The leaves under a node contribute to path-dependent TreeSHAP through the directions a
/// row takes at the splits of their root paths only: the node's ancestors and the splits
/// below it. A part is such a subtree; its key holds one bit per ancestor and per split
/// in it. A small tree is one part (its key is every split's direction); a bigger tree is
/// cut into the largest subtrees whose keys have at most `maximumKeyBits` bits, so that a
/// depth-6 tree (63 splits, keys that hardly ever repeat) becomes 8 parts of 10-bit keys
/// that repeat all the time. Twelve bits measured best on the `explain` benchmark: wider
/// parts (16 bits) hit less often and need more memory, narrower ones (8) cost more
/// lookups per tree.
struct _CachedTreeLayout: Sendable {
    /// The parts, left to right; together they hold every leaf once.
    let parts: [_CachedTreePart]

    /// The most bits a part's key may have before its subtree is cut in two.
    static let maximumKeyBits = 12

    /// The layout of `tree`, the ensemble's tree number `index`; a tree without tables
    /// (`hasTables` false) stays one part.
    init(_ tree: DecisionTree, index treeIndex: Int, hasTables: Bool) {
        let nodes = tree.nodes
        guard !nodes.isEmpty, !nodes[0].isLeaf else {
            parts = []
            return
        }
        guard hasTables else {
            parts = [_CachedTreePart(tree, index: treeIndex, root: 0, ancestors: [])]
            return
        }
        // Splits under each node (preorder: children come after their parent).
        var splitsBelow = [Int](repeating: 0, count: nodes.count)
        for index in nodes.indices.reversed() where !nodes[index].isLeaf {
            splitsBelow[index] = 1 + splitsBelow[Int(nodes[index].leftChild)] + splitsBelow[Int(nodes[index].rightChild)]
        }
        var parts: [_CachedTreePart] = []
        var pending: [(node: Int, ancestors: [_CachedTreePart.Ancestor])] = [(0, [])]
        while let (index, ancestors) = pending.popLast() {
            let node = nodes[index]
            if node.isLeaf || ancestors.count + splitsBelow[index] <= Self.maximumKeyBits {
                parts.append(_CachedTreePart(tree, index: treeIndex, root: index, ancestors: ancestors))
                continue
            }
            // Right first, so parts come out left to right.
            pending.append((Int(node.rightChild), ancestors + [.init(node: Int32(index), towardLeft: false)]))
            pending.append((Int(node.leftChild), ancestors + [.init(node: Int32(index), towardLeft: true)]))
        }
        self.parts = parts
    }
}

/// The leaves under one node of a tree and what their attributions depend on.
struct _CachedTreePart: Sendable {
    /// A split above the part and which way its path to the part goes.
    struct Ancestor: Sendable {
        var node: Int32
        var towardLeft: Bool
    }

    /// The index of the part's tree in its ensemble.
    let tree: Int
    /// The part's top node.
    let root: Int32
    /// The splits between the tree's root and the part, root first.
    let ancestors: [Ancestor]
    /// The splits whose directions make the key, bit by bit: the ancestors, then the
    /// part's own splits in preorder.
    let splits: [Int32]
    /// Per key bit: the feature, the threshold and whether a missing value goes left, for
    /// parts of plain numeric splits (`isPlain`), tested without the node.
    let splitFeature: [Int32]
    let splitThreshold: [Double]
    let splitMissingLeft: [UInt64]
    /// The features the part's leaves can attribute to (their root paths' features), ascending.
    let features: [Int32]
    /// Whether every key split is a plain numeric `x <= t` with a missing direction (no
    /// categorical sets, no LightGBM zero-as-missing).
    let isPlain: Bool

    /// Whether a key of one bit per split fits 64 bits.
    var isCacheable: Bool { splits.count <= 64 }

    init(_ tree: DecisionTree, index: Int, root: Int, ancestors: [Ancestor]) {
        let nodes = tree.nodes
        self.tree = index
        self.root = Int32(root)
        self.ancestors = ancestors
        var below: [Int32] = []
        var pending = [root]
        while let index = pending.popLast() {
            guard !nodes[index].isLeaf else { continue }
            below.append(Int32(index))
            pending.append(Int(nodes[index].rightChild))
            pending.append(Int(nodes[index].leftChild))
        }
        splits = ancestors.map(\.node) + below
        let splitNodes = splits.map { nodes[Int($0)] }
        splitFeature = splitNodes.map(\.feature)
        splitThreshold = splitNodes.map(\.threshold)
        splitMissingLeft = splitNodes.map { $0.flags.contains(.missingGoesLeft) ? 1 : 0 }
        isPlain = splitNodes.allSatisfy { !$0.flags.contains(.categorical) && !$0.flags.contains(.zeroIsMissing) }
        features = Array(Set(splitFeature)).sorted()
    }

    /// The keys of `rowCount` rows held feature-major (feature j's values at
    /// `columns + j · stride`), for a part of plain splits: one pass down a column per split.
    func keys(columns: UnsafePointer<Double>, stride: Int, rowCount: Int, into keys: UnsafeMutablePointer<UInt64>) {
        keys.update(repeating: 0, count: rowCount)
        splitFeature.withUnsafeBufferPointer { feature in
            splitThreshold.withUnsafeBufferPointer { threshold in
                splitMissingLeft.withUnsafeBufferPointer { missingLeft in
                    for bit in 0..<feature.count {
                        let column = columns + Int(feature[bit]) * stride
                        let (limit, value) = (threshold[bit], UInt64(1) &<< UInt64(bit))
                        // NaN fails every comparison: `x <= t` sends it right, `!(x > t)` left.
                        if missingLeft[bit] != 0 {
                            for r in 0..<rowCount { keys[r] |= column[r] > limit ? 0 : value }
                        } else {
                            for r in 0..<rowCount { keys[r] |= column[r] <= limit ? value : 0 }
                        }
                    }
                }
            }
        }
    }

    /// The directions `row` takes at every key split, one bit each (1 = left), for any part.
    @inline(__always)
    func key(of row: UnsafePointer<Double>, tree: DecisionTree, nodes: UnsafePointer<DecisionTree.Node>) -> UInt64 {
        var key: UInt64 = 0
        for bit in 0..<splits.count {
            let node = nodes[Int(splits[bit])]
            if tree.goesLeft(node, row[Int(node.feature)]) { key |= 1 << UInt64(bit) }
        }
        return key
    }

    /// The path mask at the part's root for `row` (see `TreeSHAPTables`): every feature
    /// bit set except those of ancestors where the row turns away from the part.
    @inline(__always)
    func rootMask(of row: UnsafePointer<Double>, tree: DecisionTree, nodes: UnsafePointer<DecisionTree.Node>,
                  bits: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var mask = UInt32.max
        for ancestor in ancestors {
            let index = Int(ancestor.node)
            let node = nodes[index]
            if tree.goesLeft(node, row[Int(node.feature)]) != ancestor.towardLeft {
                mask &= ~(UInt32(1) << UInt32(bits[index]))
            }
        }
        return mask
    }
}

/// Every part's plain key splits and features end to end, for explaining one row
/// without touching a ``_CachedTreePart``: passing a part copies it, a retain and a
/// release for each of its six arrays, and for one lead per request on 200 trees (400
/// parts) those made a fifth of `fairlead serve`'s CPU time (`perf record`, bundled
/// 200-tree model under `scripts/bench-serve`).
struct _FlatCachedParts: Sendable {
    /// Per part: whether it is cacheable and plain, so that its key is read here.
    let isFlat: [Bool]
    /// Part i's key splits are `splitStart[i]..<splitStart[i + 1]` of the split arrays,
    /// its features `featureStart[i]..<featureStart[i + 1]` of `features`.
    let splitStart: [Int]
    let featureStart: [Int]
    let splitFeature: [Int32]
    let splitThreshold: [Double]
    let splitMissingLeft: [Bool]
    let features: [Int32]

    init(_ parts: [_CachedTreePart]) {
        isFlat = parts.map { $0.isCacheable && $0.isPlain }
        var splitStart = [0], featureStart = [0]
        var splitFeature: [Int32] = [], splitThreshold: [Double] = [], splitMissingLeft: [Bool] = []
        var features: [Int32] = []
        for part in parts {
            splitFeature += part.splitFeature
            splitThreshold += part.splitThreshold
            splitMissingLeft += part.splitMissingLeft.map { $0 != 0 }
            features += part.features
            splitStart.append(splitFeature.count)
            featureStart.append(features.count)
        }
        self.splitStart = splitStart
        self.featureStart = featureStart
        self.splitFeature = splitFeature
        self.splitThreshold = splitThreshold
        self.splitMissingLeft = splitMissingLeft
        self.features = features
    }

    /// The arrays as buffers, for the duration of `body`.
    func withBuffers<Result>(_ body: (_FlatCachedPartBuffers) -> Result) -> Result {
        isFlat.withUnsafeBufferPointer { isFlat in
            splitStart.withUnsafeBufferPointer { splitStart in
                featureStart.withUnsafeBufferPointer { featureStart in
                    splitFeature.withUnsafeBufferPointer { splitFeature in
                        splitThreshold.withUnsafeBufferPointer { splitThreshold in
                            splitMissingLeft.withUnsafeBufferPointer { splitMissingLeft in
                                features.withUnsafeBufferPointer { features in
                                    body(_FlatCachedPartBuffers(
                                        isFlat: isFlat, splitStart: splitStart, featureStart: featureStart,
                                        splitFeature: splitFeature, splitThreshold: splitThreshold,
                                        splitMissingLeft: splitMissingLeft, features: features))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// ``_FlatCachedParts``' arrays while they are borrowed.
struct _FlatCachedPartBuffers {
    let isFlat: UnsafeBufferPointer<Bool>
    let splitStart: UnsafeBufferPointer<Int>
    let featureStart: UnsafeBufferPointer<Int>
    let splitFeature: UnsafeBufferPointer<Int32>
    let splitThreshold: UnsafeBufferPointer<Double>
    let splitMissingLeft: UnsafeBufferPointer<Bool>
    let features: UnsafeBufferPointer<Int32>

    /// Part `index`'s key for `row`: bit b set when the row goes left at key split b,
    /// as ``_CachedTreePart/keys(columns:stride:rowCount:into:)`` computes it.
    @inline(__always)
    func key(of index: Int, row: UnsafePointer<Double>) -> UInt64 {
        var key: UInt64 = 0
        let first = splitStart[index]
        for split in first..<splitStart[index + 1] {
            let x = row[Int(splitFeature[split])]
            let limit = splitThreshold[split]
            // NaN fails every comparison: `x <= t` sends it right, `!(x > t)` left.
            let left = splitMissingLeft[split] ? !(x > limit) : x <= limit
            if left { key |= UInt64(1) &<< UInt64(split - first) }
        }
        return key
    }
}
