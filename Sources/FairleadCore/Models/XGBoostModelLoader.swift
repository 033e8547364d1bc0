import Foundation

/// Reads XGBoost's JSON model format (`Booster.save_model("m.json")`, XGBoost 1.x to 3.x)
/// into a `TreeEnsemble`.
///
/// Supported: the `gbtree` booster with objectives `binary:logistic` and `reg:logistic`
/// (logit link) and `reg:squarederror` (identity); numeric splits with `default_left` for
/// missing values; categorical splits (category codes in the set go right). `base_score`
/// is read as each version stores it — `"5E-1"` (1.x, 2.x), `"[5.011E-1]"` (3.1+) or a bare
/// number — in prediction space, and turned into a margin with float32 arithmetic as
/// XGBoost does: −log(1/b − 1) for the logistic objectives.
/// Anything else (dart, gblinear, multi-class, vector leaves, other objectives) is
/// rejected with a `FairleadError(.invalidModel)` that says what was found.
public enum XGBoostModelLoader {
    /// The objectives Fairlead reads, and their links.
    static let objectives: [String: Link] = [
        "binary:logistic": .logit, "reg:logistic": .logit, "reg:squarederror": .identity,
    ]

    /// Loads the model in the file at `path`, of at most `limits.maxFileBytes`.
    public static func load(contentsOf path: String, limits: Limits = Limits()) throws -> TreeEnsemble {
        try load(jsonData: try ModelFile.contents(of: path, limits: limits), path: path, limits: limits)
    }

    /// Loads a model from its JSON bytes; `path` names the file in errors, and its trees may
    /// be `limits.maxTreeDepth` levels deep.
    ///
    /// The text is scanned, not decoded into a document first (see `XGBoostJSON`): memory
    /// is the file's bytes, the loaded trees and one tree's arrays at a time, planned within
    /// `limits.memoryBudgetBytes` (``XGBoostMemoryPlan``) before any tree or name is built.
    public static func load(jsonData data: Data, path: String, limits: Limits = Limits()) throws -> TreeEnsemble {
        try ModelFile.withoutByteOrderMark(data).withUnsafeBytes { bytes in
            try load(bytes: bytes.bindMemory(to: UInt8.self), path: path, limits: limits)
        }
    }

