@testable import FairleadCore
import Testing

/// `Grouping.checkGroupCount(columns:attributes:missingPolicy:maxGroups:)` refuses exactly
/// the groupings `Grouping.init` refuses for too many groups — a missing value's own group,
/// a level already named "unknown", the exclude policy, intersections — with the same
/// message, without making the groups.
@Suite struct GroupCountCheckTests {
    /// An attribute of `levels` levels whose rows use each level, and -1 on the first row
    /// when `missing`.
    private static func attribute(_ name: String, levels: [String], missing: Bool, rows: Int) -> SensitiveAttribute {
        var codes = (0..<rows).map { Int32($0 % levels.count) }
        if missing { codes[0] = -1 }
        return SensitiveAttribute(name: name, codes: codes, levels: levels)
    }

    private static func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    @Test(arguments: [MissingSensitivePolicy.ownGroup, .exclude])
    func agreesWithTheGroupingAtAndAroundTheLimit(policy: MissingSensitivePolicy) throws {
        let rows = 60
        let shapes: [(levels: [String], missing: Bool)] = [
            ((0..<5).map { "l\($0)" }, false), ((0..<5).map { "l\($0)" }, true),
            ((0..<4).map { "l\($0)" } + ["unknown"], true), ((0..<6).map { "l\($0)" }, false),
        ]
        var refusals = 0
        for first in shapes {
            for second in shapes {
                let columns = AuditColumns(scores: [Double](repeating: 0.5, count: rows), attributes: [
                    Self.attribute("a", levels: first.levels, missing: first.missing, rows: rows),
                    Self.attribute("b", levels: second.levels, missing: second.missing, rows: rows),
                ])
                for names in [["a"], ["b"], ["a", "b"]] {
                    for limit in [5, 6, 25, 30, 36] {
                        let expected = Self.message {
                            _ = try Grouping(columns: columns, attributes: names, missingPolicy: policy, maxGroups: limit)
                        }
                        let checked = Self.message {
                            try Grouping.checkGroupCount(columns: columns, attributes: names,
                                                         missingPolicy: policy, maxGroups: limit)
                        }
                        #expect(checked == expected, "\(names) \(first) \(second) limit \(limit)")
                        if expected != nil { refusals += 1 }
                    }
                }
            }
        }
        // Both sides of the limit were met.
        #expect(refusals > 0 && refusals < shapes.count * shapes.count * 3 * 5)
    }

    @Test func aMissingValueCountsOnlyWhenARowHasOne() throws {
        let columns = AuditColumns(scores: [0.1, 0.2, 0.3], attributes: [
            SensitiveAttribute(name: "region", codes: [0, 1, 2], levels: ["n", "s", "e"]),
            SensitiveAttribute(name: "channel", codes: [0, -1, 1], levels: ["web", "call", "mail"]),
        ])
        try Grouping.checkGroupCount(columns: columns, attributes: ["region"], missingPolicy: .ownGroup, maxGroups: 3)
        #expect(Self.message {
            try Grouping.checkGroupCount(columns: columns, attributes: ["channel"], missingPolicy: .ownGroup, maxGroups: 3)
        }?.contains("channel has 4 groups, more than the max_groups limit of 3") == true)
        try Grouping.checkGroupCount(columns: columns, attributes: ["channel"], missingPolicy: .exclude, maxGroups: 3)
        #expect(Self.message {
            try Grouping.checkGroupCount(columns: columns, attributes: ["region", "channel"], missingPolicy: .ownGroup, maxGroups: 11)
        }?.contains("the intersection of region & channel has 12 groups (3 × 4 levels)") == true)
    }
}
