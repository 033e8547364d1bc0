import Foundation
import Testing
@testable import fairlead

@Suite("fairlead attributions and explain with an ONNX model")
struct ONNXCommandTests {
    static let model = "fixtures/models/onnx/onehot-gbc-leads.onnx"

    struct Golden: Decodable {
        struct SHAP: Decodable { var values: [[Double]] }
        var shap: SHAP
        var csv_rows: [Int]
        var csv_background_rows: [Int]
    }

    /// The golden's background rows of the leads, as a CSV file.
    static func background(_ golden: Golden) throws -> String {
        try leads(golden.csv_background_rows, name: "background.csv")
    }

    /// The leads up to the golden's last row, as a CSV file (row indices stay the same).
    static func explained(_ golden: Golden) throws -> String {
        try leads(Array(0...(golden.csv_rows.max() ?? 0)), name: "explained.csv")
    }

    private static func leads(_ rows: [Int], name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-\(UUID().uuidString)-\(name)").path
        let lines = try String(contentsOfFile: AttributionsCommandTests.fixture("fixtures/leads/leads-sample.csv"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let chosen = [lines[0]] + rows.map { lines[$0 + 1] }
        try (chosen.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func golden() throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: URL(fileURLWithPath: AttributionsCommandTests.fixture(
            "fixtures/models/goldens/onnx-onehot-gbc-leads.json"))))
    }

    @Test func attributionsOfAScikitLearnPipelineEqualShap() throws {
        let golden = try Self.golden()
        let background = try Self.background(golden)
        let explained = try Self.explained(golden)
        let out = AttributionsCommandTests.temporaryFile("onnx-attributions.csv")
        defer {
            for path in [out, background, explained] { try? FileManager.default.removeItem(atPath: path) }
        }
        // Without --method: ONNX trees carry no covers, so interventional TreeSHAP is chosen.
        let result = try CLIProcess.run(["attributions", "--model", Self.model, "--data", explained,
                                         "--background", background, "--out", out])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == (golden.csv_rows.max() ?? 0) + 2)
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header[2] == "lead_source=cold_outbound" && header.count == 2 + 22 + 1)
        for (index, row) in golden.csv_rows.enumerated() {
            let fields = lines[row + 1].split(separator: ",", omittingEmptySubsequences: false)
            let values = fields[2..<24].map { Double($0) ?? .nan }
            let expected = golden.shap.values[index]
            let floor = max(1e-3, expected.map(abs).max() ?? 1)
            let difference = zip(values, expected).map { abs($0 - $1) / max(abs($1), floor) }.max() ?? .nan
            #expect(difference < 1e-6, "row \(row)")
        }
    }

    @Test func explainGivesReasonsFromAnONNXModel() throws {
        let golden = try Self.golden()
        let background = try Self.background(golden)
        defer { try? FileManager.default.removeItem(atPath: background) }
        let result = try CLIProcess.run(["explain", "--model", Self.model, "--data", "fixtures/leads/leads-sample.csv",
                                         "--background", background, "--ids", "L0000001", "--format", "json"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("L0000001"))
        #expect(result.standardOutput.contains("raising"))
    }

    @Test func anUnsupportedOperatorNamesTheNode() throws {
        let result = try CLIProcess.run(["attributions", "--model", "fixtures/models/bad/onnx-unsupported-normalizer.onnx",
                                         "--data", "fixtures/leads/leads-sample.csv", "--out", "/dev/null"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("node \"Normalizer\" (op_type Normalizer): is not supported before the model"))
    }
}
