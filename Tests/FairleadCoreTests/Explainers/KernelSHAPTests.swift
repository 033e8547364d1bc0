import Testing
@testable import FairleadCore

@Suite("KernelSHAP")
struct KernelSHAPTests {
    /// Exact enumeration, coalitions valued by evaluating the model (as shap does): equal
    /// to shap's KernelExplainer, which saw the same (for XGBoost float32) margins.
    @Test(arguments: ["linear-diabetes-identity", "xgb-diabetes-squarederror"])
    func exactEnumerationMatchesShap(model name: String) throws {
        let golden = try ModelFixtures.golden(name)
        let data = try ModelFixtures.dataSet(golden.dataset)
        let model = try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        let kernel = try #require(golden.shap_kernel)
        let rows = min(2, try #require(kernel.rows))
        let x = data.rowMatrix.firstRows(rows)
        let explainer = try KernelSHAP(model: model, background: data.backgroundMatrix, sampleCount: 1 << 10, seed: 0,
                                       allowClosedForm: false)
        #expect(explainer.isExact && !explainer.usesTreeGame)
        let attributions = try explainer.explain(x)
        let scale = max(1, abs(try #require(kernel.expected_value)))
        #expect(abs(attributions.baseValue - (kernel.expected_value ?? .nan)) < 1e-9 * scale)
        for row in 0..<rows {
            #expect(largestDifference(Array(attributions.values.row(row)), kernel.values[row]) < 1e-8 * scale)
        }
        #expect(attributions.standardErrors?.values.allSatisfy { $0 == 0 } == true)
        #expect(largestDifference(attributions.margins(), model.margins(x)) < 1e-9 * scale)
    }

    /// The closed-form tree game: exact Shapley values in double precision, so equal to
    /// interventional TreeSHAP to rounding, and to shap's KernelExplainer (fed XGBoost's
    /// float32 margins) to float32 precision.
    @Test func exactTreeGameMatchesInterventionalTreeSHAPAndShap() throws {
        let golden = try ModelFixtures.golden("xgb-diabetes-squarederror")
        let data = try ModelFixtures.dataSet(golden.dataset)
        let model = try XGBoostModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        let kernel = try #require(golden.shap_kernel)
        let rows = try #require(kernel.rows)
        let x = data.rowMatrix.firstRows(rows)
        let explainer = try KernelSHAP(model: model, background: data.backgroundMatrix, sampleCount: 1 << 10)
        #expect(explainer.isExact && explainer.usesTreeGame)
        let attributions = try explainer.explain(x)
        let exact = try InterventionalTreeSHAP(model: model, background: data.backgroundMatrix).explain(x)
        let scale = max(1, abs(try #require(kernel.expected_value)))
        #expect(abs(attributions.baseValue - exact.baseValue) < 1e-9 * scale)
        #expect(largestDifference(attributions.values.values, exact.values.values) < 1e-9 * scale)
        #expect(largestDifference(attributions.margins(), model.exactMargins(x)) < 1e-9 * scale)
        for row in 0..<rows {
            #expect(largestDifference(Array(attributions.values.row(row)), kernel.values[row]) < 1e-6 * scale)
        }
    }

    @Test func exactEnumerationOfALinearModelIsLinearSHAP() throws {
        let golden = try ModelFixtures.golden("linear-diabetes-identity")
        let data = try ModelFixtures.dataSet(golden.dataset)
        let model = try LinearModel(contentsOf: ModelFixtures.path(golden.model))
        let x = data.rowMatrix.firstRows(10)
        let kernel = try KernelSHAP(model: model, background: data.backgroundMatrix, sampleCount: 1 << 10).explain(x)
        let linear = try LinearSHAP(model: model, background: data.backgroundMatrix).explain(x)
        #expect(largestDifference(kernel.values.values, linear.values.values) < 1e-9)
        #expect(abs(kernel.baseValue - linear.baseValue) < 1e-9)
    }

    /// 32 features: 1,024 sampled coalitions against the exact interventional values
    /// (interventional TreeSHAP, itself checked against shap, on the same background). The
    /// estimates must be additive, and their errors of the size their standard errors claim.
    @Test func sampledEstimatesAreWithinTheirStandardErrors() throws {
        let golden = try ModelFixtures.golden("xgb-leads-reglogistic")
        let data = try ModelFixtures.dataSet(golden.dataset)
        let model = try XGBoostModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        let rows = 8
        let p = data.feature_names.count
        let x = data.rowMatrix.firstRows(rows)
        let background = data.backgroundMatrix.firstRows(10)
        let explainer = try KernelSHAP(model: model, background: background, sampleCount: 1024, seed: 11)
        #expect(!explainer.isExact)
        let attributions = try explainer.explain(x)
        let exact = try InterventionalTreeSHAP(model: model, background: background).explain(x)
        let errors = try #require(attributions.standardErrors)
        var squaredZ = 0.0, beyondFour = 0, count = 0
        for row in 0..<rows {
            for j in 0..<p {
                let se = errors[row, j]
                let difference = attributions.values[row, j] - exact.values[row, j]
                #expect(se > 0 || abs(difference) < 1e-9)
                guard se > 0 else { continue }
                let z = difference / se
                squaredZ += z * z
                if abs(z) > 4 { beyondFour += 1 }
                count += 1
            }
        }
        // Tree-game values are double sums: additive to the exact margins.
        #expect(largestDifference(attributions.margins(), model.exactMargins(x)) < 1e-9)
        #expect(abs(attributions.baseValue - exact.baseValue) < 1e-6)
        // Mean squared z-score near 1 (a calibrated standard error), few outliers.
        let meanSquaredZ = squaredZ / Double(count)
        #expect(count > 100)
        #expect(meanSquaredZ > 0.4 && meanSquaredZ < 2.5, "mean squared z-score \(meanSquaredZ)")
        #expect(beyondFour <= count / 100)
    }

    @Test func largeSamplesAgreeWithShapsKernelExplainer() throws {
        let golden = try ModelFixtures.golden("xgb-leads-reglogistic")
        let data = try ModelFixtures.dataSet(golden.dataset)
        let model = try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        let kernel = try #require(golden.shap_kernel)
        let rows = try #require(kernel.rows)
        let x = data.rowMatrix.firstRows(rows)
        let background = data.backgroundMatrix.firstRows(try #require(kernel.background_rows))
        let attributions = try KernelSHAP(model: model, background: background,
                                          sampleCount: try #require(kernel.nsamples), seed: 3).explain(x)
        #expect(abs(attributions.baseValue - (kernel.expected_value ?? .nan)) < 1e-6)
        for row in 0..<rows {
            let largest = kernel.values[row].map(abs).max() ?? 1
            // Both are estimates from 10,000 coalitions, each close to the exact values.
            #expect(largestDifference(Array(attributions.values.row(row)), kernel.values[row]) < 0.01 * largest)
        }
    }

    @Test func sameSeedSameValuesAcrossThreads() throws {
        let golden = try ModelFixtures.golden("xgb-leads-logistic")
        let data = try ModelFixtures.dataSet(golden.dataset)
        let model = try ModelLoader.load(contentsOf: ModelFixtures.path(golden.model))
        let x = data.rowMatrix.firstRows(4)
        let background = data.backgroundMatrix.firstRows(5)
        let explainer = try KernelSHAP(model: model, background: background, sampleCount: 128, seed: 5)
        let one = try explainer.explain(x, threads: 1)
        #expect(try explainer.explain(x, threads: 2) == one)
        let other = try KernelSHAP(model: model, background: background, sampleCount: 128, seed: 6).explain(x)
        #expect(other.values != one.values)
    }

    @Test func tooFewCoalitionsIsAClearError() throws {
        // 2 coalitions (one complementary pair) cannot identify 4 attributions.
        let model = LinearModel(featureNames: ["a", "b", "c", "d"], coefficients: [1, 2, 3, 4], intercept: 0, link: .identity)
        let explainer = try KernelSHAP(model: model, background: Matrix(rowArrays: [[0, 0, 0, 0]]), sampleCount: 2, seed: 1)
        #expect {
            try explainer.explain(Matrix(rowArrays: [[1, 1, 1, 1]]))
        } throws: { error in
            guard let error = error as? FairleadError else { return false }
            return error.kind == .invalidData && error.message.hasSuffix("(too few coalitions for 4 features: use more samples)")
        }
    }

    @Test func kernelWeights() {
        // p = 4: (p − 1) / (C(4, s) · s · (4 − s)) = 3/12, 3/24, 3/12 for s = 1, 2, 3.
        #expect(KernelSHAPCoalitions.kernelWeight(size: 1, features: 4) == 0.25)
        #expect(KernelSHAPCoalitions.kernelWeight(size: 2, features: 4) == 0.125)
        #expect(KernelSHAPCoalitions.kernelWeight(size: 3, features: 4) == 0.25)
        let all = KernelSHAPCoalitions.exhaustive(features: 4)
        #expect(all.count == 14)
        #expect(abs(all.weights.reduce(0, +) - 1) < 1e-15)
    }
}
