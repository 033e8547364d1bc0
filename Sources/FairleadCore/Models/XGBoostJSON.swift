/// The parts of XGBoost's JSON model schema that Fairlead reads (key names as XGBoost
/// writes them), read with a `JSONScanner`. Integers in `*_param` objects are strings in
/// the file. Other keys are skipped unread.
///
/// The document is read in two passes: `File.read` reads everything but the feature names
/// and the trees, whose arrays it only walks over (checking their grammar and counting
/// their elements, for `XGBoostMemoryPlan`); the names are then read from where their array
/// starts, and `Tree.read` reads the trees one at a time, so that a tree's arrays are held
/// only while it is turned into a `DecisionTree`.
enum XGBoostJSON {
    struct File {
        var learner: Learner
        /// `version`, when the file gives it: the integers of its array (nil when it is
        /// not an array of integers), and where its value starts.
        var version: (numbers: [Int]?, start: Int)?

        /// Reads the document at the start of `scanner`, to its end.
        static func read(_ scanner: inout JSONScanner) throws -> File {
            var learner: Learner?
            var version: (numbers: [Int]?, start: Int)?
            try scanner.readObject { scanner, key in
                switch key {
                case "learner": learner = try Learner.read(&scanner)
                case "version": version = try readIntegersIfArray(&scanner)
                default: try scanner.skipValue()
                }
            }
            try scanner.expectEnd()
            guard let learner else { throw JSONScanner.Failure.missingKey("learner", path: "") }
            return File(learner: learner, version: version)
        }
    }

    /// An array of integers, with where it starts; nil numbers for any other value (an
    /// element that is no integer included), which the loader refuses in its own words.
    static func readIntegersIfArray(_ scanner: inout JSONScanner) throws -> (numbers: [Int]?, start: Int) {
        let start = scanner.valueStart()
        guard scanner.nextIsArray() else {
            try scanner.skipValue()
            return (nil, start)
        }
        var numbers: [Int]? = []
        try scanner.readArray { scanner, _ in
            var probe = scanner  // a number that is no integer is left whole, to be skipped
            if let number = try? probe.readInteger() {
                scanner = probe
                numbers?.append(number)
            } else {
                numbers = nil
                try scanner.skipValue()
            }
        }
        return (numbers, start)
    }

    /// Where element `index` of the array at `start` begins: a message about one element
    /// (a split type, a default direction) names its line and column.
    static func elementStart(_ bytes: UnsafeBufferPointer<UInt8>, arrayAt start: Int, index wanted: Int) -> Int? {
        var scanner = JSONScanner(bytes, at: start)
        var found: Int?
        _ = try? scanner.readArray { scanner, index in
            if index == wanted { found = scanner.valueStart() }
            try scanner.skipValue()
        }
        return found
    }

    struct Learner {
        /// The feature names' array, walked over but not read.
        var feature_names: ElementArray?
        var gradient_booster: GradientBooster
        var learner_model_param: LearnerModelParameters
        var objective: Objective

        static func read(_ scanner: inout JSONScanner) throws -> Learner {
            var names: ElementArray?, booster: GradientBooster?, parameters: LearnerModelParameters?, objective: Objective?
            try scanner.readObject { scanner, key in
                switch key {
                case "feature_names": names = try scanner.readNull() ? nil : ElementArray.walk(&scanner)
                case "gradient_booster": booster = try GradientBooster.read(&scanner)
                case "learner_model_param": parameters = try LearnerModelParameters.read(&scanner)
                case "objective": objective = try Objective.read(&scanner)
                default: try scanner.skipValue()
                }
            }
            guard let booster else { throw JSONScanner.Failure.missingKey("gradient_booster", path: "") }
            guard let parameters else { throw JSONScanner.Failure.missingKey("learner_model_param", path: "") }
            guard let objective else { throw JSONScanner.Failure.missingKey("objective", path: "") }
            return Learner(feature_names: names, gradient_booster: booster, learner_model_param: parameters, objective: objective)
        }
    }

    struct LearnerModelParameters {
        var base_score: StringOrNumber
        var num_class: String?
        var num_feature: String
        var num_target: String?

        static func read(_ scanner: inout JSONScanner) throws -> LearnerModelParameters {
            var baseScore: StringOrNumber?, classes: String?, features: String?, targets: String?
            try scanner.readObject { scanner, key in
                switch key {
                case "base_score": baseScore = try StringOrNumber.read(&scanner)
                case "num_class": classes = try scanner.readNull() ? nil : scanner.readString()
                case "num_feature": features = try scanner.readString()
                case "num_target": targets = try scanner.readNull() ? nil : scanner.readString()
                default: try scanner.skipValue()
                }
            }
            guard let baseScore else { throw JSONScanner.Failure.missingKey("base_score", path: "") }
            guard let features else { throw JSONScanner.Failure.missingKey("num_feature", path: "") }
            return LearnerModelParameters(base_score: baseScore, num_class: classes, num_feature: features, num_target: targets)
        }
    }

    struct Objective {
        var name: String

