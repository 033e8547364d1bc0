import Foundation
import Testing
@testable import Fairlead

/// Rows without consent are left out before anything is computed, but an error about a
/// row kept must still name its line of the file: each site that placed row i of the
/// rows kept at record i of the file put the error on the wrong line (two lines early
/// here). One bad value per case, on the sixth record (line 7), after two rows without
/// consent.
@Suite struct ConsentLinesTests {
    static func csv(header: String, rows: [String]) -> String {
        ([header] + rows).joined(separator: "\n") + "\n"
    }

    static func profile(_ path: String, extra: String = "", label: String = "y", sensitive: String = "- column: g",
                        decision: String = "- threshold: 0.5") throws -> AuditProfile {
        var profile = try AuditProfile.parse("""
            name: consent-lines
            data:
              path: \(path)
              score: score
              label: \(label)
              score_range: [0, 1]
              consent: {column: c, purpose: fairness_audit}
            \(extra)
            decisions:
              \(decision)
            sensitive:
              \(sensitive)
            rules:
              - disparate_impact >= 0.8
            settings:
              min_group_size: 1
              bootstrap: 0
            """)
        profile.sourceFiles = []
        return profile
    }

    /// Records 1 and 2 lack consent; record 5 (line 7) holds the bad value `bad` in
    /// column `column` of `header`.
    static func rows(header: String, good: [String: String], bad: (column: String, value: String)) -> [String] {
        let names = header.split(separator: ",").map(String.init)
        return (0..<8).map { record in
            names.map { name -> String in
                if name == "c" { return record == 1 || record == 2 ? "no" : "yes" }
                if name == bad.column && record == 5 { return bad.value }
                if name == "g" { return record % 2 == 0 ? "a" : "b" }
                if name == "score" { return record % 3 == 0 ? "0.9" : "0.2" }
                if name == "y" { return "\(record % 2)" }
                return good[name] ?? "0"
            }.joined(separator: ",")
        }
    }

    static func error(_ csv: String, profile: (String) throws -> AuditProfile) throws -> String {
        let path = try AuditFixtures.temporaryCSV(csv)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            _ = try Audit(profile: try profile(path), dataPath: path, threads: 1, clock: AuditFixtures.fixedClock).run()
            return "no error"
        } catch let error as FairleadError {
            return error.description.replacingOccurrences(of: path, with: "data.csv")
        }
    }

    /// The reader's own errors come before consent is applied: placed on the line as read.
    @Test func aBadLabelIsOnItsLine() throws {
        let header = "score,y,g,c"
        let text = try Self.error(Self.csv(header: header, rows: Self.rows(header: header, good: [:], bad: ("y", "maybe")))) { try Self.profile($0) }
        #expect(text.hasPrefix("data.csv:7:2 (y): expected 0/1 or true/false, found \"maybe\""), "\(text)")
    }

    @Test func aBadLabelSpellingIsOnItsLine() throws {
        let header = "score,y,g,c"
        var rows = Self.rows(header: header, good: [:], bad: ("y", "Won"))
        rows = rows.map { $0.replacingOccurrences(of: ",1,", with: ",won,").replacingOccurrences(of: ",0,", with: ",lost,") }
        let text = try Self.error(Self.csv(header: header, rows: rows)) { try Self.profile($0, label: "{column: y, positive: [won]}") }
        #expect(text.hasPrefix("data.csv:7:2 (y): the label \"Won\""), "\(text)")
    }

    @Test func aBadWeightIsOnItsLine() throws {
        let header = "score,y,g,c,w"
        let text = try Self.error(Self.csv(header: header, rows: Self.rows(header: header, good: ["w": "1"], bad: ("w", "-1")))) {
            try Self.profile($0, extra: "  weight: w")
        }
        #expect(text.hasPrefix("data.csv:7:5 (w): weight is -1.0"), "\(text)")
    }

    @Test func aScoreOutsideTheRangeIsOnItsLine() throws {
        let header = "score,y,g,c"
        let text = try Self.error(Self.csv(header: header, rows: Self.rows(header: header, good: [:], bad: ("score", "1.5")))) { try Self.profile($0) }
        #expect(text.hasPrefix("data.csv:7:1 (score)"), "\(text)")
    }

    @Test func twoIndicatorsOfARowAreOnItsLine() throws {
        let header = "score,y,c,g_a,g_b"
        var rows = Self.rows(header: header, good: [:], bad: ("g_b", "1"))
        rows = rows.enumerated().map { record, row in
            var fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[3] = record % 2 == 0 || record == 5 ? "1" : "0"
            if record != 5 { fields[4] = fields[3] == "1" ? "0" : "1" }
            return fields.joined(separator: ",")
        }
        let text = try Self.error(Self.csv(header: header, rows: rows)) {
            try Self.profile($0, sensitive: "- {name: g, one_hot: {a: g_a, b: g_b}}")
        }
        #expect(text.hasPrefix("data.csv:7:5 (g_b): g_a and g_b are both 1"), "\(text)")
    }

    /// A statistics part on a score grid: a score outside the grid was placed at line
    /// row + 2 of the rows kept.
    @Test func aScoreOutsideTheGridIsOnItsLine() throws {
        let header = "score,y,g,c"
        let csv = Self.csv(header: header, rows: Self.rows(header: header, good: [:], bad: ("score", "1.5")))
        let path = try AuditFixtures.temporaryCSV(csv)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var profile = try Self.profile(path)
        profile.data.scoreRange = nil
        profile.statistics = .init(scoreGridBins: 100)
        let error = #expect(throws: FairleadError.self) {
            _ = try Audit(profile: profile, dataPath: path, threads: 1, clock: AuditFixtures.fixedClock).statisticsPart()
        }
        #expect(error?.description.replacingOccurrences(of: path, with: "data.csv")
                    .hasPrefix("data.csv:7:1 (score): data record 6 has score 1.5, outside the score grid's range") == true,
                "\(String(describing: error))")
    }

    /// Reweighing weights written without an id column name each row by its number among
    /// the file's data rows: rows without consent count, or the weights would be joined to
    /// the wrong rows.
    @Test func reweighingRowNumbersCountRowsWithoutConsent() throws {
        let header = "score,y,g,c"
        let csv = Self.csv(header: header, rows: Self.rows(header: header, good: [:], bad: ("y", "1")))
        let path = try AuditFixtures.temporaryCSV(csv)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let input = try AuditInput.read(profile: try Self.profile(path), path: path, threads: 1, idColumn: nil, model: nil)
        let export = try Mitigation.reweighing("g", data: input.data, ids: nil, idName: nil, profile: try Self.profile(path),
                                                     dataPath: path, pseudonymizer: nil)
        #expect(export.ids == ["1", "4", "5", "6", "7", "8"], "\(export.ids)")
    }
}
