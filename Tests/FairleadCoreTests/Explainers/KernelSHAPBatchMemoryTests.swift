import Foundation
import Testing
@testable import FairleadCore

/// KernelSHAP's plan of its working memory counts the synthetic batch the model evaluates
/// as the model holds it: the rows, the copy the model makes of them (an XGBoost ensemble
/// rounds them to float32 in one) and their margins.
@Suite struct KernelSHAPBatchMemoryTests {
    /// An XGBoost ensemble of `features` features (more than 64, so that coalitions are
    /// valued by evaluating it, not by the tree game): one split on x0.
    static func wideModel(features: Int) throws -> TreeEnsemble {
        let names = (0..<features).map { "\"x\($0)\"" }.joined(separator: ",")
        let tree = #"{"tree_param":{"num_nodes":"3"},"left_children":[1,-1,-1],"right_children":[2,-1,-1],"split_indices":[0,0,0],"split_conditions":[0.5,-1,1],"default_left":[0,0,0],"sum_hessian":[2,1,1]}"#
        let json = #"{"learner":{"feature_names":["# + names + #"],"learner_model_param":{"base_score":"5E-1","num_class":"0","num_feature":""#
            + "\(features)" + #"","num_target":"1"},"objective":{"name":"binary:logistic"},"gradient_booster":{"name":"gbtree","model":{"gbtree_model_param":{"num_trees":"1"},"trees":["#
            + tree + "]}}}}"
        return try XGBoostModelLoader.load(jsonData: Data(json.utf8), path: "wide.json")
    }

    static func background(rows: Int, features: Int) -> Matrix {
        Matrix(rows: rows, columns: features, values: (0..<(rows * features)).map { Double($0 % 7) / 7 })
    }

    /// 100 features, 64 background rows, 2,048 samples: a batch of 1,024 coalitions × 64
    /// rows. Planned at 101 doubles a row, the batch (53 MB) and the coalitions (3.3 MB) fit
    /// 80 MB; the model's float32 copy of the batch takes as much again (the attributions
    /// command peaked about 104 MiB above its start on it), and now counts.
    @Test func aBatchTheModelCopiesIsPlannedWithItsCopy() throws {
        let model = try Self.wideModel(features: 100)
        let kernel = try KernelSHAP(model: model, background: Self.background(rows: 64, features: 100), sampleCount: 2048)
        #expect(!kernel.usesTreeGame)
        #expect(kernel.workingMemory(threads: 1) == 2048 * 202 * 8 + 65_536 * 202 * 8)
        #expect(kernel.workingMemory(threads: 2) == 2 * kernel.workingMemory(threads: 1))

        var limits = Limits()
        limits.memoryBudgetBytes = 80_000_000
        let error = #expect(throws: FairleadError.self) { try kernel.checkWorkingMemory(threads: 1, limits: limits) }
        #expect(error?.limit == .memoryBudgetBytes)
        #expect(error?.message == "KernelSHAP with 2048 samples per row over 100 features and 64 background rows needs about 104.2 MiB of working memory, above the limit of 76.3 MiB, 101 MiB of it for the batch of 65536 synthetic rows the model evaluates; fewer background rows or samples per row need less",
                "\(String(describing: error))")
    }

    /// With 4 background rows the batch is 2,048 coalitions × 4 rows: planned at 16 MB, it
    /// fits the same budget, and the row is explained additively.
    @Test func aSmallerBackgroundFitsAndExplains() throws {
        let model = try Self.wideModel(features: 100)
        let kernel = try KernelSHAP(model: model, background: Self.background(rows: 4, features: 100), sampleCount: 2048)
        var limits = Limits()
        limits.memoryBudgetBytes = 80_000_000
        try kernel.checkWorkingMemory(threads: 1, limits: limits)
        #expect(kernel.workingMemory(threads: 1) == 2048 * 202 * 8 + 8_192 * 202 * 8)

        var row = [Double](repeating: 0.25, count: 100)
        row[0] = 0.9
        let attributions = try kernel.explain(Matrix(rows: 1, columns: 100, values: row))
        let margin = model.margins(Matrix(rows: 1, columns: 100, values: row))[0]
        let total = attributions.baseValue + (0..<100).reduce(0) { $0 + attributions.values[0, $1] }
        #expect(abs(total - margin) < 1e-9, "\(total) against \(margin)")
        // Only x0 is split on: the whole difference from the base is x0's.
        #expect(abs(attributions.values[0, 0] - (margin - attributions.baseValue)) < 1e-6, "\(attributions.values[0, 0])")
    }
}
