/// A linear or logistic regression: margin = intercept + Σⱼ coefficientⱼ · xⱼ.
///
/// With `link == .logit` the margin is the log-odds and the probability is its sigmoid
/// (logistic regression); with `.identity` the margin is the prediction. Margins of a batch
/// are one GEMV. Files use Fairlead's linear JSON schema (docs/models.md), or ONNX
/// (`LinearClassifier` / `LinearRegressor`, with `Scaler` folded into the coefficients and
/// `Imputer` kept as `missingValues`).
public struct LinearModel: Model {
    /// The features, in the order of `coefficients`.
    public let featureNames: [String]
    /// One coefficient per feature (per unit of the raw feature).
    public let coefficients: [Double]
    /// The margin when every feature is 0.
    public let intercept: Double
    /// How a margin becomes a prediction.
    public let link: Link
    /// The value that stands for a missing (NaN) feature, per feature (an imputer that was
    /// part of the model, as ONNX `Imputer`); `nil` lets a missing value give a NaN margin.
    public let missingValues: [Double]?

    /// A model over `featureNames`; `coefficients` (and `missingValues`, when given) must
    /// have one entry per name.
    public init(featureNames: [String], coefficients: [Double], intercept: Double, link: Link,
                missingValues: [Double]? = nil) {
        precondition(featureNames.count == coefficients.count, "one coefficient per feature")
        precondition(missingValues.map { $0.count == featureNames.count } ?? true, "one missing value per feature")
        self.featureNames = featureNames
        self.coefficients = coefficients
        self.intercept = intercept
        self.link = link
        self.missingValues = missingValues
    }

    /// intercept + X·β for every row (BLAS GEMV), missing values replaced first.
    public func margins(_ features: Matrix) -> [Double] {
        precondition(features.columns == featureNames.count,
                     "the feature matrix has \(features.columns) columns, the model reads \(featureNames.count)")
        var result = [Double](repeating: intercept, count: features.rows)
        BLAS.gemv(imputed(features), coefficients, into: &result, alpha: 1, beta: 1)
        return result
    }

    /// `features` with every NaN replaced by its column's entry of `missingValues`;
    /// `features` itself when the model has none.
    public func imputed(_ features: Matrix) -> Matrix {
        guard let missingValues else { return features }
        var values = features.values
        let width = features.columns
        values.withUnsafeMutableBufferPointer { values in
            for index in values.indices where values[index].isNaN {
                values[index] = missingValues[index % width]
            }
        }
        return Matrix(rows: features.rows, columns: width, values: values)
    }
}
