import Fairlead
import Foundation
import Testing

/// A finding says which groups its reason names (`named_groups`), and a suppressed view
/// withholds the numbers of a finding that names a withheld group by that field, never by
/// reading the reason's words (docs/privacy.md, "Suppression").
@Suite struct FindingNamedGroupsTests {
    /// Column g: `big` (200 rows), `e` (150), `b` (5), `c` (3), `d` (4) and 2 rows missing
    /// (`unknown`); no group is declared.
    static func full(rules: [AuditProfile.RuleSpec], reference: AuditProfile.SensitiveSpec.Reference = .largest) throws -> AuditReport {
        var rows = ["id,score,y,g"]
        let groups = Array(repeating: "big", count: 200) + Array(repeating: "e", count: 150) + Array(repeating: "b", count: 5)
            + Array(repeating: "c", count: 3) + Array(repeating: "d", count: 4) + ["", ""]
        for (index, group) in groups.enumerated() { rows.append("\(index),\(Double(index % 10) / 10),\(index % 2),\(group)") }
        let path = try AuditFixtures.temporaryCSV(rows.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let profile = AuditBehaviourTests.profile(rules: rules, reference: reference, minimumGroupSize: 10)
        return try Audit(profile: profile, dataPath: path, threads: 1).run()
    }

    static let parity = AuditProfile.RuleSpec(metric: .demographicParityDifference, comparison: .atMost, bound: 0.2)
    static let impact = AuditProfile.RuleSpec(metric: .disparateImpact, comparison: .atLeast, bound: 0.8)
    static let rate = AuditProfile.RuleSpec(metric: .selectionRate, comparison: .atLeast, bound: 0.05)

    /// Between groups, the groups set aside as too small are named; a per-group rate's
    /// reason names only its own group, which `group` holds.
    @Test func theJudgeListsTheGroupsAReasonNames() throws {
        let report = try Self.full(rules: [Self.parity, Self.rate])
        let parity = try #require(report.findings.first { $0.metric == "demographic_parity_difference" })
        #expect(parity.group == nil)
        #expect(parity.namedGroups == ["b", "c", "d", "unknown"])
        for name in ["b", "c", "d", "unknown"] { #expect(parity.reason.contains("'\(name)'"), "\(parity.reason)") }
        let small = try #require(report.findings.first { $0.metric == "selection_rate" && $0.group == "c" })
        #expect(small.verdict == .insufficientEvidence)
        #expect(small.namedGroups == nil)
        let large = try #require(report.findings.first { $0.metric == "selection_rate" && $0.group == "big" })
        #expect(large.namedGroups == nil)
    }

    /// Against a reference too small to judge, a large group's finding names the reference.
    @Test func aSmallReferenceIsNamed() throws {
        let report = try Self.full(rules: [Self.impact], reference: .group("b"))
        let finding = try #require(report.findings.first { $0.metric == "disparate_impact" && $0.group == "big" })
        #expect(finding.verdict == .insufficientEvidence)
        #expect(finding.namedGroups == ["b"])
        #expect(finding.reason.contains("'b'"), "\(finding.reason)")
    }

    /// The first finding whose value a suppressed view shows, and the view.
    static func shownFinding(_ report: AuditReport) throws -> (Int, AuditReport) {
        let published = try PublishedReport.suppressed(report, policy: PrivacyPolicy(minimumCell: 10))
        let index = try #require(published.findings.indices.first { published.findings[$0].value != nil })
        return (index, published)
    }

    /// A reason worded without quotes around the names it gives is withheld all the same,
    /// by `named_groups`; its names are published as placeholders.
    @Test func aRewordedReasonIsWithheldByItsNamedGroups() throws {
        var report = try Self.full(rules: [Self.rate])
        let (index, _) = try Self.shownFinding(report)
        report.findings[index].reason = "more rows in c or d would change the picture"
        report.findings[index].namedGroups = ["c", "d"]
        let published = try PublishedReport.suppressed(report, policy: PrivacyPolicy(minimumCell: 10))
        let finding = published.findings[index]
        #expect(finding.group == report.findings[index].group && ["big", "e"].contains(finding.group ?? ""))
        #expect(finding.value == nil && finding.interval == nil)
        #expect(finding.reason == "value withheld in the published view (it reads suppressed cells); the verdict rests on the full data")
        #expect(finding.namedGroups == ["withheld group 2", "withheld group 3"])
        #expect(finding.verdict == report.findings[index].verdict)
    }

    /// A finding that names no withheld group keeps its numbers and its reason.
    @Test func aFindingNamingNoWithheldGroupKeepsItsReason() throws {
        let report = try Self.full(rules: [Self.rate])
        let (index, published) = try Self.shownFinding(report)
        #expect(published.findings[index].value == report.findings[index].value)
        #expect(published.findings[index].reason == report.findings[index].reason)
    }

    /// The field is in the JSON as `named_groups`, and absent when a reason names none.
    @Test func theJSONCarriesNamedGroups() throws {
        let report = try Self.full(rules: [Self.parity, Self.rate])
        let json = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        let parity = try #require(findings.first { $0["metric"] as? String == "demographic_parity_difference" })
        #expect(parity["named_groups"] as? [String] == ["b", "c", "d", "unknown"])
        #expect(findings.filter { $0["metric"] as? String == "selection_rate" }.allSatisfy { $0["named_groups"] == nil })
    }
}
