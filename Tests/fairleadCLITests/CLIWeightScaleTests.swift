import Foundation
import Testing

/// Weights of any size the audit accepts give the numbers unweighted rows give when
/// every row weighs the same: no sum of weights, of their squares or of weights times
/// scores leaves a double's range (Kish's effective rows (Σw)²/Σw² at 1e-320 were 0).
@Suite struct CLIWeightScaleTests {
    /// Two groups of 40 rows, scores `0.8 × scale` and `0.2 × scale` in turn, each row
    /// weighing `weight` (no weight column when `nil`).
    static func audit(weight: String?, scoreScale: Double, minimumGroupSize: Int,
                      command: String = "audit") throws -> (result: CLIProcess.Result, report: [String: Any]?) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines = ["score,label,group" + (weight == nil ? "" : ",w")]
        for group in ["a", "b"] {
            for index in 0..<40 {
                lines.append("\((index % 2 == 0 ? 0.8 : 0.2) * scoreScale),\(index % 4 < 2 ? 1 : 0),\(group)" + (weight.map { ",\($0)" } ?? ""))
            }
        }
        let data = folder.appendingPathComponent("rows.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("p.yaml").path
        try """
            name: weights
            data: {path: \(data), score: score, label: label\(weight == nil ? "" : ", weight: w")}
            decisions: [{threshold: \(0.5 * scoreScale)}]
            sensitive: [{column: group, reference: a}]
            settings: {min_group_size: \(minimumGroupSize), bootstrap: 0}
            rules: ["selection_rate >= 0.1"]
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(command == "audit" ? ["audit", "--profile", profile, "--format", "json"]
                                        : command == "mitigate" ? ["mitigate", "--profile", profile]
                                        : ["stats", "--profile", profile, "--out", folder.appendingPathComponent("part.json").path])
        guard command == "audit", result.exitCode == 0 else { return (result, nil) }
        return (result, try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    /// Group `group`'s metric `name` as (value, interval).
    static func metric(_ report: [String: Any]?, _ group: String, _ name: String) -> [String: Any]? {
        let decisions = report?["decisions"] as? [String: Any]
        let decision = decisions?.values.first as? [String: Any]
        let attribute = (decision?["attributes"] as? [String: Any])?["group"] as? [String: Any]
        let groups = attribute?["groups"] as? [String: Any]
        return ((groups?[group] as? [String: Any])?["metrics"] as? [String: Any])?[name] as? [String: Any]
    }

    static let cases: [(weight: String, scoreScale: Double)] = [
        ("1e-320", 1), ("5e-324", 1), ("1e-200", 1), ("1e-160", 1), ("0.37", 1), ("1e50", 1), ("1e50", 1e290),
    ]

    @Test(arguments: cases.indices)
    func equalWeightsOfAnySizeCountEveryRow(index: Int) throws {
        let (weight, scoreScale) = Self.cases[index]
        let plain = try Self.audit(weight: nil, scoreScale: scoreScale, minimumGroupSize: 40)
        let weighted = try Self.audit(weight: weight, scoreScale: scoreScale, minimumGroupSize: 40)
        #expect(weighted.result.exitCode == 0, "\(weighted.result.standardError)")
        let findings = try #require(weighted.report?["findings"] as? [[String: Any]])
        // 40 effective rows of 40: at the minimum, judged.
        #expect(findings.map { $0["verdict"] as? String } == ["pass", "pass"], "\(findings)")
        for group in ["a", "b"] {
            for name in ["selection_rate", "true_positive_rate", "mean_score"] {
                let expected = try #require(Self.metric(plain.report, group, name))
                let actual = try #require(Self.metric(weighted.report, group, name))
                let value = try #require(actual["value"] as? Double, "\(name) of \(group): \(actual)")
                let plainValue = try #require(expected["value"] as? Double)
                #expect(abs(value - plainValue) <= 1e-12 * abs(plainValue), "\(name) of \(group): \(value) vs \(plainValue)")
                let interval = actual["interval"] as? [Double]
                let plainInterval = expected["interval"] as? [Double]
                #expect((interval == nil) == (plainInterval == nil))
                if let interval, let plainInterval {
                    #expect(zip(interval, plainInterval).allSatisfy { abs($0 - $1) <= 1e-9 }, "\(name) of \(group): \(interval) vs \(plainInterval)")
                }
            }
        }
        // One more row needed: the reason counts 40 rows, not fewer effective ones.
        let short = try Self.audit(weight: weight, scoreScale: scoreScale, minimumGroupSize: 41)
        let reasons = (short.report?["findings"] as? [[String: Any]])?.compactMap { $0["reason"] as? String }
        #expect(reasons == ["group 'a' has 40 rows, under the minimum of 41; 1 more rows in 'a' would decide it",
                            "group 'b' has 40 rows, under the minimum of 41; 1 more rows in 'b' would decide it"], "\(reasons ?? [])")
    }

    /// A part holds Σw² as a double: `fairlead stats` refuses weights whose squares it
    /// cannot hold rather than write a part whose rows count as none.
    /// `mitigate` over weights it rescaled said "capacity 255.8227 leads" for 191 rows of
    /// 1e-300 each, with no word of the unit, which the audit notes.
    @Test func mitigateSaysItsTotalsAreInTheRescaledUnit() throws {
        let tiny = try Self.audit(weight: "1e-300", scoreScale: 1, minimumGroupSize: 5, command: "mitigate")
        #expect([0, 1].contains(tiny.result.exitCode), "\(tiny.result.standardError)")
        #expect(tiny.result.standardOutput.contains("every weight was multiplied by 2^"), "\(tiny.result.standardOutput)")
        #expect(tiny.result.standardOutput.contains("so are the capacity, selected leads and conversions shown here"))
        let plain = try Self.audit(weight: "1", scoreScale: 1, minimumGroupSize: 5, command: "mitigate")
        #expect(!plain.result.standardOutput.contains("multiplied by 2^"), "\(plain.result.standardOutput)")
    }

    @Test func aPartRefusesWeightsTooSmallForTheirSquares() throws {
        let tiny = try Self.audit(weight: "1e-320", scoreScale: 1, minimumGroupSize: 5, command: "stats")
        #expect(tiny.result.exitCode == 2)
        #expect(tiny.result.standardError.contains("Σw² (squared weight) of its tp rows is 0.0 while Σw is "), "\(tiny.result.standardError)")
        #expect(tiny.result.standardError.contains("the weights are too small for a part to hold their squares (below about 1e-154); multiply the weight column by a constant, which changes no rate, or audit the rows (fairlead audit --data)"))
        let small = try Self.audit(weight: "1e-100", scoreScale: 1, minimumGroupSize: 5, command: "stats")
        #expect(small.result.exitCode == 0, "\(small.result.standardError)")
    }

    /// One group's weights tiny beside another's: one scale serves every group, so the
    /// tiny group's squares underflowed and it counted 0 effective rows (it has 40). A
    /// spread over 2^511 is refused, naming the row; a spread of 1e150 is audited exactly.
    @Test func weightsTooFarApartAreRefusedNotCountedAsNoRows() throws {
        func audit(_ tiny: String, _ command: [String] = ["audit"]) throws -> (CLIProcess.Result, String) {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weights-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var lines = ["score,label,group,w"]
            for group in ["a", "b"] {
                for index in 0..<40 {
                    lines.append("\(index % 2 == 0 ? 0.8 : 0.2),\(index % 4 < 2 ? 1 : 0),\(group),\(group == "a" ? tiny : "1")")
                }
            }
            let data = folder.appendingPathComponent("rows.csv").path
            try (lines.joined(separator: "\n") + "\n").write(toFile: data, atomically: true, encoding: .utf8)
            let profile = folder.appendingPathComponent("p.yaml").path
            try """
                name: weights
                data: {path: \(data), score: score, label: label, weight: w}
                decisions: [{threshold: 0.5}]
                sensitive: [{column: group, reference: b}]
                settings: {min_group_size: 40, bootstrap: 0}
                rules: ["selection_rate >= 0.1"]
                """.write(toFile: profile, atomically: true, encoding: .utf8)
            let arguments = command == ["audit"] ? ["audit", "--profile", profile, "--format", "json"]
                : ["stats", "--profile", profile, "--out", folder.appendingPathComponent("part.json").path]
            return (try CLIProcess.run(arguments), data)
        }
        for command in [["audit"], ["stats"]] {
            let (refused, data) = try audit("1e-200", command)
            #expect(refused.exitCode == 2, "\(command): \(refused.standardError)")
            #expect(refused.standardError == "fairlead: \(data):2:4 (w): weight is 1e-200, more than 2^511 (about 6.7e153) times smaller "
                    + "than the largest weight (1.0): its square underflows, so the effective rows of its group cannot be counted; weights "
                    + "this far apart have no exact audit: set such weights to 0, or audit the groups apart\n", "\(refused.standardError)")
        }
        // A weight above the 1e50 limit is refused as such, on its own row, not taken as the largest.
        let (huge, hugeData) = try audit("1e300")
        #expect(huge.exitCode == 2)
        #expect(huge.standardError.contains("weight is 1e+300, expected a number from 0 to 1e+50"), "\(huge.standardError)")
        #expect(huge.standardError.hasPrefix("fairlead: \(hugeData):2"), "\(huge.standardError)")
        let (audited, _) = try audit("1e-150")
        #expect(audited.exitCode == 0, "\(audited.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(audited.standardOutput.utf8)) as? [String: Any]
        let findings = try #require(report?["findings"] as? [[String: Any]])
        #expect(findings.map { $0["verdict"] as? String } == ["pass", "pass"], "\(findings)")
        #expect(Self.metric(report, "a", "selection_rate")?["value"] as? Double == 0.5)
    }
}
