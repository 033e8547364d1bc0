/// Unsafe views of a renderer, a batch and its level displays, valid only inside
/// ``with(_:batch:codes:displays:_:)``'s closure: the hot path of writing reasons reads
/// bytes and numbers through them and touches no reference count.
struct _ReasonScope {
    typealias Span = _ReasonRenderer.Span

    let arena: UnsafeBufferPointer<UInt8>
    let parts: UnsafeBufferPointer<_ReasonRenderer.Part>
    let sources: UnsafeBufferPointer<_ReasonRenderer.Source>
    let levelArena: UnsafeBufferPointer<UInt8>
    let levelSpans: UnsafeBufferPointer<Span>
    let levelSentenceSpans: UnsafeBufferPointer<Span>
    let levelOffsets: UnsafeBufferPointer<Int32>
    /// The batch's feature matrix, `width` columns.
    let features: UnsafeBufferPointer<Double>
    let width: Int
    /// sources × rows: each categorical source's codes (−1 missing; numeric sources −1).
    let codes: UnsafeBufferPointer<Int32>
    let rows: Int
    let strongestFor: Span
    let strongestAgainst: Span

    /// Every categorical source's codes of `batch`, source after source.
    static func flatCodes(_ batch: LeadBatch) -> [Int32] {
        var codes = [Int32](repeating: -1, count: batch.categories.count * batch.count)
        for (source, column) in batch.categories.enumerated() where !column.isEmpty {
            for row in 0..<batch.count { codes[source * batch.count + row] = column[row] }
        }
        return codes
    }

    static func with<R>(_ renderer: _ReasonRenderer, batch: LeadBatch, codes: [Int32], displays: _LevelDisplays,
                        _ body: (_ReasonScope) -> R) -> R {
        renderer.arena.withUnsafeBufferPointer { arena in
        renderer.parts.withUnsafeBufferPointer { parts in
        renderer.sources.withUnsafeBufferPointer { sources in
        displays.arena.withUnsafeBufferPointer { levelArena in
        displays.spans.withUnsafeBufferPointer { levelSpans in
        displays.sentenceSpans.withUnsafeBufferPointer { levelSentenceSpans in
        displays.offsets.withUnsafeBufferPointer { levelOffsets in
        batch.features.withUnsafeBufferPointer { features in
        codes.withUnsafeBufferPointer { codes in
            body(_ReasonScope(arena: arena, parts: parts, sources: sources, levelArena: levelArena, levelSpans: levelSpans,
                              levelSentenceSpans: levelSentenceSpans, levelOffsets: levelOffsets, features: features, width: batch.features.columns, codes: codes,
                              rows: batch.count, strongestFor: renderer.strongestFor, strongestAgainst: renderer.strongestAgainst))
        }}}}}}}}}
    }

