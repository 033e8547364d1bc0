import FairleadCore
import Foundation

/// Reason codes for sales reps, from a profile or from a model and a data file: the
/// library side of `fairlead explain`.
///
///     let profile = try AuditProfile.load(path: "fixtures/profiles/leads-explanations.yaml")
///     let explanations = try LeadExplanations(profile: profile)
///     for lead in try explanations.explain(ids: ["L0000042"]) {
///         print(lead.score, lead.raising.map(\.text), lead.withheld)
///     }
///     // A whole file, streamed as CSV with bounded memory:
///     try explanations.run(format: .csv) { FileHandle.standardOutput.write(Data($0)) }
///
/// Before the first lead it reads the reference rows (`explanations.reference`, else the
/// model's background, else the profile's data, else the explained file; at most
/// `reference_rows`): typical values come from them, and so does proxy detection, whose
/// flagged features join the sensitive columns and the declared proxies in what reps
/// never see (``withheld``) — unless `allow_in_reasons` names them. So do features named
/// like a sensitive attribute that no sensitive column declares (``undeclaredSensitive``,
/// which a caller should warn about).
public struct LeadExplanations: Sendable {
    let context: ExplanationContext
    /// The file of leads explained.
    public let dataPath: String
    /// The id column (nil: ids are row numbers).
    public let idColumn: String?
    /// Threads for attributions, reasons and formatting.
    public let threads: Int
    /// Cell values read as missing.
    public let missingMarkers: Set<String>
    /// The bounds the data file is read within.
    public let limits: Limits
    /// Keyed pseudonyms of the ids (`privacy.pseudonymize_ids`): every id read from the
    /// id column is replaced by its pseudonym before it is explained, and `ids` asked for
    /// are raw ids, pseudonymized to be found. `nil`: ids as in the file.
    public var pseudonymizer: LeadPseudonymizer?
    /// The consent column and purpose (`data.consent`): a lead without consent is skipped,
    /// unexplained, and counted (``ExplanationStream/Summary/leadsWithoutConsent``).
    public var consent: AuditProfile.ConsentSpec?
    /// The data's column of recorded scores (the profile's `data.score`): when the file
    /// has it, the model's score of each lead explained is compared with it
    /// (``ExplanationStream/Summary/scoreAgreement``). `nil`: nothing is compared.
    public var scoreColumn: String?
    /// The reasons of leads read against the reference's columns (records, ``explain(records:)``),
    /// worded once here rather than per request.
    let recordReasons: ReasonCodes
    /// The model's features grouped by the reference's source columns, for records; made
    /// once (building it per request hashed every feature name: 7% of `fairlead serve`'s CPU).
    let recordGroups: FeatureGroups

    /// Explanations as `profile` describes them (its `model:`, `explanations:`, sensitive
    /// columns and id column), of `dataPath` or the profile's data.
    ///
    /// - Throws: `FairleadError(.usage)` when the profile names no model or no data;
    ///   `.invalidProfile` for a feature the model lacks; the model's and data's errors.
    ///
    /// With `privacy.pseudonymize_ids: true` the key is loaded (`reading` confines a key
    /// file like the profile's other paths) and ids are pseudonymized.
    public init(profile: AuditProfile, dataPath: String? = nil,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                reading: ProfileReading = ProfileReading()) throws {
        let pseudonymizer = try profile.privacy?.pseudonymizer(reading: reading)
        guard let model = profile.model else {
            throw FairleadError(.usage, "the profile '\(profile.name)' names no model (model.path); explanations need one")
        }
        let data = try profile.dataFile(given: dataPath)
        let method = try model.explainer.map { name -> AttributionMethod in
            guard let method = AttributionMethod(rawValue: name) else {
                throw FairleadError(.invalidProfile, "unknown explainer '\(name)'", at: SourceLocation(field: "model.explainer"))
            }
            return method
        }
        let spec = profile.explanations ?? AuditProfile.ExplanationsSpec()
        // The profile's sensitive columns are checked against its audit data; a file of
        // leads for reps, or a background file, usually lacks them.
        try self.init(modelPath: model.path, dataPath: data, idColumn: profile.data.id,
                      sensitive: profile.sensitive.map(\.column), explanations: spec, method: method,
                      background: model.background, reference: spec.reference ?? model.background ?? profile.data.path,
                      missingMarkers: profile.missingMarkers, threads: threads,
                      limits: profile.limits, baselineLevels: model.baselineLevels, baselineField: "model.baseline_levels",
                      requireSensitiveColumns: false)
        self.pseudonymizer = pseudonymizer
        self.consent = profile.data.consent
        self.scoreColumn = profile.data.score
    }

