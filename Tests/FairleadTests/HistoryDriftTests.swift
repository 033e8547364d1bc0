import Foundation
import Testing
@testable import Fairlead

/// Drift against a baseline: a planted shift is found, resampling noise is not, and the
/// numbers match numpy and scipy (fixtures/drift/make_goldens.py).
@Suite struct HistoryDriftTests {
    struct Golden: Decodable {
        struct Group: Decodable {
            var shareBaseline: Double
            var shareCurrent: Double
            var countBaseline: Int?
            var countCurrent: Int?
            var cuts: [Double]?
            var countsBaseline: [Int]?
            var countsCurrentInBaselineBins: [Int]?
            var psi: Double?
            var pValue: Double?
        }
        struct Tail: Decodable { var x: Double; var df: Double; var sf: Double }
        struct Quantile: Decodable { var p: Double; var z: Double }
        var versions: [String: String]
        var attributes: [String: [String: Group]]
        var chi2Sf: [Tail]
        var normalUpperQuantile: [Quantile]
    }

    static let golden: Golden = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            let data = try Data(contentsOf: AuditFixtures.root.appendingPathComponent("fixtures/drift/leads-week2-drift.json"))
            return try decoder.decode(Golden.self, from: data)
        } catch {
            preconditionFailure("the drift golden file reads: \(error)")
        }
    }()

    static let weekly = AuditFixtures.root.appendingPathComponent("fixtures/profiles/leads-weekly.yaml").path
    static let week2 = AuditFixtures.root.appendingPathComponent("fixtures/leads/leads-week2.csv").path

    /// The weekly profile's audit of `path`, compared with `baseline` when given.
    static func audit(_ path: String? = nil, against baseline: AuditReport? = nil) throws -> AuditReport {
        var audit = try Audit(profile: try AuditProfile.load(path: weekly), dataPath: path, threads: 2,
                              clock: AuditFixtures.fixedClock)
        if let baseline {
            audit.driftBaseline = .found(DriftBaseline(report: baseline, reportSHA256: ContentDigest.sha256(try baseline.jsonData()),
                                                       entry: 1, asOf: "2026-03-02T00:00:00Z"))
        }
        return try audit.run()
    }

    static let baseline: AuditReport = {
        do { return try audit() } catch { preconditionFailure("the leads sample audits: \(error)") }
    }()

    @Test func plantedShiftIsFoundAndNothingElse() throws {
        let report = try Self.audit(Self.week2, against: Self.baseline)
        let drift = try #require(report.drift)
        #expect(drift.status == .fail)
        #expect(drift.baseline?.entry == 1 && drift.baseline?.profile == "leads-weekly")
        let drifted = drift.findings.filter { $0.verdict == .fail }
        #expect(drifted.map { "\($0.kind.rawValue) \($0.attribute) \($0.group ?? "")" }
                == ["group_difference ethnicity hispanic", "psi ethnicity hispanic"])
        let difference = try #require(drifted.first)
        // Hispanic leads were selected about as often as white ones, now 13 points less.
        #expect(abs((difference.baseline ?? 0) - 0.006) < 0.001 && abs((difference.current ?? 0) + 0.134) < 0.001)
        let interval = try #require(difference.interval)
        #expect(interval[1] < 0 && interval[0] < (difference.change ?? 0))
        #expect(report.status == .fail)
    }

    @Test func histogramsPSIAndSharesMatchNumpyAndScipy() throws {
        let report = try Self.audit(Self.week2, against: Self.baseline)
        let baselineDistribution = try #require(Self.baseline.scoreDistribution)
        let findings = try #require(report.drift?.findings)
        #expect(Self.golden.versions["scipy"] != nil)
        var compared = 0
        for (attribute, groups) in Self.golden.attributes {
            for (group, expected) in groups {
                let share = try #require(findings.first { $0.kind == .share && $0.attribute == attribute && $0.group == group })
                #expect(share.baseline == expected.shareBaseline && share.current == expected.shareCurrent)
                guard let cuts = expected.cuts else { continue }
                let histogram = try #require(baselineDistribution.attributes[attribute]?[group])
                #expect(histogram.cuts == cuts, "\(attribute) \(group)")
                #expect(histogram.counts == expected.countsBaseline, "\(attribute) \(group)")
                #expect(histogram.count == expected.countBaseline)
                #expect(report.scoreDistribution?.attributes[attribute]?[group]?.count == expected.countCurrent)
                let psi = try #require(findings.first { $0.kind == .psi && $0.attribute == attribute && $0.group == group })
                let value = try #require(psi.change), goldenPSI = try #require(expected.psi)
                #expect(abs(value - goldenPSI) <= 1e-12 * max(1, goldenPSI), "\(attribute) \(group)")
                if let pValue = psi.pValue, let goldenP = expected.pValue {
                    #expect(abs(pValue - goldenP) <= 1e-9 * max(goldenP, 1e-300) + 1e-15, "\(attribute) \(group): \(pValue) vs \(goldenP)")
                } else {
                    // Groups under the minimum size are not tested.
                    #expect(min(expected.countBaseline ?? 0, expected.countCurrent ?? 0) < 30)
                }
                compared += 1
            }
        }
        #expect(compared == 15)
    }

    /// Two bootstrap resamples of the same leads: what a re-audit of an unchanged
    /// population looks like. No value may be reported as drift.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func resamplingNoiseIsNotDrift(seed: UInt64) throws {
        let lines = try String(contentsOfFile: AuditFixtures.leads, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0], rows = lines.dropFirst()
        var generator = SeededGenerator(seed: seed)
        func resample() throws -> String {
            let drawn = (0..<rows.count).map { _ in rows[rows.startIndex + Int(generator.next() % UInt64(rows.count))] }
            return try AuditFixtures.temporaryCSV(([header] + drawn).joined(separator: "\n") + "\n")
        }
        let first = try resample(), second = try resample()
        defer {
            for path in [first, second] { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        }
        let report = try Self.audit(second, against: try Self.audit(first))
        let drift = try #require(report.drift)
        #expect(drift.findings.filter { $0.verdict == .fail }.map(\.reason) == [])
        #expect(drift.status != .fail)
        #expect(drift.settings.tests > 40)
    }

    @Test func identicalDataHasNoChangeAtAll() throws {
        let report = try Self.audit(against: Self.baseline)
        let drift = try #require(report.drift)
        #expect(drift.findings.allSatisfy { $0.verdict != .fail })
        #expect(drift.findings.filter { $0.kind != .psi }.compactMap(\.change).allSatisfy { $0 == 0 })
        #expect(drift.findings.filter { $0.kind == .psi }.compactMap(\.change).allSatisfy { $0 == 0 })
    }

    @Test func withoutABaselineTheSectionSaysWhy() throws {
        let drift = try #require(Self.baseline.drift)
        #expect(drift.status == .insufficientEvidence)
        #expect(drift.baseline == nil && drift.findings.isEmpty)
        #expect(drift.notes == ["no baseline was looked up"])
    }

    @Test func aReportWithoutHistogramsComparesDisparitiesOnly() throws {
        var old = Self.baseline
        old.scoreDistribution = nil
        let drift = try #require(try Self.audit(Self.week2, against: old).drift)
        #expect(!drift.findings.contains { $0.kind == .psi || $0.kind == .share })
        #expect(drift.notes.contains { $0.hasPrefix("the baseline report has no score distribution") })
        #expect(drift.findings.contains { $0.kind == .groupDifference && $0.group == "hispanic" && $0.verdict == .fail })
    }

    /// A baseline with nothing in common — other decisions, other attributes, no score
    /// distribution — is nothing checked: insufficient evidence, never a pass. A baseline of
    /// another profile or on another score scale is said.
    @Test func nothingComparedIsNotAPass() throws {
        var old = Self.baseline
        old.scoreDistribution = nil
        old.decisions = [:]
        old.profile.name = "another-profile"
        old.data.scoreScale?.range = [0, 100]
        let drift = try #require(try Self.audit(Self.week2, against: old).drift)
        #expect(drift.findings.isEmpty)
        #expect(drift.status == .insufficientEvidence, "\(drift.status)")
        #expect(drift.notes.contains { $0.hasPrefix("nothing could be compared") }, "\(drift.notes)")
        #expect(drift.notes.contains("the baseline is an audit of profile another-profile, this one of leads-weekly"), "\(drift.notes)")
        #expect(drift.notes.contains { $0.hasPrefix("the baseline's scores are on [0, 100], these on [0, 1]") }, "\(drift.notes)")
    }

    /// The terminal's first screen says why nothing was compared: the reasons were printed
    /// only with --verbose, under a summary of zeros.
    @Test func nothingComparedSaysWhyWithoutVerbose() throws {
        var old = Self.baseline
        old.scoreDistribution = nil
        old.decisions = [:]
        let report = try Self.audit(Self.week2, against: old)
        let text = TerminalRendering.render(report)
        #expect(text.contains("tolerance, 0 insufficient evidence\n  note: decision threshold_0.3 is not in the baseline\n"), "\(text)")
        #expect(text.contains("\n  note: the baseline report has no score distribution"), "\(text)")
        #expect(text.contains("\n  note: nothing could be compared: the baseline has no decision"), "\(text)")
        // Said once with --verbose too.
        let verbose = TerminalRendering.render(report, verbose: true)
        #expect(verbose.components(separatedBy: "note: nothing could be compared").count == 2, "\(verbose)")
    }

    /// A check that compared something and has notes shows them on the first screen too:
    /// "the baseline is an audit of another profile" qualifies every number above it, and
    /// was printed only with --verbose.
    /// A group gone since the baseline, and one that is new, are said on the first screen
    /// and counted as undecided findings: the gone group's comparisons were left out, 76
    /// compared where there were 78, and its PSI finding was counted but listed nowhere.
    @Test func aGroupGoneOrNewIsSaidAndCounted() throws {
        let lines = try String(contentsOfFile: AuditFixtures.leads, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let ethnicity = try #require(header.firstIndex(of: "ethnicity"))
        // `other` leads now `martian`: one group gone, one new, every other row as it was.
        let edited = [String(lines[0])] + lines.dropFirst().map { line -> String in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if fields.count > ethnicity, fields[ethnicity] == "other" { fields[ethnicity] = "martian" }
            return fields.joined(separator: ",")
        }
        let path = try AuditFixtures.temporaryCSV(edited.joined(separator: "\n"))
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let others = lines.filter { $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst(ethnicity).first == "other" }.count
        #expect(others > 100)
        let report = try Self.audit(path, against: Self.baseline)
        let drift = try #require(report.drift)
        #expect(drift.notes.contains("group 'other' of ethnicity has no scored rows now, and had some in the baseline: its comparisons are insufficient evidence"))
        #expect(drift.notes.contains("group 'martian' of ethnicity is new: it has scored rows now, and had none in the baseline"))
        // Each group difference of either group is a finding, undecided, with why.
        let differences = drift.findings.filter { $0.kind == .groupDifference && $0.attribute == "ethnicity" }
        for (group, reason) in [("other", "no rows of this group now"), ("martian", "a new group: not in the baseline")] {
            let found = differences.filter { $0.group == group }
            #expect(!found.isEmpty && found.allSatisfy { $0.verdict == .insufficientEvidence && $0.reason == reason && $0.change == nil },
                    "\(group): \(found)")
        }
        // As many as a group present on both sides has: none left out.
        #expect(differences.filter { $0.group == "other" }.count == differences.filter { $0.group == "black" }.count)
        // The verbose list shows them, and says what it leaves out.
        let text = TerminalRendering.render(report, verbose: true)
        #expect(text.contains("note: group 'other' of ethnicity has no scored rows now"))
        #expect(text.contains("score PSI at ethnicity / other: no scored rows of this group now"))
        let shown = DriftRendering.shown(drift).count
        let within = drift.findings.filter { $0.verdict == .pass }.count
        #expect(text.contains("Drift checks beyond their tolerance or undecided (\(shown) of \(drift.findings.count); \(within) within tolerance"))
        #expect(MarkdownRendering.render(report).contains("no rows of this group now"))
    }

    /// An intersection's group gone since the baseline is said and reasoned as an
    /// attribute's: an intersection lists its groups without rows too, as undefined, and
    /// "other & nonbinary" read "undefined now" with no note.
    @Test func anIntersectionsGroupGoneIsSaid() throws {
        var profile = try AuditProfile.load(path: Self.weekly)
        profile.intersections = [["ethnicity", "gender"]]
        let text = try String(contentsOfFile: AuditFixtures.leads, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let (ethnicity, gender) = (try #require(header.firstIndex(of: "ethnicity")), try #require(header.firstIndex(of: "gender")))
        let gone = lines.dropFirst().filter { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return fields.count > gender && fields[ethnicity] == "other" && fields[gender] == "nonbinary"
        }
        #expect(!gone.isEmpty)
        lines.removeAll { gone.contains($0) }
        let path = try AuditFixtures.temporaryCSV(lines.joined(separator: "\n"))
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let baselineReport = try Audit(profile: profile, dataPath: nil, threads: 2, clock: AuditFixtures.fixedClock).run()
        var audit = try Audit(profile: profile, dataPath: path, threads: 2, clock: AuditFixtures.fixedClock)
        audit.driftBaseline = .found(DriftBaseline(report: baselineReport, reportSHA256: ContentDigest.sha256(try baselineReport.jsonData()),
                                                   entry: 1, asOf: "2026-03-02T00:00:00Z"))
        let drift = try #require(try audit.run().drift)
        #expect(drift.notes.contains("group 'other & nonbinary' of ethnicity*gender has no scored rows now, and had some in the baseline: its comparisons are insufficient evidence"),
                "\(drift.notes)")
        let findings = drift.findings.filter { $0.attribute == "ethnicity*gender" && $0.group == "other & nonbinary" && $0.kind == .groupDifference }
        #expect(!findings.isEmpty && findings.allSatisfy { $0.reason == "no rows of this group now" && $0.verdict == .insufficientEvidence },
                "\(findings.map(\.reason))")
    }

    @Test func notesBesideFindingsWithoutVerbose() throws {
        var old = Self.baseline
        old.profile.name = "another-profile"
        let report = try Self.audit(Self.week2, against: old)
        let drift = try #require(report.drift)
        #expect(!drift.findings.isEmpty)
        let note = "  note: the baseline is an audit of profile another-profile, this one of leads-weekly\n"
        for verbose in [false, true] {
            let text = TerminalRendering.render(report, verbose: verbose)
            #expect(text.components(separatedBy: note).count == 2, "verbose \(verbose): \(text)")
        }
    }
}