    private static func load(bytes: UnsafeBufferPointer<UInt8>, path: String, limits: Limits) throws -> TreeEnsemble {
        let what = "XGBoost JSON model"
        var scanner = JSONScanner(bytes)
        let file: XGBoostJSON.File
        do {
            file = try XGBoostJSON.File.read(&scanner)
        } catch let failure as JSONScanner.Failure {
            throw ModelFile.describe(failure, in: bytes, path: path, what: what)
        }
        func fail(_ message: String, field: String) -> FairleadError {
            FairleadError(.invalidModel, message, at: SourceLocation(file: path, field: field))
        }
        /// The place of the value that starts at `start` (of its element `element`), by
        /// line and column as well as key.
        func located(_ start: Int, element: Int? = nil, field: String) -> SourceLocation {
            let offset = element.map { XGBoostJSON.elementStart(bytes, arrayAt: start, index: $0) ?? start } ?? start
            let (line, column) = JSONFault.lineAndColumn(of: offset, in: bytes)
            return SourceLocation(file: path, line: line, column: column, field: field)
        }
        if let version = file.version {
            guard let numbers = version.numbers, numbers.count == 3, numbers.allSatisfy({ $0 >= 0 }) else {
                throw FairleadError(.invalidModel, "version is not XGBoost's [major, minor, patch] of three whole numbers",
                                    at: located(version.start, field: "version"))
            }
        }
        let learner = file.learner
        let parameters = learner.learner_model_param
        let objective = learner.objective.name
        guard let link = objectives[objective] else {
            throw fail("objective \"\(objective)\" is not supported; Fairlead reads "
                       + objectives.keys.sorted().joined(separator: ", "), field: "learner.objective.name")
        }
        let classes = try integer(parameters.num_class ?? "0", field: "learner.learner_model_param.num_class", path: path)
        guard classes <= 1 else {
            throw fail("a multi-class model (\(classes) classes) is not supported", field: "learner.learner_model_param.num_class")
        }
        if let targets = parameters.num_target {
            let count = try integer(targets, field: "learner.learner_model_param.num_target", path: path)
            guard count <= 1 else {
                throw fail("a multi-target model (\(count) targets) is not supported", field: "learner.learner_model_param.num_target")
            }
        }
        let featureCount = try integer(parameters.num_feature, field: "learner.learner_model_param.num_feature", path: path)
        guard featureCount <= TreeEnsemble.maximumFeatureCount else {
            throw fail("num_feature \(featureCount) is more than the \(TreeEnsemble.maximumFeatureCount) features a model may have",
                       field: "learner.learner_model_param.num_feature")
        }
        let baseScore = try parseBaseScore(parameters.base_score, path: path)
        let baseMargin: Float
        switch link {
        case .logit:
            guard baseScore > 0, baseScore < 1 else {
                throw fail("base_score \(baseScore) is not a probability in (0, 1), as \(objective) needs",
                           field: "learner.learner_model_param.base_score")
            }
            baseMargin = -Foundation.log(1 / baseScore - 1)
        case .identity:
            baseMargin = baseScore
        }
        guard baseMargin.isFinite else {
            throw fail("base_score \(baseScore) gives a margin that is not a finite float32", field: "learner.learner_model_param.base_score")
        }

        let booster = learner.gradient_booster
        guard booster.name == "gbtree", let model = booster.model else {
            throw fail("booster \"\(booster.name)\" is not supported; Fairlead reads gbtree boosters",
                       field: "learner.gradient_booster.name")
        }
        let declaredTrees = try integer(model.gbtree_model_param.num_trees,
                                        field: "learner.gradient_booster.model.gbtree_model_param.num_trees", path: path)
        guard declaredTrees == model.trees.count else {
            throw fail("num_trees says \(declaredTrees) but \(model.trees.count) trees are stored",
                       field: "learner.gradient_booster.model.trees")
        }
        try checkRounds(model, trees: declaredTrees, located: located)
        try XGBoostMemoryPlan(file, featureCount: featureCount, heldBytes: bytes.count).check(limits, file: path)
        var names: [String] = []
        if let listed = learner.feature_names {
            var nameScanner = JSONScanner(bytes, at: listed.start)
            do {
                names = try nameScanner.readStrings()
            } catch let failure as JSONScanner.Failure {
                throw ModelFile.describe(failure, in: bytes, path: path, what: what, under: "learner.feature_names")
            }
        }
        if names.isEmpty {
            names = (0..<featureCount).map { "f\($0)" }
        }
        guard names.count == featureCount else {
            throw fail("\(names.count) feature names for \(featureCount) features", field: "learner.feature_names")
        }
        if let (name, index) = TreeEnsemble.repeatedName(names) {
            throw fail("feature \"\(MessageQuote.clipped(name))\" is named twice; every output would show two columns of that name",
                       field: "learner.feature_names[\(index)]")
        }
        var trees: [DecisionTree] = []
        trees.reserveCapacity(model.trees.count)
        let treesField = "learner.gradient_booster.model.trees"
        var treeScanner = JSONScanner(bytes, at: model.trees.start)
        do {
            try treeScanner.readArray { scanner, index in
                let field = "\(treesField)[\(index)]"
                let raw = try rawTree(try XGBoostJSON.Tree.read(&scanner), field: field, path: path) { start, element, key in
                    located(start, element: element, field: "\(field).\(key)[\(element)]")
                }
                trees.append(try DecisionTree(raw: raw, featureCount: featureCount, maxDepth: limits.maxTreeDepth) { fail("tree \(index) \($0)", field: field) })
            }
        } catch let failure as JSONScanner.Failure {
            throw ModelFile.describe(failure, in: bytes, path: path, what: what, under: treesField)
        }
        try TreeEnsemble.checkMarginBound(baseMargin: Double(baseMargin), trees: trees, inFloat32: true) { index, message in
            fail("tree \(index) \(message)", field: "learner.gradient_booster.model.trees[\(index)]")
        }
        return TreeEnsemble(source: .xgboost, featureNames: names, link: link,
                            baseMargin: Double(baseMargin), trees: trees)
    }

    /// base_score as a float32: "5E-1", "[5.011E-1]", or a bare number.
    static func parseBaseScore(_ stored: XGBoostJSON.StringOrNumber, path: String) throws -> Float {
        let field = "learner.learner_model_param.base_score"
        func float32(_ value: Double, _ shown: String) throws -> Float {
            guard value.isFinite, abs(value) <= Double(Float.greatestFiniteMagnitude) else {
                throw FairleadError(.invalidModel, "base_score \(shown) is beyond the float32 range XGBoost stores it in",
                                    at: SourceLocation(file: path, field: field))
            }
            return Float(value)
        }
        switch stored {
        case .number(let value):
            return try float32(value, "\(value)")
        case .string(let text):
            var body = text.trimmingCharacters(in: .whitespaces)
            if body.hasPrefix("[") && body.hasSuffix("]") {
                body = String(body.dropFirst().dropLast())
                let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                guard parts.count == 1 else {
                    throw FairleadError(.invalidModel, "base_score \"\(MessageQuote.clipped(text, limit: 40))\" has \(parts.count) values; only single-output models are supported",
                                        at: SourceLocation(file: path, field: field))
                }
                body = body.trimmingCharacters(in: .whitespaces)
            }
            guard let value = Double(body), value.isFinite else {
                throw FairleadError(.invalidModel, "base_score \"\(MessageQuote.clipped(text, limit: 40))\" is not a number",
                                    at: SourceLocation(file: path, field: field))
            }
            return try float32(value, "\"\(MessageQuote.clipped(text, limit: 40))\"")
        }
    }

