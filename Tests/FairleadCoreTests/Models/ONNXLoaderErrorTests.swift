import Foundation
import Testing
@testable import FairleadCore
import _ONNXSchema
import SwiftProtobuf

@Suite("ONNX loader: folding, bad files and hostile bytes")
struct ONNXLoaderErrorTests {
    /// A split folded through a Scaler routes every float32 value as onnxruntime's float32
    /// arithmetic does, for each comparison mode and both signs of the scale.
    @Test(arguments: ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT"])
    func foldedSplitsRouteAsFloat32Arithmetic(mode: String) throws {
        var generator = SeededGenerator(seed: 7)
        for scale: Float in [0.3721, -2.5, 1, 1e-3] {
            let column = ONNXColumn(feature: 0, steps: [.impute(4.25), .scale(offset: 1.7, scale: scale)])
            let threshold = Double(Float(0.61))
            let split = try ONNXTreeEnsembleBuilder.fold(mode: mode, threshold: threshold, column: column,
                                                         missingTracksTrue: false, fail: { FairleadError(.invalidModel, $0) })
            func onnxGoesTrue(_ x: Float) -> Bool {
                let y = Double(column.value(x))
                switch mode {
                case "BRANCH_LEQ": return y <= threshold
                case "BRANCH_LT": return y < threshold
                case "BRANCH_GTE": return y >= threshold
                default: return y > threshold
                }
            }
            // Values around the boundary, where rounding decides, and random ones.
            let boundary = Float(split.threshold)
            var probes: [Float] = [boundary, boundary.nextUp, boundary.nextDown, .nan]
            for _ in 0..<2000 { probes.append(Float(Double.random(in: -20...20, using: &generator))) }
            for x in probes {
                let left = x.isNaN ? split.missingGoesLeft : Double(x) <= split.threshold
                #expect(left == (onnxGoesTrue(x) == split.trueGoesLeft), "x = \(x), scale \(scale)")
            }
        }
    }

    /// skl2onnx's double-precision conversion (DoubleTensorType) is refused by its input,
    /// with the way out.
    @Test func aDoubleInputIsRefusedNamingTheType() {
        #expect {
            _ = try ModelLoader.load(contentsOf: ModelFixtures.path("bad/onnx-double-input.onnx"))
        } throws: { error in
            (error as? FairleadError)?.message.contains("graph input \"X\" is double (element type 11)") == true
                && (error as? FairleadError)?.message.contains("FloatTensorType") == true
        }
    }

    /// onnxmltools' LightGBM converter multiplies the probabilities by a constant `one`
    /// after the model (lgbm-leads.onnx, read by the golden tests); another factor would
    /// change the output, so it is refused with the node named.
    @Test func aMultiplicationAfterTheModelIsReadOnlyWhenByOne() throws {
        let path = ModelFixtures.path("onnx/lgbm-leads.onnx")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        _ = try ONNXModelLoader.load(data: data, path: path)
        let proto = try Onnx_ModelProto(serializedBytes: data)
        let index = try #require(proto.graph.initializer.firstIndex { $0.name == "one" })
        #expect(proto.graph.node.contains { $0.opType == "Mul" && $0.input.contains("one") })
        for factor: [Float] in [[2], [0.5], [-1], [.nan], [1, 2], []] {
            var changed = proto
            changed.graph.initializer[index].floatData = factor
            #expect {
                _ = try ONNXModelLoader.load(data: try changed.serializedBytes(), path: "scaled.onnx")
            } throws: { error in
                (error as? FairleadError)?.message.contains("(op_type Mul): is not supported") == true
            }
        }
    }

    @Test func everyTruncationIsAnErrorNeverACrash() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: ModelFixtures.path("onnx/gbc-leads-imputer.onnx")))
        for length in stride(from: 0, to: data.count, by: 61) {
            do {
                _ = try ONNXModelLoader.load(data: data.prefix(length), path: "cut.onnx")
            } catch let error as FairleadError {
                #expect(error.kind == .invalidModel)
            }
        }
    }

    @Test func flippedBytesAreAnErrorNeverACrash() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: ModelFixtures.path("onnx/logreg-leads-pipeline.onnx")))
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<400 {
            var bytes = [UInt8](data)
            for _ in 0..<3 { bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            do {
                _ = try ONNXModelLoader.load(data: Data(bytes), path: "flipped.onnx")
            } catch let error as FairleadError {
                #expect(error.kind == .invalidModel)
            }
        }
    }
}
