import Foundation
import Testing

/// `fairlead audit --publish` by suppression names no group that only a few leads hold
/// unless the profile declares it: a free-text value of 2 leads would show that they are
/// in the data (docs/privacy.md, "Suppression").
@Suite struct CLIPublishGroupNamesTests {
    /// Undeclared values held by 1 and 2 leads: no published view may show them.
    static let rare = ["Jan Mayen", "Svalbard"]

    /// 141 leads: north 60, south 50 and east 25 (east undeclared but large), Faroe 3
    /// (declared), Svalbard 2 and Jan Mayen 1 (undeclared); tier gold or silver, the
    /// Svalbard and Jan Mayen leads all gold.
    static func csv() -> String {
        var lines = ["lead_id,score,converted,region,tier"]
        let regions = Array(repeating: "north", count: 60) + Array(repeating: "south", count: 50) + Array(repeating: "east", count: 25)
            + Array(repeating: "Faroe", count: 3) + ["Svalbard", "Svalbard", "Jan Mayen"]
        for (index, region) in regions.enumerated() {
            let tier = rare.contains(region) || index % 2 == 0 ? "gold" : "silver"
            let score = Double((index * 37) % 100) / 100
            lines.append("L\(index),\(score),\((index * 13) % 5 == 0 ? 1 : 0),\(region),\(tier)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A folder with the data and a profile that declares north, south and Faroe.
    static func setUp() throws -> (URL, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-names-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try csv().write(to: folder.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
        let profile = """
            name: withheld-names
            data:
              path: leads.csv
              score: score
              label: converted
              score_range: [0, 1]
            decisions:
              - threshold: 0.5
            sensitive:
              - column: region
                values: [north, south, Faroe]
              - column: tier
            intersections:
              - [region, tier]
            rules:
              - disparate_impact >= 0.8
              - check: demographic_parity_difference <= 0.2
            settings:
              bootstrap: 0
              min_group_size: 1
            privacy:
              min_cell: 10
            """
        let path = folder.appendingPathComponent("profile.yaml").path
        try profile.write(toFile: path, atomically: true, encoding: .utf8)
        return (folder, path)
    }

    static func audit(_ profile: String, format: String, publish: Bool = true) throws -> CLIProcess.Result {
        try CLIProcess.run(["audit", "--profile", profile, "--threads", "2", "--format", format] + (publish ? ["--publish"] : []))
    }

    /// No rendering of the view holds a rare undeclared name; the placeholders, the
    /// declared small group and the large undeclared one appear; the privacy section
    /// says how many names were withheld; the verdicts are the full report's.
    @Test(arguments: ["json", "markdown", "text", "html"])
    func aRareUndeclaredNameIsPublishedAsAPlaceholder(_ format: String) throws {
        let (folder, profile) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let full = try Self.audit(profile, format: format, publish: false)
        #expect(full.standardOutput.contains("Svalbard"), "the full report names the data's groups")
        let result = try Self.audit(profile, format: format)
        #expect(result.exitCode == full.exitCode, "\(result.standardError)")
        #expect(result.exitCode == 0 || result.exitCode == 1, "\(result.standardError)")
        let output = format == "text" ? CLIProcess.unwrapped(result.standardOutput) : result.standardOutput
        for name in Self.rare {
            #expect(!output.contains(name), "\(format) names '\(name)'")
        }
        #expect(output.contains("withheld group 1") && output.contains("withheld group 2"), "\(output)")
        #expect(output.contains("Faroe"), "a declared name stays, however small its group")
        #expect(output.contains("east"), "a group of min_cell rows or more keeps its name")
        // The privacy section says how many names, and why, in every rendering (Markdown
        // escapes the `*` of region*tier and the `_` of min_cell); the JSON's is checked below.
        guard format != "json" else { return }
        #expect(output.contains("region: 2 group names withheld, shown as withheld group 1, withheld group 2: fewer than min"), "\(output)")
        #expect(output.contains("tier: 4 group names withheld, shown as withheld group 1 "), "\(output)")
        #expect(output.contains("rows and not declared by the profile"), "\(output)")
    }

    /// The JSON view: where the placeholders stand, and what they replace.
    @Test func theJSONViewRelabelsTablesFindingsAndWithheldCells() throws {
        let (folder, profile) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let full = try Self.json(try Self.audit(profile, format: "json", publish: false))
        let report = try Self.json(try Self.audit(profile, format: "json"))
        #expect(report["status"] as? String == full["status"] as? String)
        let privacy = try #require(report["privacy"] as? [String: Any])
        let names = try #require(privacy["withheld_group_names"] as? [[String: Any]])
        #expect(names.count == 2)
        #expect(names.first?["attribute"] as? String == "region")
        #expect(names.first?["count"] as? Int == 2)
        #expect(names.first?["placeholders"] as? [String] == ["withheld group 1", "withheld group 2"])
        #expect((names.first?["reason"] as? String)?.hasPrefix("fewer than min_cell (10) rows and not declared by the profile") == true)
        #expect(names.last?["attribute"] as? String == "region*tier")
        #expect(names.last?["count"] as? Int == 4)
        #expect(names.last?["placeholders"] as? [String]
                == ["withheld group 1 & gold", "withheld group 1 & silver", "withheld group 2 & gold", "withheld group 2 & silver"])
        #expect(names.last?["reason"] as? String == "a part of the name is a withheld group name of region")

        // Jan Mayen (1 lead) and Svalbard (2) in code-point order: their counts are withheld
        // under their placeholders; Faroe's too, under its own name.
        let suppressed = try #require(privacy["suppressed"] as? [[String: Any]])
        func withheldCount(_ attribute: String, _ group: String) -> String? {
            suppressed.first { $0["attribute"] as? String == attribute && $0["group"] as? String == group && $0["cell"] as? String == "count" }?["reason"] as? String
        }
        #expect(withheldCount("region", "withheld group 1") == "below min_cell")
        #expect(withheldCount("region", "withheld group 2") == "below min_cell")
        #expect(withheldCount("region", "Faroe") == "below min_cell")
        #expect(withheldCount("region*tier", "withheld group 2 & gold") == "below min_cell")

        // The intersection's empty combinations are shown, with count 0, relabelled.
        let decisions = try #require(report["decisions"] as? [String: Any])
        let decision = try #require(decisions["threshold_0.5"] as? [String: Any])
        let attributes = try #require(decision["attributes"] as? [String: Any])
        let intersection = try #require((attributes["region*tier"] as? [String: Any])?["groups"] as? [String: [String: Any]])
        #expect(intersection["withheld group 2 & silver"]?["count"] as? Int == 0)
        #expect(intersection["withheld group 1 & silver"]?["count"] as? Int == 0)
        #expect(!intersection.keys.contains { $0.contains("Svalbard") || $0.contains("Jan Mayen") })
        let region = try #require((attributes["region"] as? [String: Any])?["groups"] as? [String: [String: Any]])
        #expect(region["north"] != nil && Set(region.keys).isSubset(of: ["east", "north", "south"]))

        // The full report's per-group findings on the rare groups, under their placeholders.
        let fullFindings = try #require(full["findings"] as? [[String: Any]])
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.count == fullFindings.count)
        func verdicts(_ list: [[String: Any]], _ group: String) -> [String] {
            list.filter { $0["attribute"] as? String == "region" && $0["group"] as? String == group }.compactMap { $0["verdict"] as? String }
        }
        #expect(!verdicts(fullFindings, "Svalbard").isEmpty)
        #expect(verdicts(findings, "withheld group 2") == verdicts(fullFindings, "Svalbard"))
        #expect(verdicts(findings, "withheld group 1") == verdicts(fullFindings, "Jan Mayen"))
        #expect(findings.map { $0["verdict"] as? String } == fullFindings.map { $0["verdict"] as? String })
    }

    static func json(_ result: CLIProcess.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any], "\(result.standardError)")
    }
}
