import Foundation
import Testing
@testable import Fairlead

/// The `drift:` section of a profile, and how its baseline is found.
@Suite struct HistoryDriftProfileTests {
    static let minimal = """
        name: t
        data: {score: s, id: id}
        decisions: [{threshold: 0.5}]
        sensitive: [g]
        """

    @Test func defaultsAndEveryKey() throws {
        let defaults = try #require(try AuditProfile.parse(Self.minimal + "\ndrift: {}\n", file: "p.yaml").drift)
        #expect(defaults.baseline == .lastPassing)
        #expect(defaults.tolerance == 0.05 && defaults.psi == 0.25 && defaults.shareShift == 0.05 && defaults.confidence == 0.99)
        #expect(defaults.comparedFairness == AuditProfile.DriftSpec.fairnessNames)
        #expect(defaults.comparedGroupMetrics == ["selection_rate"])
        #expect(try AuditProfile.parse(Self.minimal, file: "p.yaml").drift == nil)

        let yaml = Self.minimal + """

            drift:
              baseline: {pinned: 12}
              tolerance: 0.02
              psi: 0.1
              share_shift: 0.03
              confidence: 0.95
              metrics: [disparate_impact, true_positive_rate]
            """
        let spec = try #require(try AuditProfile.parse(yaml, file: "p.yaml").drift)
        #expect(spec.baseline == .entry(12))
        #expect(spec.tolerance == 0.02 && spec.psi == 0.1 && spec.shareShift == 0.03 && spec.confidence == 0.95)
        #expect(spec.comparedFairness == ["disparate_impact"] && spec.comparedGroupMetrics == ["true_positive_rate"])
    }

    /// What validate says drift compares follows drift.metrics: "a change in a fairness
    /// value" was promised when `metrics: []` or a group metric alone compared none.
    @Test func theSummarySaysWhatIsCompared() throws {
        func driftLines(_ metrics: String) throws -> [String] {
            let profile = try AuditProfile.parse(Self.minimal + "\ndrift: {metrics: \(metrics)}\n", file: "p.yaml")
            return profile.summaryLines.filter { $0.hasPrefix("  drift:") || $0.hasPrefix("  (drift") }
        }
        #expect(try driftLines("[disparate_impact, true_positive_rate]") == [
            "  drift: a change beyond ±0.05 in disparate_impact or a group's true_positive_rate difference to the reference, a score PSI beyond 0.25, or a group's share changing beyond ±0.05"])
        #expect(try driftLines("[true_positive_rate]") == [
            "  drift: a change beyond ±0.05 in a group's true_positive_rate difference to the reference, a score PSI beyond 0.25, or a group's share changing beyond ±0.05"])
        #expect(try driftLines("[]") == [
            "  drift: a score PSI beyond 0.25, or a group's share changing beyond ±0.05",
            "  (drift.metrics is an empty list: no fairness value or group difference is compared)"])
    }

    @Test func aPinnedFileIsRelativeToTheProfile() throws {
        let spec = try AuditProfile.parse(Self.minimal + "\ndrift:\n  baseline: {pinned: reports/base.json}\n", file: "audits/p.yaml").drift
        #expect(spec?.baseline == .reportFile("audits/reports/base.json"))
        // A quoted number is a file name.
        let quoted = try AuditProfile.parse(Self.minimal + "\ndrift:\n  baseline: {pinned: \"12\"}\n", file: "p.yaml").drift
        #expect(quoted?.baseline == .reportFile("12"))
    }

    @Test func theBaselineIsTheLastPassingEntryOfTheProfile() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore(path: folder.appendingPathComponent("h.sqlite").path)
        let spec = AuditProfile.DriftSpec()
        #expect(try DriftBaseline.resolve(spec, profile: "t", history: store)
                == .unavailable("no audit of profile 't' in the history has passed yet; pin a baseline with `baseline: {pinned: ENTRY}`"))
        #expect(try DriftBaseline.resolve(spec, profile: "t", history: nil)
                == .unavailable("the baseline is the last passing audit in the history, and no history was given"))
        let passing = try HistoryFixtures.smallReport()
        let entry = try store.append(passing, asOf: try HistoryTime.parse("2026-03-02", option: "as of"))
        try store.append(HistoryFixtures.leadsReport)    // another profile
        guard case .found(let baseline) = try DriftBaseline.resolve(spec, profile: "t", history: store) else {
            Issue.record("no baseline found")
            return
        }
        #expect(baseline.report == passing && baseline.entry == 1 && baseline.reportSHA256 == entry.reportSHA256)
        #expect(baseline.asOf == "2026-03-02T00:00:00Z")

        var pinned = spec
        pinned.baseline = .entry(2)
        guard case .found(let second) = try DriftBaseline.resolve(pinned, profile: "t", history: store) else {
            Issue.record("entry 2 not found")
            return
        }
        #expect(second.report == HistoryFixtures.leadsReport)
        pinned.baseline = .entry(3)
        #expect(try DriftBaseline.resolve(pinned, profile: "t", history: store)
                == .unavailable("the pinned baseline, entry 3, is not in the history yet"))
        // A re-run of the pinned audit's own week compared the week with itself: no drift.
        pinned.baseline = .entry(1)
        let week = try HistoryTime.parse("2026-03-02", option: "as of")
        #expect(try DriftBaseline.resolve(pinned, profile: "t", history: store, asOf: week)
                == .unavailable("the pinned baseline, entry 1, is an audit of profile 't' as of 2026-03-02, the time this audit describes: a re-run of the baseline is not compared with itself"))
        // Another week, or another profile's audit of that week, is compared with it.
        let nextWeek = try HistoryTime.parse("2026-03-09", option: "as of")
        #expect(try DriftBaseline.resolve(pinned, profile: "t", history: store, asOf: nextWeek) == .found(try DriftBaseline.entry(1, in: store)))
        #expect(try DriftBaseline.resolve(pinned, profile: "u", history: store, asOf: week) == .found(try DriftBaseline.entry(1, in: store)))
    }

    @Test func aPinnedReportFileIsReadAndFingerprinted() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("base.json").path
        let json = try HistoryFixtures.leadsReport.jsonData()
        try json.write(to: URL(fileURLWithPath: path))
        let resolved = try DriftBaseline.resolve(AuditProfile.DriftSpec(baseline: .reportFile(path)), profile: "golden", history: nil)
        #expect(resolved == .found(DriftBaseline(report: HistoryFixtures.leadsReport, reportSHA256: ContentDigest.sha256(json), file: path)))
        let missing = folder.appendingPathComponent("none.json").path
        #expect(throws: FairleadError.self) {
            try DriftBaseline.resolve(AuditProfile.DriftSpec(baseline: .reportFile(missing)), profile: "golden", history: nil)
        }
    }

    @Test func anEditedBaselineEntryIsRefused() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore(path: folder.appendingPathComponent("h.sqlite").path)
        try store.append(try HistoryFixtures.smallReport())
        try store.rawExecute("UPDATE entry SET report_json = CAST(replace(CAST(report_json AS TEXT), '\"t05\"', '\"t06\"') AS BLOB)")
        #expect(throws: FairleadError(.invalidData,
                                      "the report of entry 1 does not match its SHA-256: the history was edited; run `fairlead history verify`",
                                      at: SourceLocation(file: store.path))) {
            try DriftBaseline.resolve(AuditProfile.DriftSpec(), profile: "t", history: store)
        }
    }
}
