import Foundation
import Testing

/// `fairlead privacy` as a process: the goldens of fixtures/privacy/reidentification.json
/// (pycanon and the ARX definitions) through the JSON output, the errors, and hostile
/// names and values.
@Suite struct CLIPrivacyRiskTests {
    static let data = "fixtures/privacy/anes96.csv"

    static func goldenCases() throws -> [[String: Any]] {
        let url = CLIProcess.packageRoot.appendingPathComponent("fixtures/privacy/reidentification.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return object?["cases"] as? [[String: Any]] ?? []
    }

    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("privacy-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func close(_ a: Any?, _ b: Any?) -> Bool {
        guard let a = (a as? NSNumber)?.doubleValue, let b = (b as? NSNumber)?.doubleValue else { return false }
        return abs(a - b) <= 1e-9
    }

    @Test func jsonMatchesTheGoldens() throws {
        let cases = try Self.goldenCases()
        #expect(cases.count >= 6)
        for golden in cases {
            let quasi = golden["quasi"] as? [String] ?? []
            let sensitive = golden["sensitive"] as? [String] ?? []
            let k = golden["k"] as? Int ?? 0
            let result = try CLIProcess.run(["privacy", "--data", Self.data, "--quasi", quasi.joined(separator: ","),
                                             "--sensitive", sensitive.joined(separator: ","), "--k", String(k), "--format", "json"])
            #expect(result.exitCode == 0, "\(result.standardError)")
            let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
            let section = object?["reidentification"] as? [String: Any] ?? [:]
            let pycanon = golden["pycanon"] as? [String: Any] ?? [:]
            let plain = golden["plain"] as? [String: Any] ?? [:]
            #expect(section["k_anonymity"] as? Int == pycanon["k_anonymity"] as? Int)
            #expect(section["equivalence_classes"] as? Int == plain["classes"] as? Int)
            #expect(section["unique_records"] as? Int == plain["unique_records"] as? Int)
            #expect(section["records_below_k"] as? Int == plain["records_below_k"] as? Int)
            #expect(section["k"] as? Int == k)
            #expect(Self.close(section["marketer"], plain["marketer"]))
            for model in ["prosecutor", "journalist"] {
                let ours = section[model] as? [String: Any] ?? [:]
                let theirs = plain[model] as? [String: Any] ?? [:]
                #expect(Self.close(ours["highest"], theirs["highest"]), "\(model)")
                #expect(Self.close(ours["average"], theirs["average"]), "\(model)")
                #expect(Self.close(ours["records_at_risk"], theirs["records_at_risk"]), "\(model)")
            }
            let attributes = section["sensitive"] as? [[String: Any]] ?? []
            #expect(attributes.compactMap { $0["name"] as? String } == sensitive)
            for attribute in attributes {
                let name = attribute["name"] as? String ?? ""
                #expect(attribute["l_diversity"] as? Int == (pycanon["l_diversity"] as? [String: Int])?[name], "\(name)")
                #expect(Self.close(attribute["t_closeness"], (pycanon["t_closeness"] as? [String: Any])?[name]), "\(quasi) \(name)")
                #expect(Self.close(attribute["entropy_l_diversity"], (plain["entropy_l"] as? [String: Any])?[name]), "\(name)")
            }
        }
    }

    @Test func textSaysTheAssumptionsAndTheDefaultK() throws {
        let result = try CLIProcess.run(["privacy", "--data", Self.data, "--quasi", "educ,income", "--sensitive", "party"])
        #expect(result.exitCode == 0)
        let text = CLIProcess.unwrapped(result.standardOutput)
        #expect(text.contains("k-anonymity: 1 (the smallest class)"))
        #expect(text.contains("records in classes smaller than k = 5:"))
        #expect(text.contains("the sample taken as the population"))
        #expect(text.contains("a missing value is a value of its own"))
    }

    @Test(arguments: ["markdown", "html"])
    func otherFormatsRender(_ format: String) throws {
        let result = try CLIProcess.run(["privacy", "--data", Self.data, "--quasi", "educ", "--sensitive", "self_lr", "--format", format])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("k-anonymity: 13"))
    }

