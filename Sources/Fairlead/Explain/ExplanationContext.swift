import FairleadCore

/// What both `fairlead explain` and an audit's explanations section need before the
/// first lead: the model and its explainer, the reference rows (typical values, proxy
/// detection, background), the proxy measures and the features reps never see.
struct ExplanationContext: Sendable {
    let model: any Model
    let modelPath: String
    let method: AttributionMethod
    let explainer: any Explainer
    /// The attributions' base value (the typical lead's margin).
    let baseValue: Double
    let referencePath: String
    let reference: LeadBatch
    let referenceSources: FeatureSources
    let typical: TypicalValues
    /// Every source × sensitive attribute of the reference (a source that is the attribute left out).
    let measures: [ProxyMeasures]
    let withheld: [String: ReasonCodes.Withholding]
    let spec: AuditProfile.ExplanationsSpec
    let sensitive: [String]

    /// Loads the model (unless given), reads up to `spec.referenceRows` rows of
    /// `referencePath` (unless given: an audit has them from its one read of the data),
    /// and works out typical values, proxies and what is withheld.
    static func make(modelPath: String, method requested: AttributionMethod?, backgroundPath: String?,
                     referencePath: String, sensitive: [String], spec: AuditProfile.ExplanationsSpec,
                     missingMarkers: Set<String>, model loaded: (any Model)? = nil,
                     reference given: (batch: LeadBatch, sources: FeatureSources)? = nil) throws -> ExplanationContext {
        let model = try loaded ?? ModelLoader.load(contentsOf: modelPath)
        let method = requested ?? AttributionMethod.defaultMethod(for: model)
        let (read, sources) = try given ?? readReference(referencePath, model: model, sensitive: sensitive, spec: spec,
                                                         missingMarkers: missingMarkers)
        guard read.count > 0 else {
            throw FairleadError(.invalidData, "the reference data has no rows; typical values need some",
                                at: SourceLocation(file: referencePath))
        }
        let reference = read
        let sourceNames = sources.sources.map(\.name)
        try spec.validateNames(sources: sourceNames, sensitive: sensitive)
        var typical = TypicalValues.Accumulator(sources: sources)
        typical.add(reference)
        let features = reference.proxyFeatures(sources)
        let measures = reference.attributes.flatMap { attribute in
            features.filter { $0.name != attribute.name }.map { ProxyMeasures.measure($0, against: attribute) }
        }
        var withheld: [String: ReasonCodes.Withholding] = [:]
        for measure in measures where !measure.exceeded(spec.thresholds).isEmpty && withheld[measure.feature] == nil {
            withheld[measure.feature] = .detectedProxy(attribute: measure.attribute)
        }
        for proxy in spec.proxies { withheld[proxy] = .declaredProxy }
        for column in sensitive where sourceNames.contains(column) { withheld[column] = .sensitive }
        for allowed in spec.allowInReasons { withheld[allowed] = nil }
        let explainer = try makeExplainer(model: model, method: method, backgroundPath: backgroundPath,
                                          reference: reference.features, missingMarkers: missingMarkers, rows: spec.referenceRows)
        let probe = reference.subset([0]).features
        let baseValue = try explainer.explain(probe, threads: 1).baseValue
        return ExplanationContext(model: model, modelPath: modelPath, method: method, explainer: explainer, baseValue: baseValue,
                                  referencePath: referencePath, reference: reference, referenceSources: sources,
                                  typical: typical.result(), measures: measures, withheld: withheld, spec: spec,
                                  sensitive: sensitive)
    }

    /// Up to `spec.referenceRows` rows of the reference file, with the sensitive columns it has.
    private static func readReference(_ path: String, model: any Model, sensitive: [String], spec: AuditProfile.ExplanationsSpec,
                                      missingMarkers: Set<String>) throws -> (batch: LeadBatch, sources: FeatureSources) {
        let header = try CSVReader.headerNames(path: path)
        let attributes = sensitive.filter(header.contains)
        let reader = try LeadReader(path: path, featureNames: model.featureNames, idColumn: nil,
                                    attributeColumns: attributes, missingMarkers: missingMarkers)
        var batches: [LeadBatch] = []
        var rows = 0
        while rows < spec.referenceRows, let batch = try reader.next(maxRows: min(65_536, spec.referenceRows - rows)) {
            batches.append(batch)
            rows += batch.count
        }
        guard let reference = LeadBatch.joined(batches) else {
            throw FairleadError(.invalidData, "the reference data has no rows; typical values need some",
                                at: SourceLocation(file: path))
        }
        return (reference, reader.sources)
    }

    /// Path-dependent TreeSHAP through its cached form (the same values, faster on many
    /// leads); other methods against the background file, or the reference rows.
    private static func makeExplainer(model: any Model, method: AttributionMethod, backgroundPath: String?,
                                      reference: Matrix, missingMarkers: Set<String>, rows: Int) throws -> any Explainer {
        if method == .tree, let ensemble = model as? TreeEnsemble {
            return try CachedTreeSHAP(model: ensemble)
        }
        var background = reference
        if let backgroundPath {
            let reader = try LeadReader(path: backgroundPath, featureNames: model.featureNames, idColumn: nil,
                                        missingMarkers: missingMarkers)
            guard let batch = try reader.next(maxRows: rows) else {
                throw FairleadError(.invalidData, "the background data has no rows", at: SourceLocation(file: backgroundPath))
            }
            background = batch.features
        }
        do {
            return try method.explainer(for: model, background: background, explained: background)
        } catch let error as FairleadError where error.kind == .usage {
            throw FairleadError(.invalidProfile, error.message.replacingOccurrences(of: "--method", with: "explainer"))
        }
    }

    /// Reason codes for leads read with `sources` (the explained file's header may derive
    /// features differently from the reference's; the sources line up by name).
    func reasons(for sources: FeatureSources) -> ReasonCodes {
        let byName = Dictionary(zip(referenceSources.sources.map(\.name), typical.values), uniquingKeysWith: { first, _ in first })
        let typical = TypicalValues(values: sources.sources.map { byName[$0.name] ?? .unknown })
        return ReasonCodes(sources: sources, typical: typical, templates: spec.templates, top: spec.top,
                           withheld: withheld, link: model.link)
    }
}
