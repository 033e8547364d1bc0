import ArgumentParser
import Fairlead

/// The limit flags of commands that read data (docs/security-limits.md): each raises (or
/// lowers) one ``Limits`` bound over the profile's `limits:` key and the default.
///
///     fairlead audit --profile p.yaml --max-field-bytes 8MiB --max-compression-ratio 500
///
/// A command takes the flags of the limits its reading can hit (``LimitedCommand``); the
/// others are left out of its help and refused, never parsed and then ignored:
/// `sql --max-groups 50000` bounds nothing, since `sql` reads no rows.
struct LimitsOption<Command: LimitedCommand>: ParsableArguments {
    @Option(name: .customLong(Limits.Name.maxDecompressedBytes.flagName),
            help: ArgumentHelp("Bytes a .csv.gz may inflate to (default 16GiB).", valueName: "bytes", visibility: Self.visibility(.maxDecompressedBytes)))
    var maxDecompressedBytes: String?

    @Option(name: .customLong(Limits.Name.maxCompressionRatio.flagName),
            help: ArgumentHelp("How many times its size a .csv.gz may inflate (default 200).", valueName: "ratio", visibility: Self.visibility(.maxCompressionRatio)))
    var maxCompressionRatio: String?

    @Option(name: .customLong(Limits.Name.maxFieldBytes.flagName),
            help: ArgumentHelp("Bytes of one CSV field (default 1MiB).", valueName: "bytes", visibility: Self.visibility(.maxFieldBytes)))
    var maxFieldBytes: String?

    @Option(name: .customLong(Limits.Name.maxThreads.flagName),
            help: ArgumentHelp("The most --threads allowed (default 4 per core).", valueName: "count", visibility: Self.visibility(.maxThreads)))
    var maxThreads: String?

    @Option(name: .customLong(Limits.Name.memoryBudgetBytes.flagName),
            help: ArgumentHelp("Working memory planned for KernelSHAP's --samples, the bootstrap, and JSON decoded whole: statistics parts, saved reports, a linear model (default 2GiB).",
                               valueName: "bytes", visibility: Self.visibility(.memoryBudgetBytes)))
    var memoryBudgetBytes: String?

    @Option(name: .customLong(Limits.Name.maxFileBytes.flagName),
            help: ArgumentHelp("Bytes of a model file or saved report, read whole (default 1GiB).", valueName: "bytes", visibility: Self.visibility(.maxFileBytes)))
    var maxFileBytes: String?

    @Option(name: .customLong(Limits.Name.maxGridBins.flagName),
            help: ArgumentHelp("The most cells of statistics.score_grid (default 100000).", valueName: "count", visibility: Self.visibility(.maxGridBins)))
    var maxGridBins: String?

    @Option(name: .customLong(Limits.Name.maxQuerySeconds.flagName),
            help: ArgumentHelp("Seconds a query may run in the profile's database, data.postgres (default 3600).",
                               valueName: "seconds", visibility: Self.visibility(.maxQuerySeconds)))
    var maxQuerySeconds: String?

    @Option(name: .customLong(Limits.Name.maxGroups.flagName),
            help: ArgumentHelp("The most groups of one attribute or intersection (default 10000).", valueName: "count", visibility: Self.visibility(.maxGroups)))
    var maxGroups: String?

    @Option(name: .customLong(Limits.Name.maxColumns.flagName),
            help: ArgumentHelp("The most columns of a CSV file's header (default 10000).", valueName: "count", visibility: Self.visibility(.maxColumns)))
    var maxColumns: String?

    @Option(name: .customLong(Limits.Name.maxTreeDepth.flagName),
            help: ArgumentHelp("The most levels of one tree of the model (default 256, at most 512).", valueName: "levels",
                               visibility: Self.visibility(.maxTreeDepth)))
    var maxTreeDepth: String?

    private var given: [(Limits.Name, String?)] {
        [(.maxDecompressedBytes, maxDecompressedBytes), (.maxCompressionRatio, maxCompressionRatio),
         (.maxFieldBytes, maxFieldBytes), (.maxThreads, maxThreads), (.memoryBudgetBytes, memoryBudgetBytes),
         (.maxFileBytes, maxFileBytes), (.maxGridBins, maxGridBins), (.maxQuerySeconds, maxQuerySeconds),
         (.maxGroups, maxGroups), (.maxColumns, maxColumns), (.maxTreeDepth, maxTreeDepth)]
    }

    /// The flags given, read (`validate()` has refused any that does not read).
    private var values: [Limits.Name: Int] {
        var values: [Limits.Name: Int] = [:]
        for case let (name, text?) in given {
            if let value = Limits.parse(text, as: name) { values[name] = value }
        }
        return values
    }

    func validate() throws {
        guard !CommandLineValidation.skipped else { return }
        for case let (name, _?) in given where !Command.limitsHit.contains(name) {
            let taken = Limits.Name.allCases.filter(Command.limitsHit.contains).map(\.flag).joined(separator: ", ")
            throw ValidationError("\(name.flag) bounds nothing this command reads: it \(Command.limitsReads); its limit flags: \(taken)")
        }
        for case let (name, text?) in given where Limits.parse(text, as: name) == nil {
            throw ValidationError("\(name.flag) expects \(name.expectedValue), found '\(text)'")
        }
    }

    /// Help lists a flag for a limit the command can hit; the others parse only to be refused.
    private static func visibility(_ name: Limits.Name) -> ArgumentVisibility {
        Command.limitsHit.contains(name) ? .default : .private
    }

    /// `reading` with these flags as limits over the profile's own while it is checked
    /// (`--max-grid-bins` admits a finer `statistics.score_grid`).
    func over(_ reading: ProfileReading) -> ProfileReading {
        var reading = reading
        reading.limitOverrides.merge(values) { _, flag in flag }
        return reading
    }

    /// `base` (the profile's limits, or the defaults) with every flag given applied over it.
    func applied(to base: Limits = Limits()) -> Limits {
        var limits = base
        for (name, value) in values { limits[name] = value }
        return limits
    }
}

extension Limits.Name {
    /// The flag's long name, without dashes: `max-field-bytes`.
    var flagName: String { rawValue.replacingOccurrences(of: "_", with: "-") }
    /// The flag: `--max-field-bytes`.
    var flag: String { "--" + flagName }
}
