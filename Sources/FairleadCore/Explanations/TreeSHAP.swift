/// Exact path-dependent TreeSHAP for a `TreeEnsemble`: SHAP values of the margin where an
/// unknown feature is integrated out along the tree by the training covers (XGBoost's
/// `pred_contribs`, LightGBM's `pred_contrib`, shap's TreeExplainer with
/// `feature_perturbation="tree_path_dependent"`).
///
/// φⱼ(x) = Σ_{S ⊆ F∖{j}} |S|!(|F|−|S|−1)!/|F|! · (f_x(S ∪ {j}) − f_x(S)), where f_x(S) follows
/// x at splits on features in S and averages both children by cover elsewhere.
/// The base value is the cover-weighted expected margin, baseMargin + Σₜ E[treeₜ]; base +
/// Σⱼ φⱼ(x) equals `TreeEnsemble.exactMargins` (XGBoost's own float32 `margins` may differ
/// by float32 rounding). Cost per row: O(T · L · D²) for T trees of L leaves and depth D.
///
///     let shap = try TreeSHAP(model: ensemble)
///     let attributions = shap.explain(x, threads: 2)
public struct TreeSHAP: TreeExplainer {
    /// The explained model.
    public let model: TreeEnsemble

    /// How the attributions are computed; both give the same values up to rounding.
    public enum Algorithm: Sendable {
        /// The recursion of Lundberg et al. (2018), O(L·D²) per tree and row, no memory.
        case recursive
        /// Leaf tables (`TreeSHAPTables`), O(L·k) per tree and row after a one-time
        /// precomputation of up to 2^k entries per leaf (k ≤ 12 distinct features on its
        /// path; other trees fall back to the recursion).
        case precomputed
    }

    /// The algorithm in use.
    public let algorithm: Algorithm
    let tables: TreeSHAPTables?

    /// An explainer for `model`; `.precomputed` builds its tables here, once.
    ///
    /// - Throws: `FairleadError(.invalidModel)` when a split node has a cover of 0, or the
    ///   model came from ONNX (which stores no covers): the algorithm divides by covers (use
    ///   interventional TreeSHAP for such a model).
    public init(model: TreeEnsemble, algorithm: Algorithm = .precomputed) throws {
        if model.source == .onnx {
            throw FairleadError(.invalidModel,
                                "an ONNX tree ensemble carries no node covers (training weights), which path-dependent TreeSHAP needs — use interventional TreeSHAP against a background")
        }
        for (treeIndex, tree) in model.trees.enumerated() {
            if let node = tree.nodes.firstIndex(where: { !$0.isLeaf && !($0.cover > 0) }) {
                throw FairleadError(.invalidModel,
                                    "tree \(treeIndex) has a split (node \(node) in preorder) with cover 0; path-dependent TreeSHAP needs positive covers — use interventional TreeSHAP")
            }
        }
        self.model = model
        self.algorithm = algorithm
        self.tables = algorithm == .precomputed ? TreeSHAPTables(model: model) : nil
    }

    /// The expected margin by node covers, the base of every row's attributions.
    public var baseValue: Double { model.expectedMargin }

    /// Attributions for every row of `features`, rows split across `threads` threads.
    public func explain(_ features: Matrix, threads: Int) -> Attributions {
        let width = modelWidth(of: features)
        var values = Matrix(rows: features.rows, columns: width)
        features.withUnsafeBufferPointer { input in
            values.withUnsafeMutableBufferPointer { output in
                let (inputBase, outputBase) = (UncheckedSendable(input.baseAddress), UncheckedSendable(output.baseAddress))
                RowParallelism.forEachChunk(rowCount: features.rows, threads: threads) { rows in
                    guard let input = inputBase.value, let output = outputBase.value else { return }
                    explainRows(rows, input: input, output: output, width: width)
                }
            }
        }
        return Attributions(featureNames: model.featureNames, baseValue: baseValue, values: values)
    }

    /// Rows per block: each tree's tables are walked for a whole block while they are in cache.
    private static let blockRows = 32

    private func explainRows(_ rows: Range<Int>, input: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>,
                             width: Int) {
        let blockRows = Self.blockRows
        let block = UnsafeMutablePointer<Double>.allocate(capacity: max(1, blockRows * width))
        let workspace = PathDependentTreeSHAPKernel.Workspace(depth: model.maximumDepth)
        let stackNodes = UnsafeMutablePointer<Int32>.allocate(capacity: model.maximumDepth + 2)
        let stackMasks = UnsafeMutablePointer<UInt32>.allocate(capacity: model.maximumDepth + 2)
        defer {
            block.deallocate(); workspace.deallocate()
            stackNodes.deallocate(); stackMasks.deallocate()
        }
        var blockStart = rows.lowerBound
        while blockStart < rows.upperBound {
            let count = min(blockRows, rows.upperBound - blockStart)
            for r in 0..<count {
                model.prepare(input + (blockStart + r) * width, into: block + r * width, count: width)
            }
            let phi = output + blockStart * width
            for (treeIndex, tree) in model.trees.enumerated() {
                if let tables = tables?.trees[treeIndex] {
                    tables.accumulate(tree, rows: block, rowCount: count, width: width, phi: phi,
                                      stackNodes: stackNodes, stackMasks: stackMasks)
                    continue
                }
                tree.nodes.withUnsafeBufferPointer { nodes in
                    guard let nodes = nodes.baseAddress else { return }
                    for r in 0..<count {
                        PathDependentTreeSHAPKernel(nodes: nodes, tree: tree, row: block + r * width, phi: phi + r * width,
                                                    workspace: workspace).run()
                    }
                }
            }
            blockStart += count
        }
    }
}
