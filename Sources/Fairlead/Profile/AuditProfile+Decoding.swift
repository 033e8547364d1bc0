import FairleadCore

extension AuditProfile {
    /// Why a declared score range cannot be used, or `nil`: one wider than a number can
    /// hold (`[-1e308, 1e308]`) made the threshold sweep's steps infinite and its
    /// thresholds NaN ("thresholds must be finite numbers, found -nan").
    public static func scoreRangeProblem(_ range: ClosedRange<Double>) -> String? {
        (range.upperBound - range.lowerBound).isFinite ? nil
            : "expected a range whose width is a finite number, found [\(FindingJudge.format(range.lowerBound)), \(FindingJudge.format(range.upperBound))], wider than a number can hold"
    }

    static let topLevelKeys = ["name", "purpose", "extends", "data", "decisions", "sensitive", "intersections",
                               "metrics", "rules", "settings", "model", "explanations", "drift", "limits",
                               "individual_fairness", "privacy", "mitigation", "statistics"]

    /// Decodes a merged profile tree, checking every key, type and value; `limitOverrides`
    /// are set over its `limits:` before the values they bound are checked.
    static func decode(_ node: ProfileNode, limitOverrides: [Limits.Name: Int] = [:]) throws -> AuditProfile {
        try node.refuseKeysWithoutValue()
        var root = try ProfileMapping(node, path: "")
        let name = try root.requiredString("name", expected: "a short name for the audit")
        let purpose = try root.string("purpose")
        let data = try decodeData(root.requiredNode("data", expected: "a mapping naming at least the score column"))
        let decisions = try decodeDecisions(root.requiredNode("decisions", expected: "a list of decision rules such as '- threshold: 0.5'"))
        let sensitive = try decodeSensitive(root.requiredNode("sensitive", expected: "a list of sensitive columns"))
        let intersections = try decodeIntersections(root.node("intersections"), sensitive: sensitive)
        let metrics = try decodeReportedMetrics(root.node("metrics"))
        let rules = try decodeRules(root.node("rules"), decisions: decisions, sensitive: sensitive, intersections: intersections)
        let settings = try decodeSettings(root.node("settings"))
        let model = try decodeModel(root.node("model"))
        let explanations = try decodeExplanations(root.node("explanations"))
        let drift = try decodeDrift(root.node("drift"))
        var limits = try decodeLimits(root.node("limits"))
        for (name, value) in limitOverrides { limits[name] = value }
        let statistics = try decodeStatistics(root.node("statistics"), limits: limits)
        let individualFairness = try decodeIndividualFairness(root.node("individual_fairness"))
        let privacy = try decodePrivacy(root.node("privacy"))
        let mitigation = try decodeMitigation(root.node("mitigation"), data: data, sensitive: sensitive, intersections: intersections)
        try root.finish(allowed: topLevelKeys)
        var profile = AuditProfile(name: name, purpose: purpose, data: data, decisions: decisions, sensitive: sensitive,
                                   intersections: intersections, metrics: metrics, rules: rules, settings: settings,
                                   model: model, explanations: explanations, drift: drift)
        profile.limits = limits
        profile.individualFairness = individualFairness
        profile.privacy = privacy
        profile.mitigation = mitigation
        profile.statistics = statistics
        try checkColumnRoles(profile, dataNode: root.node("data"), sensitiveNode: root.node("sensitive"))
        try refuseOneHotWhereUnsupported(profile, root: &root)
        return profile
    }

    /// Refuses the sections that read a sensitive attribute as one data column, beside a
    /// one-hot attribute (``SensitiveSpec/oneHot``): explanations and proxies (`model:`,
    /// which match the model's features to sensitive columns) and re-identification risk
    /// (`privacy.quasi_identifiers`, which measures the sensitive columns' diversity).
    /// Refused, not half done: a proxy check against the indicators one by one, or a
    /// reason naming `race_black`, would look like an answer.
    private static func refuseOneHotWhereUnsupported(_ profile: AuditProfile, root: inout ProfileMapping) throws {
        guard let (index, attribute) = profile.sensitive.enumerated().first(where: { $0.element.oneHot != nil }) else { return }
        let named = "sensitive[\(index)] (\(MessageQuote.clipped(attribute.column))) is a one-hot attribute"
        if profile.model != nil, let node = root.node("model") {
            throw ProfileMapping.error("\(named): one_hot attributes are not yet supported with model: (explanations, proxies, individual fairness), which read each sensitive attribute as one column; audit them in a profile without model:, or give the attribute as one column",
                                       path: "model", at: node.location)
        }
        if profile.privacy?.quasiIdentifiers != nil, let node = root.node("privacy") {
            throw ProfileMapping.error("\(named): one_hot attributes are not yet supported by privacy.quasi_identifiers (re-identification risk reads each sensitive attribute as one column); leave quasi_identifiers out, or give the attribute as one column",
                                       path: "privacy.quasi_identifiers", at: node.location)
        }
    }

