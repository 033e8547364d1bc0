import Fairlead

/// A command that takes limit flags (``LimitsOption``), and which of them: the limits
/// its reading can hit. The flag of any other limit is refused rather than ignored, with
/// what the command reads:
///
///     extension RenderCommand: LimitedCommand {
///         static let limitsHit: Set<Limits.Name> = [.maxFileBytes]
///         static let limitsReads = "reads one saved report, whole"
///     }
protocol LimitedCommand {
    /// The limits that some input of the command can reach.
    static var limitsHit: Set<Limits.Name> { get }
    /// What the command reads, after "it" in the refusal of a flag outside ``limitsHit``.
    static var limitsReads: String { get }
}

extension Set<Limits.Name> {
    /// Every limit: a command that runs an audit can hit each.
    static var allLimits: Self { Set(Limits.Name.allCases) }
    /// The limits a CSV file's read can hit, its header's alone included: gzip's two,
    /// a field's bytes and the header's columns.
    static var csvReading: Self { [.maxDecompressedBytes, .maxCompressionRatio, .maxFieldBytes, .maxColumns] }
}
