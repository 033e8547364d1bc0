import Foundation
import Testing

/// `audit --format html`, `render`, `history show --format html` and `explain --format html`
/// run as a user runs them: one self-contained, deterministic page.
@Suite struct CLIHTMLReportTests {
    static let profile = "fixtures/profiles/leads-predeployment.yaml"

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func bundledAuditAsHTMLIsSelfContainedSmallAndDeterministic() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("a.html").path, second = folder.appendingPathComponent("b.html").path
        #expect(try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "html", "--out", first]).exitCode == 1)
        #expect(try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "html", "--out", second, "--threads", "1"]).exitCode == 1)
        let html = try String(contentsOfFile: first, encoding: .utf8)
        // Two audits differ only in their time: the same length, and the same bytes once it is set aside.
        let other = try String(contentsOfFile: second, encoding: .utf8)
        #expect(html.utf8.count == other.utf8.count)
        #expect(html.replacing(/audited [0-9T:Z-]+/, with: "") == other.replacing(/audited [0-9T:Z-]+/, with: ""))
        #expect(html.utf8.count < 1 << 20)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("default-src &#39;none&#39;"))
        // Nothing to fetch: no src at all, every href a fragment link.
        #expect(!html.contains(" src="))
        #expect(!html.contains("href=\"http") && !html.contains("href=\"//") && !html.contains("@import") && !html.contains("url(http"))
        #expect(html.components(separatedBy: "<svg class=\"chart").count - 1 >= 20)
        // The verdict comes first, with the failing group and its distance to the limit.
        let verdict = try #require(html.range(of: "id=\"verdict\""))
        let firstChart = try #require(html.range(of: "<svg class=\"chart"))
        #expect(verdict.lowerBound < firstChart.lowerBound)
        #expect(html.contains("<th scope=\"row\">threshold_0.3</th><td>ethnicity</td><td>black</td><td class=\"n\">0.380</td>"))
        #expect(html.contains("short by 0.420"))
        #expect(html.contains("four-fifths band: 0.8 to 1.25"))
        #expect(html.contains(">The group&#39;s selection rate divided by the reference group&#39;s."))
    }

    @Test func renderOfTheSavedReportIsTheSamePage() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("report.json").path, direct = folder.appendingPathComponent("direct.html").path
        let rendered = folder.appendingPathComponent("rendered.html").path
        #expect(try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "json", "--out", json]).exitCode == 1)
        #expect(try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "html", "--out", direct]).exitCode == 1)
        let render = try CLIProcess.run(["render", json, "--format", "html", "--out", rendered])
        #expect(render.exitCode == 0, "\(render.standardError)")
        // The same report renders to the same bytes; the audit run apart differs only in its time (same length).
        let again = folder.appendingPathComponent("again.html").path
        #expect(try CLIProcess.run(["render", json, "--format", "html", "--out", again]).exitCode == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: rendered)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: direct)).count == Data(contentsOf: URL(fileURLWithPath: rendered)).count)
        let markdown = try CLIProcess.run(["render", json, "--format", "markdown"])
        #expect(markdown.exitCode == 0)
        #expect(markdown.standardOutput.hasPrefix("# Fairness audit: leads-predeployment — FAIL"))
        let text = try CLIProcess.run(["render", json])
        #expect(text.exitCode == 0)
        #expect(text.standardOutput.hasPrefix("FAIL  leads-predeployment: "))
        // `-` is standard input ("-: report not found").
        let piped = try CLIProcess.run(["render", "-", "--format", "markdown"], standardInput: try Data(contentsOf: URL(fileURLWithPath: json)))
        #expect(piped.exitCode == 0 && piped.standardOutput == markdown.standardOutput, "\(piped.standardError)")
        let nothing = try CLIProcess.run(["render", "-"], standardInput: Data())
        #expect(nothing.exitCode == 2 && nothing.standardError == "fairlead: standard input: the report is empty\n", "\(nothing.standardError)")
    }

    /// The part of `html` from the first `start` up to the next `end`.
    static func segment(_ html: String, from start: String, to end: String) throws -> Substring {
        let opening = try #require(html.range(of: start))
        let closing = try #require(html.range(of: end, range: opening.upperBound..<html.endIndex))
        return html[opening.lowerBound..<closing.lowerBound]
    }

    /// A line chart tells its series apart by eight colours, markers and dashes: the
    /// calibration of ethnicity*gender drew all 20 groups, the ninth line like the first,
    /// among them groups of 7 rows. It draws the 8 largest of the groups with enough rows,
    /// and says which it left out; its table keeps every group. Score histograms, one
    /// panel per group, stop at 24 panels: 10,000 groups drew 10,000.
    @Test func chartsDrawTheGroupsTheyCanShowAndSayWhichTheyLeftOut() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundled = folder.appendingPathComponent("bundled.html").path
        #expect(try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "html", "--out", bundled]).exitCode == 1)
        let page = try String(contentsOfFile: bundled, encoding: .utf8)
        let calibration = try Self.segment(page, from: "Calibration curves of ethnicity*gender", to: "</details>")
        #expect(calibration.components(separatedBy: "<g class=\"series\"").count - 1 == 8)
        #expect(calibration.contains("Not drawn: 4 groups beyond the 8 largest (&quot;other &amp; male&quot;, &quot;other &amp; female&quot;, "
                                     + "&quot;white &amp; unknown&quot;, … (4 in all)) and 8 groups under 30 rows (&quot;hispanic &amp; unknown&quot;, "
                                     + "&quot;black &amp; nonbinary&quot;, &quot;hispanic &amp; nonbinary&quot;, … (8 in all)); "
                                     + "the table of reliability bins holds every group."), "\(calibration.suffix(800))")
        #expect(calibration.contains("<th scope=\"row\">asian &amp; nonbinary</th>"))
        // Ethnicity's five groups are all drawn, with no note.
        let ethnicity = try Self.segment(page, from: "Calibration curves of ethnicity:", to: "</details>")
        #expect(ethnicity.components(separatedBy: "<g class=\"series\"").count - 1 == 5 && !ethnicity.contains("Not drawn"))

        // 30 groups of 40 to 69 rows and two of 5.
        var csv = "score,y,g\n"
        for group in 0..<32 {
            for row in 0..<(group < 30 ? 40 + group : 5) {
                csv += "\(Double((row * 37 + group * 11) % 100) / 100),\(row % 3 == 0 ? 1 : 0),g\(group)\n"
            }
        }
        try csv.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        try """
            name: many-groups
            data: {path: d.csv, score: score, label: y, score_range: [0, 1]}
            decisions: [{threshold: 0.5}]
            sensitive: [{column: g}]
            rules: [demographic_parity_difference <= 0.5]
            settings: {min_group_size: 30, bootstrap: 0}
            """.write(to: folder.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let many = folder.appendingPathComponent("many.html").path
        let run = try CLIProcess.run(["audit", "--profile", folder.appendingPathComponent("p.yaml").path, "--format", "html", "--out", many])
        #expect(run.exitCode <= 1, "\(run.standardError)")
        let manyPage = try String(contentsOfFile: many, encoding: .utf8)
        let histograms = try Self.segment(manyPage, from: "Score distribution per group", to: "</details>")
        #expect(histograms.components(separatedBy: "<figure>").count - 1 == 24)
        #expect(histograms.contains("Not drawn: 6 groups beyond the 24 largest (&quot;g5&quot;, &quot;g4&quot;, &quot;g3&quot;, … (6 in all)) "
                                    + "and 2 groups under 30 rows (&quot;g30&quot;, &quot;g31&quot;); the table of cut points and counts holds every group."),
                "\(histograms.suffix(600))")
        #expect(histograms.contains("<th scope=\"row\">g31</th>"))
        let lines = try Self.segment(manyPage, from: "Calibration curves of g:", to: "</details>")
        #expect(lines.components(separatedBy: "<g class=\"series\"").count - 1 == 8)
    }

    /// A saved report edited to say PASS over its failed findings rendered as PASS (the
    /// HTML badge too), and one with `rows.read` of -5 said "5000 of -5 rows used": no
    /// audit writes either, and `render` (like every reader of a report) refuses them; nor
    /// a finding said to pass whose own value breaks its rule, nor a failed finding given
    /// the cause of an undecided one.
    @Test(arguments: [
        ("status", "pass", "its status is pass, but its findings give fail (33 passed, 21 failed, 20 insufficient evidence; 0 of 0 drift and proxy checks failed)"),
        ("read", "-5", "rows.read is -5; a count of rows is 0 or more"),
        ("read", "4999", "rows.read is 4999, but rows.used (5000) and the rows excluded (rows.excluded) do not add up to it"),
        ("count", "-3", "decisions.threshold_0.3.attributes.age_band.groups.18-24.count is -3; a count of rows is 0 or more"),
        ("finding", "pass", "findings[1] (disparate_impact >= 0.8, threshold_0.3 / ethnicity / black) says pass, but its value 0.38021834873767135 breaks the rule"),
        ("cause", "too_few_rows", "findings[1] (disparate_impact >= 0.8, threshold_0.3 / ethnicity / black) says fail, but has undecided_cause too_few_rows: "
         + "only an insufficient_evidence finding has a cause"),
        // The renderings add these up or make a whole percentage of them: each of these
        // stopped the process (Markdown, the HTML score histograms, the HTML calibration).
        ("level", "1e300", "settings.interval_level is 1e+300; an audit's interval level lies between 0 and 1"),
        ("histogram", "9223372036854775807", "score_distribution.attributes.age_band.18-24: its bin counts are not 0 or more each adding up to its count COUNT"),
        ("calibration", "9223372036854775807", "queue.age_band.calibration_bins.18-24: its bin counts are not 0 or more each adding up to at most the 5000 rows read"),
    ])
    func renderRefusesAReportItsOwnNumbersContradict(field: String, value: String, problem expected: String) throws {
        var problem = expected
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("report.json").path
        #expect(try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "json", "--out", json]).exitCode == 1)
        var report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let number = Int(value)
        switch field {
        case "status": report["status"] = value
        case "finding":
            // The first failed finding said to pass, its reason too; the status left as the audit wrote it.
            var findings = report["findings"] as? [[String: Any]] ?? []
            let failed = try #require(findings.firstIndex { $0["verdict"] as? String == "fail" })
            findings[failed]["verdict"] = value
            findings[failed]["reason"] = "ok"
            report["findings"] = findings
        case "cause":
            // The first failed finding given an undecided finding's cause; its verdict left as it was.
            var findings = report["findings"] as? [[String: Any]] ?? []
            let failed = try #require(findings.firstIndex { $0["verdict"] as? String == "fail" })
            findings[failed]["undecided_cause"] = value
            report["findings"] = findings
        case "level":
            var settings = report["settings"] as? [String: Any] ?? [:]
            settings["interval_level"] = Double(value)
            report["settings"] = settings
        case "histogram":
            var distribution = report["score_distribution"] as? [String: Any] ?? [:]
            var attributes = distribution["attributes"] as? [String: Any] ?? [:]
            var groups = attributes["age_band"] as? [String: Any] ?? [:]
            var histogram = try #require(groups["18-24"] as? [String: Any])
            var counts = histogram["counts"] as? [Int] ?? []
            counts[0] = try #require(number)
            problem = problem.replacingOccurrences(of: "COUNT", with: "\(histogram["count"] as? Int ?? -1)")
            histogram["counts"] = counts
            groups["18-24"] = histogram; attributes["age_band"] = groups; distribution["attributes"] = attributes
            report["score_distribution"] = distribution
        case "calibration":
            var queue = report["queue"] as? [String: Any] ?? [:]
            var section = queue["age_band"] as? [String: Any] ?? [:]
            var bins = section["calibration_bins"] as? [String: Any] ?? [:]
            var group = try #require(bins["18-24"] as? [[String: Any]])
            group[0]["count"] = try #require(number)
            bins["18-24"] = group; section["calibration_bins"] = bins; queue["age_band"] = section
            report["queue"] = queue
        case "read":
            var rows = report["rows"] as? [String: Any] ?? [:]
            rows["read"] = number
            report["rows"] = rows
        default:
            var decisions = report["decisions"] as? [String: Any] ?? [:]
            var decision = decisions["threshold_0.3"] as? [String: Any] ?? [:]
            var attributes = decision["attributes"] as? [String: Any] ?? [:]
            var section = attributes["age_band"] as? [String: Any] ?? [:]
            var groups = section["groups"] as? [String: Any] ?? [:]
            var group = groups["18-24"] as? [String: Any] ?? [:]
            group["count"] = number
            groups["18-24"] = group; section["groups"] = groups; attributes["age_band"] = section
            decision["attributes"] = attributes; decisions["threshold_0.3"] = decision; report["decisions"] = decisions
        }
        let edited = folder.appendingPathComponent("edited.json").path
        try JSONSerialization.data(withJSONObject: report).write(to: URL(fileURLWithPath: edited))
        for format in ["text", "html", "markdown"] {
            let rendered = try CLIProcess.run(["render", edited, "--format", format])
            #expect(rendered.exitCode == 2 && rendered.standardOutput.isEmpty)
            #expect(rendered.standardError == "fairlead: \(edited): not a report as `fairlead audit` writes it: \(problem); it was changed "
                    + "after the audit wrote it (audit the data again, or restore the report)\n", "\(rendered.standardError)")
        }
    }

    @Test func renderRefusesWhatIsNotAReport() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notReport = folder.appendingPathComponent("other.json").path
        try Data(#"{"name": "not a report"}"#.utf8).write(to: URL(fileURLWithPath: notReport))
        let result = try CLIProcess.run(["render", notReport, "--format", "html"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("\(notReport): not a Fairlead report: no key \"schema_version\""))
        #expect(result.standardError.contains("expected the JSON that `fairlead audit --format json` writes"))
        #expect(result.standardOutput.isEmpty)

        let newer = folder.appendingPathComponent("newer.json").path
        try Data(#"{"schema_version": 3}"#.utf8).write(to: URL(fileURLWithPath: newer))
        let future = try CLIProcess.run(["render", newer, "--format", "html"])
        #expect(future.exitCode == 2)
        #expect(future.standardError.contains("report schema version 3 is not supported (this Fairlead reads versions 1 to 2)"))

        // Keys and kinds in JSON's words, not Swift's (`schemaVersion`, `Dictionary<String, Any>`).
        let array = folder.appendingPathComponent("array.json").path
        try Data("[]".utf8).write(to: URL(fileURLWithPath: array))
        #expect(try CLIProcess.run(["render", array]).standardError.contains("not a Fairlead report: the top level is not an object;"))

        let broken = folder.appendingPathComponent("broken.json").path
        try Data("{".utf8).write(to: URL(fileURLWithPath: broken))
        #expect(try CLIProcess.run(["render", broken]).standardError.contains("broken.json:1:2: not a Fairlead report: not valid JSON (truncated: the text ends inside a value)"))
        #expect(try CLIProcess.run(["render", folder.path]).exitCode == 2)
        // The output may not be the report itself.
        let same = try CLIProcess.run(["render", notReport, "--format", "html", "--out", notReport])
        #expect(same.exitCode == 2 && same.standardError.contains("the output is also an input"))
    }
}
