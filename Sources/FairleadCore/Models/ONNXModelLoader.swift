import Foundation
import SwiftProtobuf
import _ONNXSchema

/// Reads an ONNX model (`.onnx`, as skl2onnx and onnxmltools write them) into a
/// `TreeEnsemble` or a `LinearModel`.
///
/// The graph must hold exactly one model operator of the `ai.onnx.ml` domain —
/// `TreeEnsembleClassifier`, `TreeEnsembleRegressor`, `LinearClassifier` or
/// `LinearRegressor` — fed by per-column preprocessing that Fairlead folds into the model,
/// so that attributions are per input feature:
/// - `Scaler` and `Imputer` (NaN replaced) become, for trees, thresholds and missing-value
///   directions on the raw feature (found on the float32 lattice, so that routing equals
///   onnxruntime's); for linear models, coefficients, intercept and `missingValues`;
/// - `OneHotEncoder` on a string (or int64) input `c` makes one feature per category,
///   named `c=category` — the names `ModelInput` derives from a CSV column;
/// - `Concat`, `ArrayFeatureExtractor` (constant indices), `Reshape`, `Flatten`,
///   `Identity` and `Cast` to float rearrange columns.
/// After the model, only operators that leave the positive-class score as it is may follow
/// (`ZipMap`, `Identity`, `Cast`, …). Any other operator is an error that names the node
/// and its `op_type`.
///
/// Feature names: a `[N, 1]` input is named by the input; a single `[N, p]` input by the
/// model's metadata property `feature_names` (a JSON array of p strings) when present,
/// else `f0`, `f1`, ….
///
///     let model = try ModelLoader.load(contentsOf: "pipeline.onnx")
///     let p = model.probabilities(x)      // = onnxruntime's probabilities[:, 1]
public enum ONNXModelLoader {
    /// The most nodes a graph may hold; skl2onnx pipelines have a handful.
    static let maximumGraphNodes = 10_000
    /// The most trees an ensemble may hold.
    static let maximumTrees = 100_000
    /// The most tree nodes an ensemble may hold in all.
    static let maximumTreeNodes = 50_000_000
    /// How deeply protobuf messages may nest (a graph inside an attribute inside a node …).
    static let messageDepthLimit = 32

    /// Loads a model from its bytes; `path` names the file in errors, and its trees may be
    /// `limits.maxTreeDepth` levels deep.
    public static func load(data: Data, path: String, limits: Limits = Limits()) throws -> any Model {
        let proto = try decode(data, path: path)
        let context = ONNXContext(path: path)
        guard proto.hasGraph else { throw context.error("the model has no graph") }
        let graph = proto.graph
        guard graph.node.count <= maximumGraphNodes else {
            throw context.error("the graph has \(graph.node.count) nodes; at most \(maximumGraphNodes) are read")
        }
        let (index, modelNode) = try findModelNode(graph, context: context)
        let nodeContext = context.node(modelNode, index: index)
        var tracer = try ONNXGraphTracer(graph: graph, modelNodeIndex: index, metadata: proto.metadataProps, context: context)
        guard let inputName = modelNode.input.first, modelNode.input.count == 1 else {
            throw nodeContext.error("expected one input, found \(modelNode.input.count)")
        }
        let columns = try tracer.columns(of: inputName, for: nodeContext)
        let features = tracer.featureNames
        switch modelNode.opType {
        case "TreeEnsembleClassifier", "TreeEnsembleRegressor":
            return try ONNXTreeEnsembleBuilder(node: modelNode, context: nodeContext, columns: columns,
                                               featureNames: features, maxDepth: limits.maxTreeDepth).build()
        default:
            return try ONNXLinearBuilder(node: modelNode, context: nodeContext, columns: columns,
                                         featureNames: features).build()
        }
    }

    /// The model proto, or an error naming the file when the bytes are not one.
    static func decode(_ data: Data, path: String) throws -> Onnx_ModelProto {
        var options = BinaryDecodingOptions()
        options.messageDepthLimit = messageDepthLimit
        options.discardUnknownFields = true
        do {
            return try Onnx_ModelProto(serializedBytes: data, options: options)
        } catch BinaryDecodingError.messageDepthLimit {
            throw FairleadError(.invalidModel, "not a valid ONNX model: messages nest deeper than \(messageDepthLimit) levels",
                                at: SourceLocation(file: path))
        } catch {
            throw FairleadError(.invalidModel, "not a valid ONNX model (truncated or malformed protobuf)",
                                at: SourceLocation(file: path))
        }
    }

    /// The operators Fairlead turns into a model.
    static let modelOperators: Set<String> = [
        "TreeEnsembleClassifier", "TreeEnsembleRegressor", "LinearClassifier", "LinearRegressor",
    ]

    private static func findModelNode(_ graph: Onnx_GraphProto, context: ONNXContext) throws -> (Int, Onnx_NodeProto) {
        let found = graph.node.enumerated().filter { modelOperators.contains($0.element.opType) }
        guard let first = found.first else {
            throw context.error("the graph has no model operator; Fairlead reads \(modelOperators.sorted().joined(separator: ", ")) (ai.onnx.ml)")
        }
        guard found.count == 1 else {
            throw context.error("the graph has \(found.count) model operators (\(found.map { $0.element.opType }.joined(separator: ", "))); Fairlead reads graphs with one")
        }
        let node = first.element
        guard node.domain == "ai.onnx.ml" else {
            throw context.node(node, index: first.offset).error("operator domain \"\(node.domain)\" is not ai.onnx.ml")
        }
        return (first.offset, node)
    }
}

/// Where in an ONNX file an error is: the file, and the node as `graph.node[i]`.
struct ONNXContext {
    var path: String
    var field: String?
    var nodeDescription: String?

    init(path: String) { self.path = path }

    func node(_ node: Onnx_NodeProto, index: Int) -> ONNXContext {
        var context = self
        context.field = "graph.node[\(index)]"
        let name = node.name.isEmpty ? "(unnamed)" : "\"\(MessageQuote.clipped(node.name, limit: 80))\""
        context.nodeDescription = "node \(name) (op_type \(MessageQuote.clipped(node.opType, limit: 80)))"
        return context
    }

    /// An `.invalidModel` error at this place; a node's errors start with the node.
    func error(_ message: String) -> FairleadError {
        let text = nodeDescription.map { "\($0): \(message)" } ?? message
        return FairleadError(.invalidModel, text, at: SourceLocation(file: path, field: field))
    }
}
