/// What a file's values say about an ambiguous feature
/// (``FeatureSources/AmbiguousFeature``): a column of the file whose name also spells a
/// one-hot indicator of another column. In a pandas `get_dummies` export `sex_Female`
/// sits beside `sex` and is `sex`'s indicator (withheld with it when `sex` is
/// sensitive); `email_opens` beside `email` is a count of its own, and `email` is no
/// category it marks.
///
/// The feature is the indicator of candidate column `c` and level `v` when its own
/// column holds only 0 and 1 (blanks aside) and, where the file has `c`, is 1 exactly on
/// the rows whose `c` is spelt `v` — as the reading of an indicator compares a level
/// (rows missing either value are not compared). Candidates are tried longest column
/// first; when none fits, the feature is its own column. An indicator that is never 1
/// fits whatever the other column holds: `sex_Female` in a file of men still marks `sex`.
///
///     var evidence = IndicatorEvidence(ambiguous)            // email_opens; candidate (email, opens)
///     evidence.add(values: batch.numeric(0), columns: [batch.columns[1]])
///     evidence.decision                                      // (email_opens, no level): its own column
public struct IndicatorEvidence: Sendable {
    /// The feature and its candidate columns.
    public let feature: FeatureSources.AmbiguousFeature
    /// Whether every value seen is 0, 1 or missing.
    public private(set) var isBinary = true
    /// Per candidate: whether the rows seen so far agree with it.
    public private(set) var fits: [Bool]

    /// No rows seen yet: every candidate fits.
    public init(_ feature: FeatureSources.AmbiguousFeature) {
        self.feature = feature
        self.fits = Array(repeating: true, count: feature.candidates.count)
    }

    /// Adds rows: `values` of the feature's own column and, per candidate, the same rows
    /// of its column, categorical or kept as text (nil for a candidate the file lacks, or
    /// holds as numbers: only the 0/1 test applies).
    public mutating func add(values: NumericColumn, columns: [Column?]) {
        precondition(columns.count == feature.candidates.count, "one column (or nil) per candidate")
        guard isBinary else { return }
        for row in 0..<values.count where !values.isMissing[row] {
            let value = values.values[row]
            if value != 0 && value != 1 {
                isBinary = false
                return
            }
        }
        for (candidate, column) in columns.enumerated() where fits[candidate] {
            guard let column else { continue }
            precondition(column.count == values.count, "a candidate column's rows differ from the feature's")
            let level = feature.candidates[candidate].level
            // Whether a row's value is spelt as the level; nil where it is missing. An
            // all-distinct column kept as text is compared row by row, never encoded.
            let isLevel: (Int) -> Bool?
            if let text = column.text {
                isLevel = { row in text[row].map { $0 == level } }
            } else if let categorical = column.categorical {
                let marks = categorical.levels.map { $0 == level }
                isLevel = { row in categorical.codes[row] < 0 ? nil : marks[Int(categorical.codes[row])] }
            } else {
                continue
            }
            for row in 0..<values.count where !values.isMissing[row] {
                if let marked = isLevel(row), marked != (values.values[row] == 1) {
                    fits[candidate] = false
                    break
                }
            }
        }
    }

    /// The column the feature comes from: the first candidate that fits, else the
    /// feature itself (no level).
    public var decision: SourceColumnMatcher.Match {
        if isBinary, let first = fits.firstIndex(of: true) { return feature.candidates[first] }
        return SourceColumnMatcher.Match(column: feature.name, level: nil)
    }
}
