import Foundation
import Testing

/// `fairlead audit --publish` with ε names the groups the profile declares, never the
/// data's own values: a value one lead holds would show that the lead is in the data,
/// whatever ε is (docs/privacy.md, "Which groups a release names").
@Suite struct CLIPublishDeclaredGroupsTests {
    /// The value one lead holds, which no release may show.
    static let unique = "Qx7781-only-lead"

    /// 120 leads in the regions north, south and east (none in west, none missing); tier
    /// gold or silver, missing on every fourth; with `uniqueLead`, one more lead in a
    /// region of its own.
    static func csv(uniqueLead: Bool) -> String {
        var lines = ["lead_id,score,converted,region,tier"]
        for index in 0..<120 {
            let region = ["north", "south", "east"][index % 3]
            let tier = index % 4 == 0 ? "" : (index % 2 == 0 ? "gold" : "silver")
            let score = Double((index * 37) % 100) / 100
            lines.append("L\(index),\(score),\((index * 13) % 5 == 0 ? 1 : 0),\(region),\(tier)")
        }
        if uniqueLead { lines.append("L999,0.9,1,\(unique),gold") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A profile over `csv(uniqueLead:)` in a fresh folder, with `region`, `tier` and
    /// `privacy` written as given; returns the folder and the profile's path.
    static func setUp(region: String, tier: String = "    values: [gold, silver]", privacy: String = "",
                      uniqueLead: Bool) throws -> (URL, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-declared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try csv(uniqueLead: uniqueLead).write(to: folder.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
        let profile = """
            name: declared-groups
            data:
              path: leads.csv
              score: score
              label: converted
              score_range: [0, 1]
            decisions:
              - threshold: 0.5
            sensitive:
              - column: region
            \(region)
              - column: tier
                missing: exclude
            \(tier)
            intersections:
              - [region, tier]
            rules:
              - disparate_impact >= 0.8
            settings:
              bootstrap: 0
            privacy:
              epsilon: 1
              budget: 100
            \(privacy)
            """
        let path = folder.appendingPathComponent("profile.yaml").path
        try profile.write(toFile: path, atomically: true, encoding: .utf8)
        return (folder, path)
    }

    static func publish(_ profile: String, in folder: URL, format: String = "json", seed: String = "11") throws -> CLIProcess.Result {
        try CLIProcess.run(["audit", "--profile", profile, "--publish", "--noise-seed", seed, "--threads", "2", "--format", format,
                            "--history", folder.appendingPathComponent("h.sqlite").path])
    }

    static func json(_ result: CLIProcess.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any], "\(result.standardError)")
    }

    static func groups(_ report: [String: Any], _ attribute: String) throws -> [String: [String: Any]] {
        let decisions = try #require(report["decisions"] as? [String: Any])
        let decision = try #require(decisions["threshold_0.5"] as? [String: Any])
        let attributes = try #require(decision["attributes"] as? [String: Any])
        let table = try #require(attributes[attribute] as? [String: Any], "no table of \(attribute)")
        return try #require(table["groups"] as? [String: [String: Any]])
    }

    /// `privacy.release.groups`: per attribute, the names published in order, and whether declared.
    static func published(_ report: [String: Any]) throws -> [String: (names: [String], declared: Bool)] {
        let privacy = try #require(report["privacy"] as? [String: Any])
        let release = try #require(privacy["release"] as? [String: Any])
        let entries = try #require(release["groups"] as? [[String: Any]], "the release lists its groups")
        var published: [String: (names: [String], declared: Bool)] = [:]
        for entry in entries {
            published[try #require(entry["attribute"] as? String)] = (try #require(entry["names"] as? [String]),
                                                                      try #require(entry["declared"] as? Bool))
        }
        return published
    }

    static let declaredRegions = "    values: [north, south, east, west]"
    static let regionsWithCatchAll = "    values: [north, south, east, west]\n    other: elsewhere"

    /// West has no lead and no region is missing: the release has both groups all the
    /// same, with noisy cells, in the declared order; the intersection is the product.
    @Test func theReleaseNamesExactlyTheDeclaredGroups() throws {
        let (folder, profile) = try Self.setUp(region: Self.declaredRegions, uniqueLead: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.publish(profile, in: folder)
        #expect(result.exitCode == 0 || result.exitCode == 1, "\(result.standardError)")
        let report = try Self.json(result)
        let regions = ["north", "south", "east", "west", "unknown"]
        #expect(Set(try Self.groups(report, "region").keys) == Set(regions))
        #expect(Set(try Self.groups(report, "tier").keys) == ["gold", "silver"])
        let product = regions.flatMap { region in ["gold", "silver"].map { "\(region) & \($0)" } }
        #expect(Set(try Self.groups(report, "region*tier").keys) == Set(product))
        let west = try #require(try Self.groups(report, "region")["west"])
        #expect(west["count"] is Int)
        let cells = (west["metrics"] as? [String: Any])?["true_positive_rate"] as? [String: Any]
        #expect(cells?["denominator"] != nil, "the empty group's cells are released with their noise")
        let published = try Self.published(report)
        #expect(published["region"]?.names == regions && published["region"]?.declared == true)
        #expect(published["tier"]?.names == ["gold", "silver"] && published["tier"]?.declared == true)
        #expect(published["region*tier"]?.names == product && published["region*tier"]?.declared == true)
        // The rendered tables list the groups in the declared order.
        let markdown = try Self.publish(profile, in: folder, format: "markdown", seed: "12").standardOutput
        let rows = regions.map { name in markdown.range(of: "\n| \(name) ")?.lowerBound }
        #expect(rows.allSatisfy { $0 != nil }, "\(markdown)")
        #expect(zip(rows, rows.dropFirst()).allSatisfy { ($0 ?? markdown.endIndex) < ($1 ?? markdown.startIndex) })
    }

    /// The same declared groups over data that holds other regions too: the release is
    /// refused, saying which attribute, how many rows and which values, and the way out;
    /// nothing is written and the ledger charges nothing.
    @Test func aValueOutsideTheDeclaredGroupsStopsTheRelease() throws {
        let (folder, profile) = try Self.setUp(region: Self.declaredRegions, uniqueLead: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.publish(profile, in: folder)
        #expect(result.exitCode == 2)
        #expect(result.standardOutput.isEmpty)
        let message = CLIProcess.unwrapped(result.standardError)
        #expect(message.contains("region"), "\(message)")
        #expect(message.contains("1 row holds a value outside sensitive[0].values"), "\(message)")
        #expect(message.contains("\"\(Self.unique)\" (1 row)"), "\(message)")
        #expect(message.contains("other: NAME"), "\(message)")
        let ledger = try CLIProcess.run(["history", "ledger", "--history", folder.appendingPathComponent("h.sqlite").path])
        #expect(!ledger.standardOutput.contains("discrete_laplace"), "\(ledger.standardOutput)")
    }

    /// With `other:`, undeclared values are released as that group: the lead's value
    /// appears nowhere in the release, in JSON or rendered, nor in its findings.
    @Test(arguments: ["json", "text", "markdown", "html"])
    func theCatchAllReleasesUndeclaredValuesUnderItsName(_ format: String) throws {
        let (folder, profile) = try Self.setUp(region: Self.regionsWithCatchAll, uniqueLead: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The full report holds the lead's region: the data does.
        let full = try CLIProcess.run(["audit", "--profile", profile, "--threads", "2", "--format", "json"])
        #expect(full.standardOutput.contains(Self.unique))
        let result = try Self.publish(profile, in: folder, format: format)
        #expect(result.exitCode == 0 || result.exitCode == 1, "\(result.standardError)")
        #expect(!result.standardOutput.contains(Self.unique))
        #expect(!result.standardOutput.contains("Qx7781"))
        #expect(result.standardOutput.contains("elsewhere"))
        guard format == "json" else { return }
        let report = try Self.json(result)
        let regions = ["north", "south", "east", "west", "elsewhere", "unknown"]
        #expect(try Self.published(report)["region"]?.names == regions)
        #expect(Set(try Self.groups(report, "region").keys) == Set(regions))
        #expect(try Self.groups(report, "region*tier").keys.contains("elsewhere & gold"))
        let findings = try #require(report["findings"] as? [[String: Any]])
        let named = Set(findings.compactMap { $0["group"] as? String })
        #expect(named.contains("elsewhere"))
        #expect(named.isSubset(of: Set(regions + ["gold", "silver"] + regions.flatMap { r in ["gold", "silver"].map { "\(r) & \($0)" } })))
        // One finding per rule and published group: the values it gathers are not counted out.
        let elsewhere = findings.filter { $0["attribute"] as? String == "region" && $0["group"] as? String == "elsewhere" }
        #expect(elsewhere.count == 1)
    }

    /// A release of attributes whose groups are not declared is refused before the data
    /// is read, saying how to declare them: it would name the lead's value.
    /// `privacy.group_names: from_data` opts in, and the release then says which group
    /// names are not covered by ε.
    @Test func undeclaredGroupsAreRefusedUnlessTheProfileOptsIn() throws {
        let (folder, profile) = try Self.setUp(region: "", tier: "", uniqueLead: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let refused = try Self.publish(profile, in: folder)
        #expect(refused.exitCode == 2)
        #expect(!refused.standardOutput.contains(Self.unique))
        let message = CLIProcess.unwrapped(refused.standardError)
        #expect(message.contains("region and tier declare none"), "\(message)")
        #expect(message.contains("values: [") && message.contains("privacy.group_names: from_data"), "\(message)")
        #expect(!message.contains(Self.unique), "refused before the data is read")

        let (optIn, optInProfile) = try Self.setUp(region: "", privacy: "  group_names: from_data", uniqueLead: true)
        defer { try? FileManager.default.removeItem(at: optIn) }
        let json = try Self.publish(optInProfile, in: optIn)
        #expect(json.exitCode == 0 || json.exitCode == 1, "\(json.standardError)")
        let report = try Self.json(json)
        let published = try Self.published(report)
        #expect(published["region"]?.declared == false && published["region"]?.names.contains(Self.unique) == true)
        #expect(published["region*tier"]?.declared == false)
        #expect(published["tier"]?.declared == true)
        let privacy = try #require(report["privacy"] as? [String: Any])
        #expect((privacy["policy"] as? [String: Any])?["group_names"] as? String == "from_data")
        let notes = try #require(privacy["notes"] as? [String])
        #expect(notes.contains { $0.contains("group names of region and region*tier come from the data") && $0.contains("not covered by ε") })
        let text = CLIProcess.unwrapped(try Self.publish(optInProfile, in: optIn, format: "text", seed: "12").standardOutput)
        #expect(text.contains("note: the group names of region and region*tier come from the data"), "\(text)")
    }
}
