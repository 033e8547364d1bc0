/// A map from model features to the source columns they were derived from, so that
/// attributions of one-hot or derived features can be summed per source column.
///
/// Attributions are additive, so a group's attribution is the sum of its members' — the
/// SHAP value of the group acting as one player only in the exact, additive sense
/// (base + Σ groups = margin). Groups keep the order in which their first feature appears.
///
///     let groups = FeatureGroups.byPrefix(["industry=retail", "industry=software", "web_visits"])
///     groups.names       // ["industry", "web_visits"]
///     attributions.grouped(by: groups)
public struct FeatureGroups: Sendable, Equatable {
    /// The group (source column) names, in order of first appearance.
    public let names: [String]
    /// Per feature: the index of its group in `names`.
    public let membership: [Int]

    /// Groups given by `sourceOf(feature)` for every feature.
    public init(featureNames: [String], sourceOf: (String) -> String) {
        var names: [String] = []
        var index: [String: Int] = [:]
        var membership: [Int] = []
        for feature in featureNames {
            let source = sourceOf(feature)
            if let existing = index[source] {
                membership.append(existing)
            } else {
                index[source] = names.count
                membership.append(names.count)
                names.append(source)
            }
        }
        self.names = names
        self.membership = membership
    }

    /// Groups by source column as ``SourceColumnMatcher`` matches them against
    /// `knownColumns` (a data file's header, sensitive columns): `sex_Female`, `sex=Female`,
    /// `sex:Female` and `sex.Female` → `sex` — the matching reasons and withholding use,
    /// by the names alone: a feature that is a column of the file and is named as another
    /// column's indicator (`email_opens` beside `email`) is grouped by its values only
    /// through ``FeatureSources`` (``FeatureSources/groups``).
    public static func bySource(_ featureNames: [String], knownColumns: [String]) -> FeatureGroups {
        let matcher = SourceColumnMatcher(knownColumns: knownColumns)
        return FeatureGroups(featureNames: featureNames) { matcher.match($0).column }
    }

    /// Groups by the part of each name before `separator`: `industry=retail` → `industry`
    /// (the naming of one-hot columns in Fairlead's fixtures and pandas' `get_dummies(prefix_sep="=")`).
    /// Names without the separator are their own group. To group the way explanations do
    /// (every one-hot spelling, against known columns), use ``bySource(_:knownColumns:)``.
    public static func byPrefix(_ featureNames: [String], separator: Character = "=") -> FeatureGroups {
        FeatureGroups(featureNames: featureNames) { name in
            name.firstIndex(of: separator).map { String(name[..<$0]) } ?? name
        }
    }

    /// Groups from an explicit map feature → source column; unmapped features are their own group.
    public init(featureNames: [String], mapping: [String: String]) {
        self.init(featureNames: featureNames) { mapping[$0] ?? $0 }
    }
}

extension Attributions {
    /// The attributions summed per group: column g is Σ of the features in group g. The
    /// base value is unchanged, so the grouped attributions stay additive.
    ///
    /// Standard errors are dropped (nil): a sum's error needs the covariances between
    /// features, which per-feature errors do not carry.
    public func grouped(by groups: FeatureGroups) -> Attributions {
        precondition(groups.membership.count == featureNames.count, "the groups must cover every feature")
        let (rows, width, groupCount) = (values.rows, values.columns, groups.names.count)
        var summed = Matrix(rows: rows, columns: groupCount)
        values.withUnsafeBufferPointer { input in
            summed.withUnsafeMutableBufferPointer { output in
                for r in 0..<rows {
                    for j in 0..<width { output[r * groupCount + groups.membership[j]] += input[r * width + j] }
                }
            }
        }
        return Attributions(featureNames: groups.names, baseValue: baseValue, values: summed)
    }
}
