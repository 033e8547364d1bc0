import Foundation
import Testing
@testable import Fairlead
import FairleadCore

/// `data.consent`: the accepted values, rows without consent left out before anything is
/// computed and counted, invalid values located, and an audit of nobody refused.
@Suite struct ConsentTests {
    static let spec = AuditProfile.ConsentSpec(column: "c", purpose: "fairness_audit")

    @Test(arguments: [
        ("true", true), ("YES", true), (" y ", true), ("\tyes\t", true), ("1", true),
        ("false", false), ("No", false), ("n", false), ("0", false), ("", false), ("  ", false),
        ("fairness_audit", true), ("marketing;Fairness_Audit", true), ("marketing | fairness_audit", true),
        ("marketing", false), ("marketing;sales", false), ("maybe", false),
    ])
    func values(text: String, consents: Bool) {
        #expect(Self.spec.consents(text) == consents)
    }

    /// Only ASCII spaces and tabs are trimmed, as the pushdown query's `[ \t]` does in every
    /// database: a no-break or thin space around a value makes it invalid, not consent.
    @Test(arguments: ["marketing;;sales", "=HYPERLINK(\"x\")", "fairness audit", "a;\u{1B}[31m", "ja!",
                      "\u{A0}yes", "fairness_audit\u{2009}", "no\u{3000}"])
    func invalidValues(text: String) {
        #expect(Self.spec.consents(text) == nil)
    }

    static func profile() -> AuditProfile {
        var profile = AuditBehaviourTests.profile()
        profile.data.consent = spec
        return profile
    }

    /// AuditBehaviourTests' data with a consent column: rows 2 and 5 refuse, row 6 is blank.
    static let csv = """
        id,score,y,g,c
        1,0.9,1,a,yes
        2,0.8,0,a,no
        3,0.2,1,a,fairness_audit;marketing
        4,0.1,0,a,1
        5,0.7,1,b,marketing
        6,0.3,0,b,
        7,0.2,0,b,true
        8,0.6,1,,true
        9,0.9,NA,b,true
        10,,1,a,true

        """

    @Test func rowsWithoutConsentAreLeftOutAndCounted() throws {
        let path = try AuditFixtures.temporaryCSV(Self.csv)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let report = try Audit(profile: Self.profile(), dataPath: path, threads: 1, clock: AuditFixtures.fixedClock).run()
        #expect(report.rows.read == 10)
        #expect(report.rows.excluded["no_consent"] == 3)
        #expect(report.rows.used + report.rows.excluded.values.reduce(0, +) == 10)
        #expect(report.data.consent == AuditReport.ConsentInfo(column: "c", purpose: "fairness_audit", excluded: 3))
        #expect(report.data.columns.contains("c"))
        let decision = try #require(report.decisions["t05"])
        #expect(decision.rows.read == 10)
        #expect(decision.rows.excluded["no_consent"] == 3)
        // Group a keeps rows 1, 3, 4 (row 2 refused); b keeps row 7 (5 and 6 refused).
        let groups = try #require(decision.attributes["g"]?.groups)
        #expect(groups["a"]?.count == 3)
        #expect(groups["b"]?.count == 1)
        // The rendering says why the rows are missing.
        #expect(MarkdownRendering.render(report).contains("3 excluded: no consent"))
        // Every column read says which part of the audit needed it.
        #expect(report.data.columnPurposes == [
            .init(column: "score", purposes: ["decisions", "queue", "score_distribution"]),
            .init(column: "y", purposes: ["outcome_metrics"]),
            .init(column: "g", purposes: ["grouping"]),
            .init(column: "c", purposes: ["consent_filter"]),
        ])
        #expect(MarkdownRendering.render(report).contains("- Columns read: `score` (`decisions`, `queue`, `score_distribution`); `y` (`outcome_metrics`); `g` (`grouping`); `c` (`consent_filter`)\n"))
        let json = String(decoding: try report.jsonData(), as: UTF8.self)
        #expect(json.contains("\"column_purposes\" : ["))
        #expect(try AuditReport.decode(json: report.jsonData()) == report)
    }

    @Test func anInvalidValueIsLocated() throws {
        let path = try AuditFixtures.temporaryCSV(Self.csv.replacingOccurrences(of: "6,0.3,0,b,", with: "6,0.3,0,b,perhaps?"))
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            _ = try Audit(profile: Self.profile(), dataPath: path, threads: 1).run()
            Issue.record("an invalid consent value was accepted")
        } catch let error as FairleadError {
            #expect(error.kind == .invalidData)
            #expect(error.location == SourceLocation(file: path, line: 7, column: 5, field: "c"))
            #expect(error.message.hasPrefix("invalid consent value 'perhaps?'"))
        }
    }

    @Test func noRowWithConsentIsRefused() throws {
        let path = try AuditFixtures.temporaryCSV("id,score,y,g,c\n1,0.9,1,a,no\n2,0.4,0,b,\n")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            _ = try Audit(profile: Self.profile(), dataPath: path, threads: 1).run()
            Issue.record("an audit of nobody ran")
        } catch let error as FairleadError {
            #expect(error.message == "no rows to judge: none of the 2 rows read consents to the purpose 'fairness_audit' (data.consent, column \"c\")")
        }
    }

    @Test func theProfileKeyIsReadAndChecked() throws {
        let profile = try AuditProfile.parse("name: p\ndata: {score: s, consent: {column: ok, purpose: fairness_audit}}\nsensitive: [g]\ndecisions:\n  - threshold: 0.5\n",
                                             file: "p.yaml")
        #expect(profile.data.consent == .init(column: "ok", purpose: "fairness_audit"))
        #expect(profile.columnsRead.last == "ok")
        #expect(throws: FairleadError.self) {
            try AuditProfile.parse("name: p\ndata: {score: s, consent: {column: ok, purpose: 'two words'}}\nsensitive: [g]\ndecisions:\n  - threshold: 0.5\n",
                                   file: "p.yaml")
        }
        #expect(throws: FairleadError.self) {
            try AuditProfile.parse("name: p\ndata: {score: s, consent: {column: ok}}\nsensitive: [g]\ndecisions:\n  - threshold: 0.5\n",
                                   file: "p.yaml")
        }
    }

    @Test func pseudonymKeysAreRead() throws {
        let base = "name: p\ndata: {score: s}\nsensitive: [g]\ndecisions:\n  - threshold: 0.5\nprivacy:\n"
        let file = try #require(try AuditProfile.parse(base + "  pseudonymize_ids: true\n  pseudonym_key: {file: keys/k}\n", file: "dir/p.yaml").privacy)
        #expect(file.pseudonymizeIDs)
        guard case .file(let path, _)? = file.pseudonymKey else { Issue.record("not a file key"); return }
        #expect(path == "dir/keys/k")
        let env = try #require(try AuditProfile.parse(base + "  pseudonymize_ids: true\n  pseudonym_key: {env: LEAD_KEY}\n", file: "p.yaml").privacy)
        guard case .environment(let name, _)? = env.pseudonymKey else { Issue.record("not an environment key"); return }
        #expect(name == "LEAD_KEY")
        #expect(throws: FairleadError.self) { try AuditProfile.parse(base + "  pseudonymize_ids: true\n", file: "p.yaml") }
        #expect(throws: FairleadError.self) { try AuditProfile.parse(base + "  pseudonymize_ids: maybe\n  pseudonym_key: {env: K}\n", file: "p.yaml") }
        #expect(throws: FairleadError.self) { try AuditProfile.parse(base + "  pseudonymize_ids: true\n  pseudonym_key: {env: K, file: f}\n", file: "p.yaml") }
    }
}
