/// An explainer of a tree ensemble that cannot fail once it is built: the TreeSHAP
/// algorithms (``TreeSHAP``, ``CachedTreeSHAP``, ``InterventionalTreeSHAP``).
public protocol TreeExplainer: Explainer {
    /// The explained model.
    var model: TreeEnsemble { get }
    /// Attributions for every row of `features`, rows split across `threads` threads;
    /// the values do not depend on the number of threads.
    func explain(_ features: Matrix, threads: Int) -> Attributions
}

extension TreeExplainer {
    /// The model's features.
    public var featureNames: [String] { model.featureNames }

    /// Attributions for every row of `features`, on one thread.
    public func explain(_ features: Matrix) -> Attributions {
        explain(features, threads: 1)
    }

    /// The model's feature count, which must be `features`' column count.
    func modelWidth(of features: Matrix) -> Int {
        let width = model.featureNames.count
        precondition(features.columns == width,
                     "the feature matrix has \(features.columns) columns, the model reads \(width)")
        return width
    }
}
