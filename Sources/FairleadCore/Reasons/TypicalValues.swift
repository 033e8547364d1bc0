/// What a typical lead looks like, per source column: the median of a numeric source,
/// the most common value of a categorical one. Reasons show it beside the lead's own
/// value ("6 pricing page views; typical: 1").
///
/// Medians follow numpy's `median` (the mean of the two middle values for an even count);
/// the mode is the most frequent level, ties going to the first in code-point order.
/// Missing values are left out; a source with no value at all has an `unknown` typical value.
///
///     var typical = TypicalValues.Accumulator(sources: sources)
///     while let batch = try reader.next(maxRows: 65_536) { typical.add(batch) }
///     let values = typical.result()
public struct TypicalValues: Sendable, Equatable {
    /// One source's typical value.
    public enum Value: Sendable, Equatable {
        /// The median of a numeric source.
        case number(Double)
        /// The most common level of a categorical source.
        case level(String)
        /// No non-missing value was seen.
        case unknown
    }

    /// Per source (``FeatureSources/sources``), its typical value.
    public let values: [Value]

    /// Typical values given directly, one per source.
    public init(values: [Value]) {
        self.values = values
    }

    /// Collects the values of reference leads batch by batch.
    public struct Accumulator: Sendable {
        private let sources: FeatureSources
        private var numbers: [[Double]]
        private var counts: [[String: Int]]

        /// An empty accumulator for `sources`.
        public init(sources: FeatureSources) {
            self.sources = sources
            numbers = Array(repeating: [], count: sources.sources.count)
            counts = Array(repeating: [:], count: sources.sources.count)
        }

        /// Adds the leads of `batch`.
        public mutating func add(_ batch: LeadBatch) {
            for (index, source) in sources.sources.enumerated() {
                switch source.kind {
                case .numeric:
                    let feature = source.valueFeature
                    for row in 0..<batch.count {
                        let value = batch.features[row, feature]
                        if !value.isNaN { numbers[index].append(value) }
                    }
                case .categorical:
                    var local = [Int](repeating: 0, count: batch.levels[index].count)
                    for code in batch.categories[index] where code >= 0 { local[Int(code)] += 1 }
                    for (level, count) in zip(batch.levels[index], local) where count > 0 {
                        counts[index][level, default: 0] += count
                    }
                }
            }
        }

        /// The typical values of everything added.
        public func result() -> TypicalValues {
            TypicalValues(values: sources.sources.indices.map { index in
                switch sources.sources[index].kind {
                case .numeric:
                    return TypicalValues.median(numbers[index]).map(Value.number) ?? .unknown
                case .categorical:
                    let best = counts[index].max { ($0.value, $1.key) < ($1.value, $0.key) }
                    return best.map { .level($0.key) } ?? .unknown
                }
            })
        }
    }

    /// The median of `values` (mean of the two middle ones for an even count); nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