    /// Explanations of `dataPath` by the model at `modelPath`. Without `idColumn`, ids
    /// are `lead_id` when the file has it, else row numbers; `sensitive` columns are never
    /// reasons, however the model encodes them (`sex` withholds `sex_Female` and
    /// `sex_Male`), and are what proxy detection measures against.
    ///
    /// - Throws: `FairleadError(.usage)` for a sensitive column that is neither a column
    ///   of the reference file (`reference`, else `dataPath`) nor the source of a model
    ///   feature, with the closest names, and for `baselineLevels` that are not levels a
    ///   one-hot encoding dropped (``FeatureSources/declaringBaselineLevels(_:field:)``);
    ///   the model's and data's errors.
    public init(modelPath: String, dataPath: String, idColumn: String? = nil, sensitive: [String] = [],
                explanations: AuditProfile.ExplanationsSpec = AuditProfile.ExplanationsSpec(),
                method: AttributionMethod? = nil, background: String? = nil, reference: String? = nil,
                missingMarkers: Set<String>? = nil, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                limits: Limits = Limits(), baselineLevels: [String: String] = [:]) throws {
        try self.init(modelPath: modelPath, dataPath: dataPath, idColumn: idColumn, sensitive: sensitive,
                      explanations: explanations, method: method, background: background, reference: reference,
                      missingMarkers: missingMarkers, threads: threads, limits: limits, baselineLevels: baselineLevels,
                      baselineField: "--baseline-level", requireSensitiveColumns: true)
    }

    private init(modelPath: String, dataPath: String, idColumn: String?, sensitive: [String],
                 explanations: AuditProfile.ExplanationsSpec, method: AttributionMethod?, background: String?,
                 reference: String?, missingMarkers: Set<String>?, threads: Int, limits: Limits,
                 baselineLevels: [String: String], baselineField: String,
                 requireSensitiveColumns: Bool) throws {
        precondition(threads >= 1, "at least one thread")
        let markers = missingMarkers ?? CSVOptions().missingMarkers
        context = try ExplanationContext.make(modelPath: modelPath, method: method, backgroundPath: background,
                                              referencePath: reference ?? dataPath, sensitive: sensitive,
                                              spec: explanations, missingMarkers: markers,
                                              requireSensitiveColumns: requireSensitiveColumns, limits: limits,
                                              threads: threads, baselineLevels: baselineLevels, baselineField: baselineField)
        self.dataPath = dataPath
        if let idColumn {
            self.idColumn = idColumn
        } else {
            var options = CSVOptions()
            options.limits = limits
            self.idColumn = try CSVReader.headerNames(path: dataPath, options: options).contains("lead_id") ? "lead_id" : nil
        }
        self.threads = threads
        self.missingMarkers = markers
        self.limits = limits
        recordReasons = context.reasons(for: context.referenceSources)
        recordGroups = context.referenceSources.groups
    }

    /// The model explained.
    public var model: any Model { context.model }
    /// The attribution method in use.
    public var method: AttributionMethod { context.method }
    /// The typical lead's margin.
    public var baseValue: Double { context.baseValue }
    /// Features never given as reasons, and why.
    public var withheld: [String: ReasonCodes.Withholding] { context.withheld }
    /// The features withheld only because their names look like sensitive attributes
    /// (``ProfileSniffer/looksSensitive(_:)``, as `init` recognizes them) while no
    /// sensitive column declares them, by name: a caller should warn
    /// (``undeclaredSensitiveWarning(options:)``), since they are neither measured against
    /// for proxies nor checked as the declared ones are.
    public var undeclaredSensitive: [String] {
        context.withheld.filter { $0.value == .undeclaredSensitive }.keys.sorted()
    }

