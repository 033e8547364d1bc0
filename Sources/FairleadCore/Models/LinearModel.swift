/// A linear or logistic regression: margin = intercept + Σⱼ coefficientⱼ · xⱼ.
///
/// With `link == .logit` the margin is the log-odds and the probability is its sigmoid
/// (logistic regression); with `.identity` the margin is the prediction. Margins of a batch
/// are one GEMV. Files use Fairlead's linear JSON schema (docs/models.md).
public struct LinearModel: Model {
    /// The features, in the order of `coefficients`.
    public let featureNames: [String]
    /// One coefficient per feature (per unit of the raw feature).
    public let coefficients: [Double]
    /// The margin when every feature is 0.
    public let intercept: Double
    /// How a margin becomes a prediction.
    public let link: Link

    /// A model over `featureNames`; `coefficients` must have one entry per name.
    public init(featureNames: [String], coefficients: [Double], intercept: Double, link: Link) {
        precondition(featureNames.count == coefficients.count, "one coefficient per feature")
        self.featureNames = featureNames
        self.coefficients = coefficients
        self.intercept = intercept
        self.link = link
    }

    /// intercept + X·β for every row (BLAS GEMV).
    public func margins(_ features: Matrix) -> [Double] {
        precondition(features.columns == featureNames.count,
                     "the feature matrix has \(features.columns) columns, the model reads \(featureNames.count)")
        var result = [Double](repeating: intercept, count: features.rows)
        BLAS.gemv(features, coefficients, into: &result, alpha: 1, beta: 1)
        return result
    }
}
