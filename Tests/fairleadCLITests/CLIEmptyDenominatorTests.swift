import Foundation
import Testing

/// A group with rows whose value of a metric is undefined because the metric's own
/// denominator is empty there (no actual positives for the true positive rate, none
/// selected for precision): the finding's reason names that group and what it lacks,
/// never "a second group's rows".
@Suite struct CLIEmptyDenominatorTests {
    /// What group 'b' lacks, and its 40 rows as (score, label).
    enum Shape: String, CaseIterable {
        case noActualPositives, noActualNegatives, noneSelected, noneUnselected

        /// Group b's rows: 40 of them, each with what the shape leaves out missing.
        var rowsOfB: [(score: Double, label: Int)] {
            (0..<40).map { index in
                let score = index % 2 == 0 ? 0.8 : 0.2
                let label = index % 4 < 2 ? 1 : 0
                switch self {
                case .noActualPositives: return (score, 0)
                case .noActualNegatives: return (score, 1)
                case .noneSelected: return (0.2, label)
                case .noneUnselected: return (0.8, label)
                }
            }
        }

        /// What would decide the finding.
        var remedy: String {
            switch self {
            case .noActualPositives: "labelled leads that converted (label 1) in 'b' would decide it"
            case .noActualNegatives: "labelled leads that did not convert (label 0) in 'b' would decide it"
            case .noneSelected: "a decision that selects some leads in 'b' would decide it"
            case .noneUnselected: "a decision that leaves some leads in 'b' unselected would decide it"
            }
        }

        /// The words of the reason for the empty denominator.
        var lacks: String {
            switch self {
            case .noActualPositives: "no actual positives (label 1)"
            case .noActualNegatives: "no actual negatives (label 0)"
            case .noneSelected: "none the decision selects (predicted positives)"
            case .noneUnselected: "none the decision leaves unselected (predicted negatives)"
            }
        }
    }

    /// Every metric of the catalog whose per-group value is a share of a subset of the
    /// rows, with the shape that empties that subset in group b and the rate that needs it.
    static let cases: [(metric: String, shape: Shape, needs: String)] = [
        ("true_positive_rate", .noActualPositives, "true_positive_rate"),
        ("false_negative_rate", .noActualPositives, "false_negative_rate"),
        ("false_positive_rate", .noActualNegatives, "false_positive_rate"),
        ("true_negative_rate", .noActualNegatives, "true_negative_rate"),
        ("positive_predictive_value", .noneSelected, "positive_predictive_value"),
        ("false_discovery_rate", .noneSelected, "false_discovery_rate"),
        ("negative_predictive_value", .noneUnselected, "negative_predictive_value"),
        ("false_omission_rate", .noneUnselected, "false_omission_rate"),
        ("equal_opportunity_difference", .noActualPositives, "true_positive_rate"),
        ("equal_opportunity_ratio", .noActualPositives, "true_positive_rate"),
        ("false_negative_rate_difference", .noActualPositives, "false_negative_rate"),
        ("false_negative_rate_ratio", .noActualPositives, "false_negative_rate"),
        ("equalized_odds_difference", .noActualPositives, "true_positive_rate"),
        ("equalized_odds_ratio", .noActualNegatives, "false_positive_rate"),
        ("predictive_parity_difference", .noneSelected, "positive_predictive_value"),
        ("predictive_parity_ratio", .noneSelected, "positive_predictive_value"),
        ("false_omission_rate_difference", .noneUnselected, "false_omission_rate"),
        ("false_omission_rate_ratio", .noneUnselected, "false_omission_rate"),
        ("average_odds_difference", .noActualPositives, "true_positive_rate"),
        ("average_abs_odds_difference", .noActualNegatives, "false_positive_rate"),
    ]

    /// The table above covers the catalog: every group rate and disparity that needs
    /// labels is a share of a subset of a group's rows, except the two over all of them.
    @Test func theCasesCoverEveryMetricOfTheCatalogWithASubsetDenominator() throws {
        let result = try CLIProcess.run(["metrics", "--format", "markdown"])
        #expect(result.exitCode == 0)
        let subsets = result.standardOutput.split(separator: "\n").compactMap { line -> String? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 4, ["group rate", "disparity"].contains(cells[2]), cells[4] == "labels" else { return nil }
            return cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
        }.filter { !["base_rate", "accuracy"].contains($0) }
        #expect(subsets.count == 20)
        #expect(Set(subsets) == Set(Self.cases.map(\.metric)))
    }

    /// Group a: 40 rows with every cell filled; group b: 40 rows shaped by `shape`.
    static func data(_ shape: Shape, in folder: URL) throws -> String {
        var lines = ["score,label,group"]
        for index in 0..<40 {
            lines.append("\(index % 2 == 0 ? 0.8 : 0.2),\(index % 4 < 2 ? 1 : 0),a")
        }
        for row in shape.rowsOfB { lines.append("\(row.score),\(row.label),b") }
        let path = folder.appendingPathComponent("\(shape.rawValue).csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: cases.map(\.metric))
    func theReasonNamesTheGroupAndTheDenominatorItLacks(metric: String) throws {
        let entry = try #require(Self.cases.first { $0.metric == metric })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("denominators-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.data(entry.shape, in: folder)
        let profile = folder.appendingPathComponent("p.yaml").path
        try """
            name: denominators
            data: {path: \(path), score: score, label: label, score_range: [0, 1]}
            decisions: [{threshold: 0.5}]
            sensitive: [{column: group, reference: a}]
            settings: {min_group_size: 5, bootstrap: 0}
            rules: ["\(metric) >= 0.01"]
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["audit", "--profile", profile, "--format", "json"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        // Per-group rates: b's finding; comparisons: every finding (one, or b's against a).
        let judged = findings.filter { ($0["group"] as? String).map { $0 == "b" } ?? true }
        #expect(judged.count == 1, "\(findings)")
        for finding in judged {
            let reason = try #require(finding["reason"] as? String)
            #expect(finding["verdict"] as? String == "insufficient_evidence")
            #expect(reason.contains("group 'b' has 40 rows but \(entry.shape.lacks), which \(entry.needs) needs"), "\(reason)")
            #expect(!reason.contains("rows of a second group"), "\(reason)")
            // What would decide it is what b lacks, in b.
            #expect(reason.hasSuffix("; \(entry.shape.remedy)"), "\(reason)")
        }
    }
}