    /// Where a user declares a sensitive column and allows a feature in reasons: the
    /// command-line flags or the profile's keys.
    public enum DeclarationPlace: Sendable {
        case commandLine
        case profile
    }

    /// The warning for ``undeclaredSensitive`` (nil when there are none): which features,
    /// that reps never see them, and how to declare them — or to show them after all —
    /// in `options` (`--sensitive`/`--allow`, or `sensitive:`/`explanations.allow_in_reasons`).
    public func undeclaredSensitiveWarning(options: DeclarationPlace) -> String? {
        let names = undeclaredSensitive
        guard !names.isEmpty else { return nil }
        let list = ListWording.and(names)
        let one = names.count == 1
        let declare: String, allow: String
        switch options {
        case .commandLine:
            declare = "--sensitive \(names.joined(separator: ","))"
            allow = "--allow"
        case .profile:
            declare = "the profile's sensitive: list"
            allow = "explanations.allow_in_reasons"
        }
        return "\(list) \(one ? "is" : "are") named like \(one ? "a sensitive attribute" : "sensitive attributes") but not declared sensitive: "
            + "never given to reps as \(one ? "a reason" : "reasons"), like declared ones; declare \(one ? "it" : "them") with \(declare) "
            + "(then \(one ? "its" : "their") proxies are detected too), or name \(one ? "it" : "them") in \(allow) to show \(one ? "it" : "them") to reps"
    }

    /// Every feature × sensitive attribute measured on the reference rows.
    public var proxyMeasures: [ProxyMeasures] { context.measures }
    /// The reference file and the rows read from it.
    public var reference: (path: String, rows: Int) { (context.referencePath, context.reference.count) }

    /// Per sensitive attribute of the reference rows: why they are too few to judge a
    /// proxy of it (fewer than two groups of `minimumGroupSize` rows, as the audit's proxy
    /// findings require), for those that are. Features detected as its proxies on such
    /// rows are still withheld — the safe side — and a caller should say so.
    public func proxyShortfalls(minimumGroupSize: Int) -> [String: String] {
        var shortfalls: [String: String] = [:]
        for attribute in context.reference.attributes {
            shortfalls[attribute.name] = ExplanationsSection.referenceShortfall(
                attribute, minimumGroupSize: minimumGroupSize, file: context.referencePath)
        }
        return shortfalls
    }

    /// Writes the explanations of every lead (or of `ids`, in that order) in `format`,
    /// handing the UTF-8 text to `write` piece by piece; `cancellation` stops the work
    /// between batches and leads (``ExplanationStream/cancellation``).
    ///
    /// - Throws: `FairleadError(.invalidData)` for an id not in the file (nothing is
    ///   written then), and the data file's errors; `CancellationError` once `cancellation`
    ///   is cancelled or past its deadline.
    @discardableResult
    public func run(format: ExplanationFormat, ids: [String]? = nil, batchSize: Int = 16_384,
                    cancellation: Cancellation? = nil,
                    write: ([UInt8]) throws -> Void) throws -> ExplanationStream.Summary {
        let (reader, stream) = try open(format: format, batchSize: batchSize, cancellation: cancellation)
        var summary = try ids.map { try stream.run(reader, ids: searched($0), write: write) } ?? stream.run(reader, write: write)
        summary.leadsWithoutConsent = reader.skippedRows
        return summary
    }

    /// The explanations of the leads `ids`, in that order.
    ///
    /// - Throws: `FairleadError(.invalidData)` for an id not in the file (with the closest ids);
    ///   `CancellationError` once `cancellation` is cancelled or past its deadline.
    public func explain(ids: [String], cancellation: Cancellation? = nil) throws -> [LeadExplanation] {
        let (reader, stream) = try open(format: .json, batchSize: 16_384, cancellation: cancellation)
        return try stream.explanations(reader, ids: searched(ids))
    }

