/// Which features drive a gap in scores between groups: the difference in mean margin
/// between each group and a reference group, split into one contribution per feature.
///
/// With additive attributions (margin = base + Σⱼ φⱼ), the mean margin of group g is
/// base + Σⱼ mean_g(φⱼ), so
///
///     gap_g = mean_g(margin) − mean_ref(margin) = Σⱼ [mean_g(φⱼ) − mean_ref(φⱼ)],
///
/// and contribution_g,j = mean_g(φⱼ) − mean_ref(φⱼ) splits the gap exactly (the
/// `residual`, gap − Σ contributions, is floating-point rounding, below 1e-12 on the
/// fixtures). A feature whose contribution carries most of a group's gap is where an
/// auditor looks first — e.g. postal_area for black leads on the bundled model.
///
///     let decomposition = DisparityDecomposition(grouped, attribute: ethnicity, reference: .group("white"))
///     decomposition.group("black")?.contributions     // per feature, summing to the gap
public struct DisparityDecomposition: Sendable, Equatable {
    /// How the reference group is chosen.
    public enum Reference: Sendable, Equatable {
        /// A group named by its value.
        case group(String)
        /// The group with the most rows (ties: the first by name).
        case largest
        /// The group with the highest mean margin (ties: the first by name).
        case highestMeanMargin
    }

    /// One group's gap and its split.
    public struct GroupGap: Sendable, Equatable {
        /// The group's value.
        public let group: String
        /// Rows in the group.
        public let count: Int
        /// The group's mean margin.
        public let meanMargin: Double
        /// meanMargin − the reference group's mean margin.
        public let gap: Double
        /// Per feature: the group's mean attribution − the reference group's.
        public let contributions: [Double]
        /// gap − Σ contributions (rounding only, for additive attributions).
        public let residual: Double
    }

    /// The sensitive attribute.
    public let attribute: String
    /// The features (or feature groups) of the attributions.
    public let featureNames: [String]
    /// The reference group.
    public let referenceGroup: String
    /// Every group with rows, the reference included (gap 0), ordered by name.
    public let groups: [GroupGap]

    /// The decomposition of `attributions` (one row per row of `attribute`) by `attribute`.
    /// Rows whose value is missing form the group `missingGroup`, or are left out when it is nil.
    ///
    /// - Returns: nil when no row has a group, or a named reference group has no rows.
    public init?(_ attributions: Attributions, attribute: SensitiveAttribute, reference: Reference,
                 missingGroup: String? = "unknown") {
        precondition(attributions.rowCount == attribute.codes.count, "one attribution row per row of the attribute")
        let width = attributions.values.columns
        let margins = attributions.margins()
        var names = attribute.levels
        let missingIndex = names.count
        if let missingGroup { names.append(missingGroup) }
        var counts = [Int](repeating: 0, count: names.count)
        var marginSums = [Double](repeating: 0, count: names.count)
        var sums = [[Double]](repeating: [Double](repeating: 0, count: width), count: names.count)
        attributions.values.withUnsafeBufferPointer { values in
            for (row, code) in attribute.codes.enumerated() {
                let group = code >= 0 ? Int(code) : (missingGroup == nil ? -1 : missingIndex)
                guard group >= 0 else { continue }
                counts[group] += 1
                marginSums[group] += margins[row]
                for j in 0..<width { sums[group][j] += values[row * width + j] }
            }
        }
        let present = names.indices.filter { counts[$0] > 0 }.sorted { names[$0] < names[$1] }
        guard !present.isEmpty else { return nil }
        let means = names.indices.map { group in sums[group].map { $0 / Double(max(1, counts[group])) } }
        let meanMargins = names.indices.map { marginSums[$0] / Double(max(1, counts[$0])) }
        let referenceIndex: Int
        switch reference {
        case .group(let name):
            guard let index = present.first(where: { names[$0] == name }) else { return nil }
            referenceIndex = index
        case .largest:
            referenceIndex = present.max { (counts[$0], names[$1]) < (counts[$1], names[$0]) } ?? present[0]
        case .highestMeanMargin:
            referenceIndex = present.max { (meanMargins[$0], names[$1]) < (meanMargins[$1], names[$0]) } ?? present[0]
        }
        self.attribute = attribute.name
        self.featureNames = attributions.featureNames
        self.referenceGroup = names[referenceIndex]
        self.groups = present.map { group in
            let contributions = (0..<width).map { means[group][$0] - means[referenceIndex][$0] }
            let gap = meanMargins[group] - meanMargins[referenceIndex]
            return GroupGap(group: names[group], count: counts[group], meanMargin: meanMargins[group], gap: gap,
                            contributions: contributions, residual: gap - contributions.reduce(0, +))
        }
    }

    /// The gap of `group`, if it has rows.
    public func group(_ name: String) -> GroupGap? {
        groups.first { $0.group == name }
    }
}
