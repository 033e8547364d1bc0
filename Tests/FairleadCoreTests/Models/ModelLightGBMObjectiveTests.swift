import Foundation
import Testing
@testable import FairleadCore

/// LightGBM's `objective=` line carries the objective's parameters after its name, and each
/// changes how LightGBM turns raw scores into predictions: one Fairlead does not implement
/// is refused, never read as the bare objective (`regression sqrt`, from `reg_sqrt=True`,
/// predicts sign(s)·s² and was read as the identity: wrong scores).
@Suite struct ModelLightGBMObjectiveTests {
    /// The diabetes regression model (line 7 `objective=regression`) with line 7 replaced.
    static func load(objective: String) throws -> TreeEnsemble {
        let text = try String(contentsOfFile: ModelFixtures.path("lgb-diabetes-regression.txt"), encoding: .utf8)
            .replacingOccurrences(of: "\nobjective=regression\n", with: "\nobjective=\(objective)\n")
        return try LightGBMModelLoader.load(textData: Data(text.utf8), path: "m.txt")
    }

    static let supported = "Fairlead reads binary (sigmoid:1), cross_entropy and the identity-link regressions (regression, regression_l1, huber, fair, quantile, mape) without other parameters"

    @Test(arguments: [
        ("binary sigmoid:1", Link.logit), ("binary", .logit), ("cross_entropy", .logit), ("xentropy", .logit),
        ("regression", .identity), ("regression_l1", .identity), ("huber", .identity), ("fair", .identity),
        ("quantile", .identity), ("mape", .identity),
    ])
    func eachSupportedObjectiveHasItsLink(objective: String, link: Link) throws {
        #expect(try Self.load(objective: objective).link == link)
    }

    @Test(arguments: [
        ("regression sqrt",
         "objective \"regression sqrt\" has the parameter \"sqrt\", which is not supported (reg_sqrt: LightGBM predicts sign(s)·s² of the trees' sum s, which no link Fairlead explains in margins can follow); \(supported)"),
        ("regression_l1 sqrt",
         "objective \"regression_l1 sqrt\" has the parameter \"sqrt\", which is not supported (reg_sqrt: LightGBM predicts sign(s)·s² of the trees' sum s, which no link Fairlead explains in margins can follow); \(supported)"),
        ("quantile alpha:0.9", "objective \"quantile alpha:0.9\" has the parameter \"alpha:0.9\", which is not supported; \(supported)"),
        ("cross_entropy sqrt", "objective \"cross_entropy sqrt\" has the parameter \"sqrt\", which is not supported (reg_sqrt: LightGBM predicts sign(s)·s² of the trees' sum s, which no link Fairlead explains in margins can follow); \(supported)"),
        ("binary sigmoid:1 sqrt", "objective \"binary sigmoid:1 sqrt\" has the parameter \"sqrt\", which is not supported (reg_sqrt: LightGBM predicts sign(s)·s² of the trees' sum s, which no link Fairlead explains in margins can follow); \(supported)"),
        ("binary sigmoid:2", "binary objective with sigmoid:2 is not supported (only sigmoid:1)"),
        ("multiclass num_class:3", "objective \"multiclass num_class:3\" is not supported; Fairlead reads binary, cross_entropy and the regression objectives with an identity link"),
        ("poisson", "objective \"poisson\" is not supported; Fairlead reads binary, cross_entropy and the regression objectives with an identity link"),
        ("cross_entropy_lambda", "objective \"cross_entropy_lambda\" is not supported; Fairlead reads binary, cross_entropy and the regression objectives with an identity link"),
    ])
    func anObjectiveParameterFairleadDoesNotImplementIsRefusedAtItsLine(objective: String, message: String) throws {
        #expect(throws: FairleadError(.invalidModel, message, at: SourceLocation(file: "m.txt", line: 7))) {
            _ = try Self.load(objective: objective)
        }
    }
}
