/// One regression tree of a boosted ensemble, stored as a flat array of nodes in depth-first
/// preorder (the root is node 0).
///
/// Every split reads one feature value x and sends the row left or right:
/// - numeric splits go left when `x <= threshold` (XGBoost's `x < t` in float32 is stored
///   as `x <= nextDown(t)` with x rounded to float32 first, see `TreeEnsemble`);
/// - a missing x (NaN) goes left when `Flags.missingGoesLeft` is set (XGBoost
///   `default_left`; LightGBM's missing type resolved at load time), and so does a zero x
///   under LightGBM's zero-as-missing type (`Flags.zeroIsMissing`);
/// - categorical splits test whether the category code is in the node's set
///   (`Flags.inSetGoesLeft` — set for LightGBM, clear for XGBoost).
///
/// `value` is the leaf output for leaves (shrinkage included) and, for an internal node,
/// the cover-weighted mean of its subtree: (vₗ·coverₗ + vᵣ·coverᵣ) / cover, the
/// convention of XGBoost's and LightGBM's TreeSHAP. `cover` is XGBoost's `sum_hessian` or
/// LightGBM's `internal_count` / `leaf_count`.
public struct DecisionTree: Sendable {
    /// What decides a split's direction besides the threshold.
    public struct Flags: OptionSet, Sendable {
        /// The flag bits.
        public let rawValue: UInt8
        /// Flags from their bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// A missing value (NaN) goes left.
        public static let missingGoesLeft = Flags(rawValue: 1 << 0)
        /// |x| ≤ 1e-35 counts as missing (LightGBM missing type "zero").
        public static let zeroIsMissing = Flags(rawValue: 1 << 1)
        /// The split tests membership of a category code in a set.
        public static let categorical = Flags(rawValue: 1 << 2)
        /// Category codes in the set go left (LightGBM); otherwise they go right (XGBoost).
        public static let inSetGoesLeft = Flags(rawValue: 1 << 3)
        /// Category codes are truncated toward zero before the test, so −0.5 reads as 0
        /// (LightGBM's integer cast); XGBoost treats every negative code as not in the set.
        public static let truncatesCategory = Flags(rawValue: 1 << 4)
    }

    /// One node; `leftChild < 0` marks a leaf.
    public struct Node: Sendable {
        /// Index of the left child, or −1 for a leaf.
        public var leftChild: Int32
        /// Index of the right child, or −1 for a leaf.
        public var rightChild: Int32
        /// The feature (column of the feature matrix) the split reads.
        public var feature: Int32
        /// Missing-value and categorical routing.
        public var flags: Flags
        /// Numeric splits: go left when x <= threshold. Categorical splits: the index of the
        /// node's category set in `categorySets`.
        public var threshold: Double
        /// Leaf output, or the cover-weighted mean of the subtree for an internal node.
        public var value: Double
        /// The training weight that reached the node (sum of hessians or row count).
        public var cover: Double

        /// Whether the node is a leaf.
        @inlinable public var isLeaf: Bool { leftChild < 0 }
    }

    /// The nodes in depth-first preorder; node 0 is the root.
    public let nodes: [Node]
    /// Category sets of categorical splits, each a bitset or sorted codes.
    public let categorySets: CategorySets
    /// The number of edges on the longest root-to-leaf path.
    public let depth: Int

    /// The tree's expected output over the training distribution (the root's value).
    public var expectedValue: Double { nodes[0].value }

    init(nodes: [Node], categorySets: CategorySets, depth: Int) {
        self.nodes = nodes
        self.categorySets = categorySets
        self.depth = depth
    }

    /// The leaf a row reaches; `row` holds the feature values (prepared by the ensemble).
    @inlinable
    func leafIndex(_ row: UnsafePointer<Double>) -> Int {
        nodes.withUnsafeBufferPointer { nodes in
            var index = 0
            while nodes[index].leftChild >= 0 {
                let node = nodes[index]
                index = Int(goesLeft(node, row[Int(node.feature)]) ? node.leftChild : node.rightChild)
            }
            return index
        }
    }

    /// Whether a row with value `x` for the node's feature goes to the left child.
    @inlinable @inline(__always)
    func goesLeft(_ node: Node, _ x: Double) -> Bool {
        if node.flags.contains(.categorical) {
            return categoricalGoesLeft(node, x)
        }
        if x.isNaN { return node.flags.contains(.missingGoesLeft) }
        if node.flags.contains(.zeroIsMissing), abs(x) <= DecisionTree.lightGBMZeroThreshold {
            return node.flags.contains(.missingGoesLeft)
        }
        return x <= node.threshold
    }

    @usableFromInline
    func categoricalGoesLeft(_ node: Node, _ x: Double) -> Bool {
        if x.isNaN { return node.flags.contains(.missingGoesLeft) }
        let inSetGoesLeft = node.flags.contains(.inSetGoesLeft)
        let code = node.flags.contains(.truncatesCategory) ? x.rounded(.towardZero) : x
        return categorySets.contains(code, inSet: Int(node.threshold)) == inSetGoesLeft
    }

    /// LightGBM's kZeroThreshold (1e-35 as a float32): |x| at or below it is "zero".
    @usableFromInline static let lightGBMZeroThreshold = Double(Float(1e-35))
}
