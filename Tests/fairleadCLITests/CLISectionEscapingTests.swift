import Foundation
import Testing

/// The individual-fairness and mitigation sections on hostile data: group values (the
/// one-hot `channel` the model reads: HTML, a formula, an ANSI escape) reach the
/// counterfactual check's per-group counts, the options' group rules and the reweighing
/// factors; no rendering passes a control character or live HTML through.
@Suite struct CLISectionEscapingTests {
    static func run(format: String) throws -> CLIProcess.Result {
        let folder = try CLIOutputEscapingTests.hostileFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            name: hostile-sections
            data: {path: hostile.csv, score: score, label: converted, score_range: [0, 1]}
            decisions: [{threshold: 0.5}]
            sensitive: [{column: channel}]
            model: {path: model.json, explainer: linear}
            individual_fairness: {neighbours: 3}
            mitigation: {thresholds: true, reweighing: true}
            rules: [consistency >= 0.9, counterfactual_flip_rate <= 0.01, disparate_impact >= 0.8]
            settings: {bootstrap: 0, min_group_size: 1}
            """.write(to: folder.appendingPathComponent("profile.yaml"), atomically: true, encoding: .utf8)
        return try CLIProcess.run(["audit", "--profile", folder.appendingPathComponent("profile.yaml").path, "--format", format]
                                  + (format == "text" ? ["--verbose"] : []))
    }

    @Test(arguments: ["text", "markdown", "html", "json"])
    func sectionsCarryNoRawControlOrMarkup(format: String) throws {
        let result = try Self.run(format: format)
        #expect([0, 1].contains(result.exitCode), "\(result.standardError)")
        let output = result.standardOutput
        #expect(CLIOutputEscapingTests.rawControls(output, allowingTab: false).isEmpty, "\(CLIOutputEscapingTests.rawControls(output))")
        switch format {
        case "text":
            #expect(output.contains("Individual fairness"))
            #expect(output.contains("Mitigation options"))
            #expect(output.contains("\\x1B[7mweb"))
        case "markdown":
            #expect(output.contains("## Individual fairness"))
            #expect(!output.contains("<b>bold</b>"))
        case "html":
            #expect(output.contains("id=\"individual-fairness\""))
            #expect(output.contains("id=\"mitigation\""))
            #expect(!output.contains("<b>bold</b>"))
            #expect(output.contains("&lt;b&gt;bold&lt;/b&gt;"))
        default:
            let report = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            let factors = try #require(((report["mitigation"] as? [String: Any])?["reweighing"] as? [String: Any])?["factors"] as? [String: Any])
            #expect(Set(factors.keys) == ["<b>bold</b>", "@SUM(A1)", "\u{1B}[7mweb"])
            #expect(report["individual_fairness"] != nil)
        }
    }
}
