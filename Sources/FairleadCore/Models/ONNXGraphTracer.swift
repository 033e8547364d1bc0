import Foundation
import _ONNXSchema

/// Follows the values that feed an ONNX graph's model operator back to the graph inputs,
/// describing every column as an `ONNXColumn` of one feature.
///
/// Nodes are read in file order, which ONNX requires to be topological: a node that reads a
/// value no earlier node, input or initializer provides is refused, and so is every cycle.
/// Nodes that do not feed the model must leave its output as it is (`passThrough`).
struct ONNXGraphTracer {
    /// The features found so far; `columns(of:for:)` leaves only those the model reads.
    private(set) var featureNames: [String] = []
    private var featureIndex: [String: Int] = [:]

    private enum Value {
        case numeric([ONNXColumn])
        /// A one-column string or integer input, to be one-hot encoded.
        case categorical(input: String)
    }

    private var values: [String: Value] = [:]
    private let graph: Onnx_GraphProto
    private let modelNodeIndex: Int
    private let context: ONNXContext
    private let initializers: [String: Onnx_TensorProto]
    private let singleInputNames: [String]?

    /// Operators that may sit beside or after the model: they only rename, reshape or
    /// retype its outputs (ZipMap: probabilities as a map per row).
    static let passThrough: Set<String> = [
        "Identity", "Cast", "ZipMap", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "ArrayFeatureExtractor",
    ]

    /// Operators that may feed the model.
    static let preprocessing: Set<String> = [
        "Identity", "Cast", "Concat", "Scaler", "Imputer", "OneHotEncoder", "ArrayFeatureExtractor",
        "Reshape", "Flatten",
    ]

    init(graph: Onnx_GraphProto, modelNodeIndex: Int, metadata: [Onnx_StringStringEntryProto],
         context: ONNXContext) throws {
        self.graph = graph
        self.modelNodeIndex = modelNodeIndex
        self.context = context
        var initializers: [String: Onnx_TensorProto] = [:]
        for tensor in graph.initializer { initializers[tensor.name] = tensor }
        self.initializers = initializers
        let namings = metadata.filter { $0.key == "feature_names" }
        guard namings.count <= 1 else {
            throw context.error("the metadata property feature_names is given \(namings.count) times; readers disagree on which copy counts, so give it once")
        }
        var inputNames: Set<String> = []
        for input in graph.input where !inputNames.insert(input.name).inserted {
            throw context.error("graph input \"\(MessageQuote.clipped(input.name))\" is declared twice; which one a node reads is ambiguous")
        }
        if let entry = namings.first {
            guard let names = try? JSONDecoder().decode([String].self, from: Data(entry.value.utf8)) else {
                throw context.error("the metadata property feature_names is not a JSON array of strings")
            }
            singleInputNames = names
        } else {
            singleInputNames = nil
        }
    }

    /// The columns of `name`, the model node's input, with `featureNames` reduced to the
    /// features they read, in order of first use.
    mutating func columns(of name: String, for modelContext: ONNXContext) throws -> [ONNXColumn] {
        try traceNodes()
        guard case .numeric(let columns) = try input(name, modelContext) else {
            throw modelContext.error("input \"\(MessageQuote.clipped(name))\" is not numeric; one-hot encode it (OneHotEncoder) before the model")
        }
        guard !columns.isEmpty else { throw modelContext.error("its input has no columns") }
        var used: [Int: Int] = [:]
        var names: [String] = []
        let remapped = columns.map { column -> ONNXColumn in
            var column = column
            if let index = used[column.feature] {
                column.feature = index
            } else {
                used[column.feature] = names.count
                names.append(featureNames[column.feature])
                column.feature = names.count - 1
            }
            return column
        }
        featureNames = names
        featureIndex = [:]
        return remapped
    }

    /// Evaluates, in file order, the nodes the model depends on; checks the others.
    private mutating func traceNodes() throws {
        let needed = try neededNodes()
        for (index, node) in graph.node.enumerated() where index != modelNodeIndex {
            let nodeContext = context.node(node, index: index)
            if needed.contains(index) {
                guard index < modelNodeIndex else {
                    throw nodeContext.error("feeds the model but comes after it (nodes must be in topological order)")
                }
                try evaluate(node, context: nodeContext)
            } else if !Self.passThrough.contains(node.opType) && !multipliesByOne(node) {
                throw nodeContext.error("is not supported: it does not feed the model, and Fairlead cannot reproduce how it changes the output (supported beside or after the model: \(Self.passThrough.sorted().joined(separator: ", ")), and Mul by a constant of ones)")
            }
        }
    }

