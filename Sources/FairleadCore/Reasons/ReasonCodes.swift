/// Turns per-lead attributions into reason codes: for each lead the `top` factors raising
/// and the `top` factors lowering its score, strongest first, in plain sentences
/// (``ReasonTemplates``), with the lead's value and the typical value.
///
/// Attributions are grouped per source column first (one-hot features summed into their
/// column; additive, so the grouped values still add up to the margin). A factor with a
/// zero (or missing) attribution is no reason. Ties in |attribution| go to the source
/// listed first.
///
/// **What a rep never sees.** A source in `withheld` — a sensitive attribute, or a
/// declared or detected proxy of one — is never given as a reason: the list skips it and
/// takes the next factor. When it would have been among the `top` reasons of its
/// direction, its name goes into the lead's ``LeadExplanation/withheld`` list, which marks
/// the lead for auditors.
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
    }

    /// The source columns reasons are given for.
    public let sources: FeatureSources
    /// The typical lead's value per source.
    public let typical: TypicalValues
    /// The sentences.
    public let templates: ReasonTemplates
    /// Reasons per direction.
    public let top: Int
    /// Sources never shown to reps, by name, and why.
    public let withheld: [String: Withholding]
    /// How a margin becomes a score.
    public let link: Link
    private let prepared: [PreparedSource]

    /// One source's wording, resolved once.
    private struct PreparedSource: Sendable {
        var name: String
        var label: String
        var raises: ReasonTemplate
        var lowers: ReasonTemplate
        var missing: ReasonTemplate
        var values: [String: String]
        var isWithheld: Bool
        var typical: LeadExplanation.Value
        var typicalText: String
    }

    /// Reason codes over `sources`; `typical` needs one value per source.
    public init(sources: FeatureSources, typical: TypicalValues, templates: ReasonTemplates = .standard, top: Int = 3,
                withheld: [String: Withholding] = [:], link: Link) {
        precondition(typical.values.count == sources.sources.count, "one typical value per source")
        precondition(top >= 1, "at least one reason per direction")
        self.sources = sources
        self.typical = typical
        self.templates = templates
        self.top = top
        self.withheld = withheld
        self.link = link
        prepared = sources.sources.enumerated().map { index, source in
            let wording = templates.features[source.name]
            let phrasing = source.kind == .numeric ? templates.numeric : templates.categorical
            let values = wording?.values ?? [:]
            let typicalValue: LeadExplanation.Value
            switch typical.values[index] {
            case .number(let number): typicalValue = .number(number)
            case .level(let level): typicalValue = .category(values[level] ?? level)
            case .unknown: typicalValue = .missing
            }
            return PreparedSource(name: source.name, label: templates.label(of: source.name),
                                  raises: wording?.raises ?? phrasing.raises, lowers: wording?.lowers ?? phrasing.lowers,
                                  missing: wording?.missing ?? templates.missing, values: values,
                                  isWithheld: withheld[source.name] != nil, typical: typicalValue,
                                  typicalText: ReasonCodes.text(of: typicalValue, missing: "unknown"))
        }
    }

    /// The explanations of `batch`'s leads, in order. `attributions` are the batch's,
    /// grouped by source (columns in the order of `sources.sources`).
    public func explain(_ batch: LeadBatch, attributions: Attributions, threads: Int = 1) -> [LeadExplanation] {
        precondition(attributions.rowCount == batch.count && attributions.values.columns == sources.sources.count,
                     "grouped attributions, one row per lead")
        let margins = attributions.margins()
        let count = batch.count
        return [LeadExplanation](unsafeUninitializedCapacity: count) { buffer, initialized in
            let output = UncheckedSendable(buffer.baseAddress)
            RowParallelism.forEachChunk(rowCount: count, threads: threads, minimumChunk: 512) { rows in
                guard let base = output.value else { return }
                for row in rows {
                    (base + row).initialize(to: explain(row: row, of: batch, attributions: attributions, margin: margins[row]))
                }
            }
            initialized = count
        }
    }

    private func explain(row: Int, of batch: LeadBatch, attributions: Attributions, margin: Double) -> LeadExplanation {
        let width = sources.sources.count
        var raising: [(Int, Double)] = []
        var lowering: [(Int, Double)] = []
        attributions.values.withUnsafeBufferPointer { values in
            for source in 0..<width {
                let value = values[row * width + source]
                if value > 0 { raising.append((source, value)) } else if value < 0 { lowering.append((source, value)) }
            }
        }
        raising.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        lowering.sort { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        var withheldHere: [(String, Double)] = []
        func select(_ ranked: [(Int, Double)], raisesScore: Bool) -> [LeadExplanation.Reason] {
            var reasons: [LeadExplanation.Reason] = []
            for (rank, (source, value)) in ranked.enumerated() {
                if prepared[source].isWithheld {
                    if rank < top { withheldHere.append((prepared[source].name, abs(value))) }
                    continue
                }
                if reasons.count < top {
                    reasons.append(reason(source: source, row: row, batch: batch, contribution: value,
                                          raisesScore: raisesScore, isStrongest: reasons.isEmpty))
                }
                if reasons.count == top && rank >= top { break }
            }
            return reasons
        }
        let up = select(raising, raisesScore: true)
        let down = select(lowering, raisesScore: false)
        withheldHere.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return LeadExplanation(id: batch.ids[row], margin: margin, score: link.prediction(fromMargin: margin),
                               raising: up, lowering: down, withheld: withheldHere.map(\.0))
    }

    private func reason(source: Int, row: Int, batch: LeadBatch, contribution: Double, raisesScore: Bool,
                        isStrongest: Bool) -> LeadExplanation.Reason {
        let wording = prepared[source]
        let value: LeadExplanation.Value
        if sources.sources[source].kind == .numeric {
            let number = batch.features[row, sources.sources[source].features[0]]
            value = number.isNaN ? .missing : .number(number)
        } else {
            let code = batch.categories[source][row]
            if code < 0 {
                value = .missing
            } else {
                let level = batch.levels[source][Int(code)]
                value = .category(wording.values[level] ?? level)
            }
        }
        var text: String
        if value == .missing {
            text = wording.missing.render(label: wording.label, value: "", typical: wording.typicalText, comparison: "")
        } else {
            let template = raisesScore ? wording.raises : wording.lowers
            text = template.render(label: wording.label, value: Self.text(of: value, missing: ""),
                                   typical: wording.typicalText, comparison: Self.comparison(value, wording.typical))
        }
        if isStrongest {
            let emphasis = raisesScore ? templates.strongestFor : templates.strongestAgainst
            if !emphasis.isEmpty { text += " — " + emphasis }
        }
        return LeadExplanation.Reason(feature: wording.name, text: text, value: value, typical: wording.typical,
                                      contribution: contribution)
    }

    /// "above", "below", "equal to" for numbers; "the same as" or "different from" for categories.
    static func comparison(_ value: LeadExplanation.Value, _ typical: LeadExplanation.Value) -> String {
        switch (value, typical) {
        case (.number(let x), .number(let t)): return x > t ? "above" : x < t ? "below" : "equal to"
        case (.category(let x), .category(let t)): return x == t ? "the same as" : "different from"
        default: return "compared with"
        }
    }

    /// A value as a sentence shows it: numbers compactly (integers without decimals, at
    /// most two decimals otherwise), categories by their display name.
    public static func text(of value: LeadExplanation.Value, missing: String) -> String {
        switch value {
        case .number(let number): return displayNumber(number)
        case .category(let name): return name
        case .missing: return missing
        }
    }

    /// `6` → "6", `48.25` → "48.25", `0.3333` → "0.33": rounded to two decimals (half away
    /// from zero), integers without a decimal point.
    public static func displayNumber(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "" : (value > 0 ? "infinity" : "-infinity") }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return "\(rounded)"
    }
}
