import Foundation
import Testing
@testable import Fairlead
import FairleadCore

/// Completing a production audit when its labels arrive.
@Suite struct HistoryLateLabelsTests {
    static let reaudit = AuditFixtures.root.appendingPathComponent("fixtures/profiles/leads-reaudit.yaml").path
    static let weekly = AuditFixtures.root.appendingPathComponent("fixtures/profiles/leads-weekly.yaml").path
    static let week2 = AuditFixtures.root.appendingPathComponent("fixtures/leads/leads-week2.csv").path
    static let outcomes = AuditFixtures.root.appendingPathComponent("fixtures/leads/leads-week2-outcomes.csv").path

    /// The fixture profiles allowed as bases of the quick profiles written into temporary folders.
    static let reading: ProfileReading = {
        var reading = ProfileReading()
        reading.allowedFolders = [AuditFixtures.root.appendingPathComponent("fixtures/profiles").path]
        return reading
    }()

    /// `profile` with 100 bootstrap replicates instead of 1,000, written into `folder`.
    static func quick(_ profile: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("quick-" + (profile as NSString).lastPathComponent).path
        try "extends: \(profile)\nsettings:\n  bootstrap: 100\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A history holding the label-free audit of `data` with (a quick) `profile` as entry 1.
    static func history(profile: String = reaudit, data: String? = nil) throws -> (HistoryStore, URL, AuditReport) {
        let folder = try HistoryFixtures.temporaryFolder()
        let profile = try quick(profile, in: folder)
        let store = try HistoryStore(path: folder.appendingPathComponent("h.sqlite").path)
        let report = try Audit(profile: try AuditProfile.load(path: profile, reading: Self.reading), dataPath: data, threads: 2,
                               clock: AuditFixtures.fixedClock).run()
        try store.append(report, asOf: try HistoryTime.parse("2026-03-02", option: "as of"))
        return (store, folder, report)
    }

    /// Completes entry `id` and appends the completed report, as `fairlead history label` does.
    @discardableResult
    static func complete(_ store: HistoryStore, entry id: Int64, labels: LateLabels, threads: Int,
                         clock: @escaping @Sendable () -> Date = { Date() }) throws -> (HistoryEntry, AuditReport) {
        let report = try Audit.completing(entry: id, in: store, labels: labels, threads: threads,
                                                reading: Self.reading, clock: clock)
        return (try store.appendCompletion(report), report)
    }

    @Test func everyLabelArrivedGivesTheLabelledAuditExactly() throws {
        let (store, folder, original) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(original.decisions["threshold_0.3"]?.attributes["ethnicity"]?.groups["black"]?.metrics["true_positive_rate"] == nil)
        // The sample's own `converted` column arrives as the late labels.
        let (entry, completed) = try Self.complete(store, entry: 1, labels: LateLabels(path: AuditFixtures.leads, idColumn: "lead_id", labelColumn: "converted"),
                                                    threads: 2, clock: AuditFixtures.fixedClock)
        var labelled = try AuditProfile.load(path: try Self.quick(Self.reaudit, in: folder), reading: Self.reading)
        labelled.data.label = "converted"
        let direct = try Audit(profile: labelled, threads: 2, clock: AuditFixtures.fixedClock).run()

        #expect(completed.decisions == direct.decisions)
        #expect(completed.findings == direct.findings)
        #expect(completed.rows == direct.rows)
        #expect(completed.status == direct.status)
        #expect(completed.scoreDistribution == original.scoreDistribution)
        let black = completed.decisions["threshold_0.3"]?.attributes["ethnicity"]?.groups["black"]
        #expect(black?.metrics["true_positive_rate"]?.value != nil)
        #expect(black?.metrics["selection_rate"] == original.decisions["threshold_0.3"]?.attributes["ethnicity"]?.groups["black"]?.metrics["selection_rate"])
        // Every label-free disparity and fairness value of the original, with its bootstrap
        // interval, is unchanged (mean scores: up to rounding, their sums being split by
        // label into cells; see CLIHistoryRerunTests).
        for (name, before) in try #require(original.decisions["threshold_0.3"]?.attributes) {
            let after = try #require(completed.decisions["threshold_0.3"]?.attributes[name])
            #expect(before.disparities.keys.sorted() == ["mean_score", "selection_rate"])
            for (metric, disparity) in before.disparities where metric != "mean_score" {
                #expect(after.disparities[metric] == disparity, "\(name) \(metric)")
            }
            for (fairness, estimate) in before.fairness where estimate.value != nil {
                #expect(after.fairness[fairness] == estimate, "\(name) \(fairness)")
            }
        }

        let info = try #require(completed.lateLabels)
        #expect(info.labelled == 5000 && info.unlabelled == 0 && info.unmatched == 0)
        #expect(info.sha256 == (try ContentDigest.sha256(ofFile: AuditFixtures.leads).hex))
        #expect(info.completes == AuditReport.CompletedEntry(entry: 1, reportSha256: (try store.entry(1))?.reportSHA256 ?? ""))
        #expect(entry.id == 2 && entry.completes == 1 && entry.asOf == "2026-03-02T00:00:00Z")
        #expect(try store.report(of: 2) == completed)
        #expect(try store.verify().problems == [])
    }