    /// Whether `node` multiplies by a constant whose every element is 1, which leaves the
    /// other factor as it is: onnxmltools' LightGBM converter multiplies the probabilities by
    /// such a `one` after the TreeEnsembleClassifier. Any other factor changes the output.
    private func multipliesByOne(_ node: Onnx_NodeProto) -> Bool {
        guard node.opType == "Mul", node.domain.isEmpty || node.domain == "ai.onnx", node.input.count == 2 else {
            return false
        }
        let constants = node.input.compactMap { initializers[$0] }
        guard constants.count == 1,
              let values = try? ONNXTensor.doubles(constants[0], context: context, what: "the factor") else { return false }
        return !values.isEmpty && values.allSatisfy { $0 == 1 }
    }

    /// Indices of the nodes whose outputs the model node reads, directly or not.
    private func neededNodes() throws -> Set<Int> {
        var producer: [String: Int] = [:]
        for (index, node) in graph.node.enumerated() {
            for output in node.output where !output.isEmpty {
                guard producer[output] == nil else {
                    throw context.node(node, index: index).error("writes \"\(MessageQuote.clipped(output))\", which an earlier node already writes")
                }
                producer[output] = index
            }
        }
        var needed = Set<Int>()
        var stack = graph.node[modelNodeIndex].input
        while let name = stack.popLast() {
            guard let index = producer[name], !needed.contains(index) else { continue }
            guard index != modelNodeIndex else {
                throw context.node(graph.node[index], index: index).error("reads its own output (a cycle)")
            }
            needed.insert(index)
            stack.append(contentsOf: graph.node[index].input)
        }
        return needed
    }

    private mutating func input(_ name: String, _ context: ONNXContext) throws -> Value {
        if let value = values[name] { return value }
        if let declared = graph.input.first(where: { $0.name == name }) {
            let value = try inputValue(declared, context)
            values[name] = value
            return value
        }
        throw context.error("reads \"\(MessageQuote.clipped(name))\", which no earlier node, input or initializer provides")
    }

    private mutating func numericInput(_ name: String, _ context: ONNXContext) throws -> [ONNXColumn] {
        switch try input(name, context) {
        case .numeric(let columns): return columns
        case .categorical(let input):
            throw context.error("input \"\(MessageQuote.clipped(input))\" is not numeric; Fairlead reads it only through OneHotEncoder")
        }
    }

    /// A graph input as columns of new features (float), or a categorical input.
    private mutating func inputValue(_ input: Onnx_ValueInfoProto, _ context: ONNXContext) throws -> Value {
        let inputContext = ONNXContext(path: context.path)
        let name = MessageQuote.clipped(input.name)
        guard case .tensorType(let tensor)? = input.type.value else {
            throw inputContext.error("graph input \"\(name)\" is not a tensor")
        }
        let dims = tensor.shape.dim
        let columnCount: Int
        switch dims.count {
        case 1: columnCount = 1
        case 2:
            guard case .dimValue(let count)? = dims[1].value, count > 0, count <= TreeEnsemble.maximumFeatureCount else {
                throw inputContext.error("graph input \"\(name)\" has no fixed positive column count (shape [N, columns] expected)")
            }
            columnCount = Int(count)
        default:
            throw inputContext.error("graph input \"\(name)\" has \(dims.count) dimensions; expected [N, columns]")
        }
        switch tensor.elemType {
        case 1:  // FLOAT
            let names: [String]
            if columnCount == 1 && (graph.input.count > 1 || singleInputNames == nil) {
                names = [input.name]
            } else if let given = singleInputNames, graph.input.count == 1 {
                guard given.count == columnCount else {
                    throw inputContext.error("the metadata property feature_names has \(given.count) names, but input \"\(name)\" has \(columnCount) columns")
                }
                names = given
            } else if graph.input.count == 1 {
                names = (0..<columnCount).map { "f\($0)" }
            } else {
                names = (0..<columnCount).map { "\(input.name)[\($0)]" }
            }
            return .numeric(try names.map { ONNXColumn(feature: try addFeature($0, inputContext)) })
        case 8, 7, 6:  // STRING, INT64, INT32
            guard columnCount == 1 else {
                throw inputContext.error("graph input \"\(name)\" has \(columnCount) string or integer columns; Fairlead reads such inputs one column each, through OneHotEncoder")
            }
            return .categorical(input: input.name)
        case 11:  // DOUBLE: skl2onnx's DoubleTensorType; onnxruntime 1.32 runs no double Imputer either
            throw inputContext.error("graph input \"\(name)\" is double (element type 11); Fairlead reads float inputs (and string or integer ones through OneHotEncoder): convert the model with float inputs (skl2onnx: FloatTensorType)")
        default:
            throw inputContext.error("graph input \"\(name)\" has element type \(tensor.elemType); Fairlead reads float inputs (and string or integer ones through OneHotEncoder)")
        }
    }

