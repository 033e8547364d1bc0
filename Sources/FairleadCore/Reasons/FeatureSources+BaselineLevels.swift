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
        let categorical = sources.filter { $0.kind == .categorical }
        let features = Dictionary(uniqueKeysWithValues: categorical.map { source in
            (source.name, Dictionary(zip(source.levels, source.features.map { featureNames[$0] }), uniquingKeysWith: { first, _ in first }))
        })
        // A column in any spelling `sourceName(for:)` accepts; one it does not is quoted as written.
        let named = declared.map { column, level in
            (column: sourceName(for: column).flatMap { features[$0] == nil ? nil : $0 } ?? column, level: level)
        }
        try Self.checkBaselineLevels(named, field: field, columns: categorical.map(\.name), features: features)
        var copy = self
        for (column, level) in named { copy.baselineLevels[column] = level }
        return copy
    }

    /// Refuses a baseline level declaration that names no one-hot column, or a level the
    /// model has a feature for: the one check ``declaringBaselineLevels(_:field:)`` and
    /// ``ModelInput`` make, in the same words.
    ///
    /// - Parameters:
    ///   - declared: (column, level) pairs, columns as resolved by the caller.
    ///   - field: where they were written (`model.baseline_levels`, `--baseline-level`).
    ///   - columns: the one-hot columns, for the closest names.
    ///   - features: per one-hot column, each level the model has a feature for, with that
    ///     feature's name.
    public static func checkBaselineLevels(_ declared: [(column: String, level: String)], field: String, columns: [String],
                                           features: [String: [String: String]]) throws {
        for (column, level) in declared.sorted(by: { $0.column < $1.column }) {
            guard let levels = features[column] else {
                let near = closestNames(to: column, in: columns)
                let hint = near.isEmpty ? "the model has no one-hot column" : "its one-hot columns are \(near.map { "'\($0)'" }.joined(separator: ", "))"
                throw FairleadError(.usage, "\(field): '\(MessageQuote.clipped(column))' is not a column the model's one-hot features come from; \(hint)")
            }
            if let feature = levels[level] {
                throw FairleadError(.usage, "\(field): '\(MessageQuote.clipped(level))' of '\(MessageQuote.clipped(column))' is not a dropped level: the model has a feature for it ('\(MessageQuote.clipped(feature))'); a baseline level is the one the encoding left out, which no feature names")
            }
        }
    }
}
