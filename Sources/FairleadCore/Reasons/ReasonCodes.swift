/// Turns per-lead attributions into reason codes: for each lead the `top` factors raising
/// and the `top` factors lowering its score, strongest first, in plain sentences
/// (``ReasonTemplates``), with the lead's value and the typical value.
///
/// Attributions are grouped per source column first (one-hot features summed into their
/// column; additive, so the grouped values still add up to the margin). A factor whose
/// effect shows as zero — under 0.05 probability points, or 0.005 score units for the
/// identity link (``select(_:unseen:threads:)``) — or whose attribution is missing is no
/// reason. Ties in |attribution| go to the source
/// listed first.
///
/// **What a rep never sees.** A source in `withheld` — a sensitive attribute (declared,
/// or named like one), or a declared or detected proxy of one — is never given as a reason: the list skips it and
/// takes the next factor. When it would have been among the `top` reasons of its
/// direction, its name goes into the lead's ``LeadExplanation/withheld`` list, which marks
/// the lead for auditors.
///
/// **A value the model never saw.** A lead whose value of a categorical column is none of
/// the levels the model has a one-hot feature for (`WEB_FORM` where the model knows
/// `lead_source=web_form`) is read by the model as none of them; that column is no reason
/// of that lead — a sentence would present the value as one the model weighed — and the
/// lead's ``LeadExplanation/unseen`` names it (``LeadBatch/unseenLevelMask(_:)``).
///
///     let codes = ReasonCodes(sources: reader.sources, typical: typical, top: 3,
///                             withheld: ["postal_area": .declaredProxy], link: model.link)
///     let grouped = shap.explain(batch.features, threads: 2).grouped(by: reader.sources.groups)
///     let explanations = codes.explain(batch, attributions: grouped, threads: 2)
public struct ReasonCodes: Sendable {
    /// Why a source is never shown as a reason.
    public enum Withholding: Sendable, Equatable {
        /// It is a sensitive attribute of the profile.
        case sensitive
        /// The profile declares it a proxy of a sensitive attribute.
        case declaredProxy
        /// Proxy detection flagged it for this attribute.
        case detectedProxy(attribute: String)
        /// Its name looks like a sensitive attribute's (`gender`, `ethnicity`, `age_band`)
        /// although no sensitive column declares it: withheld as a declared one is, on the
        /// safe side, until it is declared or allowed.
        case undeclaredSensitive
    }

    /// The source columns reasons are given for.
    public let sources: FeatureSources
    /// The typical lead's value per source.
    public let typical: TypicalValues
    /// The sentences.
    public let templates: ReasonTemplates
    /// Reasons per direction: the `top` asked for, at most one per source (no lead has
    /// more reasons), so that the memory per lead is bounded by the model, not the request.
    public let top: Int
    /// Sources never shown to reps, by name, and why.
    public let withheld: [String: Withholding]
    /// How a margin becomes a score.
    public let link: Link
    /// The wording in UTF-8, for writing many leads.
    let renderer: _ReasonRenderer

    /// Reason codes over `sources`; `typical` needs one value per source.
    public init(sources: FeatureSources, typical: TypicalValues, templates: ReasonTemplates = .standard, top: Int = 3,
                withheld: [String: Withholding] = [:], link: Link) {
        precondition(typical.values.count == sources.sources.count, "one typical value per source")
        precondition(top >= 1, "at least one reason per direction")
        self.sources = sources
        self.typical = typical
        self.templates = templates
        self.top = min(top, max(1, sources.sources.count))
        self.withheld = withheld
        self.link = link
        self.renderer = _ReasonRenderer(sources: sources, typical: typical, templates: templates)
    }

    /// The explanations of `batch`'s leads, in order. `attributions` are the batch's,
    /// grouped by source (columns in the order of `sources.sources`).
    public func explain(_ batch: LeadBatch, attributions: Attributions, threads: Int = 1) -> [LeadExplanation] {
        precondition(attributions.rowCount == batch.count && attributions.values.columns == sources.sources.count,
                     "grouped attributions, one row per lead")
        let unseen = batch.unseenLevelMask(sources)
        let selection = select(attributions, unseen: unseen, threads: threads)
        let codes = _ReasonScope.flatCodes(batch)
        let width = sources.sources.count
        let displays = renderer.levelDisplays(batch)
        return _ReasonScope.with(renderer, batch: batch, codes: codes, displays: displays) { scope in
            (0..<batch.count).map { row in
                let perUnit = link.pointsPerMarginUnit(margin: selection.margins[row], baseValue: attributions.baseValue)
                func reasons(_ sourceList: [Int32], _ contributions: [Double], raises: Bool) -> [LeadExplanation.Reason] {
                    (0..<top).compactMap { k -> LeadExplanation.Reason? in
                        let source = Int(sourceList[row * top + k])
                        guard source >= 0 else { return nil }
                        let contribution = contributions[row * top + k]
                        var text: [UInt8] = []
                        scope.appendSentence(source, row, raises: raises, strongest: k == 0, to: &text)
                        return LeadExplanation.Reason(feature: sources.sources[source].name, text: String(decoding: text, as: UTF8.self),
                                                      value: value(of: source, row: row, scope: scope),
                                                      typical: renderer.typicalValues[source], contribution: contribution,
                                                      points: perUnit.map { contribution * $0 })
                    }
                }
                let hidden = (0..<(2 * top)).map { selection.withheld[row * 2 * top + $0] }.filter { $0 >= 0 }
                return LeadExplanation(id: batch.ids[row], index: batch.isSentWithoutID(row) ? Int(batch.ids[row]) : nil,
                                       margin: selection.margins[row],
                                       score: link.prediction(fromMargin: selection.margins[row]),
                                       raising: reasons(selection.raisingSources, selection.raisingContributions, raises: true),
                                       lowering: reasons(selection.loweringSources, selection.loweringContributions, raises: false),
                                       withheld: hidden.map { sources.sources[Int($0)].name },
                                       unseen: unseen.map { mask in
                                           (0..<width).filter { mask[row * width + $0] }.map { sources.sources[$0].name }
                                       } ?? [])
            }
        }
    }

    private func value(of source: Int, row: Int, scope: _ReasonScope) -> LeadExplanation.Value {
        if sources.sources[source].kind == .numeric {
            let number = scope.number(source, row)
            return number.isNaN ? .missing : .number(number)
        }
        return scope.category(source, row).map { .category(String(decoding: $0, as: UTF8.self)) } ?? .missing
    }

    /// A number as a sentence shows it: rounded to two decimals (half away from zero),
    /// integers without a decimal point: `6` → "6", `48.25` → "48.25", `0.3333` → "0.33".
    public static func displayNumber(_ value: Double) -> String {
        var bytes: [UInt8] = []
        _ReasonBytes.appendDecimal(value, decimals: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
