import Foundation
import Testing

/// A suppressed view of a report that fills every section able to hold a group's name —
/// threshold and top-k tables, an intersection, the queue, explanations and proxies, drift
/// against a baseline, findings, reference groups — names no small undeclared group
/// anywhere: not in a key, a value or a sentence of any rendering (docs/privacy.md,
/// "Suppression").
@Suite struct CLIPublishEverySectionTests {
    /// Undeclared values held by 1 and 2 leads now.
    static let rare = ["Jan Mayen", "Svalbard"]

    /// Leads in `regions`, tier gold or silver (the rare regions' leads all gold), a
    /// feature `visits` the model reads, scores from the model's inputs.
    static func csv(regions: [String]) -> String {
        var lines = ["lead_id,score,converted,region,tier,visits"]
        for (index, region) in regions.enumerated() {
            let tier = region.count > 6 || index % 2 == 0 ? "gold" : "silver"
            let visits = (index * 7) % 13
            let score = Double((index * 37) % 100) / 100
            lines.append("L\(index),\(score),\((index * 13) % 5 == 0 ? 1 : 0),\(region),\(tier),\(visits)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// 141 leads: north 60, south 50, east 25 (undeclared, large), Faroe 3 (declared),
    /// Svalbard 2 and Jan Mayen 1 (undeclared).
    static let current = Array(repeating: "north", count: 60) + Array(repeating: "south", count: 50)
        + Array(repeating: "east", count: 25) + Array(repeating: "Faroe", count: 3) + ["Svalbard", "Svalbard", "Jan Mayen"]

    /// A folder with the current data, a baseline report of `baseline` (audited with the
    /// same profile, drift aside, but region's reference `baselineReference`, declared
    /// there) and a profile whose drift check compares with it.
    static func setUp(baseline: [String], baselineReference: String = "north") throws -> (folder: URL, profile: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-every-section-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try csv(regions: current).write(to: folder.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
        try csv(regions: baseline).write(to: folder.appendingPathComponent("before.csv"), atomically: true, encoding: .utf8)
        let model: [String: Any] = [
            "format": "fairlead-linear", "version": 1, "link": "logit", "intercept": -1,
            "features": [["name": "visits", "coefficient": 0.2]],
        ]
        try JSONSerialization.data(withJSONObject: model).write(to: folder.appendingPathComponent("model.json"))
        let base = """
            name: every-section
            data: {path: leads.csv, score: score, label: converted, score_range: [0, 1]}
            decisions: [{threshold: 0.5}, {top_k: 40}]
            sensitive:
              - column: region
                values: [north, south, Faroe]
                reference: north
              - column: tier
            intersections: [[region, tier]]
            model: {path: model.json, explainer: linear}
            rules:
              - disparate_impact >= 0.8
              - demographic_parity_difference <= 0.2
              - selection_rate >= 0.05
              - auc_difference <= 0.3
              - theil_index <= 0.5
            settings: {bootstrap: 40, seed: 3, min_group_size: 1}
            privacy: {min_cell: 10}
            """
        let basePath = folder.appendingPathComponent("base.yaml").path
        try base.write(toFile: basePath, atomically: true, encoding: .utf8)
        let baselineProfile = folder.appendingPathComponent("before.yaml").path
        try base.replacingOccurrences(of: "reference: north", with: "reference: \(baselineReference)")
            .replacingOccurrences(of: "Faroe]", with: baselineReference == "north" ? "Faroe]" : "Faroe, \(baselineReference)]")
            .write(toFile: baselineProfile, atomically: true, encoding: .utf8)
        let baselineReport = folder.appendingPathComponent("baseline.json").path
        let made = try CLIProcess.run(["audit", "--profile", baselineProfile, "--data", folder.appendingPathComponent("before.csv").path,
                                       "--threads", "1", "--format", "json", "--out", baselineReport])
        #expect([0, 1].contains(made.exitCode), "\(made.standardError)")
        let profile = folder.appendingPathComponent("watched.yaml").path
        try "extends: base.yaml\ndrift: {baseline: {pinned: baseline.json}}\n"
            .write(toFile: profile, atomically: true, encoding: .utf8)
        return (folder, profile)
    }

    static func audit(_ profile: String, format: String, publish: Bool = true) throws -> CLIProcess.Result {
        try CLIProcess.run(["audit", "--profile", profile, "--threads", "1", "--format", format, "--verbose"] + (publish ? ["--publish"] : []))
    }

    /// Every key and string value of a JSON document, at any depth.
    static func strings(_ value: Any) -> [String] {
        switch value {
        case let object as [String: Any]: return object.flatMap { [$0.key] + strings($0.value) }
        case let array as [Any]: return array.flatMap(strings)
        case let string as String: return [string]
        default: return []
        }
    }

    /// The sections the fixture fills, each holding the rare groups in the full report.
    @Test func theFullReportNamesTheRareGroupsInEverySection() throws {
        let (folder, profile) = try Self.setUp(baseline: Self.current)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.audit(profile, format: "json", publish: false)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any],
                                  "\(result.standardError)")
        for section in ["decisions", "findings", "queue", "explanations", "drift", "score_distribution"] {
            let held = Self.strings(try #require(report[section], "no \(section)"))
            #expect(held.contains { $0.contains("Svalbard") }, "the full report's \(section) names no rare group")
        }
        let decisions = try #require(report["decisions"] as? [String: Any])
        #expect(Set(decisions.keys) == ["threshold_0.5", "top_40"])
    }

    /// No string of the published view names a rare group, in any rendering.
    @Test(arguments: ["json", "markdown", "text", "html"])
    func noRenderingOfTheViewNamesARareGroup(_ format: String) throws {
        let (folder, profile) = try Self.setUp(baseline: Self.current)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.audit(profile, format: format)
        #expect([0, 1].contains(result.exitCode), "\(result.standardError)")
        let output = format == "text" ? CLIProcess.unwrapped(result.standardOutput) : result.standardOutput
        #expect(output.contains("withheld group 1"), "\(output)")
        #expect(output.contains("east") && output.contains("Faroe"))
        if format == "json" {
            let report = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            #expect(report["drift"] != nil && report["explanations"] != nil && report["queue"] != nil)
            for string in Self.strings(report) {
                for name in Self.rare { #expect(!string.contains(name), "the JSON view holds \"\(string)\"") }
            }
        }
        for name in Self.rare {
            #expect(!output.contains(name), "the \(format) view names '\(name)'")
        }
    }

    /// A reference group that changed since the baseline is named in drift's note; a
    /// withheld one by its placeholder in the view.
    @Test(arguments: ["json", "markdown", "text", "html"])
    func aChangedReferenceGroupIsNamedByItsPlaceholder(_ format: String) throws {
        let (folder, profile) = try Self.setUp(baseline: Self.current, baselineReference: "Svalbard")
        defer { try? FileManager.default.removeItem(at: folder) }
        let full = try Self.audit(profile, format: "json", publish: false)
        #expect(full.standardOutput.contains("the reference group of region under threshold_0.5 changed from 'Svalbard' to 'north'"),
                "\(full.standardOutput.prefix(400)) \(full.standardError)")
        let result = try Self.audit(profile, format: format)
        #expect([0, 1].contains(result.exitCode), "\(result.standardError)")
        let output = format == "text" ? CLIProcess.unwrapped(result.standardOutput) : result.standardOutput
        // As each format writes the note: Markdown escapes `_`, HTML the quotes.
        let note = "the reference group of region under threshold_0.5 changed from 'withheld group "
        let written = format == "markdown" ? note.replacingOccurrences(of: "_", with: "\\_")
            : format == "html" ? note.replacingOccurrences(of: "'", with: "&#39;") : note
        #expect(output.contains(written), "\(output)")
        for name in Self.rare {
            #expect(!output.contains(name), "the \(format) view names '\(name)'")
        }
    }
}

/// Drift compares with groups that only the baseline held: a small undeclared one is
/// named in no published view, by its count in the baseline; a large one keeps its name.
@Suite struct CLIPublishBaselineOnlyGroupsTests {
    /// The baseline: today's leads, 2 of Bear Island (undeclared) and 12 of Hopen.
    static let baseline = CLIPublishEverySectionTests.current + ["Bear Island", "Bear Island"] + Array(repeating: "Hopen", count: 12)

    @Test(arguments: ["json", "markdown", "text", "html"])
    func aSmallGroupOnlyTheBaselineHeldIsNotNamed(_ format: String) throws {
        let (folder, profile) = try CLIPublishEverySectionTests.setUp(baseline: Self.baseline)
        defer { try? FileManager.default.removeItem(at: folder) }
        let full = try CLIPublishEverySectionTests.audit(profile, format: format, publish: false)
        // JSON and HTML list every drift finding; Markdown and text those not passing.
        if format == "json" || format == "html" {
            #expect(full.standardOutput.contains("Bear Island"), "the full report's drift section names the baseline's groups")
        }
        let result = try CLIPublishEverySectionTests.audit(profile, format: format)
        #expect([0, 1].contains(result.exitCode), "\(result.standardError)")
        let output = format == "text" ? CLIProcess.unwrapped(result.standardOutput) : result.standardOutput
        for name in CLIPublishEverySectionTests.rare + ["Bear Island"] {
            #expect(!output.contains(name), "the \(format) view names '\(name)'")
        }
        #expect(output.contains("Hopen"), "a group of min_cell rows in the baseline keeps its name")
        #expect(output.contains("withheld group 3"))
    }

    /// The JSON view: the baseline-only group's drift values are withheld under its
    /// placeholder, numbered with today's small groups; no drift finding shows a count.
    @Test func theJSONViewWithholdsTheBaselineOnlyGroup() throws {
        let (folder, profile) = try CLIPublishEverySectionTests.setUp(baseline: Self.baseline)
        defer { try? FileManager.default.removeItem(at: folder) }
        let full = try CLIPublishGroupNamesTests.json(try CLIPublishEverySectionTests.audit(profile, format: "json", publish: false))
        let fullDrift = try #require((full["drift"] as? [String: Any])?["findings"] as? [[String: Any]])
        let fullShare = try #require(fullDrift.first { $0["kind"] as? String == "share" && $0["group"] as? String == "Bear Island" })
        #expect(fullShare["baseline_count"] as? Int == 2)
        #expect(fullShare["current"] as? Double == 0)
        #expect(fullDrift.first { $0["kind"] as? String == "share" && $0["group"] as? String == "Hopen" }?["baseline_count"] as? Int == 12)

        let report = try CLIPublishGroupNamesTests.json(try CLIPublishEverySectionTests.audit(profile, format: "json"))
        let privacy = try #require(report["privacy"] as? [String: Any])
        let names = try #require(privacy["withheld_group_names"] as? [[String: Any]])
        #expect(names.first?["attribute"] as? String == "region")
        #expect(names.first?["placeholders"] as? [String] == ["withheld group 1", "withheld group 2", "withheld group 3"])
        let drift = try #require((report["drift"] as? [String: Any])?["findings"] as? [[String: Any]])
        #expect(drift.count == fullDrift.count)
        #expect(!drift.contains { $0["baseline_count"] != nil })
        // Bear Island, Jan Mayen, Svalbard in code-point order: Bear Island is group 1.
        let share = try #require(drift.first { $0["kind"] as? String == "share" && $0["group"] as? String == "withheld group 1" })
        #expect(share["baseline"] == nil && share["current"] == nil && share["change"] == nil)
        #expect(share["verdict"] as? String == fullShare["verdict"] as? String)
        let hopen = try #require(drift.first { $0["kind"] as? String == "share" && $0["group"] as? String == "Hopen" })
        #expect(hopen["baseline"] as? Double != nil)
    }
}