    @Test func labelsStillMissingLeaveTheirRowsUnlabelled() throws {
        // Entry 1: the first week, the weekly profile's pinned baseline; entry 2: week 2.
        let (store, folder, _) = try Self.history(profile: Self.weekly)
        defer { try? FileManager.default.removeItem(at: folder) }
        let weekly = try AuditProfile.load(path: try Self.quick(Self.weekly, in: folder), reading: Self.reading)
        var audit = try Audit(profile: weekly, dataPath: Self.week2, threads: 2, clock: AuditFixtures.fixedClock)
        audit.driftBaseline = try DriftBaseline.resolve(try #require(weekly.drift), profile: weekly.name, history: store)
        try store.append(try audit.run())
        let (_, completed) = try Self.complete(store, entry: 2, labels: LateLabels(path: Self.outcomes, idColumn: "lead_id", labelColumn: "converted"),
                                                threads: 2, clock: AuditFixtures.fixedClock)
        // The same audit of the scores with the outcomes pasted in as a column.
        let known = try String(contentsOfFile: Self.outcomes, encoding: .utf8).split(separator: "\n").dropFirst()
            .reduce(into: [String: String]()) { map, line in
                let cells = line.split(separator: ",")
                map[String(cells[0])] = String(cells[1])
            }
        let lines = try String(contentsOfFile: Self.week2, encoding: .utf8).split(separator: "\n")
        let joined = [lines[0] + ",converted"] + lines.dropFirst().map { line in
            line + "," + (known[String(line.prefix { $0 != "," })] ?? "")
        }
        let path = try AuditFixtures.temporaryCSV(joined.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var labelled = weekly
        labelled.data.label = "converted"
        labelled.drift = nil
        let direct = try Audit(profile: labelled, dataPath: path, threads: 2, clock: AuditFixtures.fixedClock).run()

        #expect(completed.decisions == direct.decisions)
        #expect(completed.rows == AuditReport.RowAccounting(read: 5000, used: 4040, excluded: ["missing_score": 0, "missing_label": 960]))
        #expect(completed.lateLabels?.labelled == 4040 && completed.lateLabels?.unlabelled == 960)
        // The completed audit is compared with the original's baseline.
        #expect(completed.drift?.baseline?.entry == 1)
        #expect(completed.drift?.status == .fail)
    }

    @Test func changedDataIsRefused() throws {
        let copy = try AuditFixtures.temporaryCSV(try String(contentsOfFile: AuditFixtures.leads, encoding: .utf8))
        let folder = (copy as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (store, historyFolder, original) = try Self.history(data: copy)
        defer { try? FileManager.default.removeItem(at: historyFolder) }
        try (try String(contentsOfFile: copy, encoding: .utf8) + "L9999999,web_form,software,1-10,north,PA01,1,1,0,1.0,vp,male,25-34,white,0.5,1\n")
            .write(toFile: copy, atomically: true, encoding: .utf8)
        let now = try ContentDigest.sha256(ofFile: copy).hex
        #expect(throws: FairleadError(.invalidData,
                                      "the data changed since entry 1 was audited (SHA-256 \(now.prefix(12))…, the report recorded \(original.data.sha256.prefix(12))…); give the file that was audited with --data",
                                      at: SourceLocation(file: copy))) {
            try Self.complete(store, entry: 1, labels: LateLabels(path: AuditFixtures.leads, idColumn: "lead_id", labelColumn: "converted"), threads: 1)
        }
        #expect(try store.entries().count == 1)
    }

    @Test func anIDWithTwoLabelsIsAnError() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let labels = try AuditFixtures.temporaryCSV("lead_id,converted\nL0000001,0\nL0000002,1\nL0000001,1\n")
        defer { try? FileManager.default.removeItem(atPath: (labels as NSString).deletingLastPathComponent) }
        #expect(throws: FairleadError(.invalidData, "the id 'L0000001' has two labels (data rows 1 and 3)",
                                      at: SourceLocation(file: labels, field: "column \"lead_id\""))) {
            try Self.complete(store, entry: 1, labels: LateLabels(path: labels, idColumn: "lead_id", labelColumn: "converted"), threads: 1)
        }
    }

    /// An id the error quotes is clipped and escaped as every quoted value is, so a label
    /// file's id of thousands of characters, or holding controls, does not come back whole.
    @Test func anIDWithTwoLabelsIsQuotedClipped() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let long = "L" + String(repeating: "9", count: 5_000) + "\u{1B}[2J"
        let labels = try AuditFixtures.temporaryCSV("lead_id,converted\n\(long),0\nL0000002,1\n\(long),1\n")
        defer { try? FileManager.default.removeItem(atPath: (labels as NSString).deletingLastPathComponent) }
        #expect(throws: FairleadError(.invalidData, "the id '\(MessageQuote.clipped(long))' has two labels (data rows 1 and 3)",
                                      at: SourceLocation(file: labels, field: "column \"lead_id\""))) {
            try Self.complete(store, entry: 1, labels: LateLabels(path: labels, idColumn: "lead_id", labelColumn: "converted"), threads: 1)
        }
        #expect(MessageQuote.clipped(long).count < 80)
    }

    @Test func aLabelOtherThanZeroOrOneIsAnError() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let labels = try AuditFixtures.temporaryCSV("lead_id,converted\nL0000001,0\nL0000002,2\n")
        defer { try? FileManager.default.removeItem(atPath: (labels as NSString).deletingLastPathComponent) }
        // Refused by the reader, which reads the column as 0/1, at the value's line and field.
        #expect(throws: FairleadError(.invalidData, "expected 0/1 or true/false, found \"2\"",
                                      at: SourceLocation(file: labels, line: 3, column: 2, field: "converted"))) {
            try Self.complete(store, entry: 1, labels: LateLabels(path: labels, idColumn: "lead_id", labelColumn: "converted"), threads: 1)
        }
    }

    @Test func unmatchedLabelsAreCounted() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let labels = try AuditFixtures.temporaryCSV("lead_id,converted\nL0000001,0\nL0000002,1\nX1,1\nX2,\n")
        defer { try? FileManager.default.removeItem(atPath: (labels as NSString).deletingLastPathComponent) }
        let (_, report) = try Self.complete(store, entry: 1, labels: LateLabels(path: labels, idColumn: "lead_id", labelColumn: "converted"), threads: 1)
        #expect(report.lateLabels?.labelled == 2 && report.lateLabels?.unlabelled == 4998 && report.lateLabels?.unmatched == 2)
        #expect(report.rows.excluded["missing_label"] == 4998)
    }

    /// A label row without an id matches no lead: it is counted with the unmatched ones;
    /// labels none of whose ids match the data say so, instead of "no usable rows".
    @Test func labelsWithoutAnIDAreCountedAndNoMatchAtAllIsSaid() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let labels = try AuditFixtures.temporaryCSV("lead_id,converted\nL0000001,0\n,1\nNA,0\n")
        defer { try? FileManager.default.removeItem(atPath: (labels as NSString).deletingLastPathComponent) }
        let (_, report) = try Self.complete(store, entry: 1, labels: LateLabels(path: labels, idColumn: "lead_id", labelColumn: "converted"), threads: 1)
        #expect(report.lateLabels?.labelled == 1 && report.lateLabels?.unmatched == 2, "\(String(describing: report.lateLabels))")
        let spaced = try AuditFixtures.temporaryCSV("lead_id,converted\n\" L0000001\",1\n\"L0000002 \",0\n")
        defer { try? FileManager.default.removeItem(atPath: (spaced as NSString).deletingLastPathComponent) }
        let none = #expect(throws: FairleadError.self) {
            try Self.complete(store, entry: 1, labels: LateLabels(path: spaced, idColumn: "lead_id", labelColumn: "converted"), threads: 1)
        }
        #expect(none?.message.hasPrefix("none of the 2 labels' ids matches an id of the data") == true, "\(none?.message ?? "")")
    }

    /// A data id on two rows, or in two Unicode spellings, would give one label to two
    /// leads: refused, naming the rows.
    @Test func dataIDsThatAreNotDistinctAreRefused() throws {
        let header = "lead_id,score,converted,ethnicity,gender,age_band\n"
        for (ids, message) in [(["L1", "L2", "L2"], "the id 'L2' is on two data rows (2 and 3)"),
                               (["L1", "id-caf\u{E9}", "id-cafe\u{301}"], "the ids \"id-caf\\u{00E9}\" (data row 2) and \"id-cafe\\u{0301}\" (data row 3) are one text in two Unicode spellings")] {
            let rows = ids.enumerated().map { "\($1),0.\($0 + 4),,white,female,25-34" }.joined(separator: "\n")
            let data = try AuditFixtures.temporaryCSV(header + rows + "\n")
            defer { try? FileManager.default.removeItem(atPath: (data as NSString).deletingLastPathComponent) }
            let (store, folder, _) = try Self.history(data: data)
            defer { try? FileManager.default.removeItem(at: folder) }
            let labels = try AuditFixtures.temporaryCSV("lead_id,converted\nL1,1\n")
            defer { try? FileManager.default.removeItem(atPath: (labels as NSString).deletingLastPathComponent) }
            let error = #expect(throws: FairleadError.self) {
                try Self.complete(store, entry: 1, labels: LateLabels(path: labels, idColumn: "lead_id", labelColumn: "converted"), threads: 1)
            }
            #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
        }
    }

    /// An ad hoc audit (`fairlead audit --data … --score … --sensitive …`) records no
    /// profile file, and no file can have the SHA-256 of its flags: it could not be
    /// completed at all. Its profile is rebuilt from its report, checked against the
    /// recorded SHA-256, and joined on the data's column named like the labels' id column.
    @Test func anAdHocAuditIsCompletedWithTheProfileItsReportRecords() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore(path: folder.appendingPathComponent("h.sqlite").path)
        // As `fairlead audit --score score --sensitive ethnicity,gender --reference ethnicity=white
        // --threshold 0.5 --threshold 0.3 --top-k 10% --score-range 0,1 --rule …` makes it.
        var adHoc = AuditProfile.adHoc(score: "score")
        adHoc.data.scoreRange = 0...1
        adHoc.sensitive = [.init(column: "ethnicity", reference: .group("white")), .init(column: "gender")]
        adHoc.decisions = try AuditProfile.commandLineDecisions(thresholds: [0.5, 0.3], topK: ["10%"])
        adHoc.rules = [try AuditProfile.rule("disparate_impact >= 0.8", source: "--rule")]
        adHoc.settings.bootstrapReplicates = 100
        let original = try Audit(profile: adHoc, dataPath: AuditFixtures.leads, threads: 2, clock: AuditFixtures.fixedClock).run()
        try store.append(original, asOf: try HistoryTime.parse("2026-03-02", option: "as of"))
        #expect(original.profile.files.isEmpty && original.profile.name == "ad-hoc")

        let rebuilt = try AuditProfile.rebuiltAdHoc(from: original, entry: 1)
        #expect(rebuilt.summaryDigest == original.profile.sha256)
        #expect(rebuilt.decisions.map(\.name) == adHoc.decisions.map(\.name))
        let withFile = #expect(throws: FairleadError.self) {
            try Audit.completing(entry: 1, in: store, labels: LateLabels(path: AuditFixtures.leads, idColumn: "lead_id", labelColumn: "converted"),
                                 profilePath: try Self.quick(Self.reaudit, in: folder), threads: 1, reading: Self.reading)
        }
        #expect(withFile?.message.hasPrefix("entry 1 was audited without a profile file, so no profile file has the SHA-256 it recorded") == true,
                "\(withFile?.message ?? "")")
        let (entry, completed) = try Self.complete(store, entry: 1, labels: LateLabels(path: AuditFixtures.leads, idColumn: "lead_id", labelColumn: "converted"),
                                                    threads: 2, clock: AuditFixtures.fixedClock)
        #expect(entry.id == 2 && entry.completes == 1 && entry.asOf == "2026-03-02T00:00:00Z")
        #expect(completed.lateLabels?.completes?.entry == 1)
        #expect(completed.lateLabels?.labelled == 5000)
        // The same profile, now with labels: its recorded SHA-256 is the original's.
        #expect(completed.profile == original.profile)
        var labelled = adHoc
        labelled.data.label = "converted"
        labelled.data.id = "lead_id"
        let direct = try Audit(profile: labelled, dataPath: AuditFixtures.leads, threads: 2, clock: AuditFixtures.fixedClock).run()
        #expect(completed.decisions == direct.decisions)
        #expect(completed.findings == direct.findings)
        #expect(completed.decisions["threshold_0.3"]?.attributes["ethnicity"]?.groups["black"]?.metrics["true_positive_rate"]?.value != nil)
        #expect(try HistoryStore.verify(path: store.path).isIntact)
    }

    @Test func aProfileWithoutAFileThatNoFlagsMakeCannotBeCompleted() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore(path: folder.appendingPathComponent("h.sqlite").path)
        let report = try HistoryFixtures.smallReport()
        try store.append(report)
        #expect(throws: FairleadError(.usage, "entry 1 was audited without a profile file, and its profile cannot be rebuilt from its report: it names the profile 't', not ad-hoc (only the profile of `fairlead audit` without --profile is rebuilt); it cannot be completed with late labels, since no profile file has the SHA-256 it recorded (\(report.profile.sha256.prefix(12))…): audit with a profile file (with data.id) to complete an audit later")) {
            try Self.complete(store, entry: 1, labels: LateLabels(path: AuditFixtures.leads, idColumn: "lead_id", labelColumn: "converted"), threads: 1)
        }
        #expect(throws: FairleadError(.usage, "entry 7 is not in the history (it has entry 1)", at: SourceLocation(file: store.path))) {
            try Self.complete(store, entry: 7, labels: LateLabels(path: AuditFixtures.leads, idColumn: "lead_id", labelColumn: "converted"), threads: 1)
        }
    }
}
