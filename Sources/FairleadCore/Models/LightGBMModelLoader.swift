import Foundation

/// Reads LightGBM's text model format (`Booster.save_model("model.txt")`, versions v2–v4)
/// into a `TreeEnsemble`.
///
/// Supported: objectives `binary` (with `sigmoid:1`, logit link), `cross_entropy` (logit)
/// and the identity-link regressions (`regression`, `regression_l1`, `huber`, `fair`,
/// `quantile`, `mape`); numeric splits with `decision_type` bits — 1 categorical,
/// 2 default-left, bits 2–3 the missing type (0 none: NaN reads as 0; 1 zero: 0 and NaN
/// are missing; 2 NaN: NaN is missing) — compared `x <= threshold` in double; categorical
/// splits (codes in the bitset go left, NaN and negative codes right). `leaf_value` already
/// includes shrinkage, and the initial score is folded into the first tree, so the base
/// margin is 0. Covers are `internal_count` / `leaf_count`.
/// Multi-class, random-forest (`average_output`), linear-tree and exp-link models are
/// rejected with a `FairleadError(.invalidModel)` naming the file and line.
public enum LightGBMModelLoader {
    static let identityObjectives: Set<String> = [
        "regression", "regression_l2", "l2", "mean_squared_error", "mse", "regression_l1", "l1",
        "huber", "fair", "quantile", "mape",
    ]

    /// Loads the model in the file at `path`, of at most `limits.maxFileBytes`.
    public static func load(contentsOf path: String, limits: Limits = Limits()) throws -> TreeEnsemble {
        try load(textData: try ModelFile.contents(of: path, limits: limits), path: path, limits: limits)
    }

