import Foundation
import Testing

/// Hostile text in the data — ANSI escapes, CR, NUL, C1 controls, bidirectional
/// overrides, HTML, formulas, pipes, line breaks, a huge label — in group values, ids and
/// column names, through every output: audit (text, Markdown, JSON), explain (text, CSV,
/// JSON), attributions (CSV), inspect, init then validate.
@Suite("Output escaping end to end")
struct CLIOutputEscapingTests {
    /// The hostile group values of `ethnicity`.
    static let groups = [
        "north\u{1B}[2J\u{1B}[31m", "south\rFAIL", "ea\u{0}st", "<script>alert(1)</script>|x",
        "=cmd|' /C calc'!A0", "west\u{202E}gnp", "multi\nline", "c1\u{9B}31m",
    ]
    /// A header that would open a live YAML key if copied into a comment raw.
    static let hostileColumn = "visits\n---\nrules: []\n\u{1B}[5m"

    /// A folder with `hostile.csv` (8 hostile groups × 6 rows, hostile ids and a hostile
    /// column name) and `model.json`, a linear model over the hostile column and a one-hot
    /// `channel` whose levels are hostile.
    static func hostileFolder(longGroup: String? = nil) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-escaping-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var csv = "lead_id,score,converted,ethnicity,\(quoted(hostileColumn)),channel\n"
        let channels = ["<b>bold</b>", "@SUM(A1)", "\u{1B}[7mweb"]
        let allGroups = groups + (longGroup.map { [$0] } ?? [])
        for (index, group) in allGroups.enumerated() {
            for row in 0..<6 {
                let id = row == 0 ? "L\(index)\u{1B}]0;pwned\u{07}" : row == 1 ? "=HYPERLINK(\"http://x\")\(index)" : "L\(index)-\(row)"
                let score = Double((index * 7 + row * 13) % 100) / 100
                csv += [quoted(id), String(score), String(row % 2), quoted(group), String(row + index), quoted(channels[row % 3])]
                    .joined(separator: ",") + "\n"
            }
        }
        try csv.write(to: folder.appendingPathComponent("hostile.csv"), atomically: true, encoding: .utf8)
        let model: [String: Any] = [
            "format": "fairlead-linear", "version": 1, "link": "logit", "intercept": -1,
            "features": [["name": hostileColumn, "coefficient": 0.3], ["name": "channel=\(channels[0])", "coefficient": 0.8],
                         ["name": "channel=\(channels[1])", "coefficient": -0.5], ["name": "channel=\(channels[2])", "coefficient": 0.2]],
        ]
        try JSONSerialization.data(withJSONObject: model).write(to: folder.appendingPathComponent("model.json"))
        return folder
    }

    /// Control characters other than line feed (and tab where allowed) in `text`: C0, DEL, C1, bidi overrides.
    static func rawControls(_ text: String, allowingTab: Bool = false) -> [String] {
        text.unicodeScalars.filter { scalar in
            let value = scalar.value
            if value == 0x0A || (allowingTab && value == 0x09) { return false }
            return value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                || (0x2066...0x2069).contains(value)
        }.map { String(format: "U+%04X", $0.value) }
    }

    static func audit(_ folder: URL, format: String) throws -> CLIProcess.Result {
        try CLIProcess.run(["audit", "--data", folder.appendingPathComponent("hostile.csv").path, "--score", "score",
                            "--label", "converted", "--sensitive", "ethnicity", "--threshold", "0.5", "--format", format])
    }

    @Test(arguments: ["text", "markdown", "json"])
    func auditOutputsCarryNoRawControl(format: String) throws {
        let folder = try Self.hostileFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.audit(folder, format: format)
        #expect([0, 1].contains(result.exitCode), "\(result.standardError)")
        #expect(Self.rawControls(result.standardOutput).isEmpty, "\(Self.rawControls(result.standardOutput))")
        #expect(Self.rawControls(result.standardError).isEmpty)
        switch format {
        case "text":
            #expect(result.standardOutput.contains("north\\x1B[2J\\x1B[31m"))
            #expect(result.standardOutput.contains("south\\rFAIL"))
            #expect(result.standardOutput.contains("ea\\x00st"))
            #expect(result.standardOutput.contains("west\\u{202E}gnp"))
            #expect(result.standardOutput.contains("multi\\nline"))
            #expect(result.standardOutput.contains("c1\\u{9B}31m"))
        case "markdown":
            #expect(!result.standardOutput.contains("<script>"))
            #expect(result.standardOutput.contains("&lt;script&gt;alert(1)&lt;/script&gt;\\|x"))
            // Every row of every table has as many columns as its header.
            var columns: Int?
            for line in result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false) {
                guard line.hasPrefix("|") else { columns = nil; continue }
                let count = Self.unescapedPipes(String(line))
                if let columns { #expect(count == columns, "\(line)") } else { columns = count }
            }
        default:
            // JSON keeps every value exactly (escaped as JSON strings).
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            let decisions = try #require(report["decisions"] as? [String: Any])
            let decision = try #require(decisions.values.first as? [String: Any])
            let attributes = try #require(decision["attributes"] as? [String: Any])
            let region = try #require(attributes["ethnicity"] as? [String: Any])
            let groups = try #require(region["groups"] as? [String: Any])
            #expect(Set(groups.keys) == Set(Self.groups))
        }
    }

    static func unescapedPipes(_ line: String) -> Int {
        var count = 0, escaped = false
        for character in line.unicodeScalars {
            if character == "|" && !escaped { count += 1 }
            escaped = character == "\\" && !escaped
        }
        return count
    }

    /// A 1 MB group name is cut in tables; the text report stays small. The JSON keeps it whole.
    @Test func aHugeGroupNameIsTruncatedInTables() throws {
        let huge = String(repeating: "A", count: 1_000_000)
        let folder = try Self.hostileFolder(longGroup: huge)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try Self.audit(folder, format: "text")
        #expect(text.standardOutput.utf8.count < 200_000, "\(text.standardOutput.utf8.count) bytes")
        #expect(text.standardOutput.contains(String(repeating: "A", count: 39) + "…"))
        let markdown = try Self.audit(folder, format: "markdown")
        #expect(markdown.standardOutput.utf8.count < 200_000)
        let json = try Self.audit(folder, format: "json")
        #expect(json.standardOutput.contains(huge))
    }

    @Test(arguments: ["text", "csv", "json"])
    func explainOutputsCarryNoRawControl(format: String) throws {
        let folder = try Self.hostileFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIProcess.run(["explain", "--model", folder.appendingPathComponent("model.json").path,
                                         "--data", folder.appendingPathComponent("hostile.csv").path, "--format", format, "--top", "2"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(Self.rawControls(result.standardOutput).isEmpty, "\(Self.rawControls(result.standardOutput))")
        #expect(Self.rawControls(result.standardError).isEmpty)
        switch format {
        case "text":
            #expect(result.standardOutput.contains("Lead L0\\x1B]0;pwned\\x07: score"))
        case "csv":
            let lines = result.standardOutput.split(separator: "\n")
            #expect(lines.count == 1 + 6 * Self.groups.count)
            #expect(lines.contains { $0.hasPrefix("L0\\x1B]0;pwned\\x07,") })
            #expect(lines.contains { $0.hasPrefix("\"'=HYPERLINK(\"\"http://x\"\")0\",") })
            Self.expectNeutralised(result.standardOutput)
        default:
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            let ids = (document["leads"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids.contains("L0\u{1B}]0;pwned\u{07}"))
        }
    }

    /// No CSV cell starts like a formula unless it is a plain number.
    static func expectNeutralised(_ csv: String) {
        for line in csv.split(separator: "\n") {
            var cells: [String] = [], cell = "", inQuotes = false
            for character in line {
                if character == "\"" { inQuotes.toggle(); cell.append(character); continue }
                if character == ",", !inQuotes { cells.append(cell); cell = ""; continue }
                cell.append(character)
            }
            cells.append(cell)
            for cell in cells {
                let unquoted = cell.hasPrefix("\"") ? String(cell.dropFirst()) : cell
                if let first = unquoted.first, "=+-@\t\r".contains(first) {
                    #expect(Double(unquoted) != nil, "formula cell \(cell)")
                }
            }
        }
    }

    @Test func attributionsCSVIsSpreadsheetSafe() throws {
        let folder = try Self.hostileFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("attributions.csv").path
        let result = try CLIProcess.run(["attributions", "--model", folder.appendingPathComponent("model.json").path,
                                         "--data", folder.appendingPathComponent("hostile.csv").path, "--out", out])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let csv = try String(contentsOfFile: out, encoding: .utf8)
        #expect(Self.rawControls(csv).isEmpty, "\(Self.rawControls(csv))")
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 1 + 6 * Self.groups.count)
        #expect(lines[0].hasPrefix("id,base_value,visits\\n---\\nrules: []\\n\\x1B[5m,"))
        #expect(lines[0].contains(",'@SUM(A1),") || lines[0].contains("channel=@SUM(A1)"))
        #expect(lines.contains { $0.hasPrefix("\"'=HYPERLINK(\"\"http://x\"\")0\",") })
        Self.expectNeutralised(csv)
    }

    @Test func inspectShowsHostileNamesVisibly() throws {
        let folder = try Self.hostileFolder(longGroup: String(repeating: "B", count: 100_000))
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIProcess.run(["inspect", folder.appendingPathComponent("hostile.csv").path, "--max-levels", "20"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(Self.rawControls(result.standardOutput).isEmpty, "\(Self.rawControls(result.standardOutput))")
        #expect(result.standardOutput.contains("visits\\n---\\nrules: []\\n\\x1B[5m"))
        #expect(result.standardOutput.contains("south\\rFAIL"))
        #expect(result.standardOutput.utf8.count < 20_000, "\(result.standardOutput.utf8.count) bytes")
    }

    /// The header holding `\n---\nrules: []` stays a column name in the profile `init`
    /// writes: it validates, and the hostile name reads back as data.
    @Test func initWritesYAMLThatKeepsHostileNamesAsData() throws {
        let folder = try Self.hostileFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("profile.yaml").path
        let written = try CLIProcess.run(["init", "--data", folder.appendingPathComponent("hostile.csv").path, "--out", profile])
        #expect(written.exitCode == 0, "\(written.standardError)")
        #expect(Self.rawControls(written.standardError).isEmpty)
        let yaml = try String(contentsOfFile: profile, encoding: .utf8)
        #expect(Self.rawControls(yaml).isEmpty, "\(Self.rawControls(yaml))")
        // No data text starts a line of its own: every line is a comment, a key or a list item.
        for line in yaml.split(separator: "\n") {
            #expect(!line.hasPrefix("---") && !line.hasPrefix("rules: []"), "\(line)")
        }
        #expect(yaml.contains("visits\\n---\\nrules: []\\n\\x1B[5m"))
        let validated = try CLIProcess.run(["validate", profile])
        #expect(validated.exitCode == 0, "\(validated.standardError)")
        #expect(Self.rawControls(validated.standardOutput).isEmpty)
        // The rule init writes is still there: the header did not replace the rules.
        #expect(validated.standardOutput.contains("disparate_impact"))
    }

    /// `validate` prints the profile's names one line each: a line break or an escape in
    /// a profile name, a column or a decision is shown, never sent, so no name forges a
    /// line such as "The profile is valid.".
    @Test func validateShowsLineBreaksInNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("evil.yaml").path
        try """
            name: "x\\nThe profile is valid.\\e[2J"
            data:
              score: "score\\nforged"
              label: converted
            decisions:
              - threshold: 0.5
            sensitive:
              - column: "eth\\rnicity"
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let validated = try CLIProcess.run(["validate", profile])
        #expect(validated.exitCode == 0, "\(validated.standardError)")
        #expect(Self.rawControls(validated.standardOutput).isEmpty, "\(Self.rawControls(validated.standardOutput))")
        let lines = validated.standardOutput.split(separator: "\n")
        #expect(lines.filter { $0 == "The profile is valid." }.count == 1, "\(validated.standardOutput)")
        #expect(validated.standardOutput.contains("Profile x\\nThe profile is valid.\\x1B[2J"))
        #expect(validated.standardOutput.contains("score\\nforged") && validated.standardOutput.contains("eth\\rnicity"))
    }

    /// `history show` heads its columns with group names: shown visibly, cut at 40.
    @Test(arguments: ["text", "markdown"])
    func historyShowEscapesGroupColumns(format: String) throws {
        let folder = try Self.hostileFolder(longGroup: String(repeating: "C", count: 10_000))
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("history.db").path
        let audited = try CLIProcess.run(["audit", "--data", folder.appendingPathComponent("hostile.csv").path, "--score", "score",
                                          "--label", "converted", "--sensitive", "ethnicity", "--threshold", "0.5",
                                          "--format", "json", "--history", history, "--as-of", "2026-03-02"])
        #expect([0, 1].contains(audited.exitCode), "\(audited.standardError)")
        let shown = try CLIProcess.run(["history", "show", "--history", history, "--format", format])
        #expect(shown.exitCode == 0, "\(shown.standardError)")
        #expect(Self.rawControls(shown.standardOutput).isEmpty, "\(Self.rawControls(shown.standardOutput))")
        // Markdown escapes the visible escapes' backslashes and the `[` too.
        #expect(shown.standardOutput.contains(format == "markdown" ? "north\\\\x1B\\[2J\\\\x1B\\[31m" : "north\\x1B[2J\\x1B[31m"))
        #expect(shown.standardOutput.contains(String(repeating: "C", count: 39) + "…"))
        #expect(!shown.standardOutput.contains(String(repeating: "C", count: 41)))
        if format == "markdown" {
            #expect(!shown.standardOutput.contains("<script>"))
        }
    }

    /// An error quoting a hostile column name shows it visibly, on one line.
    @Test func errorMessagesQuoteDataVisibly() throws {
        let folder = try Self.hostileFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLIProcess.run(["audit", "--data", folder.appendingPathComponent("hostile.csv").path, "--score", "scroe\u{1B}[2J",
                                         "--sensitive", "ethnicity", "--threshold", "0.5"])
        #expect(result.exitCode == 2)
        #expect(Self.rawControls(result.standardError).isEmpty, "\(result.standardError)")
        #expect(result.standardError.contains("scroe\\x1B[2J"))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    /// A command-line value with a line feed, quoted back by the argument parser's own
    /// messages (an invalid value, an unexpected argument), stays on its line: it cannot
    /// print a line that passes for fairlead's. The parser's own line breaks stay.
    @Test(arguments: [["audit", "--threads", "2\nThe profile is valid."], ["audit", "--threads=2\nThe profile is valid."],
                      ["bogus\nThe profile is valid."], ["sql", "--dialect", "oracle\nThe profile is valid."]])
    func argumentValuesWithLineFeedsAreShownOnTheirLine(arguments: [String]) throws {
        let result = try CLIProcess.run(arguments)
        #expect(result.exitCode == 2, "\(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("The profile is valid.") }, "\(result.standardError)")
        #expect(result.standardError.contains("\\nThe profile is valid."), "\(result.standardError)")
        #expect(lines.count > 1 && Self.rawControls(result.standardError).isEmpty)
    }

    /// A long command-line value is quoted back clipped, by the argument parser's own
    /// messages and by the commands' usage errors alike: 10,000 characters were echoed whole.
    @Test(arguments: [["audit", "--threads", "LONG"], ["audit", "--max-field-bytes=LONG"], ["metrics", "--family", "LONG"],
                      ["sql", "--profile", "fixtures/profiles/leads-grid.yaml", "--dialect", "postgres", "--table", "t", "--column-type", "LONG"],
                      ["explain", "--format", "LONG"], ["LONG"]])
    func longArgumentValuesAreQuotedClipped(arguments: [String]) throws {
        let long = "x\u{1B}[2J" + String(repeating: "a", count: 10_000)
        let result = try CLIProcess.run(arguments.map { $0.replacingOccurrences(of: "LONG", with: long) })
        #expect(result.exitCode == 2, "\(result.standardError.prefix(300))")
        #expect(result.standardError.contains("x\\x1B[2J" + String(repeating: "a", count: 75) + "…"), "\(result.standardError.prefix(300))")
        #expect(!result.standardError.contains(String(repeating: "a", count: 81)) && Self.rawControls(result.standardError).isEmpty)
    }

    /// `render` of a saved report edited by whoever passed it on: every text of it is
    /// escaped in Markdown as in text and HTML — the columns' purposes, the tool's version
    /// and the time were once written raw (an ESC sequence, a script tag, a forged heading).
    @Test func renderEscapesEveryTextOfAnEditedReport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let saved = folder.appendingPathComponent("report.json").path
        #expect(try CLIProcess.run(["audit", "--profile", "fixtures/profiles/leads-predeployment.yaml", "--format", "json",
                                    "--out", saved]).exitCode == 1)
        var report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: saved))) as? [String: Any])
        let evil = "\u{1B}[2J\u{1B}]0;pwned\u{07}<script>alert(1)</script>\u{202E}\n# Injected heading"
        var data = try #require(report["data"] as? [String: Any])
        var purposes = try #require(data["column_purposes"] as? [[String: Any]])
        var first = purposes[0]
        first["purposes"] = ((first["purposes"] as? [String]) ?? []).map { $0 + evil }
        purposes[0] = first
        data["column_purposes"] = purposes
        report["data"] = data
        var tool = try #require(report["tool"] as? [String: Any])
        tool["version"] = ((tool["version"] as? String) ?? "") + evil
        report["tool"] = tool
        report["generated_at"] = ((report["generated_at"] as? String) ?? "") + evil
        let edited = folder.appendingPathComponent("edited.json")
        try JSONSerialization.data(withJSONObject: report).write(to: edited)
        for format in ["markdown", "text"] {
            let run = try CLIProcess.run(["render", edited.path, "--format", format])
            #expect(run.exitCode == 0, "\(format): \(run.standardError)")
            #expect(!run.standardOutput.contains("\u{1B}"), "\(format) passes an ESC through")
            #expect(!run.standardOutput.contains("\u{202E}"), "\(format) passes a bidi override through")
            // A tag may stand only as code (a code span shows it as text, as column names are shown).
            let liveTags = run.standardOutput.split(separator: "\n").filter { line in
                guard let tag = line.range(of: "<script>") else { return false }
                return format == "text" || line[..<tag.lowerBound].filter { $0 == "`" }.count % 2 == 0
            }
            #expect(liveTags.isEmpty, "\(format) passes a tag through: \(liveTags)")
            #expect(!run.standardOutput.split(separator: "\n").contains { $0.hasPrefix("# Injected") }, "\(format) forges a heading")
        }
    }
}
