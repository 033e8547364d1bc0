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
public struct TreeSHAP: Explainer {
    /// The explained model.
    public let model: TreeEnsemble

    /// An explainer for `model`.
    ///
    /// - Throws: `FairleadError(.invalidModel)` when a split node has a cover of 0: the
    ///   algorithm divides by covers (use interventional TreeSHAP for such a model).
    public init(model: TreeEnsemble) throws {
        for (treeIndex, tree) in model.trees.enumerated() {
            if let node = tree.nodes.firstIndex(where: { !$0.isLeaf && !($0.cover > 0) }) {
                throw FairleadError(.invalidModel,
                                    "tree \(treeIndex) has a split (node \(node) in preorder) with cover 0; path-dependent TreeSHAP needs positive covers — use interventional TreeSHAP")
            }
        }
        self.model = model
    }

    /// The model's features.
    public var featureNames: [String] { model.featureNames }

    /// The expected margin by node covers, the base of every row's attributions.
    public var baseValue: Double { model.expectedMargin }

    /// Attributions for every row of `features`, on one thread.
    public func explain(_ features: Matrix) -> Attributions {
        explain(features, threads: 1)
    }

    /// Attributions for every row of `features`, rows split across `threads` threads.
    public func explain(_ features: Matrix, threads: Int) -> Attributions {
        let width = model.featureNames.count
        precondition(features.columns == width,
                     "the feature matrix has \(features.columns) columns, the model reads \(width)")
        var values = Matrix(rows: features.rows, columns: width)
        let bufferSize = PathDependentTreeSHAPKernel.bufferSize(depth: model.maximumDepth)
        features.withUnsafeBufferPointer { input in
            values.withUnsafeMutableBufferPointer { output in
                let (inputBase, outputBase) = (UncheckedSendable(input.baseAddress), UncheckedSendable(output.baseAddress))
                RowParallelism.forEachChunk(rowCount: features.rows, threads: threads) { rows in
                    guard let input = inputBase.value, let output = outputBase.value else { return }
                    explainRows(rows, input: input, output: output, width: width, bufferSize: bufferSize)
                }
            }
        }
        return Attributions(featureNames: model.featureNames, baseValue: baseValue, values: values)
    }

    private func explainRows(_ rows: Range<Int>, input: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>,
                             width: Int, bufferSize: Int) {
        let row = UnsafeMutablePointer<Double>.allocate(capacity: width)
        let feature = UnsafeMutablePointer<Int32>.allocate(capacity: bufferSize)
        let zero = UnsafeMutablePointer<Double>.allocate(capacity: bufferSize)
        let one = UnsafeMutablePointer<Double>.allocate(capacity: bufferSize)
        let weight = UnsafeMutablePointer<Double>.allocate(capacity: bufferSize)
        defer {
            row.deallocate(); feature.deallocate(); zero.deallocate(); one.deallocate(); weight.deallocate()
        }
        for r in rows {
            model.prepare(input + r * width, into: row, count: width)
            let phi = output + r * width
            for tree in model.trees {
                tree.nodes.withUnsafeBufferPointer { nodes in
                    guard let nodes = nodes.baseAddress else { return }
                    PathDependentTreeSHAPKernel(nodes: nodes, tree: tree, row: row, phi: phi, feature: feature,
                                                zero: zero, one: one, weight: weight).run()
                }
            }
        }
    }
}
