import _ONNXSchema

/// Turns an ONNX `LinearClassifier` / `LinearRegressor` node and the columns that feed it
/// into a `LinearModel` over the model's features.
///
/// A column is affine in its feature (`ONNXColumn.affine`: y = a·x + b), so the margin
/// Σₖ βₖ·yₖ + c becomes Σ_f (Σ_{k of f} βₖ·aₖ)·x_f + (c + Σₖ βₖ·bₖ), computed in double.
/// An imputed column keeps its imputed value as the feature's `missingValues` entry, in the
/// feature's units.
struct ONNXLinearBuilder {
    let node: Onnx_NodeProto
    let context: ONNXContext
    let columns: [ONNXColumn]
    let featureNames: [String]

    func build() throws -> LinearModel {
        let attributes = try ONNXAttributes(node, context: context)
        let coefficients = try attributes.floats("coefficients").map(Double.init)
        let intercepts = try attributes.floats("intercepts").map(Double.init)
        let postTransform = try attributes.string("post_transform") ?? "NONE"
        let width = columns.count
        let rows: Int
        let mapping: ONNXScoreMapping
        if node.opType == "LinearClassifier" {
            let labels = max(try attributes.ints("classlabels_ints").count, try attributes.strings("classlabels_strings").count)
            rows = width > 0 ? coefficients.count / width : 0
            guard rows == 1 || rows == 2 else {
                throw context.error("has \(coefficients.count) coefficients for \(width) input columns; Fairlead reads binary classifiers (1 or 2 rows of coefficients)")
            }
            mapping = try ONNXScoreMapping.classifier(labelCount: labels, classIDs: rows == 2 ? [0, 1] : [0],
                                                      postTransform: postTransform, baseValues: intercepts, context: context)
        } else {
            rows = Int(clamping: try attributes.int("targets") ?? 1)
            mapping = try ONNXScoreMapping.regressor(targets: rows, postTransform: postTransform,
                                                     baseValues: intercepts, context: context)
        }
        guard coefficients.count == rows * width else {
            throw context.error("has \(coefficients.count) coefficients; expected \(rows) × \(width) input columns")
        }
        guard intercepts.isEmpty || intercepts.count == rows else {
            throw context.error("has \(intercepts.count) intercepts for \(rows) rows of coefficients")
        }
        if let bad = (coefficients + intercepts).firstIndex(where: { !$0.isFinite }) {
            throw context.error("coefficient or intercept \(bad) is not a finite number")
        }

        var featureCoefficients = [Double](repeating: 0, count: featureNames.count)
        var missingValues = [Double](repeating: .nan, count: featureNames.count)
        var intercept = mapping.baseMargin
        for (k, column) in columns.enumerated() {
            var beta = 0.0
            for row in 0..<rows { beta += mapping.classWeights[row] * coefficients[row * width + k] }
            let (slope, offset, missing) = column.affine
            featureCoefficients[column.feature] += beta * slope
            intercept += beta * offset
            guard !missing.isNaN else { continue }
            guard slope != 0 else {
                throw context.error("input column \(k) is scaled by 0 but imputed; Fairlead cannot fold that into a linear model")
            }
            let imputed = (missing - offset) / slope
            let previous = missingValues[column.feature]
            guard previous.isNaN || previous == imputed else {
                throw context.error("feature \"\(MessageQuote.clipped(featureNames[column.feature]))\" is imputed with two different values")
            }
            missingValues[column.feature] = imputed
        }
        guard intercept.isFinite, featureCoefficients.allSatisfy(\.isFinite) else {
            throw context.error("folding the preprocessing into the coefficients overflows")
        }
        return LinearModel(featureNames: featureNames, coefficients: featureCoefficients, intercept: intercept,
                           link: mapping.link,
                           missingValues: missingValues.contains { !$0.isNaN } ? missingValues : nil)
    }
}
