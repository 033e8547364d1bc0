import ArgumentParser
import Foundation
import Testing
import Fairlead
@testable import fairlead

@Suite("fairlead attributions")
struct AttributionsCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ path: String) -> String { root.appendingPathComponent(path).path }

    static func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-\(UUID().uuidString)-\(name)").path
    }

    struct Golden: Decodable {
        struct Values: Decodable { var values: [[Double]] }
        var margin: [Double]
        var shap_path_dependent: Values
    }

    func run(_ arguments: [String]) throws {
        let command = try AttributionsCommand.parse(arguments)
        try command.validate()
        try command.run()
    }

    @Test func treeSHAPOnTheBundledLeads() throws {
        let out = Self.temporaryFile("attributions.csv")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try run(["--model", Self.fixture("fixtures/models/xgb-leads-logistic.json"),
                 "--data", Self.fixture("fixtures/leads/leads-sample.csv"), "--threads", "2", "--out", out])
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5_001)
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.first == "id" && header[1] == "base_value" && header.last == "margin")
        #expect(header.count == 2 + 32 + 1)
        #expect(header[2] == "lead_source=cold_outbound")
        let golden = try JSONDecoder().decode(
            Golden.self, from: Data(contentsOf: URL(fileURLWithPath: Self.fixture("fixtures/models/goldens/xgb-leads-logistic.json"))))
        // Golden rows 0..<90 are the file's first 90 leads.
        for row in 0..<90 {
            let fields = lines[row + 1].split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields[0] == "L\(String(format: "%07d", row + 1))")
            let values = fields[2..<34].map { Double($0) ?? .nan }
            let difference = zip(values, golden.shap_path_dependent.values[row]).map { abs($0 - $1) }.max() ?? .nan
            #expect(difference < 1e-6)
            let margin = Double(fields[34]) ?? .nan
            #expect(abs(margin - golden.margin[row]) < 1e-5)
        }
    }

    @Test func groupedJSONWithABackground() throws {
        let out = Self.temporaryFile("attributions.json")
        let background = Self.temporaryFile("background.csv")
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: background)
        }
        let leads = try String(contentsOfFile: Self.fixture("fixtures/leads/leads-sample.csv"), encoding: .utf8)
        let firstLines = leads.split(separator: "\n").prefix(21).joined(separator: "\n") + "\n"
        try firstLines.write(toFile: background, atomically: true, encoding: .utf8)
        try run(["--model", Self.fixture("fixtures/models/xgb-leads-reglogistic.json"),
                 "--data", background, "--method", "tree-interventional", "--background", background,
                 "--group-features", "--format", "json", "--out", out, "--id-column", "lead_id"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(object["method"] as? String == "tree-interventional")
        #expect(object["features"] as? [String] == ["lead_source", "industry", "region", "company_size", "job_level",
                                                     "web_visits", "email_opens", "pricing_page_views", "days_since_first_touch"])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 20)
        #expect(rows.first?["id"] as? String == "L0000001")
        // Additive: base + Σ grouped values = margin.
        let base = try #require(object["base_value"] as? Double)
        for row in rows {
            let values = try #require(row["values"] as? [Double])
            #expect(abs(base + values.reduce(0, +) - (row["margin"] as? Double ?? .nan)) < 1e-9)
        }
    }

    /// An explainer's refusal names the file it is about: the model for a split without
    /// cover, the data's line for a missing value when the data is the background.
    @Test func explainerErrorsNameTheirFile() throws {
        let out = Self.temporaryFile("out.csv")
        let model = Self.temporaryFile("no-covers.json")
        defer { try? FileManager.default.removeItem(atPath: model) }
        let text = try String(contentsOfFile: Self.fixture("fixtures/models/xgb-leads-logistic.json"), encoding: .utf8)
        let zeroed = text.replacing(#/"sum_hessian":\[[^\]]*\]/#) { match in
            "\"sum_hessian\":[" + match.output.split(separator: "[")[1].split(separator: ",").map { _ in "0" }.joined(separator: ",") + "]"
        }
        #expect(zeroed != text)
        try zeroed.write(toFile: model, atomically: true, encoding: .utf8)
        let sample = Self.fixture("fixtures/leads/leads-sample.csv")
        #expect {
            try run(["--model", model, "--data", sample, "--out", out])
        } throws: { error in
            (error as? FairleadError)?.description.hasPrefix("\(model): tree 0 has a split (node 0 in preorder) with cover 0") == true
        }
        // L0000017, on line 18, has no web_visits (column 7).
        #expect {
            try run(["--model", Self.fixture("fixtures/models/linear-leads-logistic.json"), "--data", sample, "--out", out])
        } throws: { error in
            (error as? FairleadError)?.description == "\(sample):18:7 (web_visits): the background has no value (missing or not finite) of \"web_visits\" in this row; "
                + "LinearSHAP needs the mean of each feature over the background; no --background was given, so the data is the background: "
                + "give --background with complete rows, or fill or drop the rows with missing values"
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aMissingFeatureExitsWithCodeTwo() throws {
        let data = Self.temporaryFile("partial.csv")
        let out = Self.temporaryFile("out.csv")
        defer { try? FileManager.default.removeItem(atPath: data) }
        try "lead_id,web_visits\nL1,3\n".write(toFile: data, atomically: true, encoding: .utf8)
        #expect {
            try run(["--model", Self.fixture("fixtures/models/xgb-leads-logistic.json"), "--data", data, "--out", out])
        } throws: { error in
            // The entry point maps every input error to exit code 2.
            guard let error = error as? FairleadError else { return false }
            return FairleadCommand.report(error) == 2 && error.message.hasPrefix("no column \"lead_source=cold_outbound\"")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func unknownMethodIsAUsageError() {
        #expect(throws: (any Error).self) {
            try run(["--model", "m.json", "--data", "d.csv", "--out", "o.csv", "--method", "magic"])
        }
    }
}