    /// The explanations of every lead (or of `ids`, in that order), handed to `body` a
    /// batch at a time: for renderings that need the values rather than text (the HTML
    /// cards), with memory bounded by `batchSize` leads.
    ///
    /// - Throws: `FairleadError(.invalidData)` for an id not in the file (before `body`
    ///   is called), the data file's errors, and whatever `body` throws.
    @discardableResult
    public func forEachBatch(ids: [String]? = nil, batchSize: Int = 16_384,
                             _ body: ([LeadExplanation]) throws -> Void) throws -> ExplanationStream.Summary {
        if let ids {
            let (reader, stream) = try open(format: .json, batchSize: 16_384, cancellation: nil)
            let (leads, summary) = try stream.explanationsAndSummary(reader, ids: searched(ids))
            try body(leads)
            return summary
        }
        let (reader, stream) = try open(format: .json, batchSize: batchSize, cancellation: nil)
        var summary = ExplanationStream.Summary(leads: 0, leadsWithWithheldReasons: 0)
        while let batch = try reader.next(maxRows: batchSize) {
            let leads = try stream.explain(batch, groups: reader.sources.groups, path: reader.path)
            summary.leads += leads.count
            summary.leadsWithWithheldReasons += leads.filter { !$0.withheld.isEmpty }.count
            summary.unseenLevels.merge(batch.unseenLevels(reader.sources))
            summary.observe(batch, scores: { leads[$0].score }, ids: reader.idColumn != nil)
            try body(leads)
        }
        summary.leadsWithoutConsent = reader.skippedRows
        return summary
    }

    /// The ids asked for as the reader gives them: pseudonymized when ids are (an id
    /// column is read), else as given.
    private func searched(_ ids: [String]) -> [String] {
        guard let pseudonymizer, idColumn != nil else { return ids }
        return ids.map { pseudonymizer.pseudonym($0) }
    }

    /// Reasons per direction of each explanation (the profile's `top`, at most the
    /// features a lead has).
    public var reasonsPerDirection: Int {
        recordReasons.top
    }

    private func open(format: ExplanationFormat, batchSize: Int,
                      cancellation: Cancellation?) throws -> (LeadReader, ExplanationStream) {
        let reader = try LeadReader(path: dataPath, featureNames: context.model.featureNames, idColumn: idColumn,
                                    attributeColumns: consent.map { [$0.column] } ?? [],
                                    knownColumns: context.knownColumns, missingMarkers: missingMarkers, limits: limits,
                                    baselineLevels: context.baselineLevels, baselineField: context.baselineField,
                                    scoreColumn: scoreColumn)
        if let pseudonymizer { reader.idTransform = { pseudonymizer.pseudonym($0) } }
        if let consent {
            let path = dataPath
            reader.rowFilter = { batch in
                guard let values = batch.attributes.first else { return Array(0..<batch.count) }
                let meaning = values.levels.map(consent.consents)
                var kept: [Int] = []
                for (row, code) in values.codes.enumerated() where code >= 0 {
                    guard let consents = meaning[Int(code)] else {
                        let line = batch.lines.isEmpty ? nil : batch.lines[row]
                        throw FairleadError(.invalidData,
                                            "invalid consent value '\(MessageQuote.clipped(values.levels[Int(code)], limit: 60))': expected true/false, yes/no, 1/0, blank, or purposes separated by ';' or '|' (letters, digits, _, -, ., :)",
                                            at: SourceLocation(file: path, line: line, field: consent.column))
                    }
                    if consents { kept.append(row) }
                }
                return kept
            }
        }
        let reasons = context.reasons(for: reader.sources)
        // `reasons.top` is the top asked for, capped at the sources a lead has.
        let writer = ExplanationWriter(format: format, top: reasons.top, baseValue: context.baseValue, link: context.model.link)
        var stream = ExplanationStream(explainer: context.explainer, reasons: reasons,
                                       writer: writer, threads: threads, batchSize: batchSize)
        stream.cancellation = cancellation
        return (reader, stream)
    }
}
