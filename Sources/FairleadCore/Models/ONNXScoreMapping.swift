/// How an ONNX model's per-class scores become one margin and a link, following
/// onnxruntime's binary-classifier conventions.
///
/// With scores for both classes (class ids 0 and 1; linear classifiers only), the positive class is class 1:
/// `NONE` gives prediction = s₁ (identity link; forests average probabilities), `LOGISTIC`
/// gives σ(s₁), `SOFTMAX` gives e^s₁ / (e^s₀ + e^s₁) = σ(s₁ − s₀). With scores for one class
/// column only (skl2onnx's gradient boosting), onnxruntime reads that one score as the
/// positive class's: `NONE` → s, `LOGISTIC` → σ(s).
struct ONNXScoreMapping {
    /// The coefficient of each class column (index = class id) in the margin.
    var classWeights: [Double]
    /// How the margin becomes the prediction.
    var link: Link
    /// The margin's constant: Σ_c classWeights[c] · base_values[c].
    var baseMargin: Double

    /// The mapping of a binary classifier. `labelCount` is the number of class labels,
    /// `classIDs` the class columns that receive scores.
    ///
    /// Tree ensembles with scores for both classes are refused (`allowsBothColumns` false):
    /// onnxruntime 1.32 answers [−t, t] for them, t the class-0 weights plus base_values[1],
    /// which no reading of the scores explains; converters write one column for binary trees.
    static func classifier(labelCount: Int, classIDs: Set<Int64>, postTransform: String, baseValues: [Double],
                           allowsBothColumns: Bool = true, context: ONNXContext) throws -> ONNXScoreMapping {
        guard labelCount == 2 else {
            throw context.error("a classifier with \(labelCount) classes is not supported; Fairlead reads binary classifiers")
        }
        guard let first = classIDs.min(), classIDs.isSubset(of: [0, 1]) else {
            throw context.error("class ids must be 0 or 1 in a binary classifier")
        }
        let weights: [Double]
        let link: Link
        if classIDs.count == 2 {
            guard allowsBothColumns else {
                throw context.error("gives scores for both classes of a binary classifier, which onnxruntime does not read as class probabilities; Fairlead reads tree classifiers with one class column (as skl2onnx and onnxmltools write them)")
            }
            switch postTransform {
            case "NONE": (weights, link) = ([0, 1], .identity)
            case "LOGISTIC": (weights, link) = ([0, 1], .logit)
            case "SOFTMAX": (weights, link) = ([-1, 1], .logit)
            default: throw unsupported(postTransform, for: "a binary classifier with scores for both classes", reads: "NONE, LOGISTIC and SOFTMAX", context)
            }
            guard baseValues.isEmpty || baseValues.count == 2 else {
                throw context.error("has \(baseValues.count) base_values for 2 classes")
            }
        } else {
            switch postTransform {
            case "NONE": link = .identity
            case "LOGISTIC": link = .logit
            default: throw unsupported(postTransform, for: "a binary classifier with scores for one class", reads: "NONE and LOGISTIC", context)
            }
            weights = first == 0 ? [1, 0] : [0, 1]
            guard first == 0 ? baseValues.count <= 1 : (baseValues.count == 0 || baseValues.count == 2) else {
                throw context.error("has \(baseValues.count) base_values for scores of class \(first) only; onnxruntime's reading of that is ambiguous")
            }
        }
        var base = 0.0
        for (index, value) in baseValues.enumerated() where index < 2 { base += weights[index] * value }
        return ONNXScoreMapping(classWeights: weights, link: link, baseMargin: base)
    }

    /// The mapping of a single-target regressor.
    static func regressor(targets: Int, postTransform: String, baseValues: [Double],
                          context: ONNXContext) throws -> ONNXScoreMapping {
        guard targets == 1 else {
            throw context.error("a regressor with \(targets) targets is not supported; Fairlead reads single-target models")
        }
        guard postTransform == "NONE" else {
            throw unsupported(postTransform, for: "a regressor", reads: "NONE (the sum as it is)", context)
        }
        guard baseValues.count <= 1 else { throw context.error("has \(baseValues.count) base_values for 1 target") }
        return ONNXScoreMapping(classWeights: [1], link: .identity, baseMargin: baseValues.first ?? 0)
    }

    /// The refusal of `transform` for this kind of operator, naming what Fairlead reads for it.
    private static func unsupported(_ transform: String, for operatorKind: String, reads supported: String,
                                    _ context: ONNXContext) -> FairleadError {
        context.error("post_transform \(MessageQuote.clipped(transform)) is not supported for \(operatorKind); Fairlead reads \(supported) there")
    }
}
