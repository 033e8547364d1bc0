import Foundation
import Testing

/// A suppressed view withholds every lead-queue value that reads a withheld cell
/// (docs/privacy.md, "What a cell is"): a group's calibration in the large is its mean
/// score − its base rate, and the decision table publishes the mean score, so the base
/// rate × the count gives its positives back; AUC, xAUC, ECE and Brier read its labels too.
/// A group whose count is shown but some cell withheld — below `min_cell` or complementary
/// — loses its whole queue row, and the attribute its between-groups values.
@Suite struct CLIPublishQueueTests {
    /// 312 leads: groups a and b of 150 each, c of 12 with 2 converted; `h` splits the
    /// same rows in two large halves, none of whose cells is small.
    static let csv: String = {
        var lines = ["lead_id,score,converted,g,h"]
        for row in 0..<312 {
            let group = row < 150 ? "a" : row < 300 ? "b" : "c"
            let score = group == "c" ? Double((row * 53 + 29) % 1000) / 1000 : Double((row * 37 + 11) % 1000) / 1000
            let converted = group == "c" ? (row < 302 ? 1 : 0) : ((row * 7 + 3) % 11 < 5 ? 1 : 0)
            lines.append("L\(row),\(score),\(converted),\(group),\(row % 2 == 0 ? "even" : "odd")")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static let queueMetrics = ["auc", "xauc_versus_rest", "xauc_rest_versus", "xauc_disparity", "ks_statistic",
                               "wasserstein_distance", "expected_calibration_error", "calibration_in_the_large", "brier_score"]

    static func setUp() throws -> (folder: URL, profile: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-publish-queue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try csv.write(to: folder.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("profile.yaml").path
        try """
            name: publish-queue
            data: {path: leads.csv, score: score, label: converted, score_range: [0, 1]}
            decisions: [{threshold: 0.5}]
            sensitive: [g, h]
            rules: [disparate_impact >= 0.8]
            privacy: {min_cell: 10}
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        return (folder, profile)
    }

    static func audit(_ profile: String, format: String, publish: Bool = true) throws -> String {
        let result = try CLIProcess.run(["audit", "--profile", profile, "--threads", "1", "--format", format] + (publish ? ["--publish"] : []))
        #expect([0, 1].contains(result.exitCode), "\(result.standardError)")
        return format == "text" ? CLIProcess.unwrapped(result.standardOutput) : result.standardOutput
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Every number under `value`, with its path.
    static func numbers(_ value: Any, at path: String) -> [String] {
        switch value {
        case let object as [String: Any]: return object.flatMap { numbers($0.value, at: path + "." + $0.key) }
        case let array as [Any]: return array.enumerated().flatMap { numbers($0.element, at: path + "[\($0.offset)]") }
        case is NSNumber: return [path]
        default: return []
        }
    }

    /// The groups of each attribute with a withheld cell, from the view's own list.
    static func groupsWithWithheldCells(_ report: [String: Any]) throws -> [String: Set<String>] {
        let privacy = try #require(report["privacy"] as? [String: Any])
        let suppressed = try #require(privacy["suppressed"] as? [[String: Any]])
        var groups: [String: Set<String>] = [:]
        for cell in suppressed {
            guard let attribute = cell["attribute"] as? String, let group = cell["group"] as? String else { continue }
            groups[attribute, default: []].insert(group)
        }
        return groups
    }

    @Test func noQueueValueOfAGroupWithAWithheldCellIsPublished() throws {
        let (folder, profile) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let full = try Self.object(try Self.audit(profile, format: "json", publish: false))
        let fullQueue = try #require(full["queue"] as? [String: Any])
        let fullGroups = try #require((fullQueue["g"] as? [String: Any])?["groups"] as? [String: [String: Any]])
        // In the full report, c's mean score − its calibration in the large is its base rate: 2 of 12.
        let decisionGroups = try #require(((((full["decisions"] as? [String: Any])?["threshold_0.5"] as? [String: Any])?["attributes"]
            as? [String: Any])?["g"] as? [String: Any])?["groups"] as? [String: [String: Any]])
        let meanScore = try #require(((decisionGroups["c"]?["metrics"] as? [String: Any])?["mean_score"] as? [String: Any])?["value"] as? Double)
        let citl = try #require((fullGroups["c"]?["calibration_in_the_large"] as? [String: Any])?["value"] as? Double)
        #expect(abs((meanScore - citl) * 12 - 2) < 1e-9)

        let published = try Self.object(try Self.audit(profile, format: "json"))
        let withheld = try Self.groupsWithWithheldCells(published)
        // c's cells are below min_cell; b's withheld to protect them; h has none.
        #expect(withheld["g"]?.contains("c") == true)
        #expect(withheld["g"]?.contains("b") == true)
        #expect(withheld["h"] == nil)
        let publishedDecisionGroups = try #require(((((published["decisions"] as? [String: Any])?["threshold_0.5"] as? [String: Any])?["attributes"]
            as? [String: Any])?["g"] as? [String: Any])?["groups"] as? [String: [String: Any]])
        #expect(publishedDecisionGroups["b"]?["count"] as? Int == 150, "b's count is shown")
        #expect(publishedDecisionGroups["c"]?["count"] as? Int == 12, "c's count is shown")

        let queue = try #require(published["queue"] as? [String: Any])
        let queueG = try #require(queue["g"] as? [String: Any])
        let groupsG = try #require(queueG["groups"] as? [String: Any])
        for group in ["b", "c"] { #expect(groupsG[group] == nil, "queue.g.groups.\(group) is published") }
        #expect(Self.numbers(queueG["fairness"] ?? [:], at: "queue.g.fairness").isEmpty)
        #expect(Self.numbers(queueG["threshold_ranges"] ?? [:], at: "queue.g.threshold_ranges").isEmpty)
        // Every number under the queue, in any part, belongs to no group with a withheld cell.
        for (attribute, section) in queue {
            for group in withheld[attribute] ?? [] {
                let section = try #require(section as? [String: Any])
                for part in ["groups", "calibration_bins"] {
                    let held = (section[part] as? [String: Any])?[group].map { Self.numbers($0, at: "queue.\(attribute).\(part).\(group)") } ?? []
                    #expect(held.isEmpty, "\(held)")
                }
                for (cutoff, top) in section["top_k"] as? [String: Any] ?? [:] {
                    let held = ((top as? [String: Any])?["groups"] as? [String: Any])?[group]
                        .map { Self.numbers($0, at: "queue.\(attribute).top_k.\(cutoff).\(group)") } ?? []
                    #expect(held.isEmpty, "\(held)")
                }
            }
        }
        // A table with no withheld cell keeps its queue values.
        let groupsH = try #require((queue["h"] as? [String: Any])?["groups"] as? [String: [String: Any]])
        #expect(Set(groupsH.keys) == ["even", "odd"])
        for metric in Self.queueMetrics { #expect((groupsH["odd"]?[metric] as? [String: Any])?["value"] is Double, "\(metric)") }
        #expect(((queue["h"] as? [String: Any])?["fairness"] as? [String: Any])?["auc_difference"] != nil)
        let parts = try #require((published["privacy"] as? [String: Any])?["withheld"] as? [[String: Any]])
        #expect(parts.contains { $0["path"] as? String == "queue.g.groups" })
    }

    /// The renderings for people show none of b's or c's queue values (calibration in the
    /// large, ECE, Brier, to the 3 digits they print), which the full report's show.
    @Test(arguments: ["markdown", "text", "html"])
    func noRenderingShowsTheQueueValuesOfAGroupWithAWithheldCell(_ format: String) throws {
        let (folder, profile) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fullJSON = try Self.object(try Self.audit(profile, format: "json", publish: false))
        let groups = try #require(((fullJSON["queue"] as? [String: Any])?["g"] as? [String: Any])?["groups"] as? [String: [String: Any]])
        var printed: [String] = []
        for group in ["b", "c"] {
            for metric in ["calibration_in_the_large", "expected_calibration_error", "brier_score"] {
                let value = try #require((groups[group]?[metric] as? [String: Any])?["value"] as? Double)
                printed.append(String(format: "%.3f", value))
            }
        }
        let full = try Self.audit(profile, format: format, publish: false)
        let published = try Self.audit(profile, format: format)
        for value in printed {
            #expect(full.contains(value), "the full \(format) report does not print \(value)")
            #expect(!published.contains(value), "the published \(format) view prints \(value)")
        }
        // g's table, every group of which has a withheld cell, says so instead of showing an empty table.
        #expect(published.contains("queue values are published (see the privacy section)"), "\(published)")
        #expect(!full.contains("queue values are published"))
    }

    /// Drift compares the values the view withholds: a group's selection-rate difference to
    /// the reference, the attribute's disparate impact. Baseline + change is the current
    /// value, so a finding over a withheld value shows none of them; h's keep theirs.
    @Test func driftShowsNoValueTheViewWithholds() throws {
        let (folder, profile) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.audit(profile, format: "json", publish: false).write(to: folder.appendingPathComponent("baseline.json"), atomically: true, encoding: .utf8)
        let watched = folder.appendingPathComponent("watched.yaml").path
        try "extends: profile.yaml\ndrift: {baseline: {pinned: baseline.json}}\n".write(toFile: watched, atomically: true, encoding: .utf8)
        let published = try Self.object(try Self.audit(watched, format: "json"))
        let findings = try #require((published["drift"] as? [String: Any])?["findings"] as? [[String: Any]])
        let compared = findings.filter { ["fairness", "group_difference"].contains($0["kind"] as? String) }
        let fairness = try #require(((((published["decisions"] as? [String: Any])?["threshold_0.5"] as? [String: Any])?["attributes"]
            as? [String: Any])?["g"] as? [String: Any])?["fairness"] as? [String: Any])
        #expect(fairness["disparate_impact"] == nil, "the view withholds g's disparate impact")
        // Selection rates of a (the reference, complementary) and c (below min_cell) are withheld: no difference to the reference is shown.
        let withheld = compared.filter {
            $0["attribute"] as? String == "g" && ($0["kind"] as? String == "group_difference" || fairness[$0["metric"] as? String ?? ""] == nil)
        }
        #expect(withheld.contains { $0["group"] as? String == "c" } && withheld.contains { $0["group"] as? String == "b" }
                && withheld.contains { $0["metric"] as? String == "disparate_impact" }, "\(withheld)")
        for finding in withheld {
            for field in ["baseline", "current", "change", "interval"] {
                #expect(finding[field] == nil, "drift of \(finding["metric"] ?? "") for \(finding["group"] ?? "g") shows its \(field)")
            }
        }
        let h = compared.filter { $0["attribute"] as? String == "h" }
        #expect(!h.isEmpty && h.allSatisfy { $0["current"] is Double }, "\(h)")
    }
}