    private static func decodeData(_ node: ProfileNode) throws -> DataSpec {
        var mapping = try ProfileMapping(node, path: "data")
        var spec = DataSpec(score: try mapping.requiredString("score", expected: "the name of the score column"))
        if let pathNode = mapping.node("path") {
            let written = try ProfileMapping.path(pathNode, path: "data.path", expected: "the path of a CSV file")
            spec.path = resolve(written, relativeTo: pathNode.location.file)
        }
        spec.id = try mapping.string("id")
        if let labelNode = mapping.node("label") {
            let label = try decodeLabel(labelNode)
            spec.label = label.column
            spec.labelPositive = label.positive
        }
        spec.weight = try mapping.string("weight")
        spec.missingMarkers = try mapping.stringList("missing_markers")
        if let rangeNode = mapping.node("score_range") {
            let bounds = try ProfileMapping.sequence(rangeNode, path: "data.score_range", expected: "[lowest, highest]")
            guard bounds.count == 2 else {
                throw ProfileMapping.error("expected two numbers [lowest, highest], found \(bounds.count) values",
                                           path: "data.score_range", at: rangeNode.location)
            }
            let low = try ProfileMapping.number(bounds[0], path: "data.score_range[0]")
            let high = try ProfileMapping.number(bounds[1], path: "data.score_range[1]")
            guard low <= high else {
                throw ProfileMapping.error("expected lowest ≤ highest, found [\(low), \(high)]", path: "data.score_range", at: rangeNode.location)
            }
            if let problem = AuditProfile.scoreRangeProblem(low...high) {
                throw ProfileMapping.error(problem, path: "data.score_range", at: rangeNode.location)
            }
            spec.scoreRange = low...high
        }
        if let consentNode = mapping.node("consent") { spec.consent = try ConsentSpec.decode(consentNode) }
        if let postgresNode = mapping.node("postgres") {
            if spec.path != nil {
                throw ProfileMapping.error("give the rows' data.path or data.postgres, not both", path: "data.postgres", at: postgresNode.location)
            }
            spec.postgres = try PostgresSpec.decode(postgresNode, mapping: &mapping)
        } else {
            for key in ["table", "query", "pushdown"] {
                if let keyNode = mapping.node(key) {
                    throw ProfileMapping.error("data.\(key) is about a database source; give data.postgres too", path: "data.\(key)", at: keyNode.location)
                }
            }
        }
        try mapping.finish(allowed: ["path", "id", "score", "label", "weight", "score_range", "missing_markers", "consent",
                                     "postgres", "table", "query", "pushdown"])
        return spec
    }

    /// The first value of `values` that the list holds more than once, or `nil`: what a
    /// profile's short lists (positive labels, a rule's attributes and decisions) refuse.
    private static func firstRepeated(_ values: [String]) -> String? {
        values.first { value in values.filter { $0 == value }.count > 1 }
    }

    /// ``columnRoleConflict`` at the key that gives the column its second role.
    static func checkColumnRoles(_ profile: AuditProfile, dataNode: ProfileNode?, sensitiveNode: ProfileNode?) throws {
        guard let conflict = profile.columnRoleConflict else { return }
        var location: SourceLocation?
        if conflict.path.hasPrefix("data."), case .mapping(let pairs)? = dataNode?.value {
            let key = conflict.path.dropFirst("data.".count)
            location = pairs.first { $0.key == key }?.value.location
        } else if conflict.path.hasPrefix("decisions["), let index = conflict.index {
            location = profile.decisions[index].location
        } else if conflict.path.hasPrefix("sensitive["), let index = conflict.index, case .sequence(let items)? = sensitiveNode?.value,
                  index < items.count {
            location = items[index].location
        }
        throw ProfileMapping.error(conflict.message, path: conflict.path,
                                   at: location ?? dataNode?.location ?? SourceLocation(file: profile.sourceFiles.first))
    }

    /// `label: converted` (a 0/1 or true/false column) or `label: {column: stage,
    /// positive: [won]}` (the listed values are the positive outcome, every other value
    /// the negative one).
    private static func decodeLabel(_ node: ProfileNode) throws -> (column: String, positive: [String]?) {
        guard case .mapping = node.value else {
            return (try ProfileMapping.scalar(node, path: "data.label", expected: "the name of the label column, or {column, positive}"), nil)
        }
        var mapping = try ProfileMapping(node, path: "data.label")
        let column = try mapping.requiredString("column", expected: "the name of the label column")
        let positive = try mapping.stringList("positive")
        try mapping.finish(allowed: ["column", "positive"])
        if let positive {
            guard !positive.isEmpty else {
                throw ProfileMapping.error("expected one or more values of the positive outcome, such as [won]",
                                           path: "data.label.positive", at: node.location)
            }
            if let twice = firstRepeated(positive) {
                throw ProfileMapping.error("the value '\(twice)' is listed twice", path: "data.label.positive", at: node.location)
            }
        }
        return (column, positive)
    }