    static func integer(_ text: String, field: String, path: String) throws -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
            throw FairleadError(.invalidModel, "expected a non-negative integer, found \"\(MessageQuote.clipped(text, limit: 40))\"",
                                at: SourceLocation(file: path, field: field))
        }
        return value
    }

    /// Checks what the model declares of its boosting rounds against its `count` trees, as
    /// XGBoost's own loader does: `num_parallel_tree` trees a round (at least 1, dividing
    /// the trees), `tree_info` one output group per tree (0: one output), and
    /// `iteration_indptr` where each round starts (0, p, 2p, …, count). Each is optional:
    /// XGBoost 1.x writes no `iteration_indptr`.
    static func checkRounds(_ model: XGBoostJSON.Model, trees count: Int,
                            located: (_ start: Int, _ element: Int?, _ field: String) -> SourceLocation) throws {
        let field = "learner.gradient_booster.model"
        var perRound = 1
        if let (text, start) = model.gbtree_model_param.num_parallel_tree {
            let place = located(start, nil, field + ".gbtree_model_param.num_parallel_tree")
            guard let parallel = Int(text), parallel >= 1 else {
                throw FairleadError(.invalidModel, "num_parallel_tree is \"\(MessageQuote.clipped(text, limit: 40))\"; expected a whole number of trees per round, at least 1", at: place)
            }
            guard count % parallel == 0 else {
                throw FairleadError(.invalidModel, "num_parallel_tree is \(parallel), but num_trees is \(count), not a whole number of rounds of \(parallel) trees", at: place)
            }
            perRound = parallel
        }
        if let (numbers, start) = model.tree_info {
            guard let groups = numbers else {
                throw FairleadError(.invalidModel, "tree_info is not an array of whole numbers", at: located(start, nil, field + ".tree_info"))
            }
            guard groups.count == count else {
                throw FairleadError(.invalidModel, "tree_info has \(groups.count) entries, but num_trees is \(count)", at: located(start, nil, field + ".tree_info"))
            }
            if let index = groups.firstIndex(where: { $0 != 0 }) {
                throw FairleadError(.invalidModel, "tree_info[\(index)] is \(groups[index]), but the model has one output: every tree's output group is 0",
                                    at: located(start, index, field + ".tree_info[\(index)]"))
            }
        }
        if let (numbers, start) = model.iteration_indptr {
            let expected = Array(stride(from: 0, through: count, by: perRound))
            guard let starts = numbers else {
                throw FairleadError(.invalidModel, "iteration_indptr is not an array of whole numbers", at: located(start, nil, field + ".iteration_indptr"))
            }
            guard starts.count == expected.count else {
                throw FairleadError(.invalidModel, "iteration_indptr has \(starts.count) entries, expected \(expected.count) (num_trees \(count), num_parallel_tree \(perRound): one per round and one for the end)",
                                    at: located(start, nil, field + ".iteration_indptr"))
            }
            if let index = starts.indices.first(where: { starts[$0] != expected[$0] }) {
                throw FairleadError(.invalidModel, "iteration_indptr[\(index)] is \(starts[index]), expected \(expected[index]) (num_trees \(count), num_parallel_tree \(perRound): round k starts at tree k × \(perRound))",
                                    at: located(start, index, field + ".iteration_indptr[\(index)]"))
            }
        }
    }

    /// One tree's arrays as a `RawTree`, checking their lengths against num_nodes and each
    /// split type and default direction; `locate` places element `element` of the array
    /// `key` that starts at `start`.
    static func rawTree(_ tree: XGBoostJSON.Tree, field: String, path: String,
                        locate: (_ start: Int, _ element: Int, _ key: String) -> SourceLocation) throws -> RawTree {
        func fail(_ message: String) -> FairleadError {
            FairleadError(.invalidModel, message, at: SourceLocation(file: path, field: field))
        }
        let count = try integer(tree.tree_param.num_nodes, field: field + ".tree_param.num_nodes", path: path)
        if let leafVector = tree.tree_param.size_leaf_vector,
           let size = Int(leafVector), size > 1 {
            throw fail("vector leaves (size_leaf_vector \(size)) are not supported")
        }
        let defaultLeft = tree.default_left.values
        let arrays: [(String, Int)] = [
            ("left_children", tree.left_children.count), ("right_children", tree.right_children.count),
            ("split_indices", tree.split_indices.count), ("split_conditions", tree.split_conditions.count),
            ("default_left", defaultLeft.count), ("sum_hessian", tree.sum_hessian.count),
        ]
        for (name, length) in arrays where length != count {
            throw fail("num_nodes is \(count) but \(name) has \(length) entries")
        }
        // XGBoost stores split conditions (thresholds, and leaf values at leaves) as float32.
        let float32Range = -Double(Float.greatestFiniteMagnitude)...Double(Float.greatestFiniteMagnitude)
        for (node, condition) in tree.split_conditions.enumerated() where !float32Range.contains(condition) {
            let isLeaf = tree.left_children[node] < 0
            throw fail("node \(node) has a \(isLeaf ? "leaf value" : "threshold") \(condition) beyond the float32 range XGBoost stores it in")
        }
        let splitTypes = tree.split_type ?? []
        guard splitTypes.isEmpty || splitTypes.count == count else {
            throw fail("num_nodes is \(count) but split_type has \(splitTypes.count) entries")
        }
        // XGBoost writes 0 (numeric) and 1 (categorical); another value is no split it makes.
        if let node = splitTypes.firstIndex(where: { $0 != 0 && $0 != 1 }), let start = tree.split_type_start {
            throw FairleadError(.invalidModel, "node \(node) has split_type \(splitTypes[node]); XGBoost writes 0 (numeric) or 1 (categorical)",
                                at: locate(start, node, "split_type"))
        }
        if let (node, value) = tree.default_left.firstInvalid {
            throw FairleadError(.invalidModel, "node \(node) has default_left \(value); expected 0 or 1 (or false or true)",
                                at: locate(tree.default_left_start, node, "default_left"))
        }
        var raw = RawTree()
        raw.leftChild = tree.left_children
        raw.rightChild = tree.right_children
        raw.feature = tree.split_indices
        raw.cover = tree.sum_hessian
        raw.value = tree.split_conditions
        raw.threshold = tree.split_conditions.map { Double(Float($0).nextDown) }
        raw.flags = defaultLeft.map { $0 ? [.missingGoesLeft] : [] }
        for (node, type) in splitTypes.enumerated() where type == 1 {
            raw.flags[node].insert(.categorical)
        }
        let categoryNodes = tree.categories_nodes ?? []
        if !categoryNodes.isEmpty {
            let segments = tree.categories_segments ?? [], sizes = tree.categories_sizes ?? []
            let categories = tree.categories ?? []
            guard segments.count == categoryNodes.count, sizes.count == categoryNodes.count else {
                throw fail("categories_nodes, categories_segments and categories_sizes differ in length")
            }
            // Each node's set is copied out of its segment. XGBoost writes the segments one
            // after another; overlapping ones would let a small file name the same codes for
            // thousands of nodes, so together they may hold no more codes than the array.
            var total = 0
            for (slot, node) in categoryNodes.enumerated() {
                let (start, size) = (segments[slot], sizes[slot])
                guard node >= 0, node < count, start >= 0, size >= 0, start <= categories.count - size else {
                    throw fail("the category set of node \(node) lies outside the categories array")
                }
                total += size
                guard total <= categories.count else {
                    throw fail("the category sets up to node \(node) hold \(total) codes, more than the \(categories.count) of the categories array: segments overlap")
                }
                for category in categories[start..<(start + size)] where !(0...TreeEnsemble.maximumCategory).contains(category) {
                    throw fail("node \(node) has a category \(category) outside 0...\(TreeEnsemble.maximumCategory)")
                }
                raw.categorySets[node] = .codes(Array(categories[start..<(start + size)]))
            }
        }
        // XGBoost leaves pruned nodes in the arrays, unlinked from their parent, and marks
        // them by a split index of all ones save the default-left bit (RegTree's
        // DeletedNodeMarker, written as split index 2³¹ − 1 with default_left 1); its own
        // loader checks their count against num_deleted, as here.
        for node in 1..<max(1, count) where tree.split_indices[node] == deletedSplitIndex && defaultLeft[node] {
            raw.deletedNodes.insert(node)
        }
        if let declared = tree.tree_param.num_deleted {
            let deleted = try integer(declared, field: field + ".tree_param.num_deleted", path: path)
            guard deleted == raw.deletedNodes.count else {
                throw fail("num_deleted is \(deleted) but \(raw.deletedNodes.count) nodes are marked deleted (split index \(deletedSplitIndex) with default_left)")
            }
        }
        return raw
    }

    /// The split index XGBoost writes for a deleted (pruned) node.
    static let deletedSplitIndex = Int(Int32.max)
}
