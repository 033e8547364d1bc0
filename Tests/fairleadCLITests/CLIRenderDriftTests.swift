import Foundation
import Testing

/// A report whose drift section was edited: `drift.status` set to `pass` over drifted
/// findings rendered "NO DRIFT … 2 drifted", and drifted findings edited to `pass` (with
/// the status) rendered PASS. `render` refuses both, as it refuses edited rule findings.
@Suite struct CLIRenderDriftTests {
    /// Writes `file` in `folder`: a profile `p` over the bundled leads with `drift`.
    static func writeProfile(_ file: String, in folder: URL, drift: String) throws {
        try """
            name: p
            data: {path: \(CLIProcess.packageRoot.path)/fixtures/leads/leads-sample.csv, id: lead_id, score: score, score_range: [0, 1]}
            sensitive: [{column: ethnicity, reference: white}]
            decisions: [{threshold: 0.3}]
            rules: [disparate_impact >= 0.3]
            drift: \(drift)

            """.write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }

    /// The bundled leads, then week 2 against them: a report with drift (exit 1).
    static func driftedReport(in folder: URL) throws -> [String: Any] {
        let root = CLIProcess.packageRoot.path
        try writeProfile("p.yaml", in: folder, drift: "{baseline: last_passing}")
        let history = folder.appendingPathComponent("h.sqlite").path
        let profile = folder.appendingPathComponent("p.yaml").path
        let first = try CLIProcess.run(["audit", "--profile", profile, "--history", history, "--as-of", "2026-03-02"])
        #expect(first.exitCode == 0, "\(first.standardError)")
        let report = folder.appendingPathComponent("w2.json").path
        let second = try CLIProcess.run(["audit", "--profile", profile, "--data", "\(root)/fixtures/leads/leads-week2.csv",
                                         "--history", history, "--as-of", "2026-03-09", "--format", "json", "--out", report])
        #expect(second.exitCode == 1, "\(second.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
    }

    static func render(_ report: [String: Any], in folder: URL) throws -> CLIProcess.Result {
        let path = folder.appendingPathComponent("edited-\(UUID().uuidString).json").path
        try JSONSerialization.data(withJSONObject: report).write(to: URL(fileURLWithPath: path))
        return try CLIProcess.run(["render", path, "--format", "html"])
    }

    @Test func aDriftSectionItsFindingsContradictIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-drift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try Self.driftedReport(in: folder)
        let drift = try #require(report["drift"] as? [String: Any])
        #expect(drift["status"] as? String == "fail")
        let findings = try #require(drift["findings"] as? [[String: Any]])
        let drifted = findings.indices.filter { findings[$0]["verdict"] as? String == "fail" }
        #expect(!drifted.isEmpty)
        /// The report with its drift findings and statuses changed by `change`, rendered.
        func rendered(_ change: (inout [[String: Any]], inout [String: Any], inout [String: Any]) throws -> Void) throws -> CLIProcess.Result {
            var (edited, section, cells) = (report, drift, findings)
            try change(&cells, &section, &edited)
            section["findings"] = cells
            edited["drift"] = section
            return try Self.render(edited, in: folder)
        }
        // As written, it renders.
        let asWritten = try rendered { _, _, _ in }
        #expect(asWritten.exitCode == 0 && asWritten.standardOutput.contains("DRIFT"), "\(asWritten.standardError)")

        // The status edited to pass.
        let status = try rendered { _, section, _ in section["status"] = "pass" }
        #expect(status.exitCode == 2 && status.standardOutput.isEmpty)
        #expect(status.standardError.contains("not a report as `fairlead audit` writes it: drift.status is pass, but its findings give fail"),
                "\(status.standardError)")

        // Every drifted finding edited to pass, and both statuses with them.
        let verdicts = try rendered { cells, section, edited in
            for index in drifted { cells[index]["verdict"] = "pass" }
            (section["status"], edited["status"]) = ("pass", "pass")
        }
        #expect(verdicts.exitCode == 2 && verdicts.standardOutput.isEmpty)
        #expect(verdicts.standardError.contains("drift.findings[\(drifted[0])] (") && verdicts.standardError.contains("says pass, but its change"),
                "\(verdicts.standardError)")

        // The drifted findings relabelled insufficient evidence, with the status: their
        // numbers (beyond the tolerance, noise ruled out, groups large enough) say drift.
        let hidden = try rendered { cells, section, edited in
            for index in drifted { cells[index]["verdict"] = "insufficient_evidence" }
            (section["status"], edited["status"]) = ("insufficient_evidence", "insufficient_evidence")
        }
        #expect(hidden.exitCode == 2 && hidden.standardError.contains("says insufficient_evidence, but its change"), "\(hidden.standardError)")

        // A change that is not current − baseline.
        let change = try rendered { cells, _, _ in
            let difference = try #require(cells.indices.first { cells[$0]["kind"] as? String == "group_difference" })
            cells[difference]["current"] = 0.9
        }
        #expect(change.exitCode == 2 && change.standardError.contains("change by"), "\(change.standardError)")

        // A finding within its tolerance edited to fail.
        let fail = try rendered { cells, _, _ in
            let passed = try #require(cells.indices.first { cells[$0]["verdict"] as? String == "pass" })
            cells[passed]["verdict"] = "fail"
        }
        #expect(fail.exitCode == 2 && fail.standardError.contains("says fail, but its change"), "\(fail.standardError)")
    }

    /// `drift.metrics` naming a label metric, audited without labels: nothing compared it
    /// and nothing said so ("1 drifted, 17 within tolerance"). A note names each such metric.
    @Test func aNamedMetricNoFindingComparesIsNoted() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-drift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.driftedReport(in: folder)
        let root = CLIProcess.packageRoot.path
        let profile = folder.appendingPathComponent("q.yaml").path
        try Self.writeProfile("q.yaml", in: folder, drift: "{baseline: {pinned: 1}, metrics: [true_positive_rate, selection_rate]}")
        let result = try CLIProcess.run(["audit", "--profile", profile, "--data", "\(root)/fixtures/leads/leads-week2.csv",
                                         "--history", folder.appendingPathComponent("h.sqlite").path, "--as-of", "2026-03-16", "--format", "json"])
        #expect(result.exitCode == 1, "\(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let drift = try #require(report["drift"] as? [String: Any])
        #expect(drift["notes"] as? [String] == [
            "true_positive_rate, named in drift.metrics, was not compared: neither this audit nor its baseline has a value of it "
                + "(it needs labels: an audit without a label column has none)"])
        // selection_rate was compared: its group differences are findings.
        let findings = try #require(drift["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["metric"] as? String == "selection_rate" })
        #expect(!findings.contains { $0["metric"] as? String == "true_positive_rate" })

        // An empty list compares score distributions and shares only, and says so.
        try Self.writeProfile("q.yaml", in: folder, drift: "{baseline: {pinned: 1}, metrics: []}")
        let none = try CLIProcess.run(["audit", "--profile", profile, "--data", "\(root)/fixtures/leads/leads-week2.csv",
                                       "--history", folder.appendingPathComponent("h.sqlite").path, "--as-of", "2026-03-23", "--format", "json"])
        let noneReport = try #require(try JSONSerialization.jsonObject(with: Data(none.standardOutput.utf8)) as? [String: Any])
        let noneDrift = try #require(noneReport["drift"] as? [String: Any])
        #expect(noneDrift["notes"] as? [String] == [
            "drift.metrics is an empty list: no fairness value or group difference was compared, only the score distributions (PSI) and group shares"])
        let kinds = Set((noneDrift["findings"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String })
        #expect(kinds == ["psi", "share"], "\(kinds)")
    }
}