    private static func decodeDecisions(_ node: ProfileNode) throws -> [DecisionSpec] {
        let items = try ProfileMapping.sequence(node, path: "decisions", expected: "decision rules such as '- threshold: 0.5'")
        guard !items.isEmpty else {
            throw ProfileMapping.error("expected at least one decision rule", path: "decisions", at: node.location)
        }
        var decisions: [DecisionSpec] = []
        for (index, item) in items.enumerated() {
            let path = "decisions[\(index)]"
            var mapping = try ProfileMapping(item, path: path)
            let threshold = try mapping.double("threshold")
            let topNode = mapping.node("top_k")
            let prediction = try mapping.string("prediction")
            let writtenName = try mapping.string("name")
            try mapping.finish(allowed: ["name", "threshold", "top_k", "prediction"])
            let given = [threshold != nil, topNode != nil, prediction != nil].filter { $0 }.count
            guard given == 1 else {
                throw ProfileMapping.error("expected exactly one of 'threshold', 'top_k' or 'prediction', found \(given)",
                                           path: path, at: item.location)
            }
            let kind: DecisionSpec.Kind
            if let threshold {
                kind = .threshold(threshold)
            } else if let topNode {
                kind = try decodeTopK(topNode, path: mapping.path(of: "top_k"))
            } else {
                kind = .predictionColumn(prediction ?? "")
            }
            let name = writtenName ?? defaultDecisionName(kind)
            if decisions.contains(where: { $0.name == name }) {
                throw ProfileMapping.error("two decision rules are named '\(name)'; give one a different 'name'",
                                           path: path, at: item.location)
            }
            decisions.append(DecisionSpec(name: name, kind: kind, location: item.location))
        }
        return decisions
    }

    /// A decision's name when the profile gives none: `threshold_0.5`, `top_100`, `top_10pct`,
    /// `prediction_called`.
    static func defaultDecisionName(_ kind: DecisionSpec.Kind) -> String {
        switch kind {
        case .threshold(let threshold): return "threshold_\(compactNumber(threshold))"
        case .topFraction(let fraction): return "top_\(compactNumber(fraction * 100))pct"
        case .topCount(let count): return "top_\(count)"
        case .predictionColumn(let column): return "prediction_\(column)"
        }
    }

    /// `top_k: 100` (a count) or `top_k: 10%` / `top_k: 0.1` (a fraction of the rows).
    private static func decodeTopK(_ node: ProfileNode, path: String) throws -> DecisionSpec.Kind {
        let text = try ProfileMapping.scalar(node, path: path, expected: "a count such as 100 or a share such as 10%")
        if let kind = topK(text) { return kind }
        throw ProfileMapping.error("expected \(topKExpected), found '\(MessageQuote.clipped(text, limit: 80))'",
                                   path: path, at: node.location)
    }

    static let topKExpected = "a positive count such as 100, or a share such as 10% or 0.1"

    /// A top-k decision's size as written in a profile or on the command line, or `nil`.
    /// Numbers are decimal (`CSVReader.number`'s grammar): not hex, `nan` or `inf`.
    static func topK(_ text: String) -> DecisionSpec.Kind? {
        if text.hasSuffix("%"), let percent = CSVReader.number(String(text.dropLast())), percent > 0, percent <= 100 {
            return .topFraction(percent / 100)
        }
        if text.allSatisfy(\.isASCII), let count = Int(text), count > 0 { return .topCount(count) }
        if let fraction = CSVReader.number(text), fraction > 0, fraction < 1 { return .topFraction(fraction) }
        return nil
    }

    /// The decisions of `--threshold` and `--top-k`, in that order, named as a profile
    /// names them — built directly, never through profile text, so that no value can add
    /// a key or a decision.
    public static func commandLineDecisions(thresholds: [Double], topK: [String]) throws -> [DecisionSpec] {
        var decisions: [DecisionSpec] = thresholds.map { DecisionSpec(name: defaultDecisionName(.threshold($0)), kind: .threshold($0)) }
        for text in topK {
            guard let kind = Self.topK(text) else {
                throw FairleadError(.usage, "--top-k expects \(topKExpected), found '\(MessageQuote.clipped(text, limit: 80))'")
            }
            decisions.append(DecisionSpec(name: defaultDecisionName(kind), kind: kind))
        }
        for (index, decision) in decisions.enumerated() where decisions[..<index].contains(where: { $0.name == decision.name }) {
            throw FairleadError(.usage, "--threshold/--top-k give the decision \(decision.name) twice")
        }
        return decisions
    }

