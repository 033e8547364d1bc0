import FairleadCore

extension AuditProfile {
    /// The `explanations:` section of a profile: how reasons read, what reps never see,
    /// and when a feature counts as a proxy of a sensitive attribute (docs/explanations.md).
    ///
    ///     explanations:
    ///       top: 3                              # reasons each way per lead
    ///       proxies: [postal_area]              # declared proxies: never a reason
    ///       allow_in_reasons: []                # sensitive or proxy features reps may see anyway
    ///       proxy_thresholds: {cramers_v: 0.3, correlation_ratio: 0.3, auc: 0.7, multivariate_auc: 0.8}
    ///       multivariate: {folds: 5, l2: 1.0}
    ///       reference: ../leads/leads-sample.csv   # typical values and proxy detection (default: data.path)
    ///       reference_rows: 100000
    ///       templates:
    ///         numeric: {raises: "{Label} is {value}, {comparison} the typical {typical}"}
    ///         strongest_for: the strongest reason for this score
    ///       features:
    ///         pricing_page_views:
    ///           label: pricing page views
    ///           raises: Visited the pricing page {value} times
    ///         lead_source:
    ///           values: {web_form: a web form}
    ///
    /// Feature names are checked against the model, and matched to its source columns, when
    /// it is loaded (``ExplanationsSpec/resolved(by:sensitive:)``).
    public struct ExplanationsSpec: Sendable, Equatable {
        /// A feature named in the section, where it was written.
        public struct NameReference: Sendable, Equatable {
            /// The name as written.
            public var name: String
            /// The key path, e.g. `explanations.features.pricing_page_views`.
            public var path: String
            /// Where it was written.
            public var location: SourceLocation?
        }

        /// Reasons per direction and lead (default 3).
        public var top: Int
        /// Features the profile declares to be proxies of a sensitive attribute.
        public var proxies: [String]
        /// Sensitive or proxy features that may be given as reasons all the same.
        public var allowInReasons: [String]
        /// When a feature, or all features together, count as a proxy.
        public var thresholds: ProxyThresholds
        /// Folds of the multivariate check's cross-validation (default 5).
        public var folds: Int
        /// The multivariate check's L2 penalty on standardized features (default 1).
        public var l2: Double
        /// The data typical values and proxy detection come from; nil: the model's
        /// background, else the profile's data, else the explained file.
        public var reference: String?
        /// At most this many reference rows are read (the first ones; default 100,000).
        public var referenceRows: Int
        /// The sentences reasons are written in.
        public var templates: ReasonTemplates
        /// Every feature the section names, for checking against the model.
        public var names: [NameReference]

        /// A section with every default.
        public init(top: Int = 3, proxies: [String] = [], allowInReasons: [String] = [],
                    thresholds: ProxyThresholds = ProxyThresholds(), folds: Int = 5, l2: Double = 1,
                    reference: String? = nil, referenceRows: Int = 100_000, templates: ReasonTemplates = .standard,
                    names: [NameReference] = []) {
            self.top = top
            self.proxies = proxies
            self.allowInReasons = allowInReasons
            self.thresholds = thresholds
            self.folds = folds
            self.l2 = l2
            self.reference = reference
            self.referenceRows = referenceRows
            self.templates = templates
            self.names = names
        }

