import _ONNXSchema

/// Turns an ONNX `TreeEnsembleClassifier` / `TreeEnsembleRegressor` node and the columns
/// that feed it into a `TreeEnsemble` over the model's features.
///
/// Every split `column ⋈ t` (⋈ one of BRANCH_LEQ, LT, GTE, GT) reads a column that is a
/// monotone float32 function of one feature (`ONNXColumn.value`), so the set of feature
/// values sent to the true branch is a half-line. Its end is found by bisecting the ordered
/// float32 values, and the split is stored as `x <= end` with the true branch on the left
/// (or on the right for an upper half-line): rows rounded to float32 then route exactly as in
/// onnxruntime, whatever the Scaler's rounding. A missing value goes where the column's
/// imputed value goes, or, when nothing imputes, to the true branch when
/// `nodes_missing_value_tracks_true` is 1 and to the false branch otherwise.
struct ONNXTreeEnsembleBuilder {
    let node: Onnx_NodeProto
    let context: ONNXContext
    let columns: [ONNXColumn]
    let featureNames: [String]
    /// ``Limits/maxTreeDepth``, checked as each tree unfolds.
    var maxDepth = Limits().maxTreeDepth

    func build() throws -> TreeEnsemble {
        let attributes = try ONNXAttributes(node, context: context)
        let isClassifier = node.opType == "TreeEnsembleClassifier"
        let treeIDs = try attributes.ints("nodes_treeids")
        let nodeIDs = try attributes.ints("nodes_nodeids")
        let featureIDs = try attributes.ints("nodes_featureids")
        let modes = try attributes.strings("nodes_modes")
        let thresholds = try attributes.tensorValues("nodes_values_as_tensor") ?? attributes.floats("nodes_values").map(Double.init)
        let trueIDs = try attributes.ints("nodes_truenodeids")
        let falseIDs = try attributes.ints("nodes_falsenodeids")
        var tracksTrue = try attributes.ints("nodes_missing_value_tracks_true")
        let count = treeIDs.count
        guard count > 0 else { throw context.error("has no tree nodes (nodes_treeids is empty)") }
        guard count <= ONNXModelLoader.maximumTreeNodes else {
            throw context.error("has \(count) tree nodes; at most \(ONNXModelLoader.maximumTreeNodes) are read")
        }
        if tracksTrue.isEmpty { tracksTrue = [Int64](repeating: 0, count: count) }
        for (name, length) in [("nodes_nodeids", nodeIDs.count), ("nodes_featureids", featureIDs.count),
                               ("nodes_modes", modes.count), ("nodes_values", thresholds.count),
                               ("nodes_truenodeids", trueIDs.count), ("nodes_falsenodeids", falseIDs.count),
                               ("nodes_missing_value_tracks_true", tracksTrue.count)] where length != count {
            throw context.error("nodes_treeids has \(count) entries but \(name) has \(length)")
        }
        // A threshold of ±inf sends every value one way and NaN none: not a split a
        // converter writes. And a flag that is neither 0 nor 1 is not read as either.
        for index in 0..<count where modes[index] != "LEAF" && !thresholds[index].isFinite {
            throw context.error("tree \(treeIDs[index]) node \(nodeIDs[index]) has the threshold \(thresholds[index]) (nodes_values[\(index)]), not a finite number")
        }
        if let index = tracksTrue.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw context.error("nodes_missing_value_tracks_true[\(index)] is \(tracksTrue[index]); expected 0 or 1")
        }

        let prefix = isClassifier ? "class" : "target"
        let weightTrees = try attributes.ints("\(prefix)_treeids")
        let weightNodes = try attributes.ints("\(prefix)_nodeids")
        let weightClasses = try attributes.ints("\(prefix)_ids")
        let weights = try attributes.tensorValues("\(prefix)_weights_as_tensor") ?? attributes.floats("\(prefix)_weights").map(Double.init)
        for (name, length) in [("\(prefix)_nodeids", weightNodes.count), ("\(prefix)_ids", weightClasses.count),
                               ("\(prefix)_weights", weights.count)] where length != weightTrees.count {
            throw context.error("\(prefix)_treeids has \(weightTrees.count) entries but \(name) has \(length)")
        }
        let postTransform = try attributes.string("post_transform") ?? "NONE"
        let baseValues = try attributes.tensorValues("base_values_as_tensor") ?? attributes.floats("base_values").map(Double.init)
        if let index = baseValues.firstIndex(where: { !$0.isFinite }) {
            throw context.error("base_values[\(index)] is \(baseValues[index]), not a finite number")
        }
        let mapping: ONNXScoreMapping
        var averagesTrees = false
        if isClassifier {
            let labels = max(try attributes.ints("classlabels_int64s").count, try attributes.strings("classlabels_strings").count)
            mapping = try ONNXScoreMapping.classifier(labelCount: labels, classIDs: Set(weightClasses),
                                                      postTransform: postTransform, baseValues: baseValues,
                                                      allowsBothColumns: false, context: context)
        } else {
            let targets = Int(clamping: try attributes.int("n_targets") ?? 1)
            mapping = try ONNXScoreMapping.regressor(targets: targets, postTransform: postTransform,
                                                     baseValues: baseValues, context: context)
            switch try attributes.string("aggregate_function") ?? "SUM" {
            case "SUM": break
            case "AVERAGE": averagesTrees = true
            case let other: throw context.error("aggregate_function \(MessageQuote.clipped(other)) is not supported; Fairlead reads SUM and AVERAGE")
            }
        }

