extension FeatureSources {
    /// These sources with `declared` baseline levels: per one-hot source column (any
    /// spelling ``sourceName(for:)`` accepts), the level its encoding dropped — the first
    /// level of pandas' `get_dummies(drop_first=True)`, scikit-learn's
    /// `OneHotEncoder(drop="first")` — which the model reads as every indicator 0 by design.
    /// Such a value is then a level the model knows (``LeadBatch/unseenLevels(_:)`` leaves it
    /// out), and a lead holding it gets its reasons as any other: "Lead source is
    /// cold_outbound", from the indicators' sum.
    ///
    /// - Parameter field: where the declaration was written, which starts messages
    ///   (`model.baseline_levels`, `--baseline-level`).
    /// - Throws: `FairleadError(.usage)` for a column that is not the source of any of
    ///   the model's one-hot features read from a column of the file (with the closest
    ///   names), and for a level the model has an indicator for (it is not dropped).
    public func declaringBaselineLevels(_ declared: [String: String], field: String) throws -> FeatureSources {
        guard !declared.isEmpty else { return self }
        var copy = self
        for (column, level) in declared.sorted(by: { $0.key < $1.key }) {
            let categorical = sources.filter { $0.kind == .categorical }
            guard let name = sourceName(for: column), let source = categorical.first(where: { $0.name == name }) else {
                let near = closestNames(to: column, in: categorical.map(\.name))
                let hint = near.isEmpty ? "the model has no one-hot column" : "its one-hot columns are \(near.map { "'\($0)'" }.joined(separator: ", "))"
                throw FairleadError(.usage, "\(field): '\(MessageQuote.clipped(column))' is not a column the model's one-hot features come from; \(hint)")
            }
            guard !source.levels.contains(level) else {
                throw FairleadError(.usage, "\(field): '\(MessageQuote.clipped(level))' of '\(MessageQuote.clipped(name))' is not a dropped level: the model has a feature for it ('\(MessageQuote.clipped(featureNames[source.features[source.levels.firstIndex(of: level) ?? 0]]))'); a baseline level is the one the encoding left out, which no feature names")
            }
            copy.baselineLevels[name] = level
        }
        return copy
    }
}
