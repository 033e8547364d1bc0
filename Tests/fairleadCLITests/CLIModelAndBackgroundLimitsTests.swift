import Foundation
import Testing

/// The limits of what the commands that explain read besides their data: a model's tree
/// depth (`--max-tree-depth`), a background file (read within the flags and the profile's
/// limits as the data is), and KernelSHAP's working memory in `explain`. A message names
/// only what the command accepts: `attributions` reads no profile.
@Suite struct CLIModelAndBackgroundLimitsTests {
    /// A LightGBM model of one chain tree `depth` splits deep over f0, f1, f2: split k
    /// (on f(k mod 3) ≤ 0.5) has leaf k on its left and split k + 1 on its right.
    static func chainModel(depth: Int) -> String {
        let splits = 0..<depth
        let leaves = 0...depth
        func line(_ values: some Sequence<String>) -> String { values.joined(separator: " ") }
        return """
            tree
            version=v4
            num_class=1
            num_tree_per_iteration=1
            label_index=0
            max_feature_idx=2
            objective=binary sigmoid:1
            feature_names=f0 f1 f2
            feature_infos=[0:1] [0:1] [0:1]
            tree_sizes=1

            Tree=0
            num_leaves=\(depth + 1)
            num_cat=0
            split_feature=\(line(splits.map { "\($0 % 3)" }))
            split_gain=\(line(splits.map { _ in "1" }))
            threshold=\(line(splits.map { _ in "0.5" }))
            decision_type=\(line(splits.map { _ in "2" }))
            left_child=\(line(splits.map { "-\($0 + 1)" }))
            right_child=\(line(splits.map { $0 == depth - 1 ? "-\(depth + 1)" : "\($0 + 1)" }))
            leaf_value=\(line(leaves.map { "\($0 % 5)" }))
            leaf_weight=\(line(leaves.map { _ in "1" }))
            leaf_count=\(line(leaves.map { _ in "1" }))
            internal_value=\(line(splits.map { _ in "0" }))
            internal_weight=\(line(splits.map { "\(depth - $0 + 1)" }))
            internal_count=\(line(splits.map { "\(depth - $0 + 1)" }))
            is_linear=0
            shrinkage=1


            end of trees

            pandas_categorical:null

            """
    }

    static let rows = "lead_id,f0,f1,f2\nL1,0.1,0.2,0.3\nL2,1,1,1\n"

    static func folder(depth: Int = 4, background: String? = nil) throws -> URL {
        let folder = try CLIHistory.temporaryFolder()
        try Data(chainModel(depth: depth).utf8).write(to: folder.appendingPathComponent("model.txt"))
        try Data(rows.utf8).write(to: folder.appendingPathComponent("rows.csv"))
        if let background { try Data(background.utf8).write(to: folder.appendingPathComponent("background.csv")) }
        return folder
    }