    /// Loads a model from the bytes of its text file; `path` names the file in errors, and
    /// its trees may be `limits.maxTreeDepth` levels deep. Reading it is planned within
    /// `limits.memoryBudgetBytes` (``LightGBMMemoryPlan``) before the text is split, and no
    /// array is sized by a declared count the file's lines cannot hold.
    public static func load(textData data: Data, path: String, limits: Limits = Limits()) throws -> TreeEnsemble {
        let data = ModelFile.withoutByteOrderMark(data)
        try LightGBMMemoryPlan(counting: data).check(limits, file: path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw FairleadError(.invalidModel, "the LightGBM model is not UTF-8 text", at: SourceLocation(file: path))
        }
        var reader = LightGBMTextReader(text: text, path: path)
        let header = try reader.readHeader()
        func fail(_ message: String, line: Int? = nil) -> FairleadError {
            FairleadError(.invalidModel, message, at: SourceLocation(file: path, line: line))
        }
        guard header.lines.first?.0 == "tree" else {
            throw fail("not a LightGBM text model (it does not start with \"tree\")", line: 1)
        }
        let classes = try header.integer("num_class", default: 1)
        guard classes == 1 else { throw fail("a multi-class model (\(classes) classes) is not supported", line: header.line("num_class")) }
        let perIteration = try header.integer("num_tree_per_iteration", default: 1)
        guard perIteration == 1 else {
            throw fail("num_tree_per_iteration=\(perIteration) is not supported (multi-output model)", line: header.line("num_tree_per_iteration"))
        }
        if header.value("average_output") != nil {
            throw fail("random-forest models (average_output) are not supported", line: header.line("average_output"))
        }
        let link = try objectiveLink(header, fail: fail)
        let maximumFeatureIndex = try header.integer("max_feature_idx")
        guard (0..<TreeEnsemble.maximumFeatureCount).contains(maximumFeatureIndex) else {
            throw fail("max_feature_idx=\(maximumFeatureIndex) is not a feature index (0 to \(TreeEnsemble.maximumFeatureCount - 1))",
                       line: header.line("max_feature_idx"))
        }
        let featureCount = maximumFeatureIndex + 1
        if let infos = header.value("feature_infos") {
            let count = fieldCount(of: infos)
            guard count == featureCount else {
                throw fail("feature_infos lists \(count) features for max_feature_idx=\(featureCount - 1)", line: header.line("feature_infos"))
            }
        }
        // Counted before the names are made: a long line costs a String a name.
        let nameCount = header.value("feature_names").map(fieldCount) ?? 0
        guard nameCount == featureCount || nameCount == 0 else {
            throw fail("\(nameCount) feature names for max_feature_idx=\(featureCount - 1)", line: header.line("feature_names"))
        }
        var names: [String] = []
        if let line = header.value("feature_names") {
            names.reserveCapacity(nameCount)
            LightGBMTextReader.forEachField(of: line) { names.append(String($0)) }
        }
        if names.isEmpty { names = (0..<featureCount).map { "Column_\($0)" } }
        if let (name, _) = TreeEnsemble.repeatedName(names) {
            throw fail("feature \"\(MessageQuote.clipped(name))\" is named twice in feature_names; every output would show two columns of that name",
                       line: header.line("feature_names"))
        }

        let declaredTrees = try declaredTreeCount(header, fileBytes: data.count, fail: fail)
        var trees: [DecisionTree] = []
        while let block = try reader.readTree() {
            guard block.index == trees.count else {
                throw fail("expected Tree=\(trees.count), found Tree=\(block.index)", line: block.line)
            }
            if let declaredTrees, trees.count >= declaredTrees {
                throw fail("tree_sizes lists \(declaredTrees) trees, but the file holds more: Tree=\(block.index)", line: block.line)
            }
            let raw = try rawTree(block, featureCount: featureCount, fail: fail)
            trees.append(try DecisionTree(raw: raw, featureCount: featureCount, maxDepth: limits.maxTreeDepth) { fail("Tree=\(block.index) \($0)", line: block.line) })
        }
        guard reader.sawEndOfTrees else {
            throw fail("the file is truncated: no \"end of trees\" line after Tree=\(max(0, trees.count - 1))")
        }
        // The header lists each tree's size in bytes: a tree that is missing (a cut or
        // spliced file) would otherwise load silently and change every margin.
        if let declaredTrees, declaredTrees != trees.count {
            throw fail("tree_sizes lists \(declaredTrees) trees, but the file holds \(trees.count)", line: header.line("tree_sizes"))
        }
        try TreeEnsemble.checkMarginBound(baseMargin: 0, trees: trees, inFloat32: false) { tree, message in
            fail("Tree=\(tree) \(message)", line: nil)
        }
        return TreeEnsemble(source: .lightgbm, featureNames: names, link: link, baseMargin: 0, trees: trees)
    }

    /// The fields of a header line, counted without making their array.
    static func fieldCount(of text: Substring) -> Int {
        var count = 0
        LightGBMTextReader.forEachField(of: text) { _ in count += 1 }
        return count
    }

    /// The bytes of the smallest tree a model holds: `Tree=0`, `num_leaves=1` and
    /// `leaf_value=0`, each on its line.
    static let minimumTreeBytes = "Tree=0\nnum_leaves=1\nleaf_value=0\n".utf8.count

    /// The trees `tree_sizes` lists (nil without the line), once the file's bytes can hold
    /// that many; a file cut short is not refused here (its sizes sum past its bytes), but
    /// where it ends.
    static func declaredTreeCount(_ header: LightGBMTextReader.Block, fileBytes: Int,
                                  fail: (String, Int?) -> FairleadError) throws -> Int? {
        guard let sizes = header.value("tree_sizes") else { return nil }
        let count = fieldCount(of: sizes)
        guard count <= fileBytes / minimumTreeBytes else {
            throw fail("tree_sizes lists \(count) trees, more than the \(fileBytes) bytes of the file can hold (a tree takes \(minimumTreeBytes) at least)",
                       header.line("tree_sizes"))
        }
        return count
    }

