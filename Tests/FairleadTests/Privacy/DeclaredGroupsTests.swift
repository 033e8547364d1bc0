import Foundation
import Testing
@testable import Fairlead
import FairleadCore

/// The profile's declared groups (`sensitive[].values`, `other`, `privacy.group_names`):
/// read, checked, located.
@Suite struct DeclaredGroupsProfileTests {
    static func profile(_ sensitive: String, privacy: String = "  epsilon: 1\n  budget: 2\n") throws -> AuditProfile {
        try AuditProfile.parse("name: p\ndata: {score: s}\ndecisions:\n  - threshold: 0.5\nsensitive:\n  - column: g\n" + sensitive
                               + "privacy:\n" + privacy, file: "p.yaml")
    }

    @Test func valuesOtherAndUnknownMakeTheGroups() throws {
        let profile = try Self.profile("    values: [north, south, east, west]\n    other: elsewhere\n    labels: {north: North}\n")
        #expect(profile.sensitive[0].values == ["north", "south", "east", "west"])
        #expect(profile.sensitive[0].other == "elsewhere")
        let groups = try #require(profile.declaredGroups["g"])
        #expect(groups.names == ["north", "south", "east", "west", "elsewhere", "unknown"])
        #expect(groups.other == "elsewhere" && groups.labels == ["north": "North"] && groups.key == "sensitive[0]")
        #expect(groups.publishedName(of: "east") == "east" && groups.publishedName(of: "Atlantis") == "elsewhere")
        // A listed `other` and `unknown` keep their places; `missing: exclude` has no unknown group.
        let listed = try Self.profile("    values: [unknown, rest, a]\n    other: rest\n")
        #expect(listed.declaredGroups["g"]?.names == ["unknown", "rest", "a"])
        let excluded = try Self.profile("    values: [a, b]\n    missing: exclude\n")
        #expect(excluded.declaredGroups["g"]?.names == ["a", "b"])
        #expect(excluded.declaredGroups["g"]?.publishedName(of: "c") == nil)
        // Bins declare their groups.
        let binned = try Self.profile("    bins: [30, 50]\n")
        #expect(binned.declaredGroups["g"]?.names == ["<30", "30-49", "50+", "unknown"])
        // Nothing declared: no groups.
        #expect(try Self.profile("    reference: largest\n").declaredGroups.isEmpty)
        #expect(try Self.profile("    values: [a]\n", privacy: "  epsilon: 1\n  budget: 2\n  group_names: from_data\n").privacy?.groupNames == .fromData)
        #expect(try Self.profile("    values: [a]\n").privacy?.groupNames == .declared)
    }

    /// `fairlead validate` says which groups a release would name, or why it would be refused.
    @Test func theSummarySaysWhatAReleaseWouldName() throws {
        let declared = try Self.profile("    values: [a, b]\n    other: rest\n")
        #expect(declared.summaryLines.contains("  g (declared groups a, b, any other value as rest; reference: the largest group; missing values audited as \"unknown\")"))
        #expect(declared.summaryLines.contains("Privacy: differentially private releases of ε = 1 (budget 2); each names the declared groups only"))
        let undeclared = try Self.profile("    reference: largest\n")
        #expect(undeclared.summaryLines.contains("Privacy: differentially private releases of ε = 1 (budget 2); refused until g declares its groups (values:) or privacy.group_names is from_data"))
        let fromData = try Self.profile("    reference: largest\n", privacy: "  epsilon: 1\n  budget: 2\n  group_names: from_data\n")
        #expect(fromData.summaryLines.contains("Privacy: differentially private releases of ε = 1 (budget 2); the groups of g come from the data, which ε does not cover"))
        #expect(try Self.profile("    values: [a]\n", privacy: "  min_cell: 5\n").summaryLines.allSatisfy { !$0.hasPrefix("Privacy:") })
    }