    /// Why `column` cannot be a sensitive column, or `nil` when it can: `*` names an
    /// intersection of sensitive columns everywhere (`ethnicity*gender` in the report, in
    /// `rules`, in `mitigation.reweigh_by`), so a column named with one would share its key
    /// with an intersection in the report, and be split at the `*` where it is looked up.
    /// Shared by profiles and the ad hoc audit's `--sensitive`.
    public static func sensitiveColumnProblem(_ column: String) -> String? {
        guard column.contains("*") else { return nil }
        let parts = column.split(separator: "*", omittingEmptySubsequences: false).map { "'\(MessageQuote.clipped(String($0), limit: 40))'" }
        return "the sensitive column '\(MessageQuote.clipped(column, limit: 80))' holds '*', which names intersections of sensitive columns: "
            + "the report, rules and mitigation would read it as the intersection of \(parts.dropLast().joined(separator: ", ")) and \(parts.last!); "
            + "rename the column in the data (or in the query that reads it) to a name without '*'"
    }

    private static func decodeSensitive(_ node: ProfileNode) throws -> [SensitiveSpec] {
        let items = try ProfileMapping.sequence(node, path: "sensitive", expected: "sensitive columns")
        guard !items.isEmpty else {
            throw ProfileMapping.error("expected at least one sensitive column", path: "sensitive", at: node.location)
        }
        var specs: [SensitiveSpec] = []
        for (index, item) in items.enumerated() {
            let path = "sensitive[\(index)]"
            var spec: SensitiveSpec
            if case .scalar(let column, _) = item.value {
                spec = SensitiveSpec(column: column, location: item.location)
            } else {
                var mapping = try ProfileMapping(item, path: path)
                if let oneHotNode = mapping.node("one_hot") {
                    spec = try decodeOneHot(oneHotNode, mapping: &mapping, at: item.location)
                } else {
                    if let nameNode = mapping.node("name") {
                        throw ProfileMapping.error("name: names an attribute built from indicator columns; give its one_hot: columns too, or column: for an attribute read from one column",
                                                   path: mapping.path(of: "name"), at: nameNode.location)
                    }
                    spec = SensitiveSpec(column: try mapping.requiredString("column", expected: "the name of the sensitive column, or name: and one_hot: for indicator columns"),
                                         location: item.location)
                }
                if let labelsNode = mapping.node("labels") {
                    var labels = try ProfileMapping(labelsNode, path: mapping.path(of: "labels"))
                    spec.labels = try labels.allStrings()
                }
                if let referenceNode = mapping.node("reference") {
                    spec.reference = try decodeReference(referenceNode, path: mapping.path(of: "reference"))
                }
                if let missing = try mapping.string("missing") {
                    guard let policy = SensitiveSpec.MissingPolicy(rawValue: missing) else {
                        throw ProfileMapping.error("expected 'unknown' (audit missing values as their own group) or 'exclude', found '\(MessageQuote.clipped(missing, limit: 80))'",
                                                   path: mapping.path(of: "missing"), at: item.location)
                    }
                    spec.missing = policy
                }
                if let binsNode = mapping.node("bins") {
                    spec.bins = try decodeBins(binsNode, path: mapping.path(of: "bins"))
                }
                try decodeDeclaredValues(&mapping, into: &spec)
                try mapping.finish(allowed: ["column", "name", "one_hot", "labels", "reference", "missing", "bins", "values", "other"])
                if let indicators = spec.oneHot {
                    try checkOneHotGroupNames(spec, groups: indicators.map(\.group), mapping: mapping, at: item.location)
                }
                // Binned groups are known from the edges: a reference among them is checked now.
                if let bins = spec.bins, case .group(let group) = spec.reference,
                   !(bins.groupNames + ["unknown"]).contains(group) {
                    throw ProfileMapping.error("the reference group '\(group)' is not one of the bins' groups: \(bins.groupNames.joined(separator: ", "))",
                                               path: mapping.path(of: "reference"), at: item.location)
                }
                // So are declared ones.
                if spec.values != nil, let declared = DeclaredGroups(spec), case .group(let group) = spec.reference,
                   !declared.names.contains(group) {
                    throw ProfileMapping.error("the reference group '\(MessageQuote.clipped(group))' is not one of the declared groups: \(declared.names.map { MessageQuote.clipped($0) }.joined(separator: ", "))",
                                               path: mapping.path(of: "reference"), at: item.location)
                }
            }
            if let problem = sensitiveColumnProblem(spec.column) {
                // (A one-hot attribute's name: is refused a '*' where it is read, in decodeOneHot.)
                let isMapping = if case .mapping = item.value { true } else { false }
                throw ProfileMapping.error(problem, path: isMapping ? "\(path).column" : path, at: item.location)
            }
            if let earlier = specs.first(where: { $0.column == spec.column }) {
                // A one-hot attribute's name is no column: two attributes share a name.
                throw ProfileMapping.error(earlier.oneHot == nil && spec.oneHot == nil
                                               ? "the sensitive column '\(spec.column)' is listed twice"
                                               : "two sensitive attributes are named '\(MessageQuote.clipped(spec.column))'; give each its own name",
                                           path: path, at: item.location)
            }
            specs.append(spec)
        }
        return specs
    }