    /// The link of the header's `objective=` line. LightGBM writes the objective's name
    /// and then its parameters (`binary sigmoid:1`, `regression sqrt`, `multiclass
    /// num_class:3`); each changes how raw scores become predictions (its ConvertOutput), so
    /// a parameter Fairlead does not implement is refused rather than ignored: `sqrt`
    /// (`reg_sqrt=True`) predicts sign(s)·s² of the trees' sum s, which the identity link
    /// would read as s.
    static func objectiveLink(_ header: LightGBMTextReader.Block, fail: (String, Int?) -> FairleadError) throws -> Link {
        guard let objective = header.value("objective") else {
            throw fail("no objective= line in the header", nil)
        }
        let parts = objective.split(separator: " ").map(String.init)
        let name = parts.first ?? ""
        let parameters = parts.dropFirst()
        let line = header.line("objective")
        let supported = "Fairlead reads binary (sigmoid:1), cross_entropy and the identity-link regressions (regression, regression_l1, huber, fair, quantile, mape) without other parameters"
        func refuse(_ parameter: String) -> FairleadError {
            let why = parameter == "sqrt"
                ? " (reg_sqrt: LightGBM predicts sign(s)·s² of the trees' sum s, which no link Fairlead explains in margins can follow)"
                : ""
            return fail("objective \"\(MessageQuote.clipped(objective, limit: 60))\" has the parameter \"\(MessageQuote.clipped(parameter, limit: 40))\", which is not supported\(why); \(supported)", line)
        }
        let link: Link
        switch name {
        case "binary":
            for parameter in parameters {
                guard parameter.hasPrefix("sigmoid:") else { throw refuse(parameter) }
                guard let scale = Double(parameter.dropFirst("sigmoid:".count)), scale == 1 else {
                    throw fail("binary objective with \(MessageQuote.clipped(parameter, limit: 40)) is not supported (only sigmoid:1)", line)
                }
            }
            return .logit
        case "cross_entropy", "xentropy":
            link = .logit
        case _ where identityObjectives.contains(name):
            link = .identity
        default:
            throw fail("objective \"\(MessageQuote.clipped(objective, limit: 60))\" is not supported; Fairlead reads binary, cross_entropy and the regression objectives with an identity link", line)
        }
        if let parameter = parameters.first { throw refuse(parameter) }
        return link
    }

