/// A gradient-boosted tree ensemble (XGBoost or LightGBM): margin = baseMargin + Σₜ treeₜ(x).
///
/// Each library's arithmetic is reproduced so that margins equal its `predict`:
/// - XGBoost reads features as float32 and compares `x < t` in float32 — here every row is
///   rounded to float32 once and thresholds are stored as nextDown(t), so `x <= threshold`
///   is the same test; it also sums leaf values in float32, starting from the float32 base
///   margin, and `margins` does the same (`exactMargins` sums in double);
/// - LightGBM compares `x <= t` in double and sums in double; its base margin is 0 (the
///   initial score is folded into the first tree).
///
///     let model = try XGBoostModelLoader.load(contentsOf: "model.json")
///     let margins = model.margins(x)        // = booster.predict(…, output_margin=True)
public struct TreeEnsemble: Model {
    /// The library a model came from; it fixes the arithmetic conventions above.
    public enum Source: String, Sendable {
        /// XGBoost's JSON model (`save_model("m.json")`).
        case xgboost
        /// LightGBM's text model (`save_model("model.txt")`).
        case lightgbm
    }

    /// The library the model came from.
    public let source: Source
    /// The features, in the order of the feature matrix's columns.
    public let featureNames: [String]
    /// How a margin becomes a prediction.
    public let link: Link
    /// The margin before any tree (XGBoost's base_score in margin space; 0 for LightGBM).
    public let baseMargin: Double
    /// The trees, summed in this order.
    public let trees: [DecisionTree]

    /// An ensemble; `trees` must only split on features `0..<featureNames.count`.
    public init(source: Source, featureNames: [String], link: Link, baseMargin: Double, trees: [DecisionTree]) {
        self.source = source
        self.featureNames = featureNames
        self.link = link
        self.baseMargin = baseMargin
        self.trees = trees
    }

    /// Whether feature values are rounded to float32 before splits (XGBoost).
    var roundsInputsToFloat32: Bool { source == .xgboost }

    /// The deepest tree's depth.
    public var maximumDepth: Int { trees.map(\.depth).max() ?? 0 }

    /// The expected margin over the training distribution by node covers:
    /// baseMargin + Σₜ (root value of tree t) — the base value of path-dependent TreeSHAP.
    public var expectedMargin: Double {
        trees.reduce(baseMargin) { $0 + $1.expectedValue }
    }

    /// The margin of every row as the source library computes it (float32 sums for XGBoost).
    public func margins(_ features: Matrix) -> [Double] {
        sumLeaves(features, inFloat32: source == .xgboost)
    }

    /// The margin of every row summed in double precision: baseMargin + Σₜ leafₜ(x) with
    /// the same leaves as `margins`. Exact attributions add up to these values.
    public func exactMargins(_ features: Matrix) -> [Double] {
        sumLeaves(features, inFloat32: false)
    }

    /// Copies `row` into `buffer`, rounded to float32 when the source library does so.
    @inlinable @inline(__always)
    func prepare(_ row: UnsafePointer<Double>, into buffer: UnsafeMutablePointer<Double>, count: Int) {
        if source == .xgboost {
            for j in 0..<count { buffer[j] = Double(Float(row[j])) }
        } else {
            buffer.update(from: row, count: count)
        }
    }

    private func sumLeaves(_ features: Matrix, inFloat32: Bool) -> [Double] {
        precondition(features.columns == featureNames.count,
                     "the feature matrix has \(features.columns) columns, the model reads \(featureNames.count)")
        let width = features.columns
        var result = [Double](repeating: 0, count: features.rows)
        let baseMargin32 = Float(baseMargin)
        features.withUnsafeBufferPointer { values in
            let row = UnsafeMutablePointer<Double>.allocate(capacity: max(1, width))
            defer { row.deallocate() }
            for r in 0..<features.rows {
                if let base = values.baseAddress { prepare(base + r * width, into: row, count: width) }
                if inFloat32 {
                    var sum = baseMargin32
                    for tree in trees { sum += Float(tree.nodes[tree.leafIndex(row)].value) }
                    result[r] = Double(sum)
                } else {
                    var sum = baseMargin
                    for tree in trees { sum += tree.nodes[tree.leafIndex(row)].value }
                    result[r] = sum
                }
            }
        }
        return result
    }
}
