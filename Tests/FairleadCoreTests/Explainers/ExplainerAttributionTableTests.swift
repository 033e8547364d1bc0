import Foundation
import Testing
@testable import FairleadCore

@Suite("Attribution tables and methods")
struct ExplainerAttributionTableTests {
    let table = AttributionTable(
        method: .kernel, ids: ["L1", "a,\"b\""],
        attributions: Attributions(featureNames: ["x", "y"], baseValue: 0.5,
                                   values: Matrix(rowArrays: [[1, -0.25], [0, 2]]),
                                   standardErrors: Matrix(rowArrays: [[0.1, 0], [0, 0.2]])))

    @Test func csvHasIdBaseFeaturesAndMargin() {
        let expected = "id,base_value,x,y,margin\n"
            + "L1,0.5,1,-0.25,1.25\n"
            + "\"a,\"\"b\"\"\",0.5,0,2,2.5\n"
        #expect(table.csv() == expected)
    }

    @Test func jsonParsesBack() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(table.json().utf8)) as? [String: Any])
        #expect(object["method"] as? String == "kernel")
        #expect(object["base_value"] as? Double == 0.5)
        #expect(object["features"] as? [String] == ["x", "y"])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows[1]["id"] as? String == "a,\"b\"")
        #expect(rows[1]["margin"] as? Double == 2.5)
        #expect(rows[0]["values"] as? [Double] == [1, -0.25])
        #expect(rows[1]["standard_errors"] as? [Double] == [0, 0.2])
    }

    @Test func methodsCheckTheModelAndBackground() throws {
        let linear = LinearModel(featureNames: ["a"], coefficients: [2], intercept: 1, link: .identity)
        let x = Matrix(rowArrays: [[1], [3]])
        #expect(AttributionMethod.defaultMethod(for: linear) == .linear)
        let explainer = try AttributionMethod.linear.explainer(for: linear, background: nil, explained: x)
        // Without a background the explained rows are the background: mean 2.
        #expect(try explainer.explain(x, threads: 1).values.values == [-2, 2])
        #expect {
            try AttributionMethod.tree.explainer(for: linear, background: nil, explained: x)
        } throws: { error in
            (error as? FairleadError)?.message == "--method tree explains tree models (XGBoost, LightGBM, ONNX) only"
        }
        #expect {
            try AttributionMethod.kernel.explainer(for: linear, background: nil, explained: x)
        } throws: { error in
            (error as? FairleadError)?.kind == .usage
        }
    }
}
