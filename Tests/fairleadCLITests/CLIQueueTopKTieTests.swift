import Foundation
import Testing

/// The lead queue's values at a top k whose cut goes through tied scores take some of the
/// tied rows in row order: every value at that k, and the verdict of a rule on one, would
/// follow the file's row order. The report says so next to the values and in every
/// rendering, and the rules on them are insufficient evidence, whatever the order.
@Suite struct CLIQueueTopKTieTests {
    /// Every queue metric a rule can judge at a top k: per group (rates, skew, exposure)
    /// and per attribute (skews, NDKL, exposure disparity).
    static let rules = ["selection_rate_at_k>=0.05", "precision_at_k>=0.3", "recall_at_k>=0.05", "skew_at_k>=-0.5",
                        "exposure_ratio>=0.5", "min_skew_at_k>=-0.5", "max_skew_at_k<=0.5", "ndkl<=0.1",
                        "exposure_disparity>=0.5"]

    static func audit(_ path: String, _ decisions: [String], format: String? = nil) throws -> CLIProcess.Result {
        try CLIProcess.run(["audit", "--data", path, "--score", "score", "--label", "label", "--sensitive", "g", "--reference", "g=b"]
                           + decisions + rules.flatMap { ["--rule", $0] } + (format.map { ["--format", $0] } ?? []))
    }

    /// The rows of ``CLITopKTieTests``: 10 at 0.9 (group b), 190 tied at 0.5; the top 20
    /// (and the default top 10%, 20 of 200) takes 10 of the tied rows, all of group b in
    /// one order and all of group a in the other.
    static func write(sortedByGroup: Bool, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(sortedByGroup ? "sorted.csv" : "ties.csv").path
        try CLITopKTieTests.rows(sortedByGroup: sortedByGroup).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-queue-ties-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A top-k decision's cutoff, and the queue's default top 10% under a threshold decision.
    @Test(arguments: [(["--top-k", "20"], "top_20"), (["--threshold", "0.7"], "top_10pct")])
    func theVerdictDoesNotFollowTheRowOrder(decisions: [String], cutoff: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var queues: [[String: Any]] = []
        var exitCodes: [Int32] = []
        for sorted in [false, true] {
            let path = try Self.write(sortedByGroup: sorted, in: folder)
            let text = try Self.audit(path, decisions)
            let terminal = CLIProcess.unwrapped(text.standardOutput)
            exitCodes.append(text.exitCode)
            #expect(terminal.hasPrefix("INSUFFICIENT EVIDENCE"), "\(terminal.prefix(600))")
            let sentence = "the top k cuts through 190 rows tied at score 0.5: 10 of them were taken in row order, "
                + "so each group's values at this k follow the rows' order, not their scores; rules on them are insufficient evidence"
            #expect(terminal.contains("Note: at \(cutoff), " + sentence), "\(terminal)")
            let markdown = try Self.audit(path, decisions, format: "markdown").standardOutput
            #expect(markdown.contains("**Note:** at `\(cutoff)`, " + sentence), "\(markdown)")
            let html = try Self.audit(path, decisions, format: "html").standardOutput
            #expect(html.contains("Note: " + sentence.replacingOccurrences(of: "'", with: "&#39;")))

            let json = try Self.audit(path, decisions, format: "json")
            #expect(json.exitCode == text.exitCode)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
            #expect(report["status"] as? String == "insufficient_evidence")
            let queue = try #require((report["queue"] as? [String: Any])?["g"] as? [String: Any])
            let top = try #require((queue["top_k"] as? [String: Any])?[cutoff] as? [String: Any])
            let tie = top["tie_at_cutoff"] as? [String: Any]
            #expect(tie?["score"] as? Double == 0.5 && tie?["tied"] as? Int == 190 && tie?["selected"] as? Int == 10, "\(top)")
            // Every rule on a value at the cut, per group and per attribute, is undecided for the tie.
            let findings = (report["findings"] as? [[String: Any]] ?? []).filter { $0["decision"] as? String == cutoff }
            #expect(Set(findings.compactMap { $0["metric"] as? String }).count == Self.rules.count, "\(findings)")
            #expect(findings.count == 5 * 2 + 4, "\(findings)")  // 5 per-group metrics over groups a and b, 4 per attribute
            for finding in findings {
                #expect(finding["verdict"] as? String == "insufficient_evidence", "\(finding)")
                #expect(finding["undecided_cause"] as? String == "tied_at_cutoff", "\(finding)")
            }
            queues.append(queue)
        }
        // The same verdict whatever the order; before, one order failed and the other passed.
        #expect(exitCodes == [0, 0])
        // The same queue section, but for the values the tie marks, which follow the order.
        var (first, second) = (queues[0], queues[1])
        for index in [0, 1] {
            var queue = index == 0 ? first : second
            var tops = queue["top_k"] as? [String: Any] ?? [:]
            var top = tops[cutoff] as? [String: Any] ?? [:]
            top["groups"] = nil
            top["metrics"] = nil
            tops[cutoff] = top
            queue["top_k"] = tops
            if index == 0 { first = queue } else { second = queue }
        }
        #expect(NSDictionary(dictionary: first).isEqual(to: second), "\(first)\n\(second)")
    }

    /// A cut between two scores (the top 10: every row at 0.9) says nothing, and its rules
    /// are judged; beside it the top 20 cuts through the tie at 0.5.
    @Test func aCutBetweenScoresSaysNothing() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.write(sortedByGroup: false, in: folder)
        let decisions = ["--top-k", "10", "--top-k", "20"]
        let json = try Self.audit(path, decisions, format: "json")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let tops = try #require(((report["queue"] as? [String: Any])?["g"] as? [String: Any])?["top_k"] as? [String: Any])
        let untied = try #require(tops["top_10"] as? [String: Any])
        #expect(untied["tie_at_cutoff"] == nil, "\(untied)")
        #expect((tops["top_20"] as? [String: Any])?["tie_at_cutoff"] != nil)
        let findings = report["findings"] as? [[String: Any]] ?? []
        let judged = findings.filter { $0["decision"] as? String == "top_10" }
        #expect(judged.count == 5 * 2 + 4)
        #expect(judged.allSatisfy { $0["undecided_cause"] as? String != "tied_at_cutoff" }, "\(judged)")
        #expect(judged.contains { $0["verdict"] as? String == "pass" } && judged.contains { $0["verdict"] as? String == "fail" }, "\(judged)")
        let tied = findings.filter { $0["decision"] as? String == "top_20" }
        #expect(!tied.isEmpty && tied.allSatisfy { $0["undecided_cause"] as? String == "tied_at_cutoff" }, "\(tied)")
        let terminal = CLIProcess.unwrapped(try Self.audit(path, decisions).standardOutput)
        #expect(terminal.contains("Note: at top_20, the top k cuts through 190 rows"), "\(terminal)")
        #expect(!terminal.contains("Note: at top_10,"), "\(terminal)")
        #expect(json.exitCode == 1, "\(json.standardError)")
    }
}
