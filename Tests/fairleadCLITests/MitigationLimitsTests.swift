import Foundation
import Testing

/// Group thresholds that use the slack of the profile's limits: with
/// `disparate_impact >= 0.8` the groups' selection rates may differ by a factor 1.25, and
/// the `demographic_parity_within_limits` option keeps more conversions than exact
/// demographic parity, within the same capacity, while the rule holds.
@Suite struct MitigationLimitsTests {
    static func mitigate(rules: String) throws -> [String: Any] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path
        let profile = folder.appendingPathComponent("limits.yaml")
        try """
            name: limits
            data: {path: \(data), score: score, label: converted, score_range: [0, 1]}
            decisions: [{threshold: 0.3}]
            sensitive: [{column: ethnicity, reference: white}]
            rules: \(rules)
            settings: {bootstrap: 0}
            """.write(to: profile, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["mitigate", "--profile", profile.path, "--format", "json"])
        #expect([0, 1].contains(result.exitCode), "\(result.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        return try #require((json["decisions"] as? [String: Any])?["threshold_0.3"] as? [String: Any])
    }

    static func option(_ decision: [String: Any], _ constraint: String) throws -> (cost: [String: Any], rates: [Double]) {
        let options = try #require(decision["group_thresholds"] as? [[String: Any]])
        let option = try #require(options.first { $0["constraint"] as? String == constraint }, "\(constraint)")
        let groups = try #require(option["groups"] as? [String: [String: Any]])
        return (try #require(option["cost"] as? [String: Any]), groups.values.compactMap { $0["selection_rate"] as? Double })
    }

    @Test(arguments: ["[disparate_impact >= 0.8]"])
    func slackKeepsMoreConversionsThanExactParity(rules: String) throws {
        let decision = try Self.mitigate(rules: rules)
        let capacity = try #require(decision["capacity"] as? Double)
        let exact = try Self.option(decision, "demographic_parity")
        let relaxed = try Self.option(decision, "demographic_parity_within_limits")
        let exactConversions = try #require(exact.cost["conversions"] as? Double)
        let relaxedConversions = try #require(relaxed.cost["conversions"] as? Double)
        #expect(relaxedConversions > exactConversions + 1, "\(relaxedConversions) vs exact parity's \(exactConversions)")
        #expect((relaxed.cost["selected"] as? Double ?? .infinity) <= capacity * (1 + 1e-9))
        let checks = try #require(relaxed.cost["rules"] as? [[String: Any]])
        #expect(!checks.isEmpty)
        #expect(checks.allSatisfy { $0["holds"] as? Bool == true }, "\(checks)")
        // The rates differ, within the limit: max ÷ min ≤ 1.25, or max − min ≤ 0.05.
        let low = try #require(relaxed.rates.min()), high = try #require(relaxed.rates.max())
        #expect(high > low + 1e-6)
        if rules.contains("disparate_impact") { #expect(low / high >= 0.8 - 1e-9) } else { #expect(high - low <= 0.05 + 1e-9) }
        // Exact parity: every group at one rate.
        #expect((exact.rates.max() ?? 0) - (exact.rates.min() ?? 0) <= 1e-9)
    }

    /// A rule that leaves no slack (a disparate impact of at least 1) gets no such option.
    @Test func noSlackNoRelaxedOption() throws {
        let decision = try Self.mitigate(rules: "[disparate_impact >= 1]")
        let options = try #require(decision["group_thresholds"] as? [[String: Any]])
        #expect(!options.contains { $0["constraint"] as? String == "demographic_parity_within_limits" })
    }
}
