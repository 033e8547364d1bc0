extension LeadBatch {
    /// Per source of `sources`: the codes (into ``levels``) of the values the model has no
    /// one-hot feature for — a categorical source read from a column of its own whose
    /// value is none of its indicators' levels (`WEB_FORM` beside `lead_source=web_form`).
    /// Empty for a numeric source and for one read from its indicator columns alone
    /// (whose value is a level of the model, or the one "none of them" the indicators
    /// spell), nor a declared baseline level (``FeatureSources/baselineLevels``). A missing
    /// value is not such a value: it reads "is not known".
    func unseenCodes(_ sources: FeatureSources) -> [Set<Int32>] {
        sources.sources.enumerated().map { index, source in
            guard source.kind == .categorical, source.isColumn, index < levels.count else { return [] }
            var known = Set(source.levels)
            if let baseline = sources.baselineLevels[source.name] { known.insert(baseline) }
            var codes = Set<Int32>()
            for (code, level) in levels[index].enumerated() where !known.contains(level) { codes.insert(Int32(code)) }
            return codes
        }
    }

    /// rows × sources, row-major: whether the lead's value of the source is one the model
    /// has no feature for (``unseenCodes(_:)``); nil when no lead holds one.
    public func unseenLevelMask(_ sources: FeatureSources) -> [Bool]? {
        let unseen = unseenCodes(sources)
        guard unseen.contains(where: { !$0.isEmpty }) else { return nil }
        let width = sources.sources.count
        var mask = [Bool](repeating: false, count: count * width)
        var any = false
        for (source, codes) in unseen.enumerated() where !codes.isEmpty {
            for (row, code) in categories[source].enumerated() where codes.contains(code) {
                mask[row * width + source] = true
                any = true
            }
        }
        return any ? mask : nil
    }

    /// The values of this batch's leads that the model has no feature for, per column.
    public func unseenLevels(_ sources: FeatureSources) -> UnseenLevels {
        var counted = UnseenLevels()
        for (source, codes) in unseenCodes(sources).enumerated() where !codes.isEmpty {
            var rows = [Int](repeating: 0, count: levels[source].count)
            for code in categories[source] where codes.contains(code) { rows[Int(code)] += 1 }
            // In order of first appearance (levels are), so the examples are the first met.
            for (code, level) in levels[source].enumerated() where rows[code] > 0 {
                counted.count(column: sources.sources[source].name, value: level, rows: rows[code])
            }
        }
        return counted
    }
}