    @inline(__always)
    func bytes(_ span: Span) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: arena[Int(span.start)..<Int(span.start + span.count)])
    }

    @inline(__always)
    func append(_ span: Span, to output: inout [UInt8]) {
        output.append(contentsOf: bytes(span))
    }

    /// A numeric source's value for `row` (NaN when missing).
    @inline(__always)
    func number(_ source: Int, _ row: Int) -> Double {
        features[row * width + sources[source].feature]
    }

    /// A categorical source's display bytes for `row`, nil when missing; cut as a
    /// sentence shows them when `inSentence`.
    @inline(__always)
    func category(_ source: Int, _ row: Int, inSentence: Bool = false) -> UnsafeBufferPointer<UInt8>? {
        let code = codes[source * rows + row]
        guard code >= 0 else { return nil }
        let span = (inSentence ? levelSentenceSpans : levelSpans)[Int(levelOffsets[source]) + Int(code)]
        return UnsafeBufferPointer(rebasing: levelArena[Int(span.start)..<Int(span.start + span.count)])
    }

    /// Whether `row`'s value of `source` is missing.
    @inline(__always)
    func isMissing(_ source: Int, _ row: Int) -> Bool {
        sources[source].isNumeric ? number(source, row).isNaN : codes[source * rows + row] < 0
    }

    /// The value as a sentence shows it: at most two decimals, or the category's display
    /// name cut at ``ReasonTemplate/insertedCharacters``.
    func appendDisplayValue(_ source: Int, _ row: Int, to output: inout [UInt8]) {
        if sources[source].isNumeric {
            _ReasonBytes.appendDecimal(number(source, row), decimals: 2, to: &output)
        } else if let category = category(source, row, inSentence: true) {
            output.append(contentsOf: category)
        }
    }

    /// The value as data (JSON and CSV cells): six decimals, or the display name.
    func appendDataValue(_ source: Int, _ row: Int, to output: inout [UInt8]) {
        if sources[source].isNumeric {
            _ReasonBytes.appendDecimal(number(source, row), decimals: 6, to: &output)
        } else if let category = category(source, row) {
            output.append(contentsOf: category)
        }
    }

    /// The typical value as data: six decimals, or the display name.
    func appendTypicalData(_ source: Int, to output: inout [UInt8]) {
        let typical = sources[source].typicalNumber
        if sources[source].isNumeric && !typical.isNaN {
            _ReasonBytes.appendDecimal(typical, decimals: 6, to: &output)
        } else {
            append(sources[source].typicalText, to: &output)
        }
    }

    /// The decimals a sentence shows a numeric source's value and typical value with
    /// (at most; trailing zeros dropped): two, or as many more, up to six, as it takes to
    /// tell them apart (1.004 and the typical 1.001 read "1.004" and "1.001", never both
    /// "1"); nil when even six do not — the two read alike.
    @inline(__always)
    func distinguishingDecimals(_ value: Double, typical: Double) -> Int? {
        var shown: [UInt8] = [], typicalShown: [UInt8] = []
        for decimals in 2...6 {
            shown.removeAll(keepingCapacity: true)
            typicalShown.removeAll(keepingCapacity: true)
            _ReasonBytes.appendDecimal(value, decimals: decimals, to: &shown)
            _ReasonBytes.appendDecimal(typical, decimals: decimals, to: &typicalShown)
            if shown != typicalShown { return decimals }
        }
        return nil
    }

    /// The reason's sentence, with the strongest reason's emphasis when `strongest`.
    ///
    /// A reason's contribution is never zero, so a numeric value that reads as the typical
    /// one is no "equal to" and no "above the typical 1" of a value shown as 1: the value
    /// and the typical value get the decimals that tell them apart
    /// (``distinguishingDecimals(_:typical:)``), and when none do, a sentence that compares
    /// them (`{comparison}`) stops before its comparison (``ReasonTemplate/withoutComparison``,
    /// else ``ReasonTemplates/withoutComparison``).
    func appendSentence(_ source: Int, _ row: Int, raises: Bool, strongest: Bool, to output: inout [UInt8]) {
        let wording = sources[source]
        let missing = isMissing(source, row)
        var range = missing ? wording.missing : (raises ? wording.raises : wording.lowers)
        var decimals = 2
        var readAlike = false
        if !missing, wording.isNumeric, !wording.typicalNumber.isNaN {
            if let distinguishing = distinguishingDecimals(number(source, row), typical: wording.typicalNumber) {
                decimals = distinguishing
            } else {
                readAlike = true
                decimals = 6
                range = raises ? wording.raisesWithoutComparison : wording.lowersWithoutComparison
            }
        }
        for index in range {
            let part = parts[index]
            switch part.kind {
            case .literal: append(part.span, to: &output)
            case .label: append(wording.label, to: &output)
            case .capitalizedLabel: append(wording.capitalizedLabel, to: &output)
            case .value:
                if !missing {
                    if wording.isNumeric {
                        _ReasonBytes.appendDecimal(number(source, row), decimals: decimals, to: &output)
                    } else {
                        appendDisplayValue(source, row, to: &output)
                    }
                }
            case .typical:
                if decimals != 2 && !missing {
                    _ReasonBytes.appendDecimal(wording.typicalNumber, decimals: decimals, to: &output)
                } else {
                    append(wording.typicalSentence, to: &output)
                }
            case .comparison: if !missing { appendComparison(source, row, readAlike: readAlike, to: &output) }
            }
        }
        if strongest { append(raises ? strongestFor : strongestAgainst, to: &output) }
    }

    /// "above", "below" for numbers ("compared with" for numbers that read alike, which only
    /// a sentence of a zero contribution shows); "the same as", "different from" for categories.
    private func appendComparison(_ source: Int, _ row: Int, readAlike: Bool, to output: inout [UInt8]) {
        let wording = sources[source]
        let word: StaticString
        if wording.isNumeric {
            let value = number(source, row)
            let typical = wording.typicalNumber
            word = typical.isNaN || readAlike ? "compared with" : value > typical ? "above" : value < typical ? "below" : "compared with"
        } else if let category = category(source, row) {
            word = category.elementsEqual(bytes(wording.typicalText)) ? "the same as" : "different from"
        } else {
            word = "compared with"
        }
        word.withUTF8Buffer { output.append(contentsOf: $0) }
    }
}