        static func read(_ scanner: inout JSONScanner) throws -> Objective {
            Objective(name: try scanner.readRequiredMember("name") { try $0.readString() })
        }
    }

    struct GradientBooster {
        var name: String
        var model: Model?

        static func read(_ scanner: inout JSONScanner) throws -> GradientBooster {
            var name: String?, model: Model?
            try scanner.readObject { scanner, key in
                switch key {
                case "name": name = try scanner.readString()
                case "model": model = try scanner.readNull() ? nil : Model.read(&scanner)
                default: try scanner.skipValue()
                }
            }
            guard let name else { throw JSONScanner.Failure.missingKey("name", path: "") }
            return GradientBooster(name: name, model: model)
        }
    }

    struct Model {
        var gbtree_model_param: GBTreeParameters
        /// The trees array, walked over but not read.
        var trees: TreeArray
        /// Each tree's output group (`tree_info`), and where the array starts.
        var tree_info: (numbers: [Int]?, start: Int)?
        /// Where each boosting round's trees start (`iteration_indptr`, XGBoost ≥ 2.0).
        var iteration_indptr: (numbers: [Int]?, start: Int)?

        static func read(_ scanner: inout JSONScanner) throws -> Model {
            var parameters: GBTreeParameters?, trees: TreeArray?
            var info: (numbers: [Int]?, start: Int)?, indptr: (numbers: [Int]?, start: Int)?
            try scanner.readObject { scanner, key in
                switch key {
                case "gbtree_model_param": parameters = try GBTreeParameters.read(&scanner)
                case "trees": trees = try TreeArray.walk(&scanner)
                case "tree_info": info = try readIntegersIfArray(&scanner)
                case "iteration_indptr": indptr = try readIntegersIfArray(&scanner)
                default: try scanner.skipValue()
                }
            }
            guard let parameters else { throw JSONScanner.Failure.missingKey("gbtree_model_param", path: "") }
            guard let trees else { throw JSONScanner.Failure.missingKey("trees", path: "") }
            return Model(gbtree_model_param: parameters, trees: trees, tree_info: info, iteration_indptr: indptr)
        }
    }

    /// Where an array starts in the text (at or before its `[`), how many elements it
    /// holds and how many bytes it spans.
    struct ElementArray {
        var start: Int
        var count: Int
        var bytes: Int

        static func walk(_ scanner: inout JSONScanner) throws -> ElementArray {
            let start = scanner.position
            let count = try scanner.countElements()
            return ElementArray(start: start, count: count, bytes: scanner.position - start)
        }
    }

    /// Where the trees array starts in the text (at or before its `[`), how many trees it
    /// holds, and what reading them will build: the elements of the arrays `Tree.read` reads,
    /// counted without building them. A value of another kind than an array where a tree or
    /// one of its arrays should be is skipped here and reported by `Tree.read`.
    struct TreeArray {
        var start: Int
        var count = 0
        /// The nodes of every tree (the elements of its `left_children`).
        var nodes = 0
        /// The codes of every tree's `categories` array.
        var categories = 0
        /// The tree whose read arrays hold the most elements: its index, nodes and elements.
        var largest = Largest()

        struct Largest: Equatable {
            var index = 0
            var nodes = 0
            var values = 0
        }

        static func walk(_ scanner: inout JSONScanner) throws -> TreeArray {
            var array = TreeArray(start: scanner.position)
            try scanner.readArray { scanner, index in
                array.count += 1
                guard scanner.nextIsObject() else { return try scanner.skipValue() }
                var tree = Largest(index: index)
                try scanner.readObject { scanner, key in
                    guard Tree.arrayKeys.contains(key), scanner.nextIsArray() else { return try scanner.skipValue() }
                    let elements = try scanner.countElements()
                    tree.values += elements
                    if key == "left_children" { tree.nodes = elements }
                    if key == "categories" { array.categories += elements }
                }
                array.nodes += tree.nodes
                if tree.values > array.largest.values { array.largest = tree }
            }
            return array
        }
    }

    struct GBTreeParameters {
        var num_trees: String
        /// `num_parallel_tree`, when given, and where its value starts.
        var num_parallel_tree: (text: String, start: Int)?

        static func read(_ scanner: inout JSONScanner) throws -> GBTreeParameters {
            var trees: String?, parallel: (text: String, start: Int)?
            try scanner.readObject { scanner, key in
                switch key {
                case "num_trees": trees = try scanner.readString()
                case "num_parallel_tree":
                    let start = scanner.valueStart()
                    parallel = (try scanner.readString(), start)
                default: try scanner.skipValue()
                }
            }
            guard let trees else { throw JSONScanner.Failure.missingKey("num_trees", path: "") }
            return GBTreeParameters(num_trees: trees, num_parallel_tree: parallel)
        }
    }

    struct Tree {
        var left_children: [Int]
        var right_children: [Int]
        var split_indices: [Int]
        var split_conditions: [Double]
        var default_left: BoolArray
        var sum_hessian: [Double]
        var split_type: [Int]?
        var categories: [Int]?
        var categories_nodes: [Int]?
        var categories_segments: [Int]?
        var categories_sizes: [Int]?
        var tree_param: TreeParameters
        /// Where the `split_type` and `default_left` arrays start, to place a bad element.
        var split_type_start: Int?
        var default_left_start = 0