        /// This section with every name it uses — `proxies`, `allow_in_reasons`, the keys
        /// of `features` — as the source column it stands for
        /// (``FeatureSources/sourceName(for:)``, the one-hot spellings of
        /// ``SourceColumnMatcher``): `sex`, `sex_Female` and `sex=Female` all name `sex`.
        /// When two `features` keys name one source, the key spelt as the source wins.
        ///
        /// - Throws: `FairleadError(.invalidProfile)` at the name's file, line and key path
        ///   for a name that is no source column of the model (nor, for `proxies` and
        ///   `allow_in_reasons`, a sensitive column), with the closest names.
        public func resolved(by sources: FeatureSources, sensitive: [String]) throws -> ExplanationsSpec {
            let sourceNames = sources.sources.map(\.name)
            for reference in names where sources.sourceName(for: reference.name) == nil {
                let isFeatureWording = reference.path.hasPrefix("explanations.features")
                if !isFeatureWording && sensitive.contains(reference.name) { continue }
                let known = isFeatureWording ? sourceNames : sourceNames + sensitive.filter { !sourceNames.contains($0) }
                let near = typoNames(of: reference.name, in: known)
                let hint = near.isEmpty ? "the model's features are: \(sourceNames.joined(separator: ", "))"
                    : "closest: \(near.joined(separator: ", "))"
                throw ProfileMapping.error("'\(reference.name)' is not a feature of the model; \(hint)",
                                           path: reference.path, at: reference.location ?? SourceLocation())
            }
            func source(_ name: String) -> String { sources.sourceName(for: name) ?? name }
            var copy = self
            copy.proxies = proxies.map(source)
            copy.allowInReasons = allowInReasons.map(source)
            var wordings: [String: ReasonTemplates.FeatureWording] = [:]
            for key in templates.features.keys.sorted() {
                guard let wording = templates.features[key] else { continue }
                let name = source(key)
                if wordings[name] == nil || key == name { wordings[name] = wording }
            }
            copy.templates.features = wordings
            return copy
        }
    }

    static let explanationsKeys = ["top", "proxies", "allow_in_reasons", "proxy_thresholds", "multivariate", "reference",
                                   "reference_rows", "templates", "features"]

    static func decodeExplanations(_ node: ProfileNode?) throws -> ExplanationsSpec? {
        guard let node else { return nil }
        var mapping = try ProfileMapping(node, path: "explanations")
        var spec = ExplanationsSpec()
        if let top = try mapping.integer("top", atLeast: 1) { spec.top = top }
        spec.proxies = try names(mapping.node("proxies"), path: "explanations.proxies", into: &spec.names)
        spec.allowInReasons = try names(mapping.node("allow_in_reasons"), path: "explanations.allow_in_reasons", into: &spec.names)
        if let thresholds = mapping.node("proxy_thresholds") {
            spec.thresholds = try decodeThresholds(thresholds)
        }
        if let multivariate = mapping.node("multivariate") {
            var settings = try ProfileMapping(multivariate, path: "explanations.multivariate")
            if let folds = try settings.integer("folds", atLeast: 2) { spec.folds = folds }
            if let l2 = try settings.double("l2") {
                guard l2 > 0 else {
                    throw ProfileMapping.error("expected a penalty > 0 such as 1.0, found \(l2)",
                                               path: settings.path(of: "l2"), at: multivariate.location)
                }
                spec.l2 = l2
            }
            try settings.finish(allowed: ["folds", "l2"])
        }
        if let referenceNode = mapping.node("reference") {
            spec.reference = resolve(try ProfileMapping.path(referenceNode, path: "explanations.reference", expected: "a CSV file"),
                                     relativeTo: referenceNode.location.file)
        }
        if let rows = try mapping.integer("reference_rows", atLeast: 10) { spec.referenceRows = rows }
        if let templates = mapping.node("templates") {
            try decodeTemplates(templates, into: &spec.templates)
        }
        if let features = mapping.node("features") {
            try decodeFeatureWordings(features, into: &spec)
        }
        try mapping.finish(allowed: explanationsKeys)
        return spec
    }

    /// A list of feature names, each remembered with where it was written.
    private static func names(_ node: ProfileNode?, path: String, into references: inout [ExplanationsSpec.NameReference]) throws -> [String] {
        guard let node else { return [] }
        let items: [ProfileNode]
        if case .scalar = node.value { items = [node] } else {
            items = try ProfileMapping.sequence(node, path: path, expected: "feature names such as [postal_area]")
        }
        return try items.enumerated().map { index, item in
            let itemPath = "\(path)[\(index)]"
            let name = try ProfileMapping.scalar(item, path: itemPath, expected: "a feature name")
            references.append(.init(name: name, path: itemPath, location: item.location))
            return name
        }
    }

