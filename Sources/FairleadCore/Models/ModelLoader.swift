import Foundation

/// The model file formats Fairlead reads.
public enum ModelFormat: String, Sendable, CaseIterable {
    /// Fairlead's linear JSON schema (docs/models.md).
    case linear
    /// XGBoost's JSON model (`save_model("m.json")`).
    case xgboost
    /// LightGBM's text model (`save_model("model.txt")`).
    case lightgbm
    /// An ONNX model (`.onnx`: skl2onnx, onnxmltools) with one tree-ensemble or linear
    /// operator of `ai.onnx.ml` (docs/models.md).
    case onnx
}

/// Loads a model file of any supported format into a `Model`.
///
/// The format is recognised from the content unless given: a JSON object with a `learner`
/// key is XGBoost, one with `"format": "fairlead-linear"` is linear, text starting with
/// `tree` is LightGBM, and a file named `.onnx` or starting with the protobuf tag of
/// `ModelProto.ir_version` (byte 0x08) is ONNX.
///
///     let model = try ModelLoader.load(contentsOf: "lead-model.json")
///     if let trees = model as? TreeEnsemble { … }
public enum ModelLoader {
    /// Loads the model at `path`, of `format` or of the format its content shows.
    ///
    /// - Throws: `FairleadError(.invalidModel)` naming the file when it cannot be read, its
    ///   format is not recognised, or the loader for its format rejects it;
    ///   `FairleadError(.usage, limit: .maxFileBytes)` when the file holds more than
    ///   `limits.maxFileBytes` (it is never read past that); a linear model's JSON is
    ///   decoded once planned within `limits.memoryBudgetBytes`;
    ///   `FairleadError(.invalidModel, limit: .maxTreeDepth)` for a tree deeper than
    ///   `limits.maxTreeDepth`.
    public static func load(contentsOf path: String, format: ModelFormat? = nil, limits: Limits = Limits()) throws -> any Model {
        let data = try ModelFile.contents(of: path, limits: limits)
        if let format, format != .onnx { try ModelFile.requireUTF8(data, path: path) }
        let model: any Model
        switch try format ?? detectFormat(data, path: path) {
        case .linear: model = try LinearModel(jsonData: data, path: path, limits: limits)
        case .xgboost: model = try XGBoostModelLoader.load(jsonData: data, path: path, limits: limits)
        case .lightgbm: model = try LightGBMModelLoader.load(textData: data, path: path, limits: limits)
        case .onnx: model = try ONNXModelLoader.load(data: data, path: path, limits: limits)
        }
        try requireSomeFeatureRead(model, path: path)
        return model
    }

    /// Refuses a model of no input, which gives every lead one score and no reason: nothing
    /// to explain. A linear model of no feature; a tree ensemble whose trees split on none
    /// (no tree, or single leaves), whatever feature names it lists.
    static func requireSomeFeatureRead(_ model: any Model, path: String) throws {
        var why = ""
        if let ensemble = model as? TreeEnsemble, !ensemble.trees.contains(where: { $0.nodes.first?.isLeaf == false }) {
            why = ensemble.trees.isEmpty ? " (it holds no tree)"
                : ensemble.trees.count == 1 ? " (its tree is a single leaf)" : " (its \(ensemble.trees.count) trees are single leaves)"
        } else if !model.featureNames.isEmpty {
            return
        }
        throw FairleadError(.invalidModel, "the model reads no feature\(why), so it gives every lead the same score and no reason; a model Fairlead explains reads at least one",
                            at: SourceLocation(file: path))
    }

    /// The format `data` is in, judged from its first bytes and, for JSON, its top-level keys.
    static func detectFormat(_ data: Data, path: String) throws -> ModelFormat {
        if path.lowercased().hasSuffix(".onnx") || data.first == 0x08 { return .onnx }
        try ModelFile.requireUTF8(data, path: path)
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.hasPrefix("tree") { return .lightgbm }
        if trimmed.hasPrefix("{") {
            if head.contains("\"learner\"") { return .xgboost }
            if head.contains("fairlead-linear") { return .linear }
            // The distinguishing key may come after the first 4 KiB: scan the top level's
            // keys (decoding the whole document would cost several times the file).
            var hasLearner = false, format: String?
            let scanned: Void? = try? ModelFile.withoutByteOrderMark(data).withUnsafeBytes { bytes in
                var scanner = JSONScanner(bytes.bindMemory(to: UInt8.self))
                try scanner.readObject { scanner, key in
                    if key == "learner" {
                        hasLearner = true
                        try scanner.readObject { scanner, _ in try scanner.skipValue() }
                    } else if key == "format", let text = try? scanner.readString() {
                        format = text
                    } else {
                        try scanner.skipValue()
                    }
                }
                try scanner.expectEnd()
            }
            if scanned != nil {
                if hasLearner { return .xgboost }
                if format == "fairlead-linear" { return .linear }
            }
            throw FairleadError(.invalidModel,
                                "a JSON file that is neither an XGBoost model (no \"learner\" key) nor a Fairlead linear model (no \"format\": \"fairlead-linear\")",
                                at: SourceLocation(file: path))
        }
        throw FairleadError(.invalidModel,
                            "not a model Fairlead reads: expected XGBoost JSON, Fairlead linear JSON, a LightGBM text model or ONNX",
                            at: SourceLocation(file: path))
    }
}
