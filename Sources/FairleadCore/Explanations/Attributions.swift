/// Per-row feature attributions of a model's margins: row i, column j is feature j's
/// contribution to row i's margin, measured from a base value.
///
/// Exact methods (LinearSHAP, TreeSHAP) are additive: for every row,
/// `baseValue + Σⱼ values[i, j]` equals the model's margin (within floating-point rounding,
/// ≤ 1e-9 on the fixtures). KernelSHAP is additive by construction too and also reports a
/// standard error per attribution.
///
///     let attributions = try TreeSHAP(model: ensemble).explain(x)
///     attributions.values[0, 3]         // feature 3's contribution to row 0
///     attributions.margins()[0]         // = baseValue + row sum
public struct Attributions: Sendable, Equatable {
    /// The features (or feature groups), one per column of `values`.
    public var featureNames: [String]
    /// The expected margin the attributions are measured from (SHAP's `expected_value`).
    public var baseValue: Double
    /// n × p attributions in margin space.
    public var values: Matrix
    /// n × p standard errors of sampled attributions (KernelSHAP), nil for exact methods.
    public var standardErrors: Matrix?

    /// Attributions over `featureNames`; `values` needs one column per name.
    public init(featureNames: [String], baseValue: Double, values: Matrix, standardErrors: Matrix? = nil) {
        precondition(values.columns == featureNames.count, "one column of values per feature")
        precondition(standardErrors.map { $0.rows == values.rows && $0.columns == values.columns } ?? true,
                     "standard errors must have the shape of values")
        self.featureNames = featureNames
        self.baseValue = baseValue
        self.values = values
        self.standardErrors = standardErrors
    }

    /// The number of explained rows.
    public var rowCount: Int { values.rows }

    /// baseValue + Σⱼ values[i, j] for every row: the margin the attributions add up to.
    public func margins() -> [Double] {
        let width = values.columns
        return values.withUnsafeBufferPointer { buffer in
            (0..<values.rows).map { row in
                var sum = baseValue
                for column in 0..<width { sum += buffer[row * width + column] }
                return sum
            }
        }
    }
}
