import Foundation
import Testing

/// `fairlead explain` and `fairlead audit` on a model whose features are pandas-style
/// one-hot columns (fixtures/onehot/, made by make_fixtures.py): the encodings users
/// reported a sensitive attribute leaking through.
@Suite("fairlead explain: one-hot features end to end")
struct ExplainOneHotTests {
    static let model = "fixtures/onehot/xgb-onehot.json"
    /// A rep's export: the CRM columns without sex, and every one-hot column of the model.
    static let export = "fixtures/onehot/onehot-leads-export.csv"
    static let profile = "fixtures/profiles/onehot-explanations.yaml"

    struct Golden: Decodable {
        struct Lead: Decodable {
            var id: String
            var grouped: [String: Double]
            var points: [String: Double]
        }
        var leads: [Lead]
    }

    static func reasons(_ lead: [String: Any]) -> [[String: Any]] {
        (lead["raising"] as? [[String: Any]] ?? []) + (lead["lowering"] as? [[String: Any]] ?? [])
    }

    /// Naming one indicator (`sex_Female`, `sex_Male`) withholds the whole column, even
    /// when the file holds only the indicators.
    @Test(arguments: [["--sensitive", "sex_Female"], ["--proxies", "sex_Male"]])
    func anIndicatorsNameWithholdsItsColumn(_ flag: [String]) throws {
        let json = try CLIProcess.run(["explain", "--model", Self.model, "--data", Self.export, "--format", "json"] + flag)
        #expect(json.exitCode == 0, "\(json.standardError)")
        let leads = try ExplainCommandTests.leads(json.standardOutput)
        #expect(leads.count == 200)
        for lead in leads {
            for reason in Self.reasons(lead) {
                #expect(!(reason["feature"] as? String ?? "").hasPrefix("sex"), "\(lead["id"] ?? "")")
            }
        }
    }

