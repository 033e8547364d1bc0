/// Maps a model feature's name to the data column it was derived from, through the usual
/// one-hot spellings — the one place a feature is matched to a column (``FeatureSources``,
/// and through it reasons, what is withheld, proxy detection and profile names).
///
/// | spelling | made by | example |
/// |---|---|---|
/// | `column_value` | pandas `get_dummies`, scikit-learn `OneHotEncoder` | `sex_Female`, `lead_source_web_form` |
/// | `column=value` | Fairlead's fixtures, `get_dummies(prefix_sep="=")`, `DictVectorizer` | `industry=retail` |
/// | `column:value` | `get_dummies(prefix_sep=":")` | `region:north` |
/// | `column.value` | R-style and some pipelines | `sex.Female` |
///
/// A feature `name` matches the **longest known column** `c` with `name = c + separator +
/// value` (value not empty): with `lead_source` known, `lead_source_web_form` is
/// (`lead_source`, `web_form`), never (`lead`, `source_web_form`). Known columns are the
/// data file's header, the sensitive columns and the columns a profile names; a feature
/// that is itself a known column still matches a shorter known column it starts with
/// (`sex_Female` with `sex` known is `sex`'s indicator by its name, whether or not the
/// file has a `sex_Female` column). Names alone cannot tell that indicator from a count
/// `email_opens` beside a column `email`: when the file has the feature's own column,
/// ``FeatureSources`` asks its values (``IndicatorEvidence``), trying every match of
/// ``indicatorMatches(_:)``. With no known column to match, a name with `=` or `:` splits at
/// the first of them; `_` and `.` are too common inside column names to split on without
/// knowing the column, so such a feature is its own column.
///
///     let matcher = SourceColumnMatcher(knownColumns: ["lead_source", "sex"])
///     matcher.match("lead_source_web_form")   // column "lead_source", level "web_form"
///     matcher.match("sex.Female")             // column "sex", level "Female"
///     matcher.match("region=north")           // column "region", level "north"
///     matcher.match("web_visits")             // column "web_visits", no level
public struct SourceColumnMatcher: Sendable, Equatable {
    /// A feature's source column, and the level its indicator is 1 for (nil: the feature
    /// is the column itself).
    public struct Match: Sendable, Equatable, Hashable {
        /// The source column.
        public let column: String
        /// The category the indicator marks; nil for a feature that is its own column.
        public let level: String?

        /// A match from its parts.
        public init(column: String, level: String?) {
            self.column = column
            self.level = level
        }
    }

    /// The characters between a column's name and a value in a one-hot feature's name.
    public static let separators: Set<Character> = ["_", "=", ":", "."]
    /// The separators a name is split at even when its column is not known.
    public static let unambiguousSeparators: Set<Character> = ["=", ":"]

    /// The column names features are matched against.
    public let knownColumns: Set<String>

    /// The UTF-8 length of the longest known column: no longer prefix of a name is looked
    /// up, so that a long feature name costs its length, not its length squared.
    private let longestKnownColumn: Int

    /// A matcher against `knownColumns`.
    public init<Names: Sequence>(knownColumns: Names) where Names.Element == String {
        self.knownColumns = Set(knownColumns)
        self.longestKnownColumn = self.knownColumns.map(\.utf8.count).max() ?? 0
    }

    /// The source column of the feature `name` (see the type's rules): the first of
    /// ``indicatorMatches(_:)``, else `name` itself.
    public func match(_ name: String) -> Match {
        indicatorMatches(name).first ?? Match(column: name, level: nil)
    }

    /// Every column the feature `name` spells a one-hot indicator of, longest known
    /// column first; without a known column, the split at the first `=` or `:`; empty
    /// when `name` is no indicator's spelling. The names alone cannot tell
    /// `company_size_51-200` of `company_size` from that of `company`, nor an indicator
    /// `sex_Female` from a count `email_opens` beside `email`; the values can
    /// (``FeatureSources/ambiguousFeatures``).
    ///
    ///     SourceColumnMatcher(knownColumns: ["company", "company_size"]).indicatorMatches("company_size_51-200")
    ///     // [(company_size, 51-200), (company, size_51-200)]
    public func indicatorMatches(_ name: String) -> [Match] {
        var cuts: [String.Index] = []
        var firstUnambiguous: String.Index?
        var index = name.startIndex
        var prefixBytes = 0
        while index < name.endIndex {
            let character = name[index]
            let next = name.index(after: index)
            if Self.separators.contains(character), index > name.startIndex, next < name.endIndex {
                if prefixBytes <= longestKnownColumn, knownColumns.contains(String(name[..<index])) { cuts.append(index) }
                if firstUnambiguous == nil && Self.unambiguousSeparators.contains(character) { firstUnambiguous = index }
            }
            prefixBytes += character.utf8.count
            index = next
        }
        if cuts.isEmpty, let firstUnambiguous { cuts = [firstUnambiguous] }
        return cuts.reversed().map { cut in
            Match(column: String(name[..<cut]), level: String(name[name.index(after: cut)...]))
        }
    }

    /// The columns that `names` (sensitive, proxy and allowed names a user wrote) are
    /// indicators of: a name that is one of `features` and whose prefix before a
    /// separator is shared, with that separator, by another feature (`sex_Male` beside
    /// `sex_Female` is an indicator of `sex`). Adding them to the known columns makes a
    /// name written as one indicator withhold the whole column, even when the file holds
    /// only the indicators.
    public static func indicatorColumns(of names: [String], among features: [String]) -> [String] {
        var columns: [String] = []
        for name in names where features.contains(name) {
            for (offset, character) in name.enumerated() where separators.contains(character) && offset > 0 {
                let prefix = String(name.prefix(offset + 1))
                if features.contains(where: { $0 != name && $0.hasPrefix(prefix) }) {
                    let column = String(name.prefix(offset))
                    if !columns.contains(column) { columns.append(column) }
                }
            }
        }
        return columns
    }
}
