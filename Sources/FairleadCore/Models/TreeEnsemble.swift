/// A tree ensemble (XGBoost, LightGBM, or an ONNX `TreeEnsemble` operator): margin =
/// baseMargin + Σₜ treeₜ(x).
///
/// Each library's arithmetic is reproduced so that margins equal its `predict`:
/// - XGBoost reads features as float32 and compares `x < t` in float32 — here every row is
///   rounded to float32 once and thresholds are stored as nextDown(t), so `x <= threshold`
///   is the same test; it also sums leaf values in float32, starting from the float32 base
///   margin, and `margins` does the same (`exactMargins` sums in double);
/// - LightGBM compares `x <= t` in double and sums in double; its base margin is 0 (the
///   initial score is folded into the first tree);
/// - onnxruntime reads features as float32, compares them with float32 thresholds and sums
///   leaf weights in float32, adding the base value last — here rows are rounded to float32
///   and each split is stored as `x <= threshold` with the threshold on the float32 lattice
///   (see `ONNXModelLoader`), and `margins` sums as onnxruntime does.
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
        /// An ONNX `TreeEnsembleClassifier` / `TreeEnsembleRegressor` (skl2onnx,
        /// onnxmltools); its nodes carry no covers, so path-dependent TreeSHAP refuses it.
        case onnx
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
    /// The first feature name given a second time, and the index of that second time: the
    /// loaders refuse it, as the linear and ONNX loaders do (outputs are keyed by name).
    static func repeatedName(_ names: [String]) -> (String, Int)? {
        var seen: Set<String> = []
        for (index, name) in names.enumerated() where !seen.insert(name).inserted { return (name, index) }
        return nil
    }

    public init(source: Source, featureNames: [String], link: Link, baseMargin: Double, trees: [DecisionTree]) {
        self.source = source
        self.featureNames = featureNames
        self.link = link
        self.baseMargin = baseMargin
        self.trees = trees
    }

    /// Whether feature values are rounded to float32 before splits (XGBoost, ONNX).
    var roundsInputsToFloat32: Bool { source != .lightgbm }

    /// Whether margins are float32 sums (XGBoost, onnxruntime).
    var sumsInFloat32: Bool { source != .lightgbm }

    /// The deepest tree's depth.
    public var maximumDepth: Int { trees.map(\.depth).max() ?? 0 }

    /// The expected margin over the training distribution by node covers:
    /// baseMargin + Σₜ (root value of tree t) — the base value of path-dependent TreeSHAP.
    public var expectedMargin: Double {
        trees.reduce(baseMargin) { $0 + $1.expectedValue }
    }

    /// The margin of every row as the source library computes it (float32 sums for XGBoost
    /// and onnxruntime).
    public func margins(_ features: Matrix) -> [Double] {
        sumLeaves(features, inFloat32: sumsInFloat32)
    }

    /// The margin of every row summed in double precision: baseMargin + Σₜ leafₜ(x) with
    /// the same leaves as `margins`. Exact attributions add up to these values.
    public func exactMargins(_ features: Matrix) -> [Double] {
        sumLeaves(features, inFloat32: false)
    }

    /// Copies `row` into `buffer`, rounded to float32 when the source library does so.
    @inlinable @inline(__always)
    func prepare(_ row: UnsafePointer<Double>, into buffer: UnsafeMutablePointer<Double>, count: Int) {
        if source != .lightgbm {
            for j in 0..<count { buffer[j] = Double(Float(row[j])) }
        } else {
            buffer.update(from: row, count: count)
        }
    }

    /// Sums leaf values tree by tree over all rows (each tree stays in cache), keeping each
    /// row's summation order: base, tree 0, tree 1, … (onnxruntime: tree 0, tree 1, …, base).
    private func sumLeaves(_ features: Matrix, inFloat32: Bool) -> [Double] {
        precondition(features.columns == featureNames.count,
                     "the feature matrix has \(features.columns) columns, the model reads \(featureNames.count)")
        let (rows, width) = (features.rows, features.columns)
        var prepared = features.values
        if roundsInputsToFloat32 {
            prepared.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] = Double(Float(values[index])) }
            }
        }
        var sums = [Double](repeating: baseMargin, count: rows)
        // onnxruntime adds the base value after the trees; XGBoost starts from it.
        let addsBaseLast = inFloat32 && source == .onnx
        var sums32 = [Float](repeating: addsBaseLast ? 0 : Float(baseMargin), count: inFloat32 ? rows : 0)
        prepared.withUnsafeBufferPointer { input in
            sums.withUnsafeMutableBufferPointer { sums in
                sums32.withUnsafeMutableBufferPointer { sums32 in
                    for tree in trees {
                        tree.nodes.withUnsafeBufferPointer { nodes in
                            for r in 0..<rows {
                                var index = 0
                                while nodes[index].leftChild >= 0 {
                                    let node = nodes[index]
                                    let x = input[r * width + Int(node.feature)]
                                    index = Int(tree.goesLeft(node, x) ? node.leftChild : node.rightChild)
                                }
                                if inFloat32 {
                                    sums32[r] += Float(nodes[index].value)
                                } else {
                                    sums[r] += nodes[index].value
                                }
                            }
                        }
                    }
                    if inFloat32 {
                        let base = Float(baseMargin)
                        for r in 0..<rows { sums[r] = Double(addsBaseLast ? sums32[r] + base : sums32[r]) }
                    }
                }
            }
        }
        return sums
    }
}
