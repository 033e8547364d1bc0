import Fairlead
import Foundation
import Testing

/// Which small groups a suppressed view names by a placeholder, and which placeholders
/// (``PublishedReport/suppressed(_:policy:declaredGroups:)``).
@Suite struct WithheldGroupNamesTests {
    /// Column g: `withheld group 1` (40 rows, a name of the data's own), `b` (5), `c` (3),
    /// `d` (4) and 2 rows missing (`unknown`).
    static func published(declared: [String: DeclaredGroups]) throws -> AuditReport {
        var rows = ["id,score,y,g"]
        let groups = Array(repeating: "withheld group 1", count: 40) + Array(repeating: "b", count: 5)
            + Array(repeating: "c", count: 3) + Array(repeating: "d", count: 4) + ["", ""]
        for (index, group) in groups.enumerated() { rows.append("\(index),\(Double(index % 10) / 10),\(index % 2),\(group)") }
        let path = try AuditFixtures.temporaryCSV(rows.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let report = try Audit(profile: AuditBehaviourTests.profile(), dataPath: path, threads: 1).run()
        return try PublishedReport.suppressed(report, policy: PrivacyPolicy(minimumCell: 10), declaredGroups: declared)
    }

    static func withheldCounts(_ report: AuditReport) -> Set<String> {
        Set((report.privacy?.suppressed ?? []).filter { $0.cell == "count" }.compactMap(\.group))
    }

    /// A shown group of the data is named like a placeholder: the placeholders take a `*`,
    /// and `unknown` (2 rows) keeps its name.
    @Test func placeholdersNeverEqualAShownName() throws {
        let published = try Self.published(declared: [:])
        #expect(Self.withheldCounts(published) == ["withheld group* 1", "withheld group* 2", "withheld group* 3", "unknown"])
        let names = try #require(published.privacy?.withheldGroupNames)
        #expect(names == [.init(attribute: "g", count: 3, placeholders: ["withheld group* 1", "withheld group* 2", "withheld group* 3"],
                                reason: "fewer than min_cell (10) rows and not declared by the profile: the name of a value that few leads hold would show that they are in the data")])
        #expect(published.decisions["t05"]?.attributes["g"]?.groups["withheld group 1"]?.count == 40)
    }

    /// A declared name stays however small its group; the others are numbered without it.
    @Test func declaredNamesStay() throws {
        let published = try Self.published(declared: ["g": DeclaredGroups(names: ["withheld group 1", "c"])])
        #expect(Self.withheldCounts(published) == ["withheld group* 1", "c", "withheld group* 2", "unknown"])
        #expect(published.privacy?.withheldGroupNames?.map(\.placeholders) == [["withheld group* 1", "withheld group* 2"]])
        let json = String(decoding: try published.jsonData(), as: UTF8.self)
        #expect(!json.contains("\"b\"") && !json.contains("\"d\""))
    }
}
