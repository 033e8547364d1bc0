/// How strongly one feature is associated with one sensitive attribute — the evidence
/// that it could stand in for the attribute (a proxy) in a model or a reason.
///
/// For a **categorical** feature: the contingency table's χ², Cramér's V and its
/// bias-corrected form (``ContingencyTable``), and the mutual information. A missing
/// feature value is a level of its own, "(missing)".
/// For a **numeric** feature: the correlation ratio η (``CorrelationRatio``) and the mutual
/// information over ten quantile bins (cut j = the ⌈j·n/10⌉-th smallest value, j = 1…9; a
/// value's bin is the number of cuts below it). Rows with a missing value are left out
/// and counted.
/// For both, per group, the ROC AUC of telling that group from the rest by the feature
/// alone (one-vs-rest): a categorical feature scores a row by the group's share among
/// the rows with its value (in sample, so slightly optimistic for features of many
/// values), a numeric one by its value, taking max(AUC, 1 − AUC) since either direction
/// separates. Rows whose sensitive value is missing are left out.
///
///     let measures = ProxyMeasures.measure(.init(name: "postal_area", values: .categorical(codes: codes, levels: areas)),
///                                          against: ethnicity)
///     measures.cramersVCorrected      // 0.80 on the leads sample
///     measures.bestAUC                // 0.96 (black vs the rest)
public struct ProxyMeasures: Sendable, Equatable {
    /// A feature's values, one per row.
    public enum Values: Sendable, Equatable {
        /// Numbers; NaN when missing.
        case numeric([Double])
        /// Codes into `levels`; −1 when missing.
        case categorical(codes: [Int32], levels: [String])
    }

    /// A named feature (a source column) with its values.
    public struct Feature: Sendable, Equatable {
        /// The feature's (source column's) name.
        public var name: String
        /// One value per row.
        public var values: Values

        /// A feature from its name and values.
        public init(name: String, values: Values) {
            self.name = name
            self.values = values
        }
    }

    /// Whether the feature was measured as categorical or numeric.
    public enum Kind: String, Sendable, Equatable, Codable {
        case categorical
        case numeric
    }

    /// The feature (source column).
    public let feature: String
    /// The sensitive attribute.
    public let attribute: String
    /// Categorical or numeric.
    public let kind: Kind
    /// Rows measured (sensitive value known; for a numeric feature, its value too).
    public let rows: Int
    /// Rows of a numeric feature left out because its value was missing.
    public let missing: Int
    /// Pearson's χ² (categorical).
    public let chiSquare: Double?
    /// Cramér's V (categorical).
    public let cramersV: Double?
    /// Bergsma's bias-corrected Cramér's V (categorical); thresholds apply to it.
    public let cramersVCorrected: Double?
    /// The correlation ratio η (numeric).
    public let correlationRatio: Double?
    /// Mutual information in nats.
    public let mutualInformation: Double
    /// Per group (that has rows on both sides): the one-vs-rest AUC of the feature alone.
    public let auc: [String: Double]

    /// The group told apart best, and its AUC (ties go to the first group by name).
    public var best: (group: String, auc: Double)? {
        auc.max { ($0.value, $1.key) < ($1.value, $0.key) }.map { ($0.key, $0.value) }
    }

    /// The measures at or above their thresholds, by their report names
    /// (`cramers_v`, `correlation_ratio`, `mutual_information`, `auc`).
    public func exceeded(_ thresholds: ProxyThresholds) -> [String] {
        var names: [String] = []
        if let v = cramersVCorrected, v >= thresholds.cramersV { names.append("cramers_v") }
        if let eta = correlationRatio, eta >= thresholds.correlationRatio { names.append("correlation_ratio") }
        if let limit = thresholds.mutualInformation, mutualInformation >= limit { names.append("mutual_information") }
        if let best, best.auc >= thresholds.auc { names.append("auc") }
        return names
    }

    /// The measures of `feature` against `attribute`.
    public static func measure(_ feature: Feature, against attribute: SensitiveAttribute) -> ProxyMeasures {
        switch feature.values {
        case .categorical(let codes, let levels):
            return categorical(feature.name, codes: codes, levelCount: levels.count, attribute: attribute)
        case .numeric(let values):
            return numeric(feature.name, values: values, attribute: attribute)
        }
    }

