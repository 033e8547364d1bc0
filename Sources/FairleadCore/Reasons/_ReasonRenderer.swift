/// The wording of ``ReasonCodes`` resolved to UTF-8 once, all in one byte arena, so that
/// writing a reason is copying byte ranges: threads formatting leads share no reference
/// counts (a retain of a shared `String` from two threads costs a cache-line transfer).
struct _ReasonRenderer: Sendable {
    /// A range of `arena`.
    struct Span: Sendable {
        var start: Int32
        var count: Int32
        static let empty = Span(start: 0, count: 0)
    }

    enum PartKind: UInt8, Sendable {
        case literal, label, capitalizedLabel, value, typical, comparison
    }

    /// One piece of a template; `span` is the literal's text.
    struct Part: Sendable {
        var kind: PartKind
        var span: Span
    }

    /// One source's resolved wording: spans of `arena`, template ranges of `parts`.
    struct Source: Sendable {
        var name: Span
        var label: Span
        var capitalizedLabel: Span
        var raises: Range<Int>
        var lowers: Range<Int>
        var missing: Range<Int>
        /// `raises` and `lowers` without their comparison (``ReasonTemplate/withoutComparison``,
        /// else ``ReasonTemplates/withoutComparison``): for a numeric value that reads as the typical one.
        var raisesWithoutComparison: Range<Int>
        var lowersWithoutComparison: Range<Int>
        var typicalText: Span
        /// `typicalText` as a sentence shows it (``ReasonTemplate/inserted(_:)``).
        var typicalSentence: Span
        /// The typical value of a numeric source (NaN when unknown or categorical).
        var typicalNumber: Double
        var isNumeric: Bool
        /// The model feature holding a numeric source's value.
        var feature: Int
    }

    private(set) var arena: [UInt8] = []
    private(set) var parts: [Part] = []
    private(set) var sources: [Source] = []
    private(set) var strongestFor = Span.empty
    private(set) var strongestAgainst = Span.empty
    /// Per source: display names of its values.
    let valueNames: [[String: String]]
    /// Per source: the typical value as a reason reports it.
    let typicalValues: [LeadExplanation.Value]

    init(sources featureSources: FeatureSources, typical: TypicalValues, templates: ReasonTemplates) {
        valueNames = featureSources.sources.map { templates.features[$0.name]?.values ?? [:] }
        typicalValues = featureSources.sources.indices.map { index in
            switch typical.values[index] {
            case .number(let number): return .number(number)
            case .level(let level): return .category(templates.features[featureSources.sources[index].name]?.values[level] ?? level)
            case .unknown: return .missing
            }
        }
        let dash = " — "
        // A profile refuses longer ones; a library caller's are cut, as a template's length is bounded.
        func emphasis(_ text: String) -> String { MessageQuote.cut(text, limit: ReasonTemplate.maximumCharacters) }
        strongestFor = templates.strongestFor.isEmpty ? .empty : store(dash + emphasis(templates.strongestFor))
        strongestAgainst = templates.strongestAgainst.isEmpty ? .empty : store(dash + emphasis(templates.strongestAgainst))
        for (index, source) in featureSources.sources.enumerated() {
            let wording = templates.features[source.name]
            let phrasing = source.kind == .numeric ? templates.numeric : templates.categorical
            let label = ReasonTemplate.inserted(templates.label(of: source.name))
            let raises = wording?.raises ?? phrasing.raises
            let lowers = wording?.lowers ?? phrasing.lowers
            var typicalText: [UInt8] = []
            var typicalSentence: [UInt8] = []
            switch typicalValues[index] {
            case .number(let number):
                _ReasonBytes.appendDecimal(number, decimals: 2, to: &typicalText)
                typicalSentence = typicalText
            case .category(let name):
                typicalText = Array(name.utf8)
                typicalSentence = Array(ReasonTemplate.inserted(name).utf8)
            case .missing:
                typicalText = Array("unknown".utf8)
                typicalSentence = typicalText
            }
            var typicalNumber = Double.nan
            if case .number(let number) = typicalValues[index] { typicalNumber = number }
            sources.append(Source(name: store(source.name), label: store(label),
                                  capitalizedLabel: store(ReasonTemplate.inserted(ReasonTemplate.capitalized(label))),
                                  raises: store(raises), lowers: store(lowers),
                                  missing: store(wording?.missing ?? templates.missing),
                                  raisesWithoutComparison: store(raises.withoutComparison ?? ReasonTemplates.withoutComparison),
                                  lowersWithoutComparison: store(lowers.withoutComparison ?? ReasonTemplates.withoutComparison),
                                  typicalText: store(typicalText), typicalSentence: store(typicalSentence),
                                  typicalNumber: typicalNumber,
                                  isNumeric: source.kind == .numeric, feature: source.valueFeature))
        }
    }

    private mutating func store(_ text: String) -> Span { store(Array(text.utf8)) }

    private mutating func store(_ bytes: [UInt8]) -> Span {
        let span = Span(start: Int32(arena.count), count: Int32(bytes.count))
        arena += bytes
        return span
    }

    private mutating func store(_ template: ReasonTemplate) -> Range<Int> {
        let start = parts.count
        for part in template.parts {
            switch part {
            case .text(let literal): parts.append(Part(kind: .literal, span: store(literal)))
            case .placeholder(.label): parts.append(Part(kind: .label, span: .empty))
            case .placeholder(.capitalizedLabel): parts.append(Part(kind: .capitalizedLabel, span: .empty))
            case .placeholder(.value): parts.append(Part(kind: .value, span: .empty))
            case .placeholder(.typical): parts.append(Part(kind: .typical, span: .empty))
            case .placeholder(.comparison): parts.append(Part(kind: .comparison, span: .empty))
            }
        }
        return start..<parts.count
    }

    /// The display bytes of every level of every categorical source of a batch, whole
    /// (for data) and as a sentence shows them (``ReasonTemplate/inserted(_:)``).
    func levelDisplays(_ batch: LeadBatch) -> _LevelDisplays {
        var displays = _LevelDisplays()
        func store(_ bytes: [UInt8]) -> Span {
            let span = Span(start: Int32(displays.arena.count), count: Int32(bytes.count))
            displays.arena += bytes
            return span
        }
        for (source, levels) in batch.levels.enumerated() {
            displays.offsets.append(Int32(displays.spans.count))
            for level in levels {
                let name = valueNames[source][level] ?? level
                let whole = store(Array(name.utf8))
                let inserted = ReasonTemplate.inserted(name)
                displays.spans.append(whole)
                displays.sentenceSpans.append(inserted.utf8.count == Int(whole.count) ? whole : store(Array(inserted.utf8)))
            }
        }
        displays.offsets.append(Int32(displays.spans.count))
        return displays
    }
}

/// The display names of a batch's levels: spans into their own arena, `offsets[source]`
/// the first span of each source.
struct _LevelDisplays: Sendable {
    var arena: [UInt8] = []
    var spans: [_ReasonRenderer.Span] = []
    /// `spans` as a sentence shows them: cut at ``ReasonTemplate/insertedCharacters``.
    var sentenceSpans: [_ReasonRenderer.Span] = []
    var offsets: [Int32] = []
}
