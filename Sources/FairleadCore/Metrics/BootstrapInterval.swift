/// A bootstrap percentile interval, with how many replicates had a defined value.
public struct BootstrapInterval: Sendable, Hashable, CustomStringConvertible {
    /// The (1 − level)/2 percentile of the defined replicate values.
    public var lower: Double
    /// The (1 + level)/2 percentile of the defined replicate values.
    public var upper: Double
    /// The confidence level.
    public var level: Double
    /// Replicates whose value was defined (a replicate can leave a group without, say,
    /// actual positives); the interval is over these only.
    public var definedReplicates: Int
    /// Replicates drawn.
    public var replicates: Int

    /// An interval from its parts.
    public init(lower: Double, upper: Double, level: Double, definedReplicates: Int, replicates: Int) {
        self.lower = lower
        self.upper = upper
        self.level = level
        self.definedReplicates = definedReplicates
        self.replicates = replicates
    }

    /// The fewest defined replicates a percentile interval at `level` is given from:
    /// ⌈2 / (1 − level)⌉ (40 at 95%, 200 at 99%), so that each tail beyond a percentile
    /// holds a replicate on average. Fewer — one replicate drawn, or most replicates
    /// undefined — give no interval rather than one of a point or two.
    public static func minimumDefinedReplicates(level: Double) -> Int {
        max(2, Int((2 / (1 - level) * (1 - 1e-9)).rounded(.up)))
    }

    /// `[lower, upper] (95%, 998/1000 replicates)`.
    public var description: String {
        "[\(lower), \(upper)] (\(level * 100)%, \(definedReplicates)/\(replicates) replicates)"
    }

    /// The percentile interval of `values` (NaN = undefined replicate), with numpy's
    /// default linear interpolation between order statistics; `nil` when none is defined.
    static func percentile(_ values: [Double], level: Double, replicates: Int) -> BootstrapInterval? {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return nil }
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let below = Int(position.rounded(.down))
            let above = min(below + 1, sorted.count - 1)
            return sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
        }
        return BootstrapInterval(lower: quantile((1 - level) / 2), upper: quantile((1 + level) / 2),
                                 level: level, definedReplicates: sorted.count, replicates: replicates)
    }
}