    @Test func aSensitiveColumnIsNeverAReasonThroughItsIndicators() throws {
        let json = try CLIProcess.run(["explain", "--model", Self.model, "--data", Self.export, "--sensitive", "sex", "--format", "json"])
        #expect(json.exitCode == 0, "\(json.standardError)")
        let leads = try ExplainCommandTests.leads(json.standardOutput)
        #expect(leads.count == 200)
        for lead in leads {
            for reason in Self.reasons(lead) {
                let feature = reason["feature"] as? String ?? ""
                #expect(!feature.hasPrefix("sex"), "\(lead["id"] ?? "") \(feature)")
                #expect(!(reason["reason"] as? String ?? "").contains("Sex"))
            }
        }
        // age, undeclared, is named like a sensitive attribute: withheld too, and said so.
        #expect(json.standardError.contains("never shown to reps: age (named like a sensitive attribute), sex (sensitive)"),
                "\(json.standardError)")
        // The model does read sex: on lead A0001 it is the fifth factor raising the score.
        let text = try CLIProcess.run(["explain", "--model", Self.model, "--data", Self.export, "--sensitive", "sex", "--top", "5"])
        #expect(text.exitCode == 0)
        #expect(!text.standardOutput.contains("Sex") && !text.standardOutput.contains("sex"))
    }

    @Test(arguments: [
        ("sexx", "fairlead: the sensitive column 'sexx' is neither a column of fixtures/onehot/onehot-leads-export.csv nor the source of any model feature (did you mean 'sex'?)\n"),
        ("gender", "fairlead: the sensitive column 'gender' is neither a column of fixtures/onehot/onehot-leads-export.csv nor the source of any model feature\n"),
    ])
    func anUnknownSensitiveColumnExitsTwo(column: String, message: String) throws {
        let result = try CLIProcess.run(["explain", "--model", Self.model, "--data", Self.export, "--sensitive", column])
        #expect(result.exitCode == 2)
        #expect(result.standardError == message)
        #expect(result.standardOutput.isEmpty)
    }

    @Test func aOneHotReasonNamesTheCategoryInProbabilityPoints() throws {
        let result = try CLIProcess.run(["explain", "--model", Self.model, "--data", Self.export, "--sensitive", "sex", "--ids", "A0001"])
        #expect(result.exitCode == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "Up to 3 reasons raising and 3 lowering each lead's score; effects in probability points (pts). The typical lead scores 0.255.")
        #expect(lines.contains("Lead A0001: score 0.907"))
        #expect(lines.contains("    + Occupation is Prof-specialty — the strongest reason for this score (+17 pts)"))
        #expect(lines.contains("    + Lead source is referral (+17 pts)"))
        #expect(lines.contains("    + Hours per week is 60, above the typical 39 (+15 pts)"))
        #expect(!lines.contains { $0.contains(" is 1, above the typical 0") || $0.contains(" is 0, below the typical 1") })
    }

    @Test func jsonKeepsLogOddsAndAddsPointsAsXGBoostGives() throws {
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: CLIProcess.packageRoot
            .appendingPathComponent("fixtures/onehot/onehot-goldens.json")))
        let ids = golden.leads.map(\.id)
        // age, named like a sensitive attribute, is allowed: its numbers are checked too.
        let result = try CLIProcess.run(["explain", "--model", Self.model, "--data", Self.export, "--sensitive", "sex",
                                         "--allow", "age", "--format", "json", "--top", "5", "--ids", ids.joined(separator: ",")])
        #expect(result.exitCode == 0)
        let leads = try ExplainCommandTests.leads(result.standardOutput)
        #expect(leads.map { $0["id"] as? String } == ids)
        for (lead, expected) in zip(leads, golden.leads) {
            let reasons = Self.reasons(lead)
            // Five of the six sources; sex is withheld.
            #expect(reasons.count == 5)
            for reason in reasons {
                let feature = try #require(reason["feature"] as? String)
                let contribution = try #require(reason["contribution"] as? Double)
                let points = try #require(reason["points"] as? Double)
                #expect(abs(contribution - (expected.grouped[feature] ?? .nan)) < 1e-5, "\(expected.id) \(feature)")
                #expect(abs(points - (expected.points[feature] ?? .nan)) < 1e-3, "\(expected.id) \(feature)")
            }
        }
    }

    @Test func theCSVForRepsHasPointsAndNoWithheldColumn() throws {
        let result = try CLIProcess.run(["explain", "--model", Self.model, "--data", Self.export, "--sensitive", "sex",
                                         "--format", "csv", "--top", "1", "--ids", "A0001"])
        #expect(result.exitCode == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines[0] == "id,score,margin,raising_1,raising_1_feature,raising_1_value,raising_1_typical,raising_1_contribution,raising_1_points,lowering_1,lowering_1_feature,lowering_1_value,lowering_1_typical,lowering_1_contribution,lowering_1_points")
        #expect(lines[1].hasPrefix("A0001,0.907343,2.281619,Occupation is Prof-specialty — the strongest reason for this score,occupation,Prof-specialty,"))
    }

    @Test func aProfileMayNameAOneHotFeatureForItsColumn() throws {
        let result = try CLIProcess.run(["explain", "--profile", Self.profile, "--data", Self.export, "--ids", "A0001"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("    + Occupation is Prof-specialty — the strongest reason for this score (+17 pts)"))
        #expect(!result.standardOutput.contains("Sex"))
        #expect(result.standardError.contains("sex (sensitive)"))
    }

    @Test func aProfileProxyThatIsNoColumnSaysTheClosest() throws {
        let path = ExplainCommandTests.temporaryPath("profile.yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "extends: \(CLIProcess.packageRoot.path)/\(Self.profile)\nname: typo\nexplanations:\n  proxies: [ocupation]\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let bases = CLIProcess.packageRoot.appendingPathComponent(Self.profile).deletingLastPathComponent().path
        let result = try CLIProcess.run(["explain", "--profile", path, "--ids", "A0001", "--allow-profile-dir", bases])
        #expect(result.exitCode == 2)
        #expect(result.standardError == "fairlead: \(path):4:13 (explanations.proxies[0]): 'ocupation' is not a feature of the model; closest: occupation, education\n")
    }

    @Test func theAuditFindsTheSensitiveColumnThroughItsIndicatorsAndListsItWithheld() throws {
        let out = ExplainCommandTests.temporaryPath("report.json")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "json", "--out", out])
        #expect(result.exitCode == 1, "\(result.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        let explanations = try #require(report?["explanations"] as? [String: Any])
        let withheld = try #require(explanations["withheld"] as? [String: [String: Any]])
        #expect(withheld["sex"]?["reason"] as? String == "sensitive")
        #expect(!withheld.keys.contains { $0.hasPrefix("sex_") })
        let findings = try #require(explanations["findings"] as? [[String: Any]])
        let sensitive = findings.filter { $0["kind"] as? String == "sensitive_feature" }
        #expect(sensitive.count == 1)
        #expect(sensitive.first?["feature"] as? String == "sex")
        #expect(sensitive.first?["verdict"] as? String == "fail")
        let features = try #require(explanations["features"] as? [String])
        #expect(features == ["age", "hours_per_week", "education", "occupation", "lead_source", "sex"])
    }
}