    @Test func aTreeDeeperThanTheLimitIsRefusedUntilTheFlagRaisesIt() throws {
        let folder = try Self.folder(depth: 300)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (model, data, out) = (folder.appendingPathComponent("model.txt").path, folder.appendingPathComponent("rows.csv").path,
                                  folder.appendingPathComponent("a.csv").path)
        let refused = try CLIProcess.run(["attributions", "--model", model, "--data", data, "--out", out, "--threads", "1"])
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.contains("Tree=0 is deeper than 256 levels (the max_tree_depth limit); raise it with --max-tree-depth N\n"),
                "\(refused.standardError)")
        let raised = try CLIProcess.run(["attributions", "--model", model, "--data", data, "--out", out, "--threads", "1",
                                         "--max-tree-depth", "300"])
        #expect(raised.exitCode == 0, "\(raised.standardError)")
        let written = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(written.count == 3)
        #expect(written[0] == "id,base_value,f0,f1,f2,margin" && written[1].hasPrefix("L1,") && written[2].hasPrefix("L2,"), "\(written)")
        let beyond = try CLIProcess.run(["attributions", "--model", model, "--data", data, "--out", out, "--threads", "1",
                                         "--max-tree-depth", "100000"])
        #expect(beyond.exitCode == 0, "\(beyond.standardError)")
        let ceiling = try Self.folder(depth: 513)
        defer { try? FileManager.default.removeItem(at: ceiling) }
        let tooDeep = try CLIProcess.run(["attributions", "--model", ceiling.appendingPathComponent("model.txt").path, "--data", data,
                                          "--out", out, "--threads", "1", "--max-tree-depth", "100000"])
        #expect(tooDeep.exitCode == 2)
        #expect(tooDeep.standardError.contains("Tree=0 is deeper than 512 levels, more than any tree may be\n"), "\(tooDeep.standardError)")
    }

    /// A background with a long field in a column the model does not read: every field is
    /// checked, so --max-field-bytes bounds it, as it bounds the data.
    static func backgroundWithField(bytes: Int) -> String {
        "f0,f1,f2,note\n0.2,0.4,0.6,\(String(repeating: "x", count: bytes))\n0.9,0.1,0.7,short\n"
    }

    @Test(arguments: ["attributions", "explain"])
    func aBackgroundIsReadWithinTheCommandsLimits(command: String) throws {
        let folder = try Self.folder(background: Self.backgroundWithField(bytes: 40))
        defer { try? FileManager.default.removeItem(at: folder) }
        let (model, data, background) = (folder.appendingPathComponent("model.txt").path, folder.appendingPathComponent("rows.csv").path,
                                         folder.appendingPathComponent("background.csv").path)
        let base = command == "attributions"
            ? ["attributions", "--model", model, "--data", data, "--out", folder.appendingPathComponent("a.csv").path,
               "--method", "kernel", "--background", background, "--threads", "1"]
            : ["explain", "--model", model, "--data", data, "--explainer", "kernel", "--background", background, "--threads", "1"]
        // The data's longest field is 5 bytes; the background's is 40.
        let lowered = try CLIProcess.run(base + ["--max-field-bytes", "16"])
        #expect(lowered.exitCode == 2)
        #expect(lowered.standardError.contains("background.csv:2:4 (note): a field longer than 16 bytes (the max_field_bytes limit)"),
                "\(lowered.standardError)")
        #expect(lowered.standardError.contains("raise it with --max-field-bytes N"), "\(lowered.standardError)")
        let read = try CLIProcess.run(base + ["--max-field-bytes", "64"])
        #expect(read.exitCode == 0, "\(read.standardError)")
    }

    @Test func aBackgroundBeyondTheDefaultIsReadWithinARaisedLimit() throws {
        let folder = try Self.folder(background: Self.backgroundWithField(bytes: (1 << 20) + 10))
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = ["attributions", "--model", folder.appendingPathComponent("model.txt").path,
                    "--data", folder.appendingPathComponent("rows.csv").path, "--out", folder.appendingPathComponent("a.csv").path,
                    "--method", "kernel", "--background", folder.appendingPathComponent("background.csv").path, "--threads", "1"]
        let refused = try CLIProcess.run(base)
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.contains("background.csv:2:4 (note): a field longer than ")
                && refused.standardError.contains("(the max_field_bytes limit); raise it with --max-field-bytes N\n"),
                "\(refused.standardError)")
        let raised = try CLIProcess.run(base + ["--max-field-bytes", "2MiB"])
        #expect(raised.exitCode == 0, "\(raised.standardError)")
        let written = try String(contentsOfFile: folder.appendingPathComponent("a.csv").path, encoding: .utf8)
        #expect(written.hasPrefix("id,base_value,f0,f1,f2,margin\nL1,"), "\(written)")
    }

    /// `explain` with KernelSHAP plans its memory as `attributions` does, and says only the
    /// flag when it reads no profile.
    @Test func explainPlansKernelSHAPsMemoryAgainstTheBudget() throws {
        let folder = try Self.folder(background: "f0,f1,f2\n0.2,0.4,0.6\n0.9,0.1,0.7\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = ["explain", "--model", folder.appendingPathComponent("model.txt").path, "--data", folder.appendingPathComponent("rows.csv").path,
                    "--explainer", "kernel", "--background", folder.appendingPathComponent("background.csv").path, "--threads", "1"]
        let refused = try CLIProcess.run(base + ["--memory-budget-bytes", "100"])
        #expect(refused.exitCode == 2)
        // Three features: the 6 coalitions enumerated, each 2·3 + 2 doubles.
        #expect(refused.standardError.contains("KernelSHAP with 2048 samples per row over 3 features and 2 background rows needs about 384 bytes of working memory, above the limit of 100 bytes; fewer samples per row need less; raise it with --memory-budget-bytes N\n"),
                "\(refused.standardError)")
        #expect(refused.standardOutput.isEmpty)
        let fits = try CLIProcess.run(base + ["--memory-budget-bytes", "384"])
        #expect(fits.exitCode == 0, "\(fits.standardError)")
        #expect(fits.standardOutput.contains("L2"), "\(fits.standardOutput)")
    }
}