    /// A unique record's quasi-identifier values are never printed, in any format.
    /// A sensitive column of missing values only read "numerical", with measures of
    /// nothing passed off as results: it is `empty`, and a note says what its numbers are.
    @Test func aSensitiveColumnWithNoValueIsEmptyAndNoted() throws {
        let path = try Self.write("a,b,c\n1,,x\n2,,y\n3,,x\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLIProcess.run(["privacy", "--data", path, "--quasi", "a", "--sensitive", "b,c", "--format", "json"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let report = try #require(document["reidentification"] as? [String: Any])
        let sensitive = try #require(report["sensitive"] as? [[String: Any]])
        #expect(sensitive.map { $0["type"] as? String } == ["empty", "categorical"])
        let notes = try #require(report["notes"] as? [String])
        #expect(notes.contains("b: every value is missing, so its l-diversity and t-closeness measure nothing (missing counts as one value)"))
        #expect(!notes.contains { $0.hasPrefix("c:") })
    }

    @Test(arguments: ["text", "json", "markdown", "html"])
    func uniqueValuesAreNeverShown(_ format: String) throws {
        let path = try Self.write("age,zip3,dx\n41,SECRET-ZIP-927,flu\n30,100,flu\n30,100,cold\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLIProcess.run(["privacy", "--data", path, "--quasi", "age,zip3", "--sensitive", "dx", "--format", format])
        #expect(result.exitCode == 0)
        #expect(!result.standardOutput.contains("SECRET-ZIP-927"))
    }

    @Test func hostileColumnNamesAreEscaped() throws {
        let path = try Self.write("\"age\u{1B}[2J\",\"z<script>\",dx\n41,a,flu\n30,b,flu\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for format in ["text", "markdown", "html", "json"] {
            let result = try CLIProcess.run(["privacy", "--data", path, "--quasi", "age\u{1B}[2J,z<script>", "--sensitive", "dx", "--format", format])
            #expect(result.exitCode == 0, "\(format): \(result.standardError)")
            #expect(!result.standardOutput.contains("\u{1B}"), "\(format)")
            if format == "html" || format == "markdown" { #expect(!result.standardOutput.contains("z<script>"), "\(format)") }
        }
    }

    @Test func unknownColumnNamesTheClosest() throws {
        let result = try CLIProcess.run(["privacy", "--data", Self.data, "--quasi", "agee,educ"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("agee"))
        #expect(result.standardError.contains("\"age\""))
    }

    @Test(arguments: [
        (["--quasi", "age,age"], "--quasi: the column 'age' is listed twice"),
        (["--quasi", "age,educ", "--sensitive", "educ"], "both a quasi-identifier and a sensitive attribute"),
        (["--quasi", "age", "--sensitive", "party,party"], "--sensitive: the sensitive column 'party' is listed twice"),
        (["--quasi", "age", "--k", "0"], "--k must be at least 1"),
        (["--quasi", "age,,educ"], "empty column name"),
    ])
    func usageMistakesExitTwo(_ arguments: [String], _ fragment: String) throws {
        let result = try CLIProcess.run(["privacy", "--data", Self.data] + arguments)
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains(fragment), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test func emptyDataIsRefused() throws {
        let path = try Self.write("age,dx\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLIProcess.run(["privacy", "--data", path, "--quasi", "age", "--sensitive", "dx"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("nothing to judge"))
    }

    @Test func oneRowIsUnique() throws {
        let path = try Self.write("age,dx\n41,flu\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLIProcess.run(["privacy", "--data", path, "--quasi", "age", "--sensitive", "dx", "--format", "json"])
        #expect(result.exitCode == 0)
        let section = (try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])?["reidentification"] as? [String: Any]
        #expect(section?["k_anonymity"] as? Int == 1)
        #expect(section?["unique_records"] as? Int == 1)
        #expect(section?["marketer"] as? Double == 1)
    }

    @Test func theOutputNeverReplacesTheData() throws {
        let path = try Self.write("age,dx\n41,flu\n41,cold\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLIProcess.run(["privacy", "--data", path, "--quasi", "age", "--out", path])
        #expect(result.exitCode == 2)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "age,dx\n41,flu\n41,cold\n")
    }

    @Test func standardInputIsRead() throws {
        let result = try CLIProcess.run(["privacy", "--data", "-", "--quasi", "age", "--format", "json"],
                                        standardInput: Data("age,dx\n41,flu\n41,cold\n30,flu\n".utf8))
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("\"k_anonymity\" : 1"))
    }

    // MARK: - The report's section (privacy.quasi_identifiers)

    /// The section of an audit: values counted independently with pandas (groupby over
    /// the five columns read as text): 2,235 classes, 1,181 unique, 3,276 below k = 5.
    @Test func auditAddsTheSection() throws {
        let result = try CLIProcess.run(["audit", "--profile", "fixtures/profiles/leads-reidentification.yaml", "--format", "json", "--threads", "1"])
        #expect(result.exitCode == 1, "\(result.standardError)")  // the pre-deployment rules fail, as in walkthrough 1
        let report = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let section = report?["reidentification"] as? [String: Any] ?? [:]
        #expect(section["rows"] as? Int == 5000)
        #expect(section["equivalence_classes"] as? Int == 2235)
        #expect(section["unique_records"] as? Int == 1181)
        #expect(section["records_below_k"] as? Int == 3276)
        #expect(section["k_anonymity"] as? Int == 1)
        #expect(section["journalist_population"] as? String == "sample")
        let sensitive = section["sensitive"] as? [[String: Any]] ?? []
        #expect(sensitive.compactMap { $0["name"] as? String } == ["ethnicity"])
        #expect((section["notes"] as? [String] ?? []).contains { $0.contains("gender, age_band") })
        let columns = (report?["data"] as? [String: Any])?["columns"] as? [String] ?? []
        for name in ["region", "postal_area", "age_band", "gender", "job_level"] {
            #expect(columns.contains(name), "\(name)")
        }
    }

    @Test(arguments: ["text", "markdown", "html"])
    func auditRenderingsShowTheSection(_ format: String) throws {
        let result = try CLIProcess.run(["audit", "--profile", "fixtures/profiles/leads-reidentification.yaml", "--format", format, "--threads", "1"])
        #expect(result.exitCode == 1)
        #expect(result.standardOutput.contains("Re-identification risk"))
        #expect(CLIProcess.unwrapped(result.standardOutput).contains("unique records: 1181"))
    }

    @Test func aPublishedViewLeavesTheSectionOut() throws {
        let profile = try Self.writeProfile("""
            extends: \(CLIProcess.packageRoot.path)/fixtures/profiles/leads-published.yaml
            name: published-with-risk
            privacy:
              min_cell: 10
              quasi_identifiers: [region, age_band]
            """)
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let result = try CLIProcess.run(["audit", "--profile", profile, "--publish", "--format", "json", "--threads", "1",
                                         "--allow-profile-dir", CLIProcess.packageRoot.path])
        #expect(result.exitCode == 1, "\(result.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(report?["reidentification"] == nil)
        let withheld = ((report?["privacy"] as? [String: Any])?["withheld"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(withheld.contains("reidentification"))
    }

    static func writeProfile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("privacy-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [
        ("quasi_identifiers: [region, region]", "named twice"),
        ("quasi_identifiers: []", "at least one column name"),
        ("reidentification_k: 0", "reidentification_k"),
        ("quasi_identifer: [region]", "did you mean 'quasi_identifiers'?"),
    ])
    func profileMistakesAreLocated(_ line: String, _ fragment: String) throws {
        let profile = try Self.writeProfile("""
            extends: \(CLIProcess.packageRoot.path)/fixtures/profiles/leads-predeployment.yaml
            name: risk
            privacy:
              \(line)
            """)
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let result = try CLIProcess.run(["validate", profile, "--allow-profile-dir", CLIProcess.packageRoot.path])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("privacy."), "\(result.standardError)")
        #expect(result.standardError.contains(fragment), "\(result.standardError)")
    }

    @Test func anUnknownQuasiColumnInAProfileIsNamed() throws {
        let profile = try Self.writeProfile("""
            extends: \(CLIProcess.packageRoot.path)/fixtures/profiles/leads-predeployment.yaml
            name: risk
            privacy:
              quasi_identifiers: [regoin]
            """)
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let result = try CLIProcess.run(["audit", "--profile", profile, "--allow-profile-dir", CLIProcess.packageRoot.path])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("regoin"))
        #expect(result.standardError.contains("\"region\""), "\(result.standardError)")
    }
}
