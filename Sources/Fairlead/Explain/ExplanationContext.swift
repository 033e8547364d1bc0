import FairleadCore

/// What both `fairlead explain` and an audit's explanations section need before the
/// first lead: the model and its explainer, the reference rows (typical values, proxy
/// detection, background), the proxy measures and the features reps never see.
///
/// Every name a person gives — a sensitive column, a declared proxy, an allowed feature,
/// a wording key — is matched to a source column once, here, by
/// ``FeatureSources/sourceName(for:)`` (``SourceColumnMatcher``'s one-hot spellings), so
/// `--sensitive sex` withholds `sex_Female` and `sex_Male` and a profile may name either.
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
    /// The profile's section with every name it uses resolved to a source column.
    let spec: AuditProfile.ExplanationsSpec
    let sensitive: [String]
    /// Column names one-hot features may derive from besides a file's header: the
    /// sensitive columns, the names the section uses and the reference's sources, so
    /// that every file explained groups features as the reference did.
    let knownColumns: [String]
    /// Per one-hot column, the level its encoding dropped (`model.baseline_levels`,
    /// `--baseline-level`), and where it was declared, for every file read.
    let baselineLevels: [String: String]
    let baselineField: String

    /// Loads the model (unless given), reads up to `spec.referenceRows` rows of
    /// `referencePath` (unless given: an audit has them from its one read of the data, its
    /// sources with `baselineLevels` declared already),
    /// and works out typical values, proxies and what is withheld. KernelSHAP's working
    /// memory on `threads` threads is checked against `limits.memoryBudgetBytes` before
    /// any lead is explained.
    ///
    /// - Throws: with `requireSensitiveColumns`, `FairleadError(.usage)` for a sensitive
    ///   column that is neither a column of the reference file nor the source of a model
    ///   feature, with the closest names.
    static func make(modelPath: String, method requested: AttributionMethod?, backgroundPath: String?,
                     referencePath: String, sensitive: [String], spec given: AuditProfile.ExplanationsSpec,
                     missingMarkers: Set<String>, requireSensitiveColumns: Bool = false, model loaded: (any Model)? = nil,
                     limits: Limits = Limits(), threads: Int = 1, backgroundOption: String = "--background",
                     baselineLevels: [String: String] = [:], baselineField: String = "--baseline-level",
                     reference provided: (batch: LeadBatch, sources: FeatureSources, header: [String])? = nil) throws -> ExplanationContext {
        let model = try loaded ?? ModelLoader.load(contentsOf: modelPath, limits: limits)
        let method = requested ?? AttributionMethod.defaultMethod(for: model)
        let written = sensitive + given.names.map(\.name) + given.proxies + given.allowInReasons
        let named = written + SourceColumnMatcher.indicatorColumns(of: written, among: model.featureNames)
        // Provided sources carry their declared baseline levels (the audit declared them on its read).
        let (reference, sources, header) = try provided.map { ($0.batch, $0.sources, $0.header) }
            ?? readReference(referencePath, model: model, sensitive: sensitive, knownColumns: named,
                             rows: given.referenceRows, missingMarkers: missingMarkers, limits: limits,
                             baselineLevels: baselineLevels, baselineField: baselineField)
        if requireSensitiveColumns {
            try checkSensitive(sensitive, header: header, sources: sources, file: referencePath)
        }
        let spec = try given.resolved(by: sources, sensitive: sensitive)
        guard reference.count > 0 else {
            throw FairleadError(.invalidData, "the reference data has no rows; typical values need some",
                                at: SourceLocation(file: referencePath))
        }
        let sourceNames = sources.sources.map(\.name)
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
        // A feature named like a protected attribute (as `init` recognizes one) that no
        // sensitive column declares is withheld all the same — the safe side — and named
        // in a warning (``LeadExplanations/undeclaredSensitive``).
        for source in sourceNames where ProfileSniffer.looksSensitive(source) { withheld[source] = .undeclaredSensitive }
        for proxy in spec.proxies { withheld[proxy] = .declaredProxy }
        for column in sensitive {
            if let source = sources.sourceName(for: column) { withheld[source] = .sensitive }
        }
        for allowed in spec.allowInReasons { withheld[allowed] = nil }
        let explainer: any Explainer
        do {
            explainer = try makeExplainer(model: model, method: method, backgroundPath: backgroundPath,
                                          reference: reference.features, missingMarkers: missingMarkers, rows: spec.referenceRows,
                                          limits: limits)
        } catch let error as FairleadError {
            throw ExplainerFailure.located(error, modelPath: modelPath, backgroundPath: backgroundPath, dataPath: referencePath,
                                           backgroundOption: backgroundOption, limits: limits)
        }
        try (explainer as? KernelSHAP)?.checkWorkingMemory(threads: threads, limits: limits)
        let probe = reference.subset([0]).features
        let probed = try explainer.explain(probe, threads: 1)
        // Checked before any output: the header of every format is written from it.
        try probed.requireFiniteBaseValue()
        let baseValue = probed.baseValue
        return ExplanationContext(model: model, modelPath: modelPath, method: method, explainer: explainer, baseValue: baseValue,
                                  referencePath: referencePath, reference: reference, referenceSources: sources,
                                  typical: typical.result(), measures: measures, withheld: withheld, spec: spec,
                                  sensitive: sensitive, knownColumns: named + sourceNames,
                                  baselineLevels: baselineLevels, baselineField: baselineField)
    }

    /// Stops at the first sensitive column that is neither a column of the file nor the
    /// source of a model feature: a misspelt column would otherwise withhold nothing.
    private static func checkSensitive(_ sensitive: [String], header: [String], sources: FeatureSources, file: String) throws {
        for column in sensitive where !header.contains(column) && sources.sourceName(for: column) == nil {
            // Columns, sources, and what a one-hot feature's name may start with (`sex` of
            // `sex_Female`, when `sexx` was meant for it).
            var candidates = header
            for name in sources.sources.map(\.name) + sources.featureNames {
                var prefix = ""
                for character in name {
                    if SourceColumnMatcher.separators.contains(character), !prefix.isEmpty, !candidates.contains(prefix) {
                        candidates.append(prefix)
                    }
                    prefix.append(character)
                }
                if !candidates.contains(name) { candidates.append(name) }
            }
            let near = typoNames(of: column, in: candidates)
            let hint = near.isEmpty ? "" : " (did you mean \(near.map { "'\($0)'" }.joined(separator: " or "))?)"
            throw FairleadError(.usage, "the sensitive column '\(column)' is neither a column of \(file) nor the source of any model feature\(hint)")
        }
    }

    /// Up to `rows` rows of the reference file, with the sensitive columns it has, and its header.
    private static func readReference(_ path: String, model: any Model, sensitive: [String], knownColumns: [String],
                                      rows limit: Int, missingMarkers: Set<String>, limits: Limits,
                                      baselineLevels: [String: String], baselineField: String) throws
        -> (batch: LeadBatch, sources: FeatureSources, header: [String]) {
        var options = CSVOptions()
        options.limits = limits
        let header = try CSVReader.headerNames(path: path, options: options)
        // A sensitive name that is itself a model feature (an indicator, `sex_Female`) is
        // read once, as the feature; its column is withheld through the sources.
        let attributes = sensitive.filter { header.contains($0) && !model.featureNames.contains($0) }
        let reader = try LeadReader(path: path, featureNames: model.featureNames, idColumn: nil,
                                    attributeColumns: attributes, knownColumns: knownColumns, missingMarkers: missingMarkers,
                                    limits: limits, baselineLevels: baselineLevels, baselineField: baselineField)
        var batches: [LeadBatch] = []
        var rows = 0
        while rows < limit, let batch = try reader.next(maxRows: min(65_536, limit - rows)) {
            batches.append(batch)
            rows += batch.count
        }
        guard let reference = LeadBatch.joined(batches) else {
            throw FairleadError(.invalidData, "the reference data has no rows; typical values need some",
                                at: SourceLocation(file: path))
        }
        return (reference, reader.sources, header)
    }

    /// Path-dependent TreeSHAP through its cached form (the same values, faster on many
    /// leads); other methods against the background file, read within `limits` as the
    /// data is, or the reference rows.
    private static func makeExplainer(model: any Model, method: AttributionMethod, backgroundPath: String?,
                                      reference: Matrix, missingMarkers: Set<String>, rows: Int,
                                      limits: Limits) throws -> any Explainer {
        if method == .tree, let ensemble = model as? TreeEnsemble {
            return try CachedTreeSHAP(model: ensemble)
        }
        var background = reference
        if let backgroundPath {
            let reader = try LeadReader(path: backgroundPath, featureNames: model.featureNames, idColumn: nil,
                                        missingMarkers: missingMarkers, limits: limits)
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