    /// `name: race` with `one_hot: {white: race_white, black: race_black}`: one attribute
    /// whose group on a row is the one whose indicator column is 1 (``SensitiveSpec/oneHot``).
    /// Two or more groups, each a non-blank value with its own column. `column:` and
    /// `bins:`, `values:` or `other:` are refused beside it: the indicators name the groups.
    private static func decodeOneHot(_ node: ProfileNode, mapping: inout ProfileMapping, at location: SourceLocation) throws -> SensitiveSpec {
        let path = mapping.path(of: "one_hot")
        let expected = "a mapping of each group's value to its 0/1 indicator column, such as {white: race_white, black: race_black}"
        guard case .mapping(let pairs) = node.value else {
            throw ProfileMapping.error("expected \(expected), found \(node.kindName)", path: path, at: node.location)
        }
        guard pairs.count >= 2 else {
            throw ProfileMapping.error("expected two or more groups (\(expected)), found \(pairs.count): one indicator alone compares its 1s with its 0s; list it under column: for that",
                                       path: path, at: node.location)
        }
        var indicators: [SensitiveSpec.OneHotIndicator] = []
        for pair in pairs {
            let groupPath = "\(path).\(pair.key)"
            guard !pair.key.isEmpty, MessageQuote.firstBlankOnly([pair.key]) == nil else {
                throw ProfileMapping.error("expected a group's value, found '\(MessageQuote.spelled(pair.key))', which is blank: a group every table would print without a name",
                                           path: path, at: pair.keyLocation)
            }
            let column = try ProfileMapping.scalar(pair.value, path: groupPath, expected: "the name of the group's 0/1 indicator column")
            guard !column.isEmpty else {
                throw ProfileMapping.error("expected the name of the group's 0/1 indicator column, found an empty name", path: groupPath, at: pair.value.location)
            }
            indicators.append(SensitiveSpec.OneHotIndicator(group: pair.key, column: column))
        }
        if let (a, b) = MessageQuote.firstAlikeButForBlanks(indicators.map(\.group)) {
            throw ProfileMapping.error("the groups '\(MessageQuote.spelled(indicators[a].group))' and '\(MessageQuote.spelled(indicators[b].group))' \(MessageQuote.blankDifference(indicators[a].group, indicators[b].group)): two groups that print alike",
                                       path: path, at: pairs[b].keyLocation)
        }
        let nameNode = try mapping.requiredNode("name", expected: "the attribute's name in reports, rules and intersections, such as race")
        let name = try ProfileMapping.scalar(nameNode, path: mapping.path(of: "name"), expected: "the attribute's name, such as race")
        guard !name.isEmpty, !name.contains("*") else {
            throw ProfileMapping.error("expected the attribute's name, such as race, found '\(MessageQuote.clipped(name))'\(name.isEmpty ? "" : ": '*' joins the attributes of an intersection")",
                                       path: mapping.path(of: "name"), at: nameNode.location)
        }
        if let columnNode = mapping.node("column") {
            throw ProfileMapping.error("a one-hot attribute is read from its one_hot: columns; give name: and one_hot:, or column: alone",
                                       path: mapping.path(of: "column"), at: columnNode.location)
        }
        for key in ["bins", "values", "other"] {
            if let keyNode = mapping.node(key) {
                throw ProfileMapping.error("\(key): does not go with one_hot:, whose keys are the attribute's groups",
                                           path: mapping.path(of: key), at: keyNode.location)
            }
        }
        var spec = SensitiveSpec(column: name, location: location)
        spec.oneHot = indicators
        return spec
    }

    /// A one-hot attribute's groups are known from the profile: its `reference:` group and
    /// the values `labels:` names must be among them (or `unknown`, the missing rows' group).
    private static func checkOneHotGroupNames(_ spec: SensitiveSpec, groups: [String], mapping: ProfileMapping,
                                              at location: SourceLocation) throws {
        let known = groups + [MissingSensitivePolicy.unknownLabel]
        let listed = groups.map { MessageQuote.clipped($0) }.joined(separator: ", ")
        if case .group(let group) = spec.reference, !known.contains(group) {
            throw ProfileMapping.error("the reference group '\(MessageQuote.clipped(group))' is not one of the one_hot groups: \(listed)",
                                       path: mapping.path(of: "reference"), at: location)
        }
        for value in spec.labels.keys.sorted() where !known.contains(value) {
            throw ProfileMapping.error("labels: names '\(MessageQuote.clipped(value))', which is not one of the one_hot groups: \(listed)",
                                       path: mapping.path(of: "labels"), at: location)
        }
    }