        // Trees in ascending tree id; nodes of a tree in file order.
        var treeOf: [Int64: Int] = [:]
        for id in Set(treeIDs).sorted() {
            guard treeOf.count < ONNXModelLoader.maximumTrees else {
                throw context.error("has more than \(ONNXModelLoader.maximumTrees) trees")
            }
            treeOf[id] = treeOf.count
        }
        var members = [[Int]](repeating: [], count: treeOf.count)
        for index in 0..<count { members[treeOf[treeIDs[index]] ?? 0].append(index) }
        // AVERAGE divides the sum of the trees (not the base values) by their count.
        let leafScale = averagesTrees ? 1 / Double(treeOf.count) : 1

        var leafValues = [Int64: [Int64: Double]]()  // tree id -> node id -> margin contribution
        for entry in weightTrees.indices {
            let classID = weightClasses[entry]
            guard classID >= 0, Int(classID) < mapping.classWeights.count else {
                throw context.error("\(prefix)_ids[\(entry)] is \(classID), outside the model's outputs")
            }
            guard weights[entry].isFinite else { throw context.error("\(prefix)_weights[\(entry)] is not a finite number") }
            leafValues[weightTrees[entry], default: [:]][weightNodes[entry], default: 0]
                += mapping.classWeights[Int(classID)] * weights[entry] * leafScale
        }

