import Foundation
import Testing
@testable import FairleadCore

/// What ``JSONMemoryPlan`` counts of a JSON text, and the linear model's JSON refused by
/// it before `JSONDecoder` maps a value.
@Suite struct JSONMemoryPlanTests {
    /// Values: every object, array, string (keys too), number and literal. Text: the
    /// strings' bytes with their quotes, escapes as written.
    @Test(arguments: [
        ("{}", 1, 0),
        ("[0,0,0]", 4, 0),
        ("{\"a\": [1.5e3, -2, true, null], \"b\": \"x\\\"y\"}", 9, 3 + 3 + 6),
        ("  [ \"é\" , false ]  ", 3, 4),
        ("[0,0", 3, 0),
    ])
    func countsValuesAndTextBytes(json: String, values: Int, textBytes: Int) {
        let plan = JSONMemoryPlan(counting: Data(json.utf8))
        #expect(plan.values == values)
        #expect(plan.textBytes == textBytes)
        #expect(plan.heldBytes == json.utf8.count)
        #expect(plan.plannedBytes == Double(json.utf8.count + 64 * values + 4 * textBytes))
    }

    static func linearModel(padding: Int) -> Data {
        let zeros = Array(repeating: "0", count: padding).joined(separator: ",")
        return Data("""
            {"format": "fairlead-linear", "version": 1, "link": "logit", "intercept": -1.5, "padding": [\(zeros)],
             "features": [{"name": "web_visits", "coefficient": 0.25}]}
            """.utf8)
    }

    /// 100,000 zeros are 200 KB of file and 6.3 MB planned: refused at a 4 MiB budget with
    /// the limit named; the same model without them loads within it.
    @Test func aLinearModelPlannedAboveTheBudgetIsRefusedBeforeItIsDecoded() throws {
        var limits = Limits()
        limits.memoryBudgetBytes = 4 << 20
        let model = try LinearModel(jsonData: Self.linearModel(padding: 1), path: "m.json", limits: limits)
        #expect(model.featureNames == ["web_visits"])
        do {
            _ = try LinearModel(jsonData: Self.linearModel(padding: 100_000), path: "m.json", limits: limits)
            Issue.record("a model planned above the budget was decoded")
        } catch let error as FairleadError {
            #expect(error.kind == .invalidModel)
            #expect(error.limit == .memoryBudgetBytes)
            #expect(error.location?.file == "m.json")
            #expect(error.message.hasPrefix("the linear model holds 100018 JSON values and 108 bytes of text in 200153 bytes"), "\(error.message)")
            #expect(error.message.hasSuffix("about 6.3 MiB, above the memory budget of 4 MiB"), "\(error.message)")
        }
        // The loader by format passes its limits on.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.linearModel(padding: 100_000).write(to: URL(fileURLWithPath: path))
        #expect(throws: FairleadError.self) { try ModelLoader.load(contentsOf: path, limits: limits) }
        #expect(try ModelLoader.load(contentsOf: path).featureNames == ["web_visits"])
    }
}