    /// `values: [north, south, east, west]`: the groups a differentially private release
    /// names, in order, none twice; `other: NAME`: the group it counts every other value
    /// in, which needs `values`. Neither goes with `bins:`, whose edges name the groups.
    private static func decodeDeclaredValues(_ mapping: inout ProfileMapping, into spec: inout SensitiveSpec) throws {
        let valuesNode = mapping.node("values")
        let otherNode = mapping.node("other")
        if let valuesNode {
            let path = mapping.path(of: "values")
            let values = try ProfileMapping.stringList(valuesNode, path: path)
            guard !values.isEmpty else {
                throw ProfileMapping.error("expected the column's groups, such as [north, south, east, west]", path: path, at: valuesNode.location)
            }
            var seen = Set<String>()
            for value in values where !seen.insert(value).inserted {
                throw ProfileMapping.error("the value '\(MessageQuote.clipped(value))' is listed twice", path: path, at: valuesNode.location)
            }
            if spec.bins != nil {
                throw ProfileMapping.error("a column with bins has the bins' groups; give bins or values, not both", path: path, at: valuesNode.location)
            }
            spec.values = values
        }
        if let otherNode {
            let path = mapping.path(of: "other")
            let other = try ProfileMapping.scalar(otherNode, path: path, expected: "the name of the group for every value not in values, such as other")
            guard !other.isEmpty else {
                throw ProfileMapping.error("expected the name of the group for every value not in values, such as other", path: path, at: otherNode.location)
            }
            guard spec.values != nil else {
                throw ProfileMapping.error(spec.bins != nil
                                               ? "a column with bins has no other values: every number falls in a bin"
                                               : "other: names the group of every value outside values; give values too",
                                           path: path, at: otherNode.location)
            }
            spec.other = other
        }
    }

    /// `bins: [25, 35, 45, 55, 65]`: finite edges in strictly increasing order.
    private static func decodeBins(_ node: ProfileNode, path: String) throws -> SensitiveBins {
        let items = try ProfileMapping.sequence(node, path: path, expected: "increasing edges such as [25, 35, 45, 55, 65]")
        let edges = try items.enumerated().map { index, item in try ProfileMapping.number(item, path: "\(path)[\(index)]") }
        guard let bins = SensitiveBins(edges: edges) else {
            let written = edges.map(SensitiveBins.text).joined(separator: ", ")
            throw ProfileMapping.error("expected one or more edges in strictly increasing order such as [25, 35, 45, 55, 65], found [\(written)]",
                                       path: path, at: node.location)
        }
        return bins
    }

    private static func decodeReference(_ node: ProfileNode, path: String) throws -> SensitiveSpec.Reference {
        if case .mapping = node.value {
            var mapping = try ProfileMapping(node, path: path)
            let group = try mapping.requiredString("group", expected: "the reference group's value")
            try mapping.finish(allowed: ["group"])
            return .group(group)
        }
        let text = try ProfileMapping.scalar(node, path: path, expected: "a group's value, 'largest' or 'best'")
        switch text {
        case "largest": return .largest
        case "best": return .best
        default: return .group(text)
        }
    }

    private static func decodeIntersections(_ node: ProfileNode?, sensitive: [SensitiveSpec]) throws -> [[String]] {
        guard let node else { return [] }
        let items = try ProfileMapping.sequence(node, path: "intersections", expected: "lists of sensitive columns such as [ethnicity, gender]")
        return try items.enumerated().map { index, item in
            let path = "intersections[\(index)]"
            let columns = try ProfileMapping.stringList(item, path: path)
            guard columns.count >= 2, Set(columns).count == columns.count else {
                throw ProfileMapping.error("expected two or more different sensitive columns, found [\(columns.joined(separator: ", "))]",
                                           path: path, at: item.location)
            }
            for column in columns where !sensitive.contains(where: { $0.column == column }) {
                throw ProfileMapping.error("'\(column)' is not a sensitive column of this profile; list it under 'sensitive' first",
                                           path: path, at: item.location)
            }
            return columns
        }
    }

    /// `metrics:`, the group rates the report lists; each must be a catalog group rate.
    private static func decodeReportedMetrics(_ node: ProfileNode?) throws -> [String]? {
        guard let node else { return nil }
        let names = try ProfileMapping.stringList(node, path: "metrics")
        for name in names {
            var location = node.location
            location.field = "metrics"
            let metric = try Metric.named(name, at: location, context: " in 'metrics'")
            guard metric.groupMetric != nil else {
                throw FairleadError(.invalidProfile,
                                    "'\(name)' in 'metrics' is a \(metric.definition.family.rawValue); 'metrics' lists the group rates the report tables show (\(Metric.family(.groupRate).map(\.rawValue).joined(separator: ", ")))",
                                    at: location)
            }
        }
        return names
    }

