import Foundation
import Testing
@testable import FairleadCore

@Suite("Multivariate proxy check: cross-validated L2 logistic regression against scikit-learn")
struct MultivariateProxyCheckTests {
    @Test(arguments: ["ethnicity", "gender", "age_band"])
    func matchesScikitLearn(attribute name: String) throws {
        let golden = try #require(try ExplanationFixtures.golden().multivariate[name])
        let model = try ExplanationFixtures.model()
        let (reader, batch) = try ExplanationFixtures.leads(model)
        let attribute = try #require(batch.attributes.first { $0.name == name })
        // The attribute's own columns are left out of its check.
        let keep = reader.sources.featureNames.indices.filter { reader.sources.sources[reader.sources.membership[$0]].name != name }
        var values: [Double] = []
        for row in 0..<batch.count { values += keep.map { batch.features[row, $0] } }
        let x = Matrix(rows: batch.count, columns: keep.count, values: values)
        let check = try MultivariateProxyCheck(features: x, attribute: attribute, folds: 5, l2: 1)
        #expect(check.rows == golden.rows)
        #expect(check.featureCount == golden.features)
        #expect(check.groups.map(\.group) == golden.groups.keys.sorted())
        for group in check.groups {
            let expected = try #require(golden.groups[group.group])
            #expect(group.positives == expected.positives)
            #expect(abs(group.crossValidatedAUC - expected.cv_auc) < 1e-6, "\(name) = \(group.group)")
        }
        // The planted proxy makes ethnicity predictable from the features; the others are not.
        let best = try #require(check.best)
        #expect(name == "ethnicity" ? best.crossValidatedAUC > 0.9 : best.crossValidatedAUC < 0.6)
    }

    @Test func logisticRegressionSolvesItsOptimality() throws {
        // At the optimum: Xᵀ(μ − y) + λ w = 0 and Σ (μ − y) = 0 (unpenalized intercept).
        let x = Matrix(rowArrays: [[0.5, 1], [1.5, -1], [-0.3, 0.2], [2, 0], [-1, -2], [0.1, 0.4]])
        let y: [Double] = [1, 0, 0, 1, 0, 1]
        let fit = try RegularizedLogisticRegression(features: x, labels: y, l2: 0.7)
        let mu = fit.linearPredictor(x).map { 1 / (1 + exp(-$0)) }
        let residual = zip(mu, y).map { $0 - $1 }
        #expect(abs(residual.reduce(0, +)) < 1e-10)
        for column in 0..<2 {
            let gradient = (0..<6).reduce(0.0) { $0 + x[$1, column] * residual[$1] } + 0.7 * fit.weights[column]
            #expect(abs(gradient) < 1e-10)
        }
    }
}
