/// Where each model feature comes from in a data file, and the source columns that
/// reasons are given for: one-hot features named `column=value` are grouped back into
/// `column`, so a rep reads "industry is retail", never "industry=retail is 1".
///
/// A feature is read as
/// - the number in the column of its own name, when the header has one;
/// - else, for a name `column=value` whose `column` is in the header, the indicator of
///   `value` in that column (1 or 0; a missing value gives 0, as pandas' `get_dummies`).
///
/// Features are grouped by the part of their name before `=` (``FeatureGroups/byPrefix(_:separator:)``).
/// A group of `column=value` features is a categorical source whose value is the
/// `column`'s, or, when the data holds only the indicator columns, the level of the
/// indicator that is 1. Every other feature is its own numeric source.
///
///     let sources = try FeatureSources(featureNames: model.featureNames, header: reader.header)
///     sources.sources.map(\.name)     // ["lead_source", "industry", …, "web_visits"]
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

    /// The sources of `featureNames` in a file whose header is `header`.
    ///
    /// - Throws: `FairleadError(.invalidData)` naming `file` when a feature is neither a
    ///   column nor `column=value` of a column, with the closest column names.
    public init(featureNames: [String], header: [String], file: String? = nil) throws {
        let columns = Set(header)
        var readings: [Reading] = []
        var names: [String] = []
        var index: [String: Int] = [:]
        var members: [[Int]] = []
        var membership: [Int] = []
        var categorical: [Bool] = []
        for (feature, name) in featureNames.enumerated() {
            let prefix = name.firstIndex(of: "=").map { String(name[..<$0]) }
            let group = prefix ?? name
            let sourceIndex: Int
            if let existing = index[group] {
                sourceIndex = existing
            } else {
                sourceIndex = names.count
                index[group] = sourceIndex
                names.append(group)
                members.append([])
                categorical.append(true)
            }
            members[sourceIndex].append(feature)
            membership.append(sourceIndex)
            if prefix == nil { categorical[sourceIndex] = false }
            if columns.contains(name) {
                readings.append(.column(name))
            } else if let prefix, columns.contains(prefix), let equals = name.firstIndex(of: "=") {
                readings.append(.indicator(source: sourceIndex, level: String(name[name.index(after: equals)...])))
            } else {
                let closest = closestNames(to: name, in: header).filter { editDistance($0, name) <= max(2, name.count / 2) }
                let hint = closest.isEmpty ? "" : " (closest: \(closest.map { "\"\($0)\"" }.joined(separator: ", ")))"
                throw FairleadError(.invalidData, "the model needs feature \"\(name)\", which is neither a column nor column=value of one\(hint)",
                                    at: SourceLocation(file: file, line: 1))
            }
        }
        self.featureNames = featureNames
        self.readings = readings
        self.membership = membership
        self.sources = names.indices.map { source in
            let isCategorical = categorical[source]
            let levels = isCategorical ? members[source].map { feature -> String in
                let name = featureNames[feature]
                return name.firstIndex(of: "=").map { String(name[name.index(after: $0)...]) } ?? name
            } : []
            return Source(name: names[source], kind: isCategorical ? .categorical : .numeric, features: members[source],
                          levels: levels, isColumn: columns.contains(names[source]))
        }
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
        func add(_ request: ColumnRequest) {
            if !requests.contains(where: { $0.name == request.name }) { requests.append(request) }
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