    @Test(arguments: [
        ("    other: rest\n", "", "p.yaml:7:12", "sensitive[0].other", "other: names the group of every value outside values; give values too"),
        ("    values: [a, b, a]\n", "", "p.yaml:7:13", "sensitive[0].values", "the value 'a' is listed twice"),
        ("    values: []\n", "", "p.yaml:7:13", "sensitive[0].values", "expected the column's groups"),
        ("    bins: [10, 20]\n    values: [a]\n", "", "p.yaml:8:13", "sensitive[0].values", "give bins or values, not both"),
        ("    bins: [10, 20]\n    other: rest\n", "", "p.yaml:8:12", "sensitive[0].other", "every number falls in a bin"),
        ("    values: [a, b]\n    reference: c\n", "", "p.yaml:6:5", "sensitive[0].reference", "'c' is not one of the declared groups: a, b, unknown"),
        ("    values: [a]\n", "  group_names: data\n", "p.yaml:11:16", "privacy.group_names", "expected 'declared'"),
        ("    value: [a]\n", "", "p.yaml:7:5", "sensitive[0].value", "did you mean 'values'?"),
    ])
    func badDeclarationsAreLocated(sensitive: String, privacy: String, location: String, key: String, message: String) {
        do {
            _ = try Self.profile(sensitive, privacy: "  epsilon: 1\n  budget: 2\n" + privacy)
            Issue.record("accepted \(sensitive)\(privacy)")
        } catch let error as FairleadError {
            let text = "\(error)"
            #expect(error.kind == .invalidProfile)
            #expect(text.contains(location), "\(text)")
            #expect(text.contains(key), "\(text)")
            #expect(text.contains(message), "\(text)")
        } catch {
            Issue.record("\(error)")
        }
    }

    /// Asked before any data is read: every column declares its groups, or the profile
    /// opts in to the data's; a product of declared groups stays within limits.max_groups.
    @Test func aReleaseIsCheckedAgainstTheProfileFirst() throws {
        let text = "name: p\ndata: {score: s}\ndecisions:\n  - threshold: 0.5\nsensitive:\n  - column: g\n    values: [a, b]\n  - h\n  - k\n"
        let profile = try AuditProfile.parse(text + "privacy: {epsilon: 1, budget: 2}\n", file: "p.yaml")
        do {
            try profile.checkGroupsOfRelease()
            Issue.record("a release of undeclared groups passed the check")
        } catch let error as FairleadError {
            #expect(error.kind == .invalidProfile)
            #expect("\(error)".hasPrefix("p.yaml:8:5 (sensitive[1]): a differentially private release names only declared groups, and h and k declare none"), "\(error)")
            #expect(error.message.contains("- column: h, values: [VALUE, VALUE, …]") && error.message.contains("privacy.group_names: from_data"))
        }
        try AuditProfile.parse(text + "privacy: {epsilon: 1, budget: 2, group_names: from_data}\n", file: "p.yaml").checkGroupsOfRelease()
        let wide = "name: p\ndata: {score: s}\ndecisions:\n  - threshold: 0.5\nsensitive:\n  - column: g\n    values: [a, b, c]\n"
            + "  - column: h\n    values: [x, y]\n    missing: exclude\nintersections: [[g, h]]\nlimits: {max_groups: 7}\nprivacy: {epsilon: 1, budget: 2}\n"
        #expect(throws: FairleadError.self) { try AuditProfile.parse(wide, file: "p.yaml").checkGroupsOfRelease() }
        try AuditProfile.parse(wide.replacingOccurrences(of: "max_groups: 7", with: "max_groups: 8"), file: "p.yaml").checkGroupsOfRelease()
    }
}

/// A differentially private release names the declared groups, whatever the data holds.
@Suite struct DeclaredGroupsReleaseTests {
    static let full = PrivacyFixtures.leadsReport
    static let policy = PrivacyPolicy(epsilon: PrivacyBudgetAmount(decimal: "1"), budget: PrivacyBudgetAmount(decimal: "3"))

    static func release(_ report: AuditReport = full, groups: [String: DeclaredGroups], policy: PrivacyPolicy = policy,
                        seed: UInt64 = 1) throws -> AuditReport {
        var generator = SeededGenerator(seed: seed)
        return try PublishedReport.make(from: report, policy: policy, declaredGroups: groups, using: &generator)
    }

    static func groups(_ ethnicity: [String], other: String? = nil) -> [String: DeclaredGroups] {
        var groups = PrivacyFixtures.leadsGroups
        groups["ethnicity"] = DeclaredGroups(names: ethnicity, other: other)
        return groups
    }

    static func list(_ report: AuditReport, _ attribute: String) -> PrivacyReport.Release.GroupList? {
        report.privacy?.release?.groups?.first { $0.attribute == attribute }
    }

