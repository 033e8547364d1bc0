import Foundation
import Testing

/// The memory a model file costs to load, measured on the built `fairlead` as the kernel
/// counts it (`/usr/bin/time`'s peak resident set): the file's size, not ten times it.
@Suite("model load memory")
struct CLIModelMemoryTests {
    /// An XGBoost JSON model as XGBoost 2 writes it: `trees` full trees of `depth` levels over
    /// 8 features, with every per-node array XGBoost writes (most unread by Fairlead).
    static func xgboostModel(trees: Int, depth: Int) -> String {
        let nodes = (1 << (depth + 1)) - 1
        let firstLeaf = (1 << depth) - 1
        // Numbers as XGBoost prints float32s, from a small table so generation is quick.
        let floats = (0..<97).map { String(format: "%.8E", Double($0 * 7919 % 997) / 997 - 0.5) }
        var text = #"{"learner":{"attributes":{},"feature_names":[],"feature_types":[],"gradient_booster":{"model":{"gbtree_model_param":{"num_parallel_tree":"1","num_trees":""#
        text += "\(trees)\"},\"trees\":["
        func array(_ body: (Int) -> String) -> String {
            "[" + (0..<nodes).map(body).joined(separator: ",") + "]"
        }
        let left = array { $0 < firstLeaf ? "\(2 * $0 + 1)" : "-1" }
        let right = array { $0 < firstLeaf ? "\(2 * $0 + 2)" : "-1" }
        let parents = array { $0 == 0 ? "2147483647" : "\(($0 - 1) / 2)" }
        let indices = array { $0 < firstLeaf ? "\($0 % 8)" : "0" }
        let zeros = array { _ in "0" }
        let hessians = array { node in
            var level = 0
            while (1 << (level + 1)) - 1 <= node { level += 1 }
            return String(format: "%.8E", 1024 / Double(1 << level))
        }
        for tree in 0..<trees {
            if tree > 0 { text += "," }
            let varying = array { floats[($0 + tree) % floats.count] }
            text += #"{"base_weights":"# + varying + #","categories":[],"categories_nodes":[],"categories_segments":[],"categories_sizes":[],"#
            text += #""default_left":"# + zeros + #","id":\#(tree),"left_children":"# + left + #","loss_changes":"# + varying
            text += #","parents":"# + parents + #","right_children":"# + right + #","split_conditions":"# + varying
            text += #","split_indices":"# + indices + #","split_type":"# + zeros + #","sum_hessian":"# + hessians
            text += #","tree_param":{"num_deleted":"0","num_feature":"8","num_nodes":"\#(nodes)","size_leaf_vector":"1"}}"#
        }
        text += #"]},"name":"gbtree"},"learner_model_param":{"base_score":"5E-1","boost_from_average":"1","num_class":"0","num_feature":"8","num_target":"1"},"#
        text += #""objective":{"name":"binary:logistic","reg_loss_param":{"scale_pos_weight":"1"}}},"version":[2,1,0]}"#
        return text
    }

    /// Peak resident KiB of `fairlead attributions` on `model`, given data that lacks the
    /// model's features: the command loads the model, then stops at the data.
    static func peakKiB(model: String, data: String) throws -> Int {
        let time = URL(fileURLWithPath: "/usr/bin/time")
        guard FileManager.default.isExecutableFile(atPath: time.path) else {
            throw CLIProcess.Failure("/usr/bin/time is needed (Debian package time)")
        }
        let result = try CLIProcess.run(["-f", "peak %M", CLIProcess.executable.path, "attributions", "--model", model,
                                         "--data", data, "--out", data + ".out.csv"], program: time)
        // The model loaded: the refusal is about the data's columns.
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("f0"), "\(result.standardError)")
        let line = try #require(result.standardError.split(separator: "\n").last { $0.hasPrefix("peak ") })
        return try #require(Int(line.dropFirst("peak ".count)))
    }

    @Test func anXGBoostModelLoadsInMemoryNearItsSize() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-memory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("rows.csv").path
        try "lead_id,other\n1,2\n".write(toFile: data, atomically: true, encoding: .utf8)
        let small = directory.appendingPathComponent("small.json").path
        try Self.xgboostModel(trees: 1, depth: 2).write(toFile: small, atomically: true, encoding: .utf8)
        let large = directory.appendingPathComponent("large.json").path
        try Self.xgboostModel(trees: 320, depth: 10).write(toFile: large, atomically: true, encoding: .utf8)
        let bytes = try #require(try FileManager.default.attributesOfItem(atPath: large)[.size] as? Int)
        #expect(bytes > 40_000_000)

        let baseline = try Self.peakKiB(model: small, data: data)
        let peak = try Self.peakKiB(model: large, data: data)
        // The bytes themselves, the trees (40 bytes a node, 0.4 of the file here) and one
        // tree's arrays: under twice the file. Decoded as a JSON document first, it was ten.
        let growth = Double(peak - baseline) * 1024 / Double(bytes)
        #expect(growth < 2, "peak \(peak) KiB, \(baseline) KiB before the model, for a file of \(bytes) bytes: \(growth) times the file")
    }
}
