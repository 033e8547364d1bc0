import Foundation

/// The memory that loading an XGBoost JSON model takes, counted from the first pass over
/// its text (which builds nothing: `XGBoostJSON.TreeArray` and `ElementArray` count
/// elements) and checked against ``Limits/memoryBudgetBytes`` before any tree or feature
/// name is built.
///
/// The loader holds the file's bytes, every loaded tree (a 40-byte node for each of its
/// nodes, and its category sets) and, while one tree is built, that tree's arrays as read
/// (8 bytes an element, up to twice that while an array grows) and the node tables that
/// lay it out. What that costs follows the counts, not the bytes: one tree whose
/// `sum_hessian` holds 30 million `0,` (a 60 MB file) peaked 320 MB above the process's
/// start before its length was refused, a tree of 2²⁰ − 1 nodes (19 MB) 133 MB, and
/// `num_feature` 1048576 without names (483 bytes) makes a million names. The plan is the
/// file's bytes, ``bytesPerTree`` a tree, ``bytesPerNode`` a node,
/// ``bytesPerCategory`` a category code, ``bytesPerLargestTreeValue`` an element of the
/// largest tree's arrays and ``bytesPerLargestTreeNode`` a node of it, and
/// ``bytesPerName`` a feature name with twice the bytes of the listed names:
///
///     let plan = XGBoostMemoryPlan(file, featureCount: 3, heldBytes: data.count)
///     try plan.check(limits, file: "model.json")
struct XGBoostMemoryPlan: Sendable, Equatable {
    /// Bytes planned for each loaded tree: its `DecisionTree` and the allocations of its
    /// node and category-set arrays.
    static let bytesPerTree = 256
    /// Bytes planned for each node of every tree: its 40-byte `DecisionTree.Node` and the
    /// allocator's rounding.
    static let bytesPerNode = 48
    /// Bytes planned for each code of a `categories` array: a set holds at most two words
    /// per code.
    static let bytesPerCategory = 16
    /// Bytes planned for each element of the largest tree's read arrays: 8 as read, twice
    /// that at most while the array grows.
    static let bytesPerLargestTreeValue = 16
    /// Bytes planned for each node of the largest tree while it is laid out: thresholds,
    /// flags, the new order, indices and depths, and the nodes themselves.
    static let bytesPerLargestTreeNode = 96
    /// Bytes planned for each feature name: the `String`, the array and the set that finds a
    /// repeated name.
    static let bytesPerName = 80

    /// The trees, their nodes (the elements of every `left_children`) and category codes.
    var trees: Int
    var nodes: Int
    var categories: Int
    /// The tree whose read arrays hold the most elements: its index, nodes and elements.
    var largestTree: XGBoostJSON.TreeArray.Largest
    /// The feature names: those listed, or `num_feature` of them made (`f0`, `f1`, …) when
    /// none are; and the bytes of the listed names' array.
    var names: Int
    var nameBytes: Int
    /// The bytes of the text, held while the model is loaded.
    var heldBytes: Int

    /// The plan of loading `file`, read from `heldBytes` bytes, whose model has `featureCount` features.
    init(_ file: XGBoostJSON.File, featureCount: Int, heldBytes: Int) {
        let trees = file.learner.gradient_booster.model?.trees
        self.trees = trees?.count ?? 0
        self.nodes = trees?.nodes ?? 0
        self.categories = trees?.categories ?? 0
        self.largestTree = trees?.largest ?? .init()
        let listed = file.learner.feature_names
        self.names = max(listed?.count ?? 0, featureCount)
        self.nameBytes = listed.map { $0.count > 0 ? $0.bytes : 0 } ?? 0
        self.heldBytes = heldBytes
    }

    private var treeBytes: Double {
        Double(trees) * Double(Self.bytesPerTree) + Double(nodes) * Double(Self.bytesPerNode)
            + Double(categories) * Double(Self.bytesPerCategory)
    }

    private var largestTreeBytes: Double {
        Double(largestTree.values) * Double(Self.bytesPerLargestTreeValue)
            + Double(largestTree.nodes) * Double(Self.bytesPerLargestTreeNode)
    }

    private var nameBytesPlanned: Double {
        Double(names) * Double(Self.bytesPerName) + 2 * Double(nameBytes)
    }

    /// The bytes planned: the text, the trees, the largest tree while it is built, and the names.
    var plannedBytes: Double {
        Double(heldBytes) + treeBytes + largestTreeBytes + nameBytesPlanned
    }

    /// Throws, at `file` and the field that takes the most of the plan, when the plan is
    /// above `limits.memoryBudgetBytes` and the grace of ``Limits/modelPlanGraceBytes``.
    func check(_ limits: Limits, file: String) throws {
        guard limits.refusesModelPlan(plannedBytes) else { return }
        let budget = Double(limits.memoryBudgetBytes)
        let trees = "learner.gradient_booster.model.trees"
        let field = nameBytesPlanned >= max(treeBytes, largestTreeBytes)
            ? (nameBytes > 0 ? "learner.feature_names" : "learner.learner_model_param.num_feature")
            : largestTreeBytes > treeBytes ? "\(trees)[\(largestTree.index)]" : trees
        throw FairleadError(.invalidModel,
                            "the XGBoost model holds \(self.trees) trees of \(nodes) nodes and \(categories) category codes, the largest (tree \(largestTree.index)) with \(largestTree.values) array elements, and \(names) feature names in \(heldBytes) bytes, planned at the file's own bytes, \(Self.bytesPerTree) bytes a tree, \(Self.bytesPerNode) a node, \(Self.bytesPerCategory) a category code, \(Self.bytesPerLargestTreeValue) an element and \(Self.bytesPerLargestTreeNode) a node of the largest tree while it is built, and \(Self.bytesPerName) a feature name: about \(Limits.byteCount(plannedBytes)), above the memory budget of \(Limits.byteCount(budget))",
                            at: SourceLocation(file: file, field: field), limit: .memoryBudgetBytes)
    }
}
