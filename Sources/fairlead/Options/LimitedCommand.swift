import ArgumentParser
import Fairlead

/// A command that takes limit flags (``LimitsOption``), and which of them: the limits
/// its reading can hit. The flag of any other limit is refused rather than ignored, with
/// what the command reads:
///
///     extension RenderCommand: LimitedCommand {
///         static let limitsHit: Set<Limits.Name> = [.maxFileBytes, .memoryBudgetBytes]
///         static let limitsReads = "reads one saved report, whole, and decodes it"
///     }
protocol LimitedCommand {
    /// The limits that some input of the command can reach.
    static var limitsHit: Set<Limits.Name> { get }
    /// What the command reads, after "it" in the refusal of a flag outside ``limitsHit``.
    static var limitsReads: String { get }
    /// Whether this run reads a profile, whose `limits:` section then raises a limit too.
    var readsProfile: Bool { get }
}

extension LimitedCommand {
    var readsProfile: Bool { true }
}

/// How the message of a limit hit says to raise it: with the flag when the command takes
/// it, with the profile key when the command reads a profile (`serve` takes no flag and
/// keeps its profile's `limits:`), else nothing — never a flag the command refuses or a
/// profile it does not read.
enum LimitRaiseHint {
    static func text(for limit: Limits.Name, command: (any ParsableCommand)?) -> String {
        var takesFlag = true
        var readsProfile = true
        if let limited = command as? any LimitedCommand {
            takesFlag = type(of: limited).limitsHit.contains(limit)
            readsProfile = limited.readsProfile
        } else if command is ServeCommand {
            takesFlag = false
        }
        let ways = (takesFlag ? ["\(limit.flag) N"] : []) + (readsProfile ? ["limits.\(limit.rawValue) in the profile"] : [])
        return ways.isEmpty ? "" : "; raise it with " + ways.joined(separator: " or ")
    }
}

extension Set<Limits.Name> {
    /// Every limit: a command that runs an audit can hit each.
    static var allLimits: Self { Set(Limits.Name.allCases) }
    /// The limits a CSV file's read can hit, its header's alone included: gzip's two,
    /// a field's bytes and the header's columns.
    static var csvReading: Self { [.maxDecompressedBytes, .maxCompressionRatio, .maxFieldBytes, .maxColumns] }
}
