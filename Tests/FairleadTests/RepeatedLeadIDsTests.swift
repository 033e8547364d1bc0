import Foundation
import Testing
@testable import Fairlead
import FairleadCore

/// `data.id` declared: an audit counts the rows that repeat a lead's id (a lead on two
/// rows weighs twice in its group's rates), says so in a note that places the rows by line,
/// never quoting an id, and records why the id column was read.
@Suite struct RepeatedLeadIDsTests {
    static func profile(id: String? = "id") -> AuditProfile {
        var profile = AuditBehaviourTests.profile()
        profile.data.id = id
        return profile
    }

    static func audit(_ csv: String, profile: AuditProfile = profile()) throws -> AuditReport {
        let path = try AuditFixtures.temporaryCSV(csv)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        return try Audit(profile: profile, dataPath: path, threads: 1, clock: AuditFixtures.fixedClock).run()
    }

    @Test func distinctIDsGiveNoNoteAndTheColumnSaysWhyItWasRead() throws {
        let report = try Self.audit(AuditBehaviourTests.csv)
        #expect(!(report.notes ?? []).contains { $0.hasPrefix("data.id") })
        #expect(report.data.columns.first == "id")
        #expect(report.data.columnPurposes?.first == .init(column: "id", purposes: ["repeated_ids"]))
    }

    @Test func withoutDataIDTheIDsAreNotRead() throws {
        let report = try Self.audit(AuditBehaviourTests.csv, profile: Self.profile(id: nil))
        #expect(!report.data.columns.contains("id"))
        #expect(!(report.notes ?? []).contains { $0.hasPrefix("data.id") })
    }

    /// Rows 3 and 9 repeat row 1's id, row 7 row 5's; an empty id repeats nothing. The
    /// lines are the file's (a quoted newline in row 2 moves every later line down one).
    @Test func repeatsAreCountedAndPlacedByLine() throws {
        let csv = """
            id,score,y,g
            L1,0.9,1,a
            L2,0.8,0,"a"
            L1,0.2,1,a
            ,0.1,0,a
            L5,0.7,1,b
            ,0.3,0,b
            L5,0.2,0,b
            "L8
            x",0.6,1,
            L1,0.9,0,b
            L10,,1,a

            """
        let report = try Self.audit(csv)
        let note = try #require(report.notes?.first { $0.hasPrefix("data.id") })
        #expect(note.contains("3 rows repeat the id of an earlier row in column \"id\" (2 leads on more than one row; the first: line 4, the id of line 2)"))
        #expect(!note.contains("L1"))
        // Every row is still counted: the note says what the numbers are, it does not change them.
        #expect(report.rows.read == 10)
        let rendered = TerminalRendering.render(report)
        #expect(rendered.contains("note: data.id: 3 rows repeat"))
        #expect(MarkdownRendering.render(report).contains("data.id: 3 rows repeat"))
    }

    /// One id in two Unicode spellings (NFC é, NFD e + U+0301) is one lead: a CRM's lookup
    /// by either finds both rows.
    @Test func twoSpellingsOfOneIDAreARepeat() throws {
        let repeats = RepeatedLeadIDs.find(in: CategoricalColumn(codes: [0, 1, -1, 2], levels: ["Ren\u{E9}", "Rene\u{301}", "x"]))
        #expect(repeats == RepeatedLeadIDs(rows: 1, ids: 1, first: (row: 1, earlier: 0)))
        #expect(RepeatedLeadIDs.find(in: CategoricalColumn(codes: [0, 1, -1, -1], levels: ["a", "A"])) == nil)
        // Three rows of one id are two repeats of one lead.
        #expect(RepeatedLeadIDs.find(in: CategoricalColumn(codes: [0, 1, 0, 0], levels: ["a", "b"]))
                == RepeatedLeadIDs(rows: 2, ids: 1, first: (row: 2, earlier: 0)))
    }

    /// Rows without consent are gone before the count: a repeat among them is no repeat,
    /// and a row kept is placed on its line of the file (it was placed by its row among
    /// the rows kept).
    @Test func rowsWithoutConsentArePlacedOnTheirLines() throws {
        var profile = Self.profile()
        profile.data.consent = AuditProfile.ConsentSpec(column: "c", purpose: "fairness_audit")
        let csv = """
            id,score,y,g,c
            1,0.9,1,a,yes
            1,0.8,0,a,no
            2,0.2,1,a,yes
            2,0.1,0,a,yes

            """
        let note = try #require(try Self.audit(csv, profile: profile).notes?.first { $0.hasPrefix("data.id") })
        #expect(note.contains("1 row repeats the id of an earlier row in column \"id\" (1 lead on more than one row; the first: line 5, the id of line 4)"))
    }
}