    /// One tree block as a `RawTree`: internal nodes keep their ids, leaf i becomes node
    /// (numLeaves − 1) + i; LightGBM writes a leaf child as ~i (−i − 1).
    static func rawTree(_ block: LightGBMTextReader.Block, featureCount: Int,
                        fail: (String, Int?) -> FairleadError) throws -> RawTree {
        let leaves = try block.integer("num_leaves")
        guard leaves >= 1 else { throw fail("Tree=\(block.index) has num_leaves=\(leaves)", block.line("num_leaves")) }
        if let linear = block.value("is_linear"), linear != "0" {
            throw fail("Tree=\(block.index) is a linear tree (is_linear=\(linear)); linear trees are not supported", block.line("is_linear"))
        }
        // A value and its space take 2 bytes at least: a count the line cannot hold is
        // refused here, before any array is sized by it.
        // (A missing line is said by the read below, as part of a file cut short where it is.)
        if let leafLine = block.value("leaf_value"), leaves > leafLine.utf8.count / 2 + 1 {
            throw fail("Tree=\(block.index) declares num_leaves=\(leaves), more leaves than its leaf_value line of \(leafLine.utf8.count) bytes can hold",
                       block.line("num_leaves"))
        }
        let splitCount = leaves - 1
        let leafValues = try block.doubles("leaf_value", count: leaves)
        var raw = RawTree()
        guard splitCount > 0 else {
            raw.leftChild = [-1]; raw.rightChild = [-1]; raw.feature = [0]; raw.threshold = [0]
            raw.flags = [[]]; raw.value = leafValues; raw.cover = [1]
            return raw
        }
        let features = try block.integers("split_feature", count: splitCount)
        let thresholds = try block.doubles("threshold", count: splitCount)
        let decisionTypes = try block.integers("decision_type", count: splitCount)
        let left = try block.integers("left_child", count: splitCount)
        let right = try block.integers("right_child", count: splitCount)
        let internalCounts = try block.doubles("internal_count", count: splitCount)
        let leafCounts = try block.doubles("leaf_count", count: leaves)
        let categoryCount = try block.integer("num_cat", default: 0)
        var boundaries: [Int] = [], categoryWords: [Int] = []
        if categoryCount > 0 {
            if let boundaryLine = block.value("cat_boundaries"), categoryCount > boundaryLine.utf8.count / 2 {
                throw fail("Tree=\(block.index) declares num_cat=\(categoryCount), more category sets than its cat_boundaries line of \(boundaryLine.utf8.count) bytes can hold",
                           block.line("num_cat"))
            }
            // Without the line the read says so whatever the count; the largest integer has no successor.
            boundaries = try block.integers("cat_boundaries", count: min(categoryCount, Int.max - 1) + 1)
            categoryWords = try block.integers("cat_threshold", count: boundaries.last ?? 0)
        }
        func node(_ child: Int) -> Int { child >= 0 ? child : splitCount + (-child - 1) }
        for child in left + right where child < -leaves || child >= splitCount {
            throw fail("Tree=\(block.index) refers to a missing node \(child) (\(splitCount) splits, \(leaves) leaves)", block.line("left_child"))
        }
        let total = splitCount + leaves
        raw.leftChild = (0..<splitCount).map { node(left[$0]) } + Array(repeating: -1, count: leaves)
        raw.rightChild = (0..<splitCount).map { node(right[$0]) } + Array(repeating: -1, count: leaves)
        raw.feature = features + Array(repeating: 0, count: leaves)
        raw.threshold = thresholds + Array(repeating: 0, count: leaves)
        raw.value = Array(repeating: 0, count: splitCount) + leafValues
        raw.cover = internalCounts + leafCounts
        raw.flags = Array(repeating: [], count: total)
        for index in 0..<splitCount {
            let type = decisionTypes[index]
            let defaultLeft = type & 2 != 0
            if type & 1 != 0 {
                let slot = thresholds[index] >= 0 && thresholds[index] < Double(max(categoryCount, 0)) ? Int(thresholds[index]) : -1
                guard slot >= 0, slot < categoryCount, thresholds[index] == Double(slot) else {
                    throw fail("Tree=\(block.index) categorical split \(index) refers to category set \(thresholds[index]), but there are \(categoryCount)", block.line("threshold"))
                }
                let (start, end) = (boundaries[slot], boundaries[slot + 1])
                guard start >= 0, start <= end, end <= categoryWords.count else {
                    throw fail("Tree=\(block.index) cat_boundaries are not increasing within cat_threshold", block.line("cat_boundaries"))
                }
                var bits: [UInt64] = []
                for wordIndex in stride(from: start, to: end, by: 2) {
                    let low = UInt64(UInt32(truncatingIfNeeded: categoryWords[wordIndex]))
                    let high = wordIndex + 1 < end ? UInt64(UInt32(truncatingIfNeeded: categoryWords[wordIndex + 1])) : 0
                    bits.append(low | high << 32)
                }
                raw.categorySets[index] = .bitset(bits.isEmpty ? [0] : bits)
                raw.flags[index] = [.categorical, .inSetGoesLeft, .truncatesCategory]
                continue
            }
            switch (type >> 2) & 3 {
            case 0:
                // Missing type none: LightGBM reads NaN as 0 and compares it.
                if 0 <= thresholds[index] { raw.flags[index].insert(.missingGoesLeft) }
            case 1:
                raw.flags[index].insert(.zeroIsMissing)
                if defaultLeft { raw.flags[index].insert(.missingGoesLeft) }
            case 2:
                if defaultLeft { raw.flags[index].insert(.missingGoesLeft) }
            default:
                throw fail("Tree=\(block.index) split \(index) has an unknown missing type in decision_type=\(type)", block.line("decision_type"))
            }
        }
        return raw
    }
}