    private static func decodeRules(_ node: ProfileNode?, decisions: [DecisionSpec], sensitive: [SensitiveSpec],
                                    intersections: [[String]]) throws -> [RuleSpec] {
        guard let node else { return [] }
        let items = try ProfileMapping.sequence(node, path: "rules", expected: "checks such as '- disparate_impact >= 0.8'")
        let attributeNames = sensitive.map(\.column) + intersections.map { $0.joined(separator: "*") }
        return try items.enumerated().map { index, item in
            let path = "rules[\(index)]"
            if case .scalar(let expression, _) = item.value {
                return try parseRule(expression, path: path, at: item.location)
            }
            var mapping = try ProfileMapping(item, path: path)
            let checkNode = try mapping.requiredNode("check", expected: "an expression such as 'disparate_impact >= 0.8'")
            let expression = try ProfileMapping.scalar(checkNode, path: mapping.path(of: "check"), expected: "an expression")
            var rule = try parseRule(expression, path: mapping.path(of: "check"), at: checkNode.location)
            if let attributes = try mapping.stringList("attributes") {
                // An empty list scopes the rule to nothing: it would never be judged.
                guard !attributes.isEmpty else {
                    throw ProfileMapping.error("an empty list applies the rule to no attribute, so it is never judged; list attributes (\(attributeNames.joined(separator: ", "))) or leave the key out for all",
                                               path: mapping.path(of: "attributes"), at: item.location)
                }
                if let twice = firstRepeated(attributes) {
                    throw ProfileMapping.error("'\(MessageQuote.clipped(twice))' is listed twice", path: mapping.path(of: "attributes"), at: item.location)
                }
                for name in attributes where !attributeNames.contains(name) {
                    throw ProfileMapping.error("'\(name)' is not an attribute of this profile; expected one of: \(attributeNames.joined(separator: ", "))",
                                               path: mapping.path(of: "attributes"), at: item.location)
                }
                rule.attributes = attributes
            }
            if let names = try mapping.stringList("decisions") {
                guard !names.isEmpty else {
                    throw ProfileMapping.error("an empty list applies the rule to no decision, so it is never judged; list decisions (\(decisions.map(\.name).joined(separator: ", "))) or leave the key out for all",
                                               path: mapping.path(of: "decisions"), at: item.location)
                }
                if let twice = firstRepeated(names) {
                    throw ProfileMapping.error("'\(MessageQuote.clipped(twice))' is listed twice", path: mapping.path(of: "decisions"), at: item.location)
                }
                for name in names where !decisions.contains(where: { $0.name == name }) {
                    throw ProfileMapping.error("'\(name)' is not a decision rule of this profile; expected one of: \(decisions.map(\.name).joined(separator: ", "))",
                                               path: mapping.path(of: "decisions"), at: item.location)
                }
                if let problem = scopeProblem(rule.metric, names: names, decisions: decisions) {
                    throw ProfileMapping.error(problem, path: mapping.path(of: "decisions"), at: item.location)
                }
                rule.decisions = names
            }
            try mapping.finish(allowed: ["check", "attributes", "decisions"])
            return rule
        }
    }

    /// Why a rule on `metric` scoped to the decisions `names` could never be judged at
    /// one of them, or `nil`: a metric measured at a top-k cutoff has none at a threshold
    /// or a prediction column (it was left unjudged, the audit saying only "no decision it
    /// applies to"), and a threshold-free queue metric is measured over every score
    /// whatever the decision (the scope was ignored, and the rule judged where it was
    /// not asked to be).
    public static func scopeProblem(_ metric: Metric, names: [String], decisions: [DecisionSpec]) -> String? {
        let topK = decisions.filter(\.isTopK).map(\.name)
        if metric.isAtTopKCutoff {
            guard let other = names.first(where: { !topK.contains($0) }) else { return nil }
            let offered = topK.isEmpty ? "the profile has none: add one such as '- top_k: 10%', or leave 'decisions' out for the default cutoff, the top 10%"
                : "list the profile's: \(topK.joined(separator: ", "))"
            return "\(metric) is measured at a top-k decision's cutoff, and '\(other)' is not a top-k decision, so the rule would never be judged there; \(offered)"
        }
        if metric.definition.family == .queue {
            return "\(metric) is measured over every score, whatever the decision (the lead queue, threshold-free), so a rule on it applies to no decision; leave 'decisions' out"
        }
        return nil
    }

    /// A rule written `METRIC OP NUMBER` outside a profile (`fairlead audit --rule`);
    /// errors name `source`.
    public static func rule(_ expression: String, source: String) throws -> RuleSpec {
        try parseRule(expression, path: "", at: SourceLocation(file: source))
    }

