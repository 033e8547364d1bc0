extension FeatureSources {
    /// A model feature that is a column of the file and whose name also spells a one-hot
    /// indicator of a known column: `sex_Female` beside `sex` (a pandas export keeps both),
    /// `email_opens` beside `email`. Only the values tell which it is (``IndicatorEvidence``).
    public struct AmbiguousFeature: Sendable, Equatable {
        /// The feature, a column of the file.
        public let name: String
        /// The columns its name spells an indicator of, longest first
        /// (``SourceColumnMatcher/indicatorMatches(_:)``).
        public let candidates: [SourceColumnMatcher.Match]

        /// An ambiguous feature from its parts.
        public init(name: String, candidates: [SourceColumnMatcher.Match]) {
            self.name = name
            self.candidates = candidates
        }
    }

    /// The features whose column the file's values must decide, in feature order: each a
    /// column of the file whose name spells an indicator of another known column. A
    /// feature whose longest candidate column is itself one of the model's features
    /// (`age_squared` beside a feature `age`) is not among them: it is that column's
    /// derived feature by its name, and joins it.
    public var ambiguousFeatures: [AmbiguousFeature] {
        var ambiguous: [AmbiguousFeature] = []
        for name in featureNames where columns.contains(name) && !ambiguous.contains(where: { $0.name == name }) {
            let candidates = matcher.indicatorMatches(name)
            guard let longest = candidates.first, !featureNames.contains(longest.column) else { continue }
            ambiguous.append(AmbiguousFeature(name: name, candidates: candidates))
        }
        return ambiguous
    }

    /// The column each of `ambiguous` comes from, by ``IndicatorEvidence`` over the first
    /// `rows` rows of the file at `path` whose header is `header`.
    ///
    /// - Throws: the reader's errors (a feature's column holding text, a malformed row).
    public static func decisions(for ambiguous: [AmbiguousFeature], path: String, header: [String],
                                 options: CSVOptions = CSVOptions(), rows: Int) throws -> [String: SourceColumnMatcher.Match] {
        guard !ambiguous.isEmpty, rows > 0 else { return [:] }
        var requests = ambiguous.map { ColumnRequest($0.name, type: .numeric) }
        // A candidate column that is itself an ambiguous feature is read as numbers; it is
        // compared as a column the file lacks (the 0/1 test alone).
        let candidateRequest = ambiguous.map { feature in
            feature.candidates.map { candidate -> Int? in
                guard header.contains(candidate.column), !ambiguous.contains(where: { $0.name == candidate.column }) else { return nil }
                if let index = requests.firstIndex(where: { $0.name == candidate.column }) { return index }
                requests.append(ColumnRequest(candidate.column, type: .categorical))
                return requests.count - 1
            }
        }
        var evidence = ambiguous.map(IndicatorEvidence.init)
        let batches = try CSVReader.batches(path: path, columns: requests, options: options)
        var seen = 0
        while seen < rows, let batch = try batches.next(maxRows: min(65_536, rows - seen)) {
            for index in evidence.indices {
                evidence[index].add(values: batch.numeric(index),
                                    columns: candidateRequest[index].map { $0.map { batch.columns[$0] } })
            }
            seen += batch.rowCount
        }
        return Dictionary(uniqueKeysWithValues: evidence.map { ($0.feature.name, $0.decision) })
    }

    /// The column each of `ambiguous` comes from, by ``IndicatorEvidence`` over every row
    /// of `table` (a feature the table holds neither as numbers nor as booleans keeps its
    /// name's match).
    public static func decisions(for ambiguous: [AmbiguousFeature], in table: Table) -> [String: SourceColumnMatcher.Match] {
        var decided: [String: SourceColumnMatcher.Match] = [:]
        for feature in ambiguous {
            guard let column = table.column(named: feature.name) else { continue }
            let values: NumericColumn
            if let numbers = column.numeric {
                values = numbers
            } else if let booleans = column.boolean {
                values = NumericColumn(values: booleans.values.indices.map { booleans.isMissing[$0] ? .nan : booleans.values[$0] ? 1 : 0 },
                                       isMissing: booleans.isMissing)
            } else {
                continue
            }
            var evidence = IndicatorEvidence(feature)
            evidence.add(values: values, columns: feature.candidates.map { table.column(named: $0.column) })
            decided[feature.name] = evidence.decision
        }
        return decided
    }
}

extension FeatureSources {
    /// The columns of the file the ambiguous features were compared with, each once, in
    /// feature order: read to decide (`email` beside `email_opens`) even when no source
    /// is read from them.
    public var comparedColumns: [String] {
        var compared: [String] = []
        for name in featureNames where decided[name] != nil {
            for candidate in matcher.indicatorMatches(name) where columns.contains(candidate.column) && !compared.contains(candidate.column) {
                compared.append(candidate.column)
            }
        }
        return compared
    }

    /// These sources with the ambiguous features' columns as `decided` says
    /// (``decisions(for:in:)``, ``decisions(for:path:header:options:rows:)``).
    public func deciding(_ decided: [String: SourceColumnMatcher.Match]) throws -> FeatureSources {
        guard !decided.isEmpty else { return self }
        var result = try FeatureSources(featureNames: featureNames, header: columns.sorted(), knownColumns: matcher.knownColumns.sorted(),
                                        decided: self.decided.merging(decided) { _, new in new })
        // Declared baseline levels stay with the one-hot sources that still are.
        result.baselineLevels = baselineLevels.filter { name, _ in
            result.sources.contains { $0.name == name && $0.kind == .categorical }
        }
        return result
    }
}
