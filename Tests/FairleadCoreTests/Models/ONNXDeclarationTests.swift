import Foundation
import Testing
@testable import FairleadCore
import _ONNXSchema
import SwiftProtobuf

/// What an ONNX tree ensemble declares is read as declared or refused: a threshold that
/// is not finite, a missing-value flag other than 0 or 1, base values that are not finite,
/// a second `feature_names` property or graph input of one name, and a post_transform the
/// operator does not allow, each said precisely (all were accepted, ignored or misnamed).
@Suite struct ONNXDeclarationTests {
    /// A `TreeEnsembleRegressor` (or, with `classifier`, a `TreeEnsembleClassifier` with
    /// scores for class 1) of one stump `x0 <= threshold` over the `[N, 2]` input X.
    static func stump(threshold: Float = 0.5, tracksTrue: [Int64]? = nil, baseValues: [Float] = [],
                      postTransform: String? = nil, classifier: Bool = false,
                      metadata: [(String, String)] = [], inputs: [String] = ["X"]) throws -> Data {
        func attribute(_ name: String, ints: [Int64]) -> Onnx_AttributeProto {
            var attribute = Onnx_AttributeProto()
            attribute.name = name
            attribute.type = .ints
            attribute.ints = ints
            return attribute
        }
        func attribute(_ name: String, floats: [Float]) -> Onnx_AttributeProto {
            var attribute = Onnx_AttributeProto()
            attribute.name = name
            attribute.type = .floats
            attribute.floats = floats
            return attribute
        }
        func attribute(_ name: String, strings: [String]) -> Onnx_AttributeProto {
            var attribute = Onnx_AttributeProto()
            attribute.name = name
            attribute.type = .strings
            attribute.strings = strings.map { Data($0.utf8) }
            return attribute
        }
        var node = Onnx_NodeProto()
        node.name = "trees"
        node.opType = classifier ? "TreeEnsembleClassifier" : "TreeEnsembleRegressor"
        node.domain = "ai.onnx.ml"
        node.input = ["X"]
        node.output = classifier ? ["label", "probabilities"] : ["variable"]
        let prefix = classifier ? "class" : "target"
        node.attribute = [
            attribute("nodes_treeids", ints: [0, 0, 0]), attribute("nodes_nodeids", ints: [0, 1, 2]),
            attribute("nodes_featureids", ints: [0, 0, 0]), attribute("nodes_modes", strings: ["BRANCH_LEQ", "LEAF", "LEAF"]),
            attribute("nodes_values", floats: [threshold, 0, 0]), attribute("nodes_truenodeids", ints: [1, 0, 0]),
            attribute("nodes_falsenodeids", ints: [2, 0, 0]),
            attribute("\(prefix)_treeids", ints: [0, 0]), attribute("\(prefix)_nodeids", ints: [1, 2]),
            attribute("\(prefix)_ids", ints: classifier ? [1, 1] : [0, 0]), attribute("\(prefix)_weights", floats: [-1, 1]),
        ]
        if classifier { node.attribute.append(attribute("classlabels_int64s", ints: [0, 1])) }
        if let tracksTrue { node.attribute.append(attribute("nodes_missing_value_tracks_true", ints: tracksTrue)) }
        if !baseValues.isEmpty { node.attribute.append(attribute("base_values", floats: baseValues)) }
        if let postTransform {
            var transform = Onnx_AttributeProto()
            transform.name = "post_transform"
            transform.type = .string
            transform.s = Data(postTransform.utf8)
            node.attribute.append(transform)
        }
        var graph = Onnx_GraphProto()
        graph.node = [node]
        graph.input = inputs.map { name in
            var input = Onnx_ValueInfoProto()
            input.name = name
            var tensor = Onnx_TypeProto.Tensor()
            tensor.elemType = 1
            var rows = Onnx_TensorShapeProto.Dimension(), columns = Onnx_TensorShapeProto.Dimension()
            rows.dimParam = "N"
            columns.dimValue = 2
            tensor.shape.dim = [rows, columns]
            input.type.tensorType = tensor
            return input
        }
        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.graph = graph
        model.metadataProps = metadata.map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            return entry
        }
        return try model.serializedBytes()
    }

    static func refusal(_ message: String) -> FairleadError {
        FairleadError(.invalidModel, message, at: SourceLocation(file: "m.onnx", field: "graph.node[0]"))
    }

    static let regressorNode = "node \"trees\" (op_type TreeEnsembleRegressor): "

    @Test func theStumpAsWrittenLoads() throws {
        let model = try #require(try ONNXModelLoader.load(data: try Self.stump(), path: "m.onnx") as? TreeEnsemble)
        #expect(model.featureNames == ["f0", "f1"])
        #expect(model.margins(Matrix(rowArrays: [[0.25, 0], [0.75, 0]])) == [-1, 1])
        let named = try ONNXModelLoader.load(data: try Self.stump(metadata: [("feature_names", #"["a", "b"]"#)]), path: "m.onnx")
        #expect(named.featureNames == ["a", "b"])
    }

    @Test(arguments: [Float.infinity, -Float.infinity, Float.nan])
    func aThresholdThatIsNotFiniteIsRefused(threshold: Float) throws {
        #expect(throws: Self.refusal(Self.regressorNode + "tree 0 node 0 has the threshold \(Double(threshold)) (nodes_values[0]), not a finite number")) {
            _ = try ONNXModelLoader.load(data: try Self.stump(threshold: threshold), path: "m.onnx")
        }
    }

    @Test func aMissingValueFlagOtherThanZeroOrOneIsRefused() throws {
        #expect(throws: Self.refusal(Self.regressorNode + "nodes_missing_value_tracks_true[0] is 7; expected 0 or 1")) {
            _ = try ONNXModelLoader.load(data: try Self.stump(tracksTrue: [7, 0, 0]), path: "m.onnx")
        }
        let tracked = try ONNXModelLoader.load(data: try Self.stump(tracksTrue: [1, 0, 0]), path: "m.onnx")
        #expect(tracked.margins(Matrix(rowArrays: [[.nan, 0]])) == [-1])  // NaN follows the true branch
    }

    /// They were refused, but as leaf values whose sum passes the float32 range.
    @Test(arguments: [Float.nan, Float.infinity])
    func baseValuesThatAreNotFiniteAreSaidToBe(base: Float) throws {
        #expect(throws: Self.refusal(Self.regressorNode + "base_values[0] is \(Double(base)), not a finite number")) {
            _ = try ONNXModelLoader.load(data: try Self.stump(baseValues: [base]), path: "m.onnx")
        }
    }

    /// The message said "LOGISTIC is not supported here; Fairlead reads NONE, LOGISTIC and …".
    @Test func aPostTransformIsRefusedNamingWhatTheOperatorAllows() throws {
        #expect(throws: Self.refusal(Self.regressorNode + "post_transform LOGISTIC is not supported for a regressor; Fairlead reads NONE (the sum as it is) there")) {
            _ = try ONNXModelLoader.load(data: try Self.stump(postTransform: "LOGISTIC"), path: "m.onnx")
        }
        #expect(throws: Self.refusal("node \"trees\" (op_type TreeEnsembleClassifier): post_transform SOFTMAX is not supported for a binary classifier with scores for one class; Fairlead reads NONE and LOGISTIC there")) {
            _ = try ONNXModelLoader.load(data: try Self.stump(postTransform: "SOFTMAX", classifier: true), path: "m.onnx")
        }
        let logistic = try ONNXModelLoader.load(data: try Self.stump(postTransform: "LOGISTIC", classifier: true), path: "m.onnx")
        #expect(logistic.link == .logit)
    }

    /// The second copy was ignored, as Foundation ignores a JSON key's second copy.
    @Test func aSecondFeatureNamesPropertyIsRefused() throws {
        let data = try Self.stump(metadata: [("feature_names", #"["a", "b"]"#), ("feature_names", #"["b", "a"]"#)])
        #expect(throws: FairleadError(.invalidModel, "the metadata property feature_names is given 2 times; readers disagree on which copy counts, so give it once",
                                      at: SourceLocation(file: "m.onnx"))) {
            _ = try ONNXModelLoader.load(data: data, path: "m.onnx")
        }
    }

    @Test func aGraphInputDeclaredTwiceIsRefused() throws {
        #expect(throws: FairleadError(.invalidModel, "graph input \"X\" is declared twice; which one a node reads is ambiguous",
                                      at: SourceLocation(file: "m.onnx"))) {
            _ = try ONNXModelLoader.load(data: try Self.stump(inputs: ["X", "X"]), path: "m.onnx")
        }
    }
}