    /// Parses `METRIC OP NUMBER`, e.g. `disparate_impact >= 0.8`.
    static func parseRule(_ expression: String, path: String, at location: SourceLocation) throws -> RuleSpec {
        // `METRIC OP NUMBER`; the spaces around OP are optional (`disparate_impact>=0.8`).
        let pattern = /^\s*([A-Za-z0-9_]+)\s*(>=|<=|>|<)\s*(\S+)\s*$/
        guard let match = expression.wholeMatch(of: pattern),
              let comparison = RuleSpec.Comparison(rawValue: String(match.output.2)),
              let bound = decimal(String(match.output.3)) else {
            throw ProfileMapping.error("expected 'METRIC OP NUMBER' with OP one of >=, <=, >, < (such as 'disparate_impact >= 0.8'), found '\(MessageQuote.clipped(expression, limit: 80))'",
                                       path: path, at: location)
        }
        let parts = [String(match.output.1)]
        var field = location
        field.field = path.isEmpty ? nil : path
        let metric = try Metric.named(parts[0], at: field, context: " in rule '\(expression)'")
        let rule = RuleSpec(metric: metric, comparison: comparison, bound: bound, location: location)
        if let decided = rule.decidedByRange {
            let definition = metric.definition
            throw ProfileMapping.error("the rule '\(MessageQuote.clipped(expression, limit: 80))' can never \(decided ? "fail" : "pass"): \(metric) lies in \(definition.rangeText) (fairlead metrics); was the bound meant to be another number?",
                                       path: path, at: location)
        }
        return rule
    }

    private static func decodeSettings(_ node: ProfileNode?) throws -> Settings {
        var settings = Settings()
        guard let node else { return settings }
        var mapping = try ProfileMapping(node, path: "settings")
        if let size = try mapping.integer("min_group_size", atLeast: 1) { settings.minimumGroupSize = size }
        if let level = try mapping.double("interval_level") {
            guard level > 0, level < 1 else {
                throw ProfileMapping.error("expected a level between 0 and 1 such as 0.95, found \(level)",
                                           path: mapping.path(of: "interval_level"), at: node.location)
            }
            settings.intervalLevel = level
        }
        if let replicates = try mapping.integer("bootstrap", atLeast: 0) {
            if let problem = settings.replicatesProblem(replicates) {
                throw ProfileMapping.error(problem, path: mapping.path(of: "bootstrap"),
                                           at: mapping.node("bootstrap")?.location ?? node.location)
            }
            settings.bootstrapReplicates = replicates
        }
        if let seed = try mapping.integer("seed", atLeast: 0) { settings.seed = UInt64(seed) }
        if let verdict = try mapping.string("verdict") {
            guard let mode = VerdictMode(rawValue: verdict) else {
                throw ProfileMapping.error("expected 'point' (judge the value) or 'interval' (judge its simultaneous interval), found '\(MessageQuote.clipped(verdict, limit: 80))'",
                                           path: mapping.path(of: "verdict"), at: node.location)
            }
            settings.verdict = mode
        }
        try mapping.finish(allowed: ["min_group_size", "interval_level", "bootstrap", "seed", "verdict"])
        return settings
    }

    private static func decodeModel(_ node: ProfileNode?) throws -> ModelSpec? {
        guard let node else { return nil }
        var mapping = try ProfileMapping(node, path: "model")
        let pathNode = try mapping.requiredNode("path", expected: "the model file")
        let path = resolve(try ProfileMapping.path(pathNode, path: "model.path", expected: "the model file"),
                           relativeTo: pathNode.location.file)
        var spec = ModelSpec(path: path)
        if let explainer = try mapping.string("explainer") {
            let known = ["tree", "tree-interventional", "linear", "kernel"]
            guard known.contains(explainer) else {
                throw ProfileMapping.error("expected one of \(known.joined(separator: ", ")), found '\(MessageQuote.clipped(explainer, limit: 80))'",
                                           path: mapping.path(of: "explainer"), at: node.location)
            }
            spec.explainer = explainer
        }
        if let backgroundNode = mapping.node("background") {
            spec.background = resolve(try ProfileMapping.path(backgroundNode, path: "model.background", expected: "a CSV file"),
                                      relativeTo: backgroundNode.location.file)
        }
        if let levelsNode = mapping.node("baseline_levels") {
            var levels = try ProfileMapping(levelsNode, path: mapping.path(of: "baseline_levels"))
            spec.baselineLevels = try levels.allStrings()
        }
        try mapping.finish(allowed: ["path", "explainer", "background", "baseline_levels"])
        return spec
    }

    /// `0.3` → "0.3", `10.0` → "10": numbers as people write them, for default names.
    static func compactNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

extension ProfileMapping {
    /// Every key of this mapping with a text value (for free-form maps such as `labels`).
    mutating func allStrings() throws -> [String: String] {
        var result: [String: String] = [:]
        for key in keys {
            result[key] = try string(key)
        }
        return result
    }
}