    /// The attribute's groups that have rows, ordered by name, and each row's index among them (−1: missing).
    private static func groups(of attribute: SensitiveAttribute) -> (names: [String], codes: [Int32]) {
        var present = [Bool](repeating: false, count: attribute.levels.count)
        for code in attribute.codes where code >= 0 { present[Int(code)] = true }
        let order = attribute.levels.indices.filter { present[$0] }.sorted { attribute.levels[$0] < attribute.levels[$1] }
        var remap = [Int32](repeating: -1, count: attribute.levels.count)
        for (position, level) in order.enumerated() { remap[level] = Int32(position) }
        return (order.map { attribute.levels[$0] }, attribute.codes.map { $0 < 0 ? -1 : remap[Int($0)] })
    }

    private static func categorical(_ name: String, codes: [Int32], levelCount: Int,
                                    attribute: SensitiveAttribute) -> ProxyMeasures {
        precondition(codes.count == attribute.codes.count, "one feature value per row of the attribute")
        let (groupNames, groupCodes) = groups(of: attribute)
        // A missing value is a level of its own.
        let levels = codes.map { $0 < 0 ? Int32(levelCount) : $0 }
        var counts = [[Double]](repeating: [Double](repeating: 0, count: groupNames.count), count: levelCount + 1)
        var rows = 0
        for (level, group) in zip(levels, groupCodes) where group >= 0 {
            counts[Int(level)][Int(group)] += 1
            rows += 1
        }
        let table = ContingencyTable(counts: counts.filter { $0.contains { $0 > 0 } })
        var auc: [String: Double] = [:]
        for (group, groupName) in groupNames.enumerated() {
            // Each level scores its rows by the group's share among them; ranks over levels.
            let scored = table.counts.map { row -> (score: Double, positives: Double, negatives: Double) in
                let total = row.reduce(0, +)
                return (row[group] / total, row[group], total - row[group])
            }.sorted { $0.score < $1.score }
            var negativesBelow = 0.0, area = 0.0, positives = 0.0, negatives = 0.0
            var index = 0
            while index < scored.count {
                var tiedPositives = 0.0, tiedNegatives = 0.0
                var end = index
                while end < scored.count && scored[end].score == scored[index].score {
                    tiedPositives += scored[end].positives
                    tiedNegatives += scored[end].negatives
                    end += 1
                }
                area += tiedPositives * (negativesBelow + tiedNegatives / 2)
                negativesBelow += tiedNegatives
                positives += tiedPositives
                negatives += tiedNegatives
                index = end
            }
            if positives > 0 && negatives > 0 { auc[groupName] = area / (positives * negatives) }
        }
        return ProxyMeasures(feature: name, attribute: attribute.name, kind: .categorical, rows: rows, missing: 0,
                             chiSquare: table.chiSquare, cramersV: table.cramersV, cramersVCorrected: table.cramersVCorrected,
                             correlationRatio: nil, mutualInformation: table.mutualInformation, auc: auc)
    }

    private static func numeric(_ name: String, values: [Double], attribute: SensitiveAttribute) -> ProxyMeasures {
        precondition(values.count == attribute.codes.count, "one feature value per row of the attribute")
        let (groupNames, groupCodes) = groups(of: attribute)
        var present: [Double] = []
        var presentGroups: [Int32] = []
        var missing = 0
        for (value, group) in zip(values, groupCodes) where group >= 0 {
            if value.isNaN {
                missing += 1
            } else {
                present.append(value)
                presentGroups.append(group)
            }
        }
        let eta = CorrelationRatio.eta(values: present, groups: presentGroups)
        let order = present.indices.sorted { present[$0] < present[$1] }
        let n = present.count
        var bins = [Int32](repeating: 0, count: n)
        if n > 0 {
            let cuts = (1...9).map { present[order[Int((Double($0 * n) / 10).rounded(.up)) - 1]] }
            for (index, value) in present.enumerated() { bins[index] = Int32(cuts.filter { $0 < value }.count) }
        }
        let table = ContingencyTable(levels: bins, levelCount: 10, groups: presentGroups, groupCount: groupNames.count)
        var auc: [String: Double] = [:]
        for (group, groupName) in groupNames.enumerated() {
            let labels = presentGroups.map { $0 == Int32(group) }
            if let area = ROCAUC.area(sortedOrder: order, scores: present, labels: labels) {
                auc[groupName] = max(area, 1 - area)
            }
        }
        return ProxyMeasures(feature: name, attribute: attribute.name, kind: .numeric, rows: n, missing: missing,
                             chiSquare: nil, cramersV: nil, cramersVCorrected: nil, correlationRatio: eta,
                             mutualInformation: table.mutualInformation, auc: auc)
    }
}
