/// Where each model feature comes from in a data file, and the source columns that
/// reasons are given for: one-hot features (`industry=retail`, pandas' `sex_Female`, …)
/// are grouped back into their column, so a rep reads "Industry is retail", never
/// "Industry retail is 1", and a sensitive column is withheld however it is encoded.
///
/// Each feature's source column is found by ``SourceColumnMatcher`` against the header
/// and `knownColumns` (the sensitive columns and the columns a profile names): the
/// `column_value`, `column=value`, `column:value` and `column.value` spellings, the
/// longest known column first. A feature that is a column of the file and also spells an
/// indicator of another column (`sex_Female` beside `sex`, `email_opens` beside `email`)
/// is one of ``ambiguousFeatures``: the names alone group it as the indicator, and
/// `decided` (from ``IndicatorEvidence`` over the file's values, as ``LeadReader`` and an
/// audit's read give it) says which column it comes from. A feature is read as
/// - the number in the column of its own name, when the header has one;
/// - else, for a one-hot name whose column is in the header, the indicator of its value
///   in that column (1 or 0; a missing value gives 0, as pandas' `get_dummies`).
///
/// A group whose features are all one-hot indicators is a categorical source whose value
/// is the column's, or, when the data holds only the indicator columns, the level of the
/// indicator that is 1 — and when none is 1, ``Source/otherLevel`` ("not Male", "none of
/// Sales, Tech-support or Exec-managerial"). Any other group is a numeric source (a
/// derived feature such as `age_squared` joins `age`), read from its member named as
/// the column, else its first.
///
///     let header = try CSVReader.headerNames(path: "fixtures/onehot/onehot-leads-export.csv")
///     let sources = try FeatureSources(featureNames: model.featureNames, header: header, knownColumns: ["sex"])
///     sources.sources.map(\.name)     // ["age", "hours_per_week", "education", "occupation", "lead_source", "sex"]
///     sources.sourceName(for: "sex_Female")   // "sex"
public struct FeatureSources: Sendable, Equatable {
    /// How a source's value reads.
    public enum Kind: String, Sendable, Equatable {
        /// A number (median as the typical value).
        case numeric
        /// A category (mode as the typical value).
        case categorical
    }

    /// One source column and the model features summed into it.
    public struct Source: Sendable, Equatable {
        /// The column's name (the prefix of its one-hot features).
        public let name: String
        /// Numeric or categorical.
        public let kind: Kind
        /// The model features (indices into `featureNames`) grouped into this source.
        public let features: [Int]
        /// Categorical: per member feature, the level its indicator is 1 for.
        public let levels: [String]
        /// Whether the data has a column of this name (false for a group of indicator
        /// columns without their source).
        public let isColumn: Bool

        /// Numeric: the feature holding the source's value (the member named as the
        /// source, else the first member).
        public let valueFeature: Int

        /// The value of a lead none of whose indicators is 1, for a categorical source read
        /// from its indicator columns only: "not A" for one indicator, "neither A nor B"
        /// for two, "none of A, B or C" for three, "none of A, B, C or N others" beyond.
        public var otherLevel: String {
            switch levels.count {
            case 0: return "none of the model's values"
            case 1: return "not \(levels[0])"
            case 2: return "neither \(levels[0]) nor \(levels[1])"
            case 3: return "none of \(levels[0]), \(levels[1]) or \(levels[2])"
            default:
                let others = levels.count - 3
                return "none of \(levels[0]), \(levels[1]), \(levels[2]) or \(others) other\(others == 1 ? "" : "s")"
            }
        }
    }

    /// How one model feature is read from the data.
    public enum Reading: Sendable, Equatable {
        /// The number in this column.
        case column(String)
        /// 1 when the source's column holds `level`, else 0.
        case indicator(source: Int, level: String)
    }

    /// The model's features, in the order of the feature matrix.
    public let featureNames: [String]
    /// The sources, in the order their first feature appears.
    public let sources: [Source]
    /// Per feature: the index of its source.
    public let membership: [Int]
    /// Per feature: how it is read.
    public let readings: [Reading]
    /// How names were matched to columns (the header and the known columns).
    public let matcher: SourceColumnMatcher
    /// The data file's columns.
    public let columns: Set<String>
    /// The features whose column the values decided (``IndicatorEvidence``), and how.
    public let decided: [String: SourceColumnMatcher.Match]
    /// Per one-hot source column, the level its encoding dropped, which the model reads
    /// as every indicator 0 by design (``declaringBaselineLevels(_:field:)``).
    public internal(set) var baselineLevels: [String: String] = [:]