    /// No lead of the sample is `pacific`, and none lacks an ethnicity: both groups are
    /// released with noisy cells, in the declared order, in every table and intersection.
    @Test func aDeclaredGroupWithoutRowsIsReleased() throws {
        let declared = ["white", "pacific", "black", "hispanic", "asian", "other", "unknown"]
        #expect(Self.full.decisions["threshold_0.3"]?.attributes["ethnicity"]?.groups["pacific"] == nil)
        let released = try Self.release(groups: Self.groups(declared))
        for decision in ["threshold_0.3", "top_10pct"] {
            let table = try #require(released.decisions[decision]?.attributes["ethnicity"])
            #expect(Set(table.groups.keys) == Set(declared))
            // Its cells are there, noise alone.
            let pacific = try #require(table.groups["pacific"])
            #expect(DisclosureCell.values(of: pacific, labeled: true) != nil)
            let product = declared.flatMap { ethnicity in ["female", "male", "nonbinary", "unknown"].map { "\(ethnicity) & \($0)" } }
            #expect(Set(try #require(released.decisions[decision]?.attributes["ethnicity*gender"]).groups.keys) == Set(product))
            #expect(Self.list(released, "ethnicity*gender") == .init(attribute: "ethnicity*gender", names: product, declared: true))
        }
        #expect(Self.list(released, "ethnicity") == .init(attribute: "ethnicity", names: declared, declared: true))
        #expect(released.privacy?.policy.groupNames == "declared")
        #expect(released.privacy?.notes.contains { $0.hasPrefix("the groups released are the profile's declared ones") } == true)
        // The rendered tables follow the declared order.
        let rendered = TerminalRendering.render(released)
        let start = try #require(rendered.range(of: "  ethnicity, reference")).upperBound
        let end = try #require(rendered.range(of: "  ethnicity*gender, reference")).lowerBound
        let text = String(rendered[start..<end])
        let rows = declared.map { name in text.range(of: "\n  \(name) ")?.lowerBound }
        #expect(rows.allSatisfy { $0 != nil })
        #expect(zip(rows, rows.dropFirst()).allSatisfy { ($0 ?? text.endIndex) < ($1 ?? text.startIndex) }, "\(text)")
    }

    /// Two data sets, one with a value of its own on one lead: the releases name the same groups.
    @Test func theNamesReleasedDoNotDependOnTheData() throws {
        func report(_ values: [String]) throws -> AuditReport {
            let rows = values.enumerated().map { index, value in "\(index),0.\(index % 10),\(index % 2),\(value)" }
            let path = try AuditFixtures.temporaryCSV((["id,score,y,g"] + rows).joined(separator: "\n") + "\n")
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            return try Audit(profile: AuditBehaviourTests.profile(), dataPath: path, threads: 1, clock: AuditFixtures.fixedClock).run()
        }
        let plain = try report(Array(repeating: ["a", "b"], count: 20).flatMap { $0 })
        let unusual = try report(Array(repeating: ["a", "b", "c"], count: 20).flatMap { $0 } + ["Zq-one-lead", ""])
        #expect(unusual.decisions["t05"]?.attributes["g"]?.groups["Zq-one-lead"]?.count == 1)
        let groups = ["g": DeclaredGroups(names: ["a", "b", "c", "d", "rest", "unknown"], other: "rest")]
        let names = try [plain, unusual].map { report in
            let released = try Self.release(report, groups: groups)
            #expect(!String(decoding: try released.jsonData(), as: UTF8.self).contains("Zq"))
            return (Set(released.decisions["t05"]?.attributes["g"]?.groups.keys.map { $0 } ?? []), Self.list(released, "g"))
        }
        #expect(names[0].0 == ["a", "b", "c", "d", "rest", "unknown"])
        #expect(names[0].0 == names[1].0 && names[0].1 == names[1].1)
    }

    /// Values outside the declared groups, without `other:`: refused, with the column,
    /// the rows and the values, and the way out.
    @Test func valuesOutsideTheDeclaredGroupsAreRefused() throws {
        do {
            _ = try Self.release(groups: Self.groups(["white", "black", "hispanic", "unknown"]))
            Issue.record("released values outside the declared groups")
        } catch let error as FairleadError {
            #expect(error.kind == .invalidData)
            #expect(error.message.hasPrefix("sensitive column 'ethnicity': 808 rows hold values outside the declared values, which a differentially private release would have to name: \"asian\" (572 rows), \"other\" (236 rows). "), "\(error.message)")
            #expect(error.message.hasSuffix("Add them to values, or release every other value as one declared group with other: NAME (such as other: other)"))
        }
        var keyed = DeclaredGroups(names: ["white", "black", "hispanic", "asian", "unknown"])
        keyed.key = "sensitive[2]"
        do {
            _ = try Self.release(groups: Self.groups(["white"]).merging(["ethnicity": keyed]) { $1 })
            Issue.record("released a value outside the declared groups")
        } catch let error as FairleadError {
            #expect(error.message.contains("'ethnicity': 236 rows hold values outside sensitive[2].values") && error.message.contains("\"other\" (236 rows). Add it to values"))
        }
    }

