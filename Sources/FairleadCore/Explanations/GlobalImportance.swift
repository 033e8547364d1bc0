/// Global views of attributions: the mean absolute attribution of every feature over all
/// rows and within each group of rows (e.g. each ethnicity), and the mean signed one.
///
/// mean |φⱼ| = (1/n) Σᵢ |φᵢⱼ| is shap's global importance (its bar plot); the signed mean
/// (1/n) Σᵢ φᵢⱼ shows a direction, e.g. a feature that lowers one group's scores on average.
/// Missing (NaN) attributions are skipped and not counted.
///
///     let global = GlobalImportance(attributions, groups: ethnicity)
///     global.overall.ranking.first          // the most important feature
///     global.byGroup["black"]?.meanAbsolute
public struct GlobalImportance: Sendable, Equatable {
    /// Mean absolute and signed attributions over a set of rows.
    public struct Summary: Sendable, Equatable {
        /// The number of rows summarised.
        public let rowCount: Int
        /// Per feature: mean |φ|.
        public let meanAbsolute: [Double]
        /// Per feature: mean φ.
        public let mean: [Double]
        /// Feature indices from the largest mean |φ| to the smallest (ties by index).
        public var ranking: [Int] {
            meanAbsolute.indices.sorted { meanAbsolute[$0] != meanAbsolute[$1] ? meanAbsolute[$0] > meanAbsolute[$1] : $0 < $1 }
        }
    }

    /// The summary of the rows that carry one group label.
    public struct GroupSummary: Sendable, Equatable {
        /// The group label, e.g. a value of a sensitive attribute.
        public let label: String
        /// The summary of the group's rows.
        public let summary: Summary
    }

    /// The features, one per entry of every summary.
    public let featureNames: [String]
    /// All rows.
    public let overall: Summary
    /// One summary per group label, labels sorted.
    public let byGroup: [GroupSummary]

    /// Summaries of `attributions`, overall and, when `groups` (one label per row) is given, per label.
    public init(_ attributions: Attributions, groups: [String]? = nil) {
        precondition(groups.map { $0.count == attributions.rowCount } ?? true, "one group label per row")
        featureNames = attributions.featureNames
        overall = Self.summarise(attributions.values, rows: Array(0..<attributions.rowCount))
        guard let groups else {
            byGroup = []
            return
        }
        var rowsByLabel: [String: [Int]] = [:]
        for (row, label) in groups.enumerated() { rowsByLabel[label, default: []].append(row) }
        byGroup = rowsByLabel.keys.sorted().map { label in
            GroupSummary(label: label, summary: Self.summarise(attributions.values, rows: rowsByLabel[label] ?? []))
        }
    }

    /// The summary for `label`, if any row has it.
    public func summary(for label: String) -> Summary? {
        byGroup.first { $0.label == label }?.summary
    }

    private static func summarise(_ values: Matrix, rows: [Int]) -> Summary {
        let width = values.columns
        var absolute = [Double](repeating: 0, count: width)
        var signed = [Double](repeating: 0, count: width)
        var counts = [Int](repeating: 0, count: width)
        values.withUnsafeBufferPointer { buffer in
            for row in rows {
                for j in 0..<width {
                    let value = buffer[row * width + j]
                    guard !value.isNaN else { continue }
                    absolute[j] += abs(value)
                    signed[j] += value
                    counts[j] += 1
                }
            }
        }
        for j in 0..<width where counts[j] > 0 {
            absolute[j] /= Double(counts[j])
            signed[j] /= Double(counts[j])
        }
        for j in 0..<width where counts[j] == 0 {
            absolute[j] = .nan
            signed[j] = .nan
        }
        return Summary(rowCount: rows.count, meanAbsolute: absolute, mean: signed)
    }
}