        /// The keys of the arrays `read` builds.
        static let arrayKeys: Set<String> = [
            "left_children", "right_children", "split_indices", "split_conditions", "default_left", "sum_hessian",
            "split_type", "categories", "categories_nodes", "categories_segments", "categories_sizes",
        ]

        /// Reads one tree object; a required key missing is reported in the order of the
        /// properties above.
        static func read(_ scanner: inout JSONScanner) throws -> Tree {
            var left: [Int]?, right: [Int]?, indices: [Int]?, conditions: [Double]?, defaultLeft: BoolArray?
            var hessians: [Double]?, types: [Int]?, categories: [Int]?, nodes: [Int]?, segments: [Int]?, sizes: [Int]?
            var parameters: TreeParameters?
            var splitTypeStart: Int?, defaultLeftStart = 0
            func optionalIntegers(_ scanner: inout JSONScanner) throws -> [Int]? {
                try scanner.readNull() ? nil : scanner.readIntegers()
            }
            try scanner.readObject { scanner, key in
                switch key {
                case "left_children": left = try scanner.readIntegers()
                case "right_children": right = try scanner.readIntegers()
                case "split_indices": indices = try scanner.readIntegers()
                case "split_conditions": conditions = try scanner.readDoubles()
                case "default_left":
                    defaultLeftStart = scanner.valueStart()
                    defaultLeft = try BoolArray.read(&scanner)
                case "sum_hessian": hessians = try scanner.readDoubles()
                case "split_type":
                    splitTypeStart = scanner.valueStart()
                    types = try optionalIntegers(&scanner)
                case "categories": categories = try optionalIntegers(&scanner)
                case "categories_nodes": nodes = try optionalIntegers(&scanner)
                case "categories_segments": segments = try optionalIntegers(&scanner)
                case "categories_sizes": sizes = try optionalIntegers(&scanner)
                case "tree_param": parameters = try TreeParameters.read(&scanner)
                default: try scanner.skipValue()
                }
            }
            func missing(_ key: String) -> JSONScanner.Failure { .missingKey(key, path: "") }
            guard let left else { throw missing("left_children") }
            guard let right else { throw missing("right_children") }
            guard let indices else { throw missing("split_indices") }
            guard let conditions else { throw missing("split_conditions") }
            guard let defaultLeft else { throw missing("default_left") }
            guard let hessians else { throw missing("sum_hessian") }
            guard let parameters else { throw missing("tree_param") }
            return Tree(left_children: left, right_children: right, split_indices: indices, split_conditions: conditions,
                        default_left: defaultLeft, sum_hessian: hessians, split_type: types, categories: categories,
                        categories_nodes: nodes, categories_segments: segments, categories_sizes: sizes,
                        tree_param: parameters, split_type_start: splitTypeStart, default_left_start: defaultLeftStart)
        }
    }

    struct TreeParameters {
        var num_nodes: String
        var size_leaf_vector: String?
        var num_deleted: String?

        static func read(_ scanner: inout JSONScanner) throws -> TreeParameters {
            var nodes: String?, leafVector: String?, deleted: String?
            try scanner.readObject { scanner, key in
                switch key {
                case "num_nodes": nodes = try scanner.readString()
                case "size_leaf_vector": leafVector = try scanner.readNull() ? nil : scanner.readString()
                case "num_deleted": deleted = try scanner.readNull() ? nil : scanner.readString()
                default: try scanner.skipValue()
                }
            }
            guard let nodes else { throw JSONScanner.Failure.missingKey("num_nodes", path: "") }
            return TreeParameters(num_nodes: nodes, size_leaf_vector: leafVector, num_deleted: deleted)
        }
    }

    /// `default_left` as 0/1 integers (XGBoost 1.x–3.x) or as booleans. Another integer
    /// (`2`) is no direction: it is kept as the first such element, for the loader to refuse.
    struct BoolArray {
        var values: [Bool]
        var firstInvalid: (index: Int, value: Int)?

        static func read(_ scanner: inout JSONScanner) throws -> BoolArray {
            var values: [Bool] = []
            var firstInvalid: (index: Int, value: Int)?
            try scanner.readArray { scanner, index in
                if scanner.nextIsBool() {
                    values.append(try scanner.readBool())
                } else {
                    let value = try scanner.readInteger()
                    if value != 0 && value != 1 && firstInvalid == nil { firstInvalid = (index, value) }
                    values.append(value != 0)
                }
            }
            return BoolArray(values: values, firstInvalid: firstInvalid)
        }
    }

    /// A value XGBoost writes as a string ("5E-1", "[5E-1]") or, in some writers, a number.
    enum StringOrNumber {
        case string(String)
        case number(Double)

        static func read(_ scanner: inout JSONScanner) throws -> StringOrNumber {
            do {
                return .string(try scanner.readString())
            } catch JSONScanner.Failure.mismatch {
                return .number(try scanner.readDouble())
            }
        }
    }
}
