import Foundation
import Testing

@Suite struct CLIInspectTests {
    @Test func bundledLeadsAreDescribed() throws {
        let result = try CLIProcess.run(["inspect", "fixtures/leads/leads-sample.csv", "--threads", "2"])
        #expect(result.exitCode == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "fixtures/leads/leads-sample.csv: 5000 rows, 16 columns")
        #expect(lines.contains { $0.hasPrefix("gender") && $0.contains("categorical") && $0.contains(" 134  ") })
        #expect(lines.contains { $0.hasPrefix("converted") && $0.contains("boolean") && $0.contains("false 3873, true 1127") })
        #expect(lines.contains { $0.hasPrefix("web_visits") && $0.contains("numeric") && $0.hasSuffix(" 94") })
    }

    /// A semicolon- or tab-separated file read as one column: `inspect` reported "1 columns"
    /// named `lead_id;score;…` and `init` "no score column", with no word of the delimiter
    /// that `audit`, `validate` and `privacy` name. Both now warn, and still describe the file.
    @Test(arguments: [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
    func aFileSeparatedByAnotherDelimiterIsSaidToBe(delimiter: String, word: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("delimiter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("leads.csv").path
        var lines = [["lead_id", "score", "converted", "gender"].joined(separator: delimiter)]
        for row in 0..<300 {
            let cells: [String] = ["L\(row)", "0.\(row % 9 + 1)", "\(row % 2)", row % 2 == 0 ? "f" : "m"]
            lines.append(cells.joined(separator: delimiter))
        }
        let rows = lines.joined(separator: "\n") + "\n"
        try rows.write(toFile: path, atomically: true, encoding: .utf8)
        let warning = "fairlead: warning: \(path): the file looks \(word)-separated: its header row is one name that splits into 4 at it, "
            + "but it is read with \",\" between fields"
        let inspect = try CLIProcess.run(["inspect", path])
        #expect(inspect.exitCode == 0 && inspect.standardOutput.hasPrefix("\(path): 300 rows, 1 columns"))
        #expect(inspect.standardError.hasPrefix(warning), "\(inspect.standardError)")
        let draft = try CLIProcess.run(["init", "--data", path])
        #expect(draft.exitCode == 0)
        #expect(draft.standardError.hasPrefix(warning), "\(draft.standardError)")
        // Quoted fields (a spreadsheet's export) stopped at the first quote with no word of
        // the delimiter: the error now says what follows the quote, and what the file is.
        let quoted = folder.appendingPathComponent("quoted.csv").path
        try (["\"lead_id\"", "\"score\""].joined(separator: delimiter) + "\r\n" + ["\"L1\"", "\"0,5\""].joined(separator: delimiter) + "\r\n")
            .write(toFile: quoted, atomically: true, encoding: .utf8)
        for command in [["inspect", quoted], ["init", "--data", quoted]] {
            let refused = try CLIProcess.run(command)
            #expect(refused.exitCode == 2)
            #expect(refused.standardError.contains("after the closing quote of a quoted field; the file looks \(word)-separated: "
                                                   + "a quoted name of its header row ends at one"), "\(refused.standardError)")
        }
        // A comma-separated file gets no such warning.
        let bundled = try CLIProcess.run(["inspect", "fixtures/leads/leads-sample.csv"])
        #expect(!bundled.standardError.contains("separated"))
    }

    @Test func jsonOutputDecodes() throws {
        let result = try CLIProcess.run(["inspect", "fixtures/leads/leads-sample.csv", "--format", "json"])
        #expect(result.exitCode == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(object?["rows"] as? Int == 5000)
        #expect((object?["columns"] as? [Any])?.count == 16)
    }

    @Test func raggedRowExitsTwoWithTheLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ragged-\(UUID().uuidString).csv").path
        try "a,b\n1,2\n3\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLIProcess.run(["inspect", path])
        #expect(result.exitCode == 2)
        #expect(result.standardError.hasPrefix("fairlead: \(path):3"))
        #expect(result.standardOutput.isEmpty)
    }

    /// A column whose only value is `1` is a constant number, not a yes/no column; `0`
    /// and `1` both, or a word, make one boolean. A column with no value is said to be
    /// empty, not typed by the reader's default.
    @Test func typesNeedValuesToDecideThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-types-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let values = folder.appendingPathComponent("values.csv").path
        try "ones,flag,word,none\n1,0,true,NA\n1,1,true,\n".write(toFile: values, atomically: true, encoding: .utf8)
        let headerOnly = folder.appendingPathComponent("header-only.csv").path
        try "a,b\n".write(toFile: headerOnly, atomically: true, encoding: .utf8)

        let result = try CLIProcess.run(["inspect", values, "--format", "json"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let columns = (object?["columns"] as? [[String: Any]]) ?? []
        #expect(columns.map { $0["type"] as? String } == ["numeric", "boolean", "boolean", "empty"])

        let text = try CLIProcess.run(["inspect", values])
        let lines = text.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("ones") && $0.contains("numeric") && !$0.contains("true") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("none") && $0.contains("empty") && $0.hasSuffix("no values (every one missing)") }, "\(lines)")

        let empty = try CLIProcess.run(["inspect", headerOnly])
        #expect(empty.exitCode == 0, "\(empty.standardError)")
        let emptyLines = empty.standardOutput.split(separator: "\n").map(String.init)
        #expect(emptyLines.first == "\(headerOnly): 0 rows, 2 columns")
        for name in ["a", "b"] {
            #expect(emptyLines.contains { $0.hasPrefix(name + " ") && $0.contains("empty") && $0.hasSuffix("no values (the file has no rows)") },
                    "\(emptyLines)")
        }
        #expect(!empty.standardOutput.contains("numeric"))
    }

    @Test func missingFileExitsTwo() throws {
        let result = try CLIProcess.run(["inspect", "no-such-file.csv"])
        #expect(result.exitCode == 2)
        #expect(result.standardError == "fairlead: no-such-file.csv: cannot read the file: No such file or directory\n")
    }
}

/// `fairlead metrics --family`: every family of the catalog, in the help and in the error.
/// The help's list was written out and left out `individual` (accepted all the same), and a
/// bad family showed the tool's usage instead of the command's.
@Suite struct CLIMetricsFamilyTests {
    @Test func everyFamilyIsListedAndABadOneNamesThem() throws {
        let families = ["group-rate", "disparity", "inequality", "queue", "individual", "drift", "explanation"]
        let help = try CLIProcess.run(["metrics", "--help"])
        let flattened = help.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flattened.contains("Only this family: " + families.joined(separator: ", ") + "."), "\(help.standardOutput)")
        for family in families {
            let listed = try CLIProcess.run(["metrics", "--family", family])
            #expect(listed.exitCode == 0 && listed.standardOutput.contains(" \(family.replacingOccurrences(of: "-", with: " ")) "),
                    "\(family): \(listed.standardError)")
        }
        let bad = try CLIProcess.run(["metrics", "--family", "individuals"])
        #expect(bad.exitCode == 64 || bad.exitCode == 2)
        #expect(bad.standardError.contains("--family expects one of \(families.joined(separator: ", ")), found 'individuals'"))
        #expect(bad.standardError.contains("Usage: fairlead metrics"), "\(bad.standardError)")
    }
}
