import Foundation
import _ONNXSchema

/// A node's attributes by name, each read as the type it must have; a wrong type is an
/// error naming the node and the attribute.
struct ONNXAttributes {
    private let byName: [String: Onnx_AttributeProto]
    private let context: ONNXContext

    init(_ node: Onnx_NodeProto, context: ONNXContext) throws {
        var byName: [String: Onnx_AttributeProto] = [:]
        for attribute in node.attribute {
            guard byName[attribute.name] == nil else {
                throw context.error("attribute \"\(MessageQuote.clipped(attribute.name))\" is given twice")
            }
            byName[attribute.name] = attribute
        }
        self.byName = byName
        self.context = context
    }

    func has(_ name: String) -> Bool { byName[name] != nil }

    private func attribute(_ name: String, _ type: Onnx_AttributeProto.AttributeType) throws -> Onnx_AttributeProto? {
        guard let attribute = byName[name] else { return nil }
        guard attribute.type == type || attribute.type == .undefined else {
            throw context.error("attribute \(name) is of type \(attribute.type), expected \(type)")
        }
        return attribute
    }

    func ints(_ name: String) throws -> [Int64] { try attribute(name, .ints)?.ints ?? [] }
    func floats(_ name: String) throws -> [Float] { try attribute(name, .floats)?.floats ?? [] }
    func strings(_ name: String) throws -> [String] {
        try attribute(name, .strings)?.strings.map { String(decoding: $0, as: UTF8.self) } ?? []
    }
    func int(_ name: String) throws -> Int64? { try attribute(name, .int).map(\.i) }
    func float(_ name: String) throws -> Float? { try attribute(name, .float).map(\.f) }
    func string(_ name: String) throws -> String? {
        try attribute(name, .string).map { String(decoding: $0.s, as: UTF8.self) }
    }

    /// A tensor attribute's values as doubles (ai.onnx.ml 3's `*_as_tensor` attributes,
    /// float or double), or nil when absent.
    func tensorValues(_ name: String) throws -> [Double]? {
        guard let tensor = try attribute(name, .tensor)?.t else { return nil }
        return try ONNXTensor.doubles(tensor, context: context, what: "attribute \(name)")
    }
}

/// Values of a `TensorProto` held in the file (never external data: a model file must not
/// make Fairlead read other files).
enum ONNXTensor {
    static func doubles(_ tensor: Onnx_TensorProto, context: ONNXContext, what: String) throws -> [Double] {
        try checkInline(tensor, context: context, what: what)
        switch tensor.dataType {
        case 1:  // FLOAT
            if !tensor.floatData.isEmpty { return tensor.floatData.map(Double.init) }
            return try littleEndian(tensor.rawData, width: 4, context: context, what: what).map {
                Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0)))
            }
        case 11:  // DOUBLE
            if !tensor.doubleData.isEmpty { return tensor.doubleData }
            return try littleEndian(tensor.rawData, width: 8, context: context, what: what).map { Double(bitPattern: $0) }
        default:
            throw context.error("\(what) has element type \(tensor.dataType); expected float or double")
        }
    }

    static func int64s(_ tensor: Onnx_TensorProto, context: ONNXContext, what: String) throws -> [Int64] {
        try checkInline(tensor, context: context, what: what)
        guard tensor.dataType == 7 else {  // INT64
            throw context.error("\(what) has element type \(tensor.dataType); expected int64")
        }
        if !tensor.int64Data.isEmpty { return tensor.int64Data }
        return try littleEndian(tensor.rawData, width: 8, context: context, what: what).map { Int64(bitPattern: $0) }
    }

    private static func checkInline(_ tensor: Onnx_TensorProto, context: ONNXContext, what: String) throws {
        if tensor.dataLocation == .external || !tensor.externalData.isEmpty {
            throw context.error("\(what) keeps its values in an external file; Fairlead reads self-contained ONNX files only")
        }
    }

    private static func littleEndian(_ data: Data, width: Int, context: ONNXContext, what: String) throws -> [UInt64] {
        guard data.count % width == 0 else {
            throw context.error("\(what) has \(data.count) raw bytes, not a multiple of \(width)")
        }
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: width).map { start in
            var value: UInt64 = 0
            for offset in (0..<width).reversed() { value = value << 8 | UInt64(bytes[start + offset]) }
            return value
        }
    }
}