        var trees: [DecisionTree] = []
        trees.reserveCapacity(members.count)
        for (treeID, tree) in treeOf.sorted(by: { $0.value < $1.value }) {
            trees.append(try buildTree(id: treeID, nodes: members[tree], nodeIDs: nodeIDs, featureIDs: featureIDs,
                                       modes: modes, thresholds: thresholds, trueIDs: trueIDs, falseIDs: falseIDs,
                                       tracksTrue: tracksTrue, leafValues: leafValues[treeID] ?? [:]))
        }
        try TreeEnsemble.checkMarginBound(baseMargin: mapping.baseMargin, trees: trees, inFloat32: true) { index, message in
            context.error("tree \(index) \(message)")
        }
        return TreeEnsemble(source: .onnx, featureNames: featureNames, link: mapping.link,
                            baseMargin: mapping.baseMargin, trees: trees)
    }

    private func buildTree(id: Int64, nodes: [Int], nodeIDs: [Int64], featureIDs: [Int64], modes: [String],
                           thresholds: [Double], trueIDs: [Int64], falseIDs: [Int64], tracksTrue: [Int64],
                           leafValues: [Int64: Double]) throws -> DecisionTree {
        func fail(_ message: String) -> FairleadError { context.error("tree \(id) \(message)") }
        var local: [Int64: Int] = [:]
        for index in nodes {
            guard local[nodeIDs[index]] == nil else { throw fail("has node id \(nodeIDs[index]) twice") }
            local[nodeIDs[index]] = local.count
        }
        // The root is node id 0 (as skl2onnx and onnxmltools number them), else the one node
        // no other node points to; it goes first.
        let root: Int
        if let zero = nodes.first(where: { nodeIDs[$0] == 0 }) {
            root = zero
        } else {
            var isChild = Set<Int64>()
            for index in nodes where modes[index] != "LEAF" {
                isChild.insert(trueIDs[index])
                isChild.insert(falseIDs[index])
            }
            let roots = nodes.filter { !isChild.contains(nodeIDs[$0]) }
            guard roots.count == 1 else {
                throw fail(roots.isEmpty ? "has no root (every node is some node's child: a cycle)"
                                         : "has \(roots.count) roots; a tree has one")
            }
            root = roots[0]
        }
        var known = Set<Int64>()
        for index in nodes { known.insert(nodeIDs[index]) }
        for (id, _) in leafValues where !known.contains(id) {
            throw fail("gives a weight to node \(id), which the tree does not have")
        }

        // Nodes are emitted depth first from the root. A BRANCH_EQ / BRANCH_NEQ node becomes
        // two splits around the band of values equal to the threshold, and the subtree on
        // the outside of the band is emitted twice (below and above it). Depth and the
        // number of nodes emitted are bounded, so a cycle or a blow-up stops with an error.
        enum Task {
            case node(Int)
            /// The upper split of an equality node: `x <= threshold` is inside the band.
            case upper(node: Int, threshold: Double, inside: Int, outside: Int, missingGoesLeft: Bool)
        }
        let emissionLimit = 16 * nodes.count + 1024
        var raw = RawTree()
        var visited = Set<Int>()
        var stack: [(task: Task, parent: Int, isLeft: Bool, depth: Int)] = [(.node(root), -1, false, 0)]
        func child(_ nodeID: Int64, of nodeID2: Int64) throws -> Int {
            guard let index = local[nodeID] else {
                throw fail("node \(nodeID2) refers to node \(nodeID), which the tree does not have")
            }
            return nodes[index]
        }
        func appendSplit(feature: Int, threshold: Double, missingGoesLeft: Bool) {
            raw.leftChild.append(-1)
            raw.rightChild.append(-1)
            raw.feature.append(feature)
            raw.threshold.append(threshold)
            raw.flags.append(missingGoesLeft ? .missingGoesLeft : [])
            raw.value.append(0)
            raw.cover.append(0)
        }
        while let (task, parent, isLeft, depth) = stack.popLast() {
            guard depth <= min(maxDepth, TreeEnsemble.maximumTreeDepth) else {
                throw DecisionTree.depthRefusal(maxDepth: maxDepth, also: " or loops back on itself (a cycle)", fail: fail)
            }
            guard raw.leftChild.count < emissionLimit else {
                throw fail("unfolds into more than \(emissionLimit) nodes")
            }
            let slot = raw.leftChild.count
            if parent >= 0 {
                if isLeft { raw.leftChild[parent] = slot } else { raw.rightChild[parent] = slot }
            }
            switch task {
            case .upper(let index, let threshold, let inside, let outside, let missingGoesLeft):
                let column = columns[Int(featureIDs[index])]
                appendSplit(feature: column.feature, threshold: threshold, missingGoesLeft: missingGoesLeft)
                stack.append((.node(outside), slot, false, depth + 1))
                stack.append((.node(inside), slot, true, depth + 1))
            case .node(let index):
                visited.insert(index)
                let nodeID = nodeIDs[index]
                if modes[index] == "LEAF" {
                    raw.leftChild.append(-1)
                    raw.rightChild.append(-1)
                    raw.feature.append(0)
                    raw.threshold.append(0)
                    raw.flags.append([])
                    raw.value.append(leafValues[nodeID] ?? 0)
                    raw.cover.append(0)
                    continue
                }
                guard leafValues[nodeID] == nil else { throw fail("gives a weight to node \(nodeID), which is not a leaf") }
                let columnIndex = featureIDs[index]
                guard columnIndex >= 0, columnIndex < Int64(columns.count) else {
                    throw fail("node \(nodeID) splits on column \(columnIndex), but the model's input has \(columns.count) columns")
                }
                let column = columns[Int(columnIndex)]
                let trueChild = try child(trueIDs[index], of: nodeID)
                let falseChild = try child(falseIDs[index], of: nodeID)
                let nodeFail: (String) -> FairleadError = { fail("node \(nodeID) \($0)") }
                if modes[index] == "BRANCH_EQ" || modes[index] == "BRANCH_NEQ" {
                    let band = try Self.equalityBand(mode: modes[index], threshold: thresholds[index], column: column,
                                                     missingTracksTrue: tracksTrue[index] != 0, fail: nodeFail)
                    let isEqual = modes[index] == "BRANCH_EQ"
                    let (inside, outside) = isEqual ? (trueChild, falseChild) : (falseChild, trueChild)
                    let missingInside = band.missingGoesTrue == isEqual
                    // Lower split: below the band is outside; the rest goes to the upper split.
                    appendSplit(feature: column.feature, threshold: band.below, missingGoesLeft: !missingInside)
                    stack.append((.upper(node: index, threshold: band.top, inside: inside, outside: outside,
                                         missingGoesLeft: missingInside), slot, false, depth + 1))
                    stack.append((.node(outside), slot, true, depth + 1))
                } else {
                    let split = try Self.fold(mode: modes[index], threshold: thresholds[index], column: column,
                                              missingTracksTrue: tracksTrue[index] != 0, fail: nodeFail)
                    appendSplit(feature: column.feature, threshold: split.threshold, missingGoesLeft: split.missingGoesLeft)
                    stack.append((.node(split.trueGoesLeft ? falseChild : trueChild), slot, false, depth + 1))
                    stack.append((.node(split.trueGoesLeft ? trueChild : falseChild), slot, true, depth + 1))
                }
            }
        }
        guard visited.count == nodes.count else {
            throw fail("has \(nodes.count - visited.count) nodes that no path from its root reaches")
        }
        return try DecisionTree(raw: raw, featureCount: featureNames.count, maxDepth: maxDepth, fail: fail)
    }

    /// The float32 values of the feature whose column equals `threshold`, as the splits
    /// `x <= below` (below the band) and `x <= top` (up to its top), and where a missing
    /// value goes. The band is an interval because the column is monotone in the feature; an
    /// empty band sends every value below it.
    static func equalityBand(mode: String, threshold: Double, column: ONNXColumn, missingTracksTrue: Bool,
                             fail: (String) -> FairleadError) throws -> (below: Double, top: Double, missingGoesTrue: Bool) {
        guard !threshold.isNaN else { throw fail("has a threshold that is not a number") }
        let lowest: Int64 = -0x7F7F_FFFF, highest: Int64 = 0x7F7F_FFFF
        func value(_ key: Int64) -> Double { Double(column.value(orderedFloat(key))) }
        let increasing = value(lowest) <= value(highest)
        // The first key in lowest...highest + 1 where `predicate` (false, then true) holds.
        func first(where predicate: (Int64) -> Bool) -> Int64 {
            var (low, high) = (lowest, highest + 1)
            while low < high {
                let middle = low + (high - low) / 2
                if predicate(middle) { high = middle } else { low = middle + 1 }
            }
            return low
        }
        let start = first { increasing ? value($0) >= threshold : value($0) <= threshold }
        let end = first { increasing ? value($0) > threshold : value($0) < threshold } - 1
        let missingValue = column.value(.nan)
        let missingGoesTrue = missingValue.isNaN
            ? missingTracksTrue || mode == "BRANCH_NEQ"
            : (Double(missingValue) == threshold) == (mode == "BRANCH_EQ")
        guard start <= end else {
            return (.greatestFiniteMagnitude, .greatestFiniteMagnitude, missingGoesTrue)
        }
        let below = start == lowest ? -Double.greatestFiniteMagnitude : Double(orderedFloat(start - 1))
        return (below, Double(orderedFloat(end)), missingGoesTrue)
    }

    /// A split of the ONNX tree as `x <= threshold` on the feature.
    struct Split: Equatable {
        var threshold: Double
        var trueGoesLeft: Bool
        var missingGoesLeft: Bool
    }

    /// The split on the feature equivalent to `column ⋈ threshold` (see the type's comment).
    static func fold(mode: String, threshold: Double, column: ONNXColumn, missingTracksTrue: Bool,
                     fail: (String) -> FairleadError) throws -> Split {
        let compare: (Double) -> Bool
        switch mode {
        case "BRANCH_LEQ": compare = { $0 <= threshold }
        case "BRANCH_LT": compare = { $0 < threshold }
        case "BRANCH_GTE": compare = { $0 >= threshold }
        case "BRANCH_GT": compare = { $0 > threshold }
        default:
            throw fail("has mode \"\(MessageQuote.clipped(mode))\"; expected LEAF or BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ, BRANCH_NEQ")
        }
        guard !threshold.isNaN else { throw fail("has a threshold that is not a number") }
        func goesTrue(_ key: Int64) -> Bool { compare(Double(column.value(orderedFloat(key)))) }
        let missingValue = column.value(.nan)
        let missingGoesTrue = missingValue.isNaN ? missingTracksTrue : compare(Double(missingValue))

        // Keys of the finite float32 values, in increasing order of the values.
        let lowest: Int64 = -0x7F7F_FFFF, highest: Int64 = 0x7F7F_FFFF
        let atLowest = goesTrue(lowest)
        guard atLowest != goesTrue(highest) else {
            // Every value goes one way: x <= largest double is always true.
            return Split(threshold: .greatestFiniteMagnitude, trueGoesLeft: atLowest,
                         missingGoesLeft: missingGoesTrue == atLowest)
        }
        var (below, above) = (lowest, highest)  // goesTrue(below) == atLowest != goesTrue(above)
        while above - below > 1 {
            let middle = below + (above - below) / 2
            if goesTrue(middle) == atLowest { below = middle } else { above = middle }
        }
        return Split(threshold: Double(orderedFloat(below)), trueGoesLeft: atLowest,
                     missingGoesLeft: missingGoesTrue == atLowest)
    }

    /// The float32 of order `key`: keys increase with the values, 0 is +0.
    static func orderedFloat(_ key: Int64) -> Float {
        key >= 0 ? Float(bitPattern: UInt32(key)) : -Float(bitPattern: UInt32(-key))
    }
}
