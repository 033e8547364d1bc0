/// Exact interventional SHAP values of a `LinearModel` against a background data set
/// (shap's LinearExplainer with `feature_perturbation="interventional"`).
///
/// With features independent of each other under the background distribution, the
/// Shapley value of feature j is its coefficient times its deviation from the background
/// mean: φᵢⱼ = βⱼ · (xᵢⱼ − μⱼ), μ = column means of the background. The base value is the
/// background's mean margin, intercept + β·μ, so base + Σⱼ φᵢⱼ is the row's margin exactly.
/// A missing (NaN) feature value gives a NaN attribution, unless the model has
/// `missingValues` (an imputer folded in): rows and background are imputed first.
///
///     let shap = try LinearSHAP(model: logistic, background: sample)
///     let attributions = shap.explain(x, threads: 2)
public struct LinearSHAP: Explainer {
    /// The explained model.
    public let model: LinearModel
    /// μ: the background's mean of every feature.
    public let backgroundMean: [Double]

    /// An explainer against `background` (rows × the model's features), summarised by its
    /// column means (one GEMV).
    ///
    /// - Throws: `FairleadError(.invalidData)` when the background has no rows or a
    ///   feature's mean is not finite (a missing value), with the row of the first such
    ///   value (`row`) and the feature (`location.field`).
    public init(model: LinearModel, background: Matrix) throws {
        precondition(background.columns == model.featureNames.count,
                     "the background has \(background.columns) columns, the model reads \(model.featureNames.count)")
        guard background.rows > 0 else {
            throw FairleadError(.invalidData, "the background data set for LinearSHAP has no rows")
        }
        var mean = [Double](repeating: 0, count: background.columns)
        let weights = [Double](repeating: 1 / Double(background.rows), count: background.rows)
        let imputed = model.imputed(background)
        BLAS.gemv(imputed, weights, into: &mean, transposeA: true)
        if let bad = mean.firstIndex(where: { !$0.isFinite }) {
            // The first row without a finite value, for the caller to place in its file.
            let name = model.featureNames[bad]
            let row = (0..<imputed.rows).first { !imputed[$0, bad].isFinite }
            throw FairleadError(.invalidData,
                                (row == nil ? "the background's mean of \"\(MessageQuote.clipped(name))\" is not finite"
                                            : "the background has no value (missing or not finite) of \"\(MessageQuote.clipped(name))\" in this row")
                                    + "; LinearSHAP needs the mean of each feature over the background",
                                at: SourceLocation(field: name), row: row)
        }
        self.init(model: model, backgroundMean: mean)
    }

    /// An explainer against a background given by its feature means.
    public init(model: LinearModel, backgroundMean: [Double]) {
        precondition(backgroundMean.count == model.featureNames.count, "one mean per feature")
        self.model = model
        self.backgroundMean = backgroundMean
    }

    /// The model's features.
    public var featureNames: [String] { model.featureNames }

    /// intercept + β·μ: the background's mean margin.
    public var baseValue: Double { model.intercept + BLAS.dot(model.coefficients, backgroundMean) }

    /// Attributions for every row of `features`, on one thread.
    public func explain(_ features: Matrix) -> Attributions {
        explain(features, threads: 1)
    }

    /// Attributions for every row of `features`, rows split across `threads` threads.
    ///
    /// One streaming pass: read xᵢⱼ, write βⱼ·xᵢⱼ − βⱼ·μⱼ. It is bound by memory bandwidth,
    /// which a plain vectorised loop saturates; a BLAS call would need the same pass.
    public func explain(_ features: Matrix, threads: Int) -> Attributions {
        precondition(features.columns == model.featureNames.count,
                     "the feature matrix has \(features.columns) columns, the model reads \(model.featureNames.count)")
        let values = Matrix(rows: features.rows, columns: features.columns) { output in
            fill(output, from: features, threads: threads)
        }
        return Attributions(featureNames: model.featureNames, baseValue: baseValue, values: values)
    }

    /// Writes the attributions of `features` into `values` (same shape), reusing its memory:
    /// for streaming many chunks of rows without allocating (and page-faulting) each time.
    /// The base value is `baseValue`.
    public func explain(_ features: Matrix, into values: inout Matrix, threads: Int = 1) {
        precondition(features.columns == model.featureNames.count && values.rows == features.rows
                     && values.columns == features.columns, "values must have the shape of features")
        values.withUnsafeMutableBufferPointer { output in
            fill(output, from: features, threads: threads)
        }
    }

    /// Writes βⱼ·xᵢⱼ − βⱼ·μⱼ for every element (initializing or overwriting plain doubles).
    private func fill(_ output: UnsafeMutableBufferPointer<Double>, from features: Matrix, threads: Int) {
        let features = model.imputed(features)
        let width = model.featureNames.count
        let offsets = zip(model.coefficients, backgroundMean).map { $0 * $1 }
        features.withUnsafeBufferPointer { input in
            model.coefficients.withUnsafeBufferPointer { beta in
                offsets.withUnsafeBufferPointer { offset in
                    let pointers = UncheckedSendable((input.baseAddress, output.baseAddress, beta.baseAddress, offset.baseAddress))
                    RowParallelism.forEachChunk(rowCount: features.rows, threads: threads, minimumChunk: 4096) { rows in
                        guard let input = pointers.value.0, let output = pointers.value.1,
                              let beta = pointers.value.2, let offset = pointers.value.3 else { return }
                        for r in rows {
                            let base = r * width
                            for j in 0..<width {
                                (output + base + j).initialize(to: beta[j] * input[base + j] - offset[j])
                            }
                        }
                    }
                }
            }
        }
    }
}
