extension LeadBatch {
    /// The batches of one reader in order, as one batch. A reader's levels only grow, so
    /// every code stays valid under the last batch's levels.
    public static func joined(_ batches: [LeadBatch]) -> LeadBatch? {
        guard let last = batches.last else { return nil }
        let width = last.features.columns
        let rows = batches.reduce(0) { $0 + $1.count }
        var values: [Double] = []
        values.reserveCapacity(rows * width)
        for batch in batches { values += batch.features.values }
        let categories = last.categories.indices.map { source in batches.flatMap { $0.categories[source] } }
        let attributes = last.attributes.indices.map { index in
            SensitiveAttribute(name: last.attributes[index].name, codes: batches.flatMap { $0.attributes[index].codes },
                               levels: last.attributes[index].levels)
        }
        return LeadBatch(ids: batches.flatMap(\.ids), features: Matrix(rows: rows, columns: width, values: values),
                         categories: categories, levels: last.levels, attributes: attributes, lines: batches.flatMap(\.lines),
                         sentWithoutID: batches.allSatisfy(\.sentWithoutID.isEmpty) ? []
                             : batches.flatMap { $0.sentWithoutID.isEmpty ? [Bool](repeating: false, count: $0.count) : $0.sentWithoutID },
                         recordedScores: batches.allSatisfy(\.recordedScores.isEmpty) ? []
                             : batches.flatMap { $0.recordedScores.isEmpty ? [Double](repeating: .nan, count: $0.count) : $0.recordedScores })
    }

    /// Each source's values as proxy detection reads them: the category of a categorical
    /// source, the number of a numeric one.
    public func proxyFeatures(_ sources: FeatureSources) -> [ProxyMeasures.Feature] {
        sources.sources.enumerated().map { index, source in
            switch source.kind {
            case .categorical:
                return ProxyMeasures.Feature(name: source.name, values: .categorical(codes: categories[index], levels: levels[index]))
            case .numeric:
                return ProxyMeasures.Feature(name: source.name, values: .numeric(features.column(source.valueFeature)))
            }
        }
    }
}
