/// One column of a tensor inside an ONNX graph, as a function of one model feature: the
/// feature's value after the per-column steps (`Imputer`, `Scaler`) that lead to it.
///
/// onnxruntime computes each step in float32, and so does `value(_:)`: a tree split on the
/// column is folded into a split on the feature by searching the float32 values of the
/// feature (`ONNXTreeEnsembleBuilder`), which is exact because every step is monotone.
struct ONNXColumn: Sendable, Equatable {
    /// One per-column operation.
    enum Step: Sendable, Equatable {
        /// A missing value (NaN) becomes this value (`Imputer`).
        case impute(Float)
        /// y = (x − offset) · scale (`Scaler`).
        case scale(offset: Float, scale: Float)
    }

    /// The model feature (index into the loader's feature names) the column derives from.
    var feature: Int
    /// The steps, in the order the graph applies them.
    var steps: [Step] = []

    /// The column's value when the feature is `x`, in onnxruntime's float32 arithmetic.
    func value(_ x: Float) -> Float {
        var y = x
        for step in steps {
            switch step {
            case .impute(let replacement):
                if y.isNaN { y = replacement }
            case .scale(let offset, let scale):
                y = (y - offset) * scale
            }
        }
        return y
    }

    /// The column as an affine function of the feature in double precision, for linear
    /// models: y = slope · x + intercept for a present x, and `missing` (NaN when nothing
    /// imputes) for a missing one.
    var affine: (slope: Double, intercept: Double, missing: Double) {
        var (slope, intercept, missing) = (1.0, 0.0, Double.nan)
        for step in steps {
            switch step {
            case .impute(let replacement):
                if missing.isNaN { missing = Double(replacement) }
            case .scale(let offset, let scale):
                let (o, s) = (Double(offset), Double(scale))
                slope *= s
                intercept = (intercept - o) * s
                missing = (missing - o) * s
            }
        }
        return (slope, intercept, missing)
    }
}
