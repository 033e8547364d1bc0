extension TreeEnsemble {
    /// The most features a model file may declare (`num_feature`, `max_feature_idx`):
    /// a loader makes a name for each, so a corrupt count must not allocate billions.
    public static let maximumFeatureCount = 1 << 20

    /// The deepest tree any model may hold, however ``Limits/maxTreeDepth`` is raised:
    /// 512 levels. The explainers' buffers grow with the square of the depth: path-
    /// dependent TreeSHAP's path, (D + 2)(D + 3)/2 entries of 28 bytes (3.6 MiB a thread
    /// at 512), interventional TreeSHAP's weights, (D + 1)² doubles (2 MiB). The walks along
    /// a path (path-dependent and interventional TreeSHAP, KernelSHAP's tree coalition game)
    /// loop over preallocated stacks instead of recursing, so the thread stack they need does
    /// not grow with the depth: at 512 levels each runs on a 512 KiB thread in a debug build
    /// (`TreeDepthStackTests`).
    public static let maximumTreeDepth = 512

    /// The largest category code a categorical split may hold: 2²⁴, as XGBoost, which
    /// reads codes as float32, accepts. (A set is held in memory its codes bound, whatever
    /// their size: see `DecisionTree.CategorySets`.)
    static let maximumCategory = 1 << 24

    /// Throws unless every margin stays finite: |baseMargin| + Σₜ max |leafₜ| must be below
    /// the largest float32 (XGBoost, which sums in float32) or double (LightGBM). A leaf of
    /// 1e39 in an XGBoost file would otherwise give infinite margins and base values.
    ///
    /// - Parameter fail: the loader's error for tree `index` and a description.
    static func checkMarginBound(baseMargin: Double, trees: [DecisionTree], inFloat32: Bool,
                                 fail: (_ index: Int, _ message: String) -> FairleadError) throws {
        let largest = inFloat32 ? Double(Float.greatestFiniteMagnitude) : Double.greatestFiniteMagnitude
        let arithmetic = inFloat32 ? "float32" : "double"
        var bound = abs(baseMargin)
        for (index, tree) in trees.enumerated() {
            var extreme = 0.0
            for node in tree.nodes where node.leftChild < 0 {
                extreme = max(extreme, abs(node.value))
            }
            guard extreme <= largest else {
                throw fail(index, "has a leaf value beyond the \(arithmetic) range (largest \(largest))")
            }
            bound += extreme
            guard bound.isFinite, bound <= largest else {
                throw fail(index, "brings the sum of the largest leaf values past the \(arithmetic) range (largest \(largest)): margins would be infinite")
            }
        }
    }
}