    /// The sources of `featureNames` in a file whose header is `header`; `knownColumns`
    /// are further column names one-hot features may derive from (sensitive columns a
    /// file lacks, columns a profile names). `decided` gives, for features of
    /// ``ambiguousFeatures``, the column the file's values say each comes from
    /// (``IndicatorEvidence/decision``) in place of the one its name matches.
    ///
    /// - Throws: `FairleadError(.invalidData)` naming `file` when a feature is neither a
    ///   column nor a one-hot indicator of one, with the closest column names.
    public init(featureNames: [String], header: [String], knownColumns: [String] = [], file: String? = nil,
                decided: [String: SourceColumnMatcher.Match] = [:]) throws {
        let columns = Set(header)
        let matcher = SourceColumnMatcher(knownColumns: header + knownColumns)
        var readings: [Reading] = []
        var names: [String] = []
        var index: [String: Int] = [:]
        var members: [[Int]] = []
        var levels: [[String]] = []
        var membership: [Int] = []
        var categorical: [Bool] = []
        var plainMember: [Int?] = []
        for (feature, name) in featureNames.enumerated() {
            let match = columns.contains(name) ? decided[name] ?? matcher.match(name) : matcher.match(name)
            let sourceIndex: Int
            if let existing = index[match.column] {
                sourceIndex = existing
            } else {
                sourceIndex = names.count
                index[match.column] = sourceIndex
                names.append(match.column)
                members.append([])
                levels.append([])
                categorical.append(true)
                plainMember.append(nil)
            }
            members[sourceIndex].append(feature)
            membership.append(sourceIndex)
            if let level = match.level {
                levels[sourceIndex].append(level)
            } else {
                categorical[sourceIndex] = false
                plainMember[sourceIndex] = feature
            }
            if columns.contains(name) {
                readings.append(.column(name))
            } else if let level = match.level, columns.contains(match.column) {
                readings.append(.indicator(source: sourceIndex, level: level))
            } else {
                // A header that holds no feature nor the column of one is not quoted back.
                let sourceColumns = featureNames.flatMap { [$0, matcher.match($0).column] }
                if let error = CSVHeaderRecognition.error(header: header, asked: sourceColumns, path: file) { throw error }
                let closest = typoNames(of: name, in: header)
                let hint = closest.isEmpty ? "" : " (closest: \(closest.map { "\"\(MessageQuote.clipped($0))\"" }.joined(separator: ", ")))"
                throw FairleadError(.invalidData, "the model needs feature \"\(name)\", which is neither a column nor a one-hot column (column_value, column=value, column:value, column.value) of one\(hint)",
                                    at: SourceLocation(file: file, line: 1))
            }
        }
        self.featureNames = featureNames
        self.readings = readings
        self.membership = membership
        self.matcher = matcher
        self.columns = columns
        self.decided = decided.filter { columns.contains($0.key) && featureNames.contains($0.key) }
        self.sources = names.indices.map { source in
            let isCategorical = categorical[source]
            return Source(name: names[source], kind: isCategorical ? .categorical : .numeric, features: members[source],
                          levels: isCategorical ? levels[source] : [], isColumn: columns.contains(names[source]),
                          valueFeature: plainMember[source] ?? members[source][0])
        }
    }

    /// The source a name given by a person (a sensitive column, a profile's proxy or
    /// wording key) stands for: a source's own name, the source of a model feature of
    /// that name, or the source its one-hot spelling matches; nil when none.
    ///
    ///     sources.sourceName(for: "sex_Female")      // "sex"
    ///     sources.sourceName(for: "occupation")      // "occupation"
    public func sourceName(for name: String) -> String? {
        if sources.contains(where: { $0.name == name }) { return name }
        if let feature = featureNames.firstIndex(of: name) { return sources[membership[feature]].name }
        let column = matcher.match(name).column
        return sources.contains(where: { $0.name == column }) ? column : nil
    }

    /// The source named `name`, if any.
    public func sourceIndex(named name: String) -> Int? {
        sources.firstIndex { $0.name == name }
    }

    /// The grouping of the model's features by source, for ``Attributions/grouped(by:)``.
    public var groups: FeatureGroups {
        var sourceOf: [String: String] = [:]
        for (feature, name) in featureNames.enumerated() where sourceOf[name] == nil {
            sourceOf[name] = sources[membership[feature]].name
        }
        return FeatureGroups(featureNames: featureNames) { sourceOf[$0] ?? $0 }
    }

    /// The columns to read: every numeric feature column and every categorical source
    /// column, each once, in feature order.
    public var columnRequests: [ColumnRequest] {
        var requests: [ColumnRequest] = []
        var requested: Set<String> = []
        func add(_ request: ColumnRequest) {
            if requested.insert(request.name).inserted { requests.append(request) }
        }
        for source in sources where source.kind == .categorical && source.isColumn {
            add(ColumnRequest(source.name, type: .categorical))
        }
        for reading in readings {
            if case .column(let name) = reading { add(ColumnRequest(name, type: .numeric)) }
        }
        return requests
    }
}