    /// `other:` gathers every undeclared value: its cells add theirs up, and the findings
    /// of one rule on them become one, with the worst verdict.
    @Test func theCatchAllAddsUpTheValuesItGathers() throws {
        let declared = ["white", "black", "hispanic", "rest", "unknown"]
        let released = try Self.release(groups: Self.groups(declared, other: "rest"))
        #expect(Self.list(released, "ethnicity")?.names == declared)
        let table = try #require(released.decisions["threshold_0.3"]?.attributes["ethnicity"])
        #expect(Set(table.groups.keys) == Set(declared))
        let sd = try #require(released.privacy?.release?.noiseStandardDeviation)
        let fullTable = try #require(Self.full.decisions["threshold_0.3"]?.attributes["ethnicity"])
        let gathered = (fullTable.groups["asian"]?.count ?? 0) + (fullTable.groups["other"]?.count ?? 0)
        #expect(gathered == 808)
        #expect(abs((table.groups["rest"]?.count ?? 0) - gathered) <= Int(10 * 2 * sd))
        let intersection = try #require(released.decisions["threshold_0.3"]?.attributes["ethnicity*gender"])
        #expect(intersection.groups["rest & female"] != nil && intersection.groups["asian & female"] == nil)
        // disparate_impact >= 0.8 judges asian and other in the full data; the release has one finding on rest.
        let full = Self.full.findings.filter { $0.attribute == "ethnicity" && ["asian", "other"].contains($0.group ?? "") && $0.decision == "threshold_0.3" }
        #expect(full.count == 2)
        let rest = released.findings.filter { $0.attribute == "ethnicity" && $0.group == "rest" && $0.decision == "threshold_0.3" }
        #expect(rest.count == 1)
        let worst: AuditReport.Verdict = full.contains { $0.verdict == .fail } ? .fail
            : (full.contains { $0.verdict == .insufficientEvidence } ? .insufficientEvidence : .pass)
        #expect(rest.first?.verdict == worst)
        #expect(rest.first?.reason.contains("the worst over the values released as 'rest'") == true)
        #expect(released.findings.allSatisfy { !["asian", "other"].contains($0.group ?? "") })
        #expect(released.status == Self.full.status)
    }

    /// Without declared groups the release is refused; `group_names: from_data` releases
    /// the data's groups and says so, per attribute, in the release and its notes.
    @Test func undeclaredGroupsNeedTheOptIn() throws {
        do {
            _ = try Self.release(groups: [:])
            Issue.record("released undeclared groups")
        } catch let error as FairleadError {
            #expect(error.kind == .invalidProfile)
            #expect(error.message.hasPrefix("a differentially private release names only declared groups, and age_band, ethnicity and gender declare none"), "\(error.message)")
        }
        var fromData = Self.policy
        fromData.groupNames = .fromData
        let released = try Self.release(groups: ["ethnicity": PrivacyFixtures.leadsGroups["ethnicity"]!], policy: fromData)
        #expect(released.privacy?.policy.groupNames == "from_data")
        #expect(Self.list(released, "ethnicity")?.declared == true)
        #expect(Self.list(released, "gender") == .init(attribute: "gender", names: ["female", "male", "nonbinary", "unknown"], declared: false))
        // An intersection with one undeclared column: the declared groups times the data's.
        let product = ["white", "black", "hispanic", "asian", "other", "unknown"].flatMap { e in ["female", "male", "nonbinary", "unknown"].map { "\(e) & \($0)" } }
        #expect(Self.list(released, "ethnicity*gender") == .init(attribute: "ethnicity*gender", names: product, declared: false))
        let note = "the group names of age_band, ethnicity*gender and gender come from the data (privacy.group_names: from_data) and are not covered by ε"
        #expect(released.privacy?.notes.contains { $0.hasPrefix(note) } == true, "\(released.privacy?.notes ?? [])")
        #expect(MarkdownRendering.render(released).contains("note: the group names of age\\_band, ethnicity\\*gender and gender come from the data"))
        // Attributes that declare none keep the data's groups, as releases had them.
        let data = try Self.release(groups: [:], policy: fromData)
        for (name, table) in Self.full.decisions["threshold_0.3"]?.attributes ?? [:] {
            #expect(Set(data.decisions["threshold_0.3"]?.attributes[name]?.groups.keys.map { $0 } ?? []) == Set(table.groups.keys))
        }
    }
}
