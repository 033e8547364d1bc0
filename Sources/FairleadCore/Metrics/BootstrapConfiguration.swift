/// How many bootstrap replicates to draw, from which seed, and at what confidence level.
public struct BootstrapConfiguration: Sendable, Hashable {
    /// Replicates drawn (1,000 by default).
    public var replicates: Int
    /// The seed; the same seed gives the same intervals on every machine and thread count.
    public var seed: UInt64
    /// The confidence level of the percentile intervals.
    public var level: Double

    /// A configuration; the defaults are 1,000 replicates, a fixed seed and 95%.
    public init(replicates: Int = 1000, seed: UInt64 = 20_261_129, level: Double = 0.95) {
        precondition(replicates > 0, "the bootstrap needs at least one replicate")
        precondition(level > 0 && level < 1, "confidence level must be within (0, 1)")
        self.replicates = replicates
        self.seed = seed
        self.level = level
    }
}