    private static func decodeThresholds(_ node: ProfileNode) throws -> ProxyThresholds {
        var mapping = try ProfileMapping(node, path: "explanations.proxy_thresholds")
        var thresholds = ProxyThresholds()
        func bounded(_ key: String, _ range: ClosedRange<Double>, _ example: String) throws -> Double? {
            guard let value = try mapping.double(key) else { return nil }
            guard range.contains(value) else {
                throw ProfileMapping.error("expected a value between \(range.lowerBound) and \(range.upperBound) such as \(example), found \(value)",
                                           path: mapping.path(of: key), at: node.location)
            }
            return value
        }
        if let v = try bounded("cramers_v", 0...1, "0.3") { thresholds.cramersV = v }
        if let eta = try bounded("correlation_ratio", 0...1, "0.3") { thresholds.correlationRatio = eta }
        if let auc = try bounded("auc", 0.5...1, "0.7") { thresholds.auc = auc }
        if let information = try bounded("mutual_information", 0...100, "0.1") { thresholds.mutualInformation = information }
        if let auc = try bounded("multivariate_auc", 0.5...1, "0.8") { thresholds.multivariateAUC = auc }
        try mapping.finish(allowed: ["cramers_v", "correlation_ratio", "auc", "mutual_information", "multivariate_auc"])
        return thresholds
    }

    /// A template at `path`, its syntax errors located there.
    private static func template(_ node: ProfileNode, path: String) throws -> ReasonTemplate {
        let text = try ProfileMapping.scalar(node, path: path, expected: "a sentence such as 'Visited the pricing page {value} times'")
        do {
            return try ReasonTemplate(text)
        } catch let error as FairleadError {
            throw ProfileMapping.error(error.message, path: path, at: node.location)
        }
    }

    private static func decodeTemplates(_ node: ProfileNode, into templates: inout ReasonTemplates) throws {
        var mapping = try ProfileMapping(node, path: "explanations.templates")
        for kind in ["numeric", "categorical"] {
            guard let kindNode = mapping.node(kind) else { continue }
            var phrasing = try ProfileMapping(kindNode, path: mapping.path(of: kind))
            var current = kind == "numeric" ? templates.numeric : templates.categorical
            if let raises = phrasing.node("raises") { current.raises = try template(raises, path: phrasing.path(of: "raises")) }
            if let lowers = phrasing.node("lowers") { current.lowers = try template(lowers, path: phrasing.path(of: "lowers")) }
            try phrasing.finish(allowed: ["raises", "lowers"])
            if kind == "numeric" { templates.numeric = current } else { templates.categorical = current }
        }
        if let missing = mapping.node("missing") { templates.missing = try template(missing, path: mapping.path(of: "missing")) }
        func emphasis(_ key: String) throws -> String? {
            guard let text = try mapping.string(key) else { return nil }
            guard text.count <= ReasonTemplate.maximumCharacters else {
                throw ProfileMapping.error("is longer than \(ReasonTemplate.maximumCharacters) characters, the most a reason's sentence may be",
                                           path: mapping.path(of: key), at: mapping.node(key)?.location ?? node.location)
            }
            return text
        }
        if let strongest = try emphasis("strongest_for") { templates.strongestFor = strongest }
        if let strongest = try emphasis("strongest_against") { templates.strongestAgainst = strongest }
        try mapping.finish(allowed: ["numeric", "categorical", "missing", "strongest_for", "strongest_against"])
    }

    private static func decodeFeatureWordings(_ node: ProfileNode, into spec: inout ExplanationsSpec) throws {
        var features = try ProfileMapping(node, path: "explanations.features")
        for name in features.keys {
            guard let featureNode = features.node(name) else { continue }
            let path = features.path(of: name)
            spec.names.append(.init(name: name, path: path, location: featureNode.location))
            var mapping = try ProfileMapping(featureNode, path: path)
            var wording = ReasonTemplates.FeatureWording()
            wording.label = try mapping.string("label")
            if let raises = mapping.node("raises") { wording.raises = try template(raises, path: mapping.path(of: "raises")) }
            if let lowers = mapping.node("lowers") { wording.lowers = try template(lowers, path: mapping.path(of: "lowers")) }
            if let missing = mapping.node("missing") { wording.missing = try template(missing, path: mapping.path(of: "missing")) }
            if let values = mapping.node("values") {
                var valueMapping = try ProfileMapping(values, path: mapping.path(of: "values"))
                wording.values = try valueMapping.allStrings()
            }
            try mapping.finish(allowed: ["label", "raises", "lowers", "missing", "values"])
            spec.templates.features[name] = wording
        }
        try features.finish(allowed: features.keys)
    }
}