    private mutating func addFeature(_ name: String, _ context: ONNXContext) throws -> Int {
        guard featureIndex[name] == nil else {
            throw context.error("feature \"\(MessageQuote.clipped(name))\" is named twice")
        }
        featureIndex[name] = featureNames.count
        featureNames.append(name)
        return featureNames.count - 1
    }

    private mutating func evaluate(_ node: Onnx_NodeProto, context: ONNXContext) throws {
        guard Self.preprocessing.contains(node.opType) else {
            throw context.error("is not supported before the model; Fairlead folds \(Self.preprocessing.sorted().joined(separator: ", "))")
        }
        guard let first = node.input.first, let output = node.output.first else {
            throw context.error("has no input or no output")
        }
        let attributes = try ONNXAttributes(node, context: context)
        let result: Value
        switch node.opType {
        case "Identity", "Flatten":
            result = try input(first, context)
        case "Cast":
            let to = try attributes.int("to")
            guard to == 1 || to == 11 else {
                throw context.error("casts to element type \(to.map(String.init) ?? "none") before the model; Fairlead reads float columns")
            }
            result = .numeric(try numericInput(first, context))
        case "Reshape":
            let columns = try numericInput(first, context)
            guard node.input.count == 2, let shapeTensor = initializers[node.input[1]] else {
                throw context.error("takes its shape from a value that is not an initializer")
            }
            let shape = try ONNXTensor.int64s(shapeTensor, context: context, what: "the shape")
            guard shape.count == 2, shape[1] == -1 || shape[1] == Int64(columns.count), shape[0] == -1 || shape[0] == 0 else {
                throw context.error("reshapes to \(shape); Fairlead reads reshapes to [N, \(columns.count)] only")
            }
            result = .numeric(columns)
        case "Concat":
            let axis = try attributes.int("axis") ?? 1
            guard axis == 1 || axis == -1 else { throw context.error("concatenates along axis \(axis); expected 1") }
            var columns: [ONNXColumn] = []
            for name in node.input { columns += try numericInput(name, context) }
            result = .numeric(columns)
        case "Scaler":
            var columns = try numericInput(first, context)
            let offsets = try broadcast(try attributes.floats("offset"), to: columns.count, "offset", context)
            let scales = try broadcast(try attributes.floats("scale"), to: columns.count, "scale", context)
            for index in columns.indices {
                guard offsets[index].isFinite, scales[index].isFinite else {
                    throw context.error("offset or scale \(index) is not a finite number")
                }
                columns[index].steps.append(.scale(offset: offsets[index], scale: scales[index]))
            }
            result = .numeric(columns)
        case "Imputer":
            var columns = try numericInput(first, context)
            if attributes.has("imputed_value_int64s") {
                throw context.error("imputes integers (imputed_value_int64s); Fairlead reads float imputation only")
            }
            let replaced = try attributes.float("replaced_value_float") ?? 0
            guard replaced.isNaN else {
                throw context.error("replaces the value \(replaced); Fairlead folds imputation of missing values (NaN) only")
            }
            let imputed = try broadcast(try attributes.floats("imputed_value_floats"), to: columns.count,
                                        "imputed_value_floats", context)
            for index in columns.indices {
                guard imputed[index].isFinite else { throw context.error("imputed value \(index) is not a finite number") }
                columns[index].steps.append(.impute(imputed[index]))
            }
            result = .numeric(columns)
        case "ArrayFeatureExtractor":
            let columns = try numericInput(first, context)
            guard node.input.count == 2, let indexTensor = initializers[node.input[1]] else {
                throw context.error("takes its indices from a value that is not an initializer")
            }
            let indices = try ONNXTensor.int64s(indexTensor, context: context, what: "the indices")
            result = .numeric(try indices.map { index in
                guard index >= 0, index < columns.count else {
                    throw context.error("selects column \(index) of \(columns.count)")
                }
                return columns[Int(index)]
            })
        default:  // OneHotEncoder
            guard case .categorical(let source) = try input(first, context) else {
                throw context.error("encodes a float column; Fairlead reads OneHotEncoder on a string or integer graph input")
            }
            var categories = try attributes.strings("cats_strings")
            if categories.isEmpty { categories = try attributes.ints("cats_int64s").map(String.init) }
            guard !categories.isEmpty else { throw context.error("has no categories") }
            result = .numeric(try categories.map { ONNXColumn(feature: try addFeature("\(source)=\($0)", context)) })
        }
        values[output] = result
    }

    private func broadcast(_ values: [Float], to count: Int, _ name: String, _ context: ONNXContext) throws -> [Float] {
        if values.count == count { return values }
        if values.count == 1 { return [Float](repeating: values[0], count: count) }
        throw context.error("has \(values.count) values of \(name) for \(count) columns")
    }
}
