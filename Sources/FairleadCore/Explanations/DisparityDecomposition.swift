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
        var accumulator = Accumulator(attribute: attribute.name, featureNames: attributions.featureNames,
                                      missingGroup: missingGroup)
        accumulator.add(attributions, codes: attribute.codes, levels: attribute.levels)
        guard let decomposition = accumulator.decomposition(reference: reference) else { return nil }
        self = decomposition
    }

    init(attribute: String, featureNames: [String], referenceGroup: String, groups: [GroupGap]) {
        self.attribute = attribute
        self.featureNames = featureNames
        self.referenceGroup = referenceGroup
        self.groups = groups
    }

    /// The gap of `group`, if it has rows.
    public func group(_ name: String) -> GroupGap? {
        groups.first { $0.group == name }
    }
}

extension DisparityDecomposition {
    /// Per-group sums of margins and attributions, added batch by batch (a file streamed
    /// in chunks gives the decomposition of all its rows), from which the decomposition
    /// and each group's mean |attribution| follow.
    public struct Accumulator: Sendable {
        /// The attribute's name.
        public let attribute: String
        /// The features of the attributions added.
        public let featureNames: [String]
        /// The group of rows whose value is missing; nil leaves them out.
        public let missingGroup: String?
        private var names: [String] = []
        private var index: [String: Int] = [:]
        private var counts: [Int] = []
        private var marginSums: [Double] = []
        private var sums: [[Double]] = []
        private var absoluteSums: [[Double]] = []

        /// An empty accumulator.
        public init(attribute: String, featureNames: [String], missingGroup: String? = "unknown") {
            self.attribute = attribute
            self.featureNames = featureNames
            self.missingGroup = missingGroup
        }

        /// Adds rows: their attributions and their codes into `levels` (−1 = missing).
        public mutating func add<Codes: Collection<Int32>>(_ attributions: Attributions, codes: Codes, levels: [String]) {
            precondition(attributions.rowCount == codes.count, "one code per attribution row")
            precondition(attributions.featureNames == featureNames, "the same features in every batch")
            let width = featureNames.count
            var slots: [Int] = []
            for level in levels { slots.append(slot(level)) }
            if let missingGroup { slots.append(slot(missingGroup)) } else { slots.append(-1) }
            let margins = attributions.margins()
            attributions.values.withUnsafeBufferPointer { values in
                for (row, code) in codes.enumerated() {
                    let group = slots[code >= 0 ? Int(code) : levels.count]
                    guard group >= 0 else { continue }
                    counts[group] += 1
                    marginSums[group] += margins[row]
                    for j in 0..<width {
                        let value = values[row * width + j]
                        sums[group][j] += value
                        absoluteSums[group][j] += abs(value)
                    }
                }
            }
        }

        private mutating func slot(_ name: String) -> Int {
            if let existing = index[name] { return existing }
            index[name] = names.count
            names.append(name)
            counts.append(0)
            marginSums.append(0)
            sums.append([Double](repeating: 0, count: featureNames.count))
            absoluteSums.append([Double](repeating: 0, count: featureNames.count))
            return names.count - 1
        }

        /// The groups with rows, ordered by name: their row count, mean |attribution| and
        /// mean attribution per feature (``GlobalImportance``'s summaries, by group).
        public func importance() -> [(group: String, count: Int, meanAbsolute: [Double], mean: [Double])] {
            names.indices.filter { counts[$0] > 0 }.sorted { names[$0] < names[$1] }.map { group in
                let n = Double(counts[group])
                return (names[group], counts[group], absoluteSums[group].map { $0 / n }, sums[group].map { $0 / n })
            }
        }

        /// The decomposition against `reference`; nil when no row has a group or a named
        /// reference group has none.
        public func decomposition(reference: Reference) -> DisparityDecomposition? {
            let present = names.indices.filter { counts[$0] > 0 }.sorted { names[$0] < names[$1] }
            guard !present.isEmpty else { return nil }
            let width = featureNames.count
            let means = names.indices.map { group in sums[group].map { $0 / Double(max(1, counts[group])) } }
            let meanMargins = names.indices.map { marginSums[$0] / Double(max(1, counts[$0])) }
            let referenceIndex: Int
            switch reference {
            case .group(let name):
                guard let found = present.first(where: { names[$0] == name }) else { return nil }
                referenceIndex = found
            case .largest:
                // Of the groups whose value is known, as the audit's reference (``MetricFrame``).
                let known = present.filter { names[$0] != missingGroup }
                referenceIndex = (known.isEmpty ? present : known).max { (counts[$0], names[$1]) < (counts[$1], names[$0]) } ?? present[0]
            case .highestMeanMargin:
                referenceIndex = present.max { (meanMargins[$0], names[$1]) < (meanMargins[$1], names[$0]) } ?? present[0]
            }
            let groups = present.map { group in
                let contributions = (0..<width).map { means[group][$0] - means[referenceIndex][$0] }
                let gap = meanMargins[group] - meanMargins[referenceIndex]
                return GroupGap(group: names[group], count: counts[group], meanMargin: meanMargins[group], gap: gap,
                                contributions: contributions, residual: gap - contributions.reduce(0, +))
            }
            return DisparityDecomposition(attribute: attribute, featureNames: featureNames,
                                          referenceGroup: names[referenceIndex], groups: groups)
        }
    }
}
