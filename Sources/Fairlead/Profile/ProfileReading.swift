/// How a profile file is read: the folders its `extends:` chain may reach, and the limits
/// that keep a hostile profile from exhausting memory or time.
///
/// Profiles are semi-trusted: copied between teams, they may come from anywhere. So a base
/// profile must lie in the folder tree of the profile that was asked for (symbolic links
/// resolved), or in a folder allowed here; and the YAML is bounded before it is expanded:
///
///     var reading = ProfileReading()
///     reading.allowedFolders = ["/srv/policies"]     // a shared policy folder
///     let profile = try AuditProfile.load(path: "team/lead-model.yaml", reading: reading)
///
/// | limit | default | what it stops |
/// |---|---|---|
/// | ``maximumBytes`` | 1 MiB, the profile and its bases together | a huge file; the text of keys and values once aliases are expanded (one 500 KB value aliased 90,000 times) |
/// | ``maximumDepth`` | 64 levels | deep nesting (`[[[[…]]]]`) |
/// | ``maximumNodes`` | 100,000 values, aliases expanded, the profile and its bases together | an alias bomb ("billion laughs": 9 levels of 10 aliases); 200 bases each just under the limit |
/// | ``maximumBases`` | 32 bases in one `extends:` chain | a chain of thousands of bases |
///
/// The bytes and values are one budget for the whole `extends:` chain, spent file by
/// file: the file that takes the chain past a limit is the one named. A limit hit is a
/// `FairleadError(.invalidProfile)` that names the limit and its value.
public struct ProfileReading: Sendable, Equatable {
    /// The limits, for messages that say which one was hit and how to raise it.
    public enum Limit: String, Sendable, CaseIterable {
        /// ``maximumBytes``: the bytes of the profile and its bases, and of their keys and
        /// values once aliases are expanded.
        case bytes
        /// ``maximumDepth``: the nesting of lists and mappings.
        case depth
        /// ``maximumNodes``: the values, aliases expanded.
        case nodes
        /// ``maximumBases``: the bases of one `extends:` chain.
        case bases
    }

    /// Folders besides the profile's own folder tree where base profiles may lie.
    public var allowedFolders: [String] = []
    /// The most bytes of profile text read for a profile and all of its bases together;
    /// also the most bytes of text their keys and values hold once YAML aliases are
    /// expanded.
    public var maximumBytes = 1 << 20
    /// The deepest nesting of lists and mappings.
    public var maximumDepth = 64
    /// The most values (scalars, lists, mappings) a profile and all of its bases hold
    /// together once their YAML aliases are expanded.
    public var maximumNodes = 100_000
    /// The most bases one `extends:` chain may reach (a profile that extends a base that
    /// extends another is a chain of 2). An organization's policies stack a few deep.
    public var maximumBases = 32
    /// How a user raises each limit, appended to the error (the CLI names its flags);
    /// without one, the message names the ``ProfileReading`` property.
    public var raiseHints: [Limit: String] = [:]
    /// How a user allows a folder for base profiles, appended to a confinement error.
    public var allowHint: String?
    /// Limits set over the profile's `limits:` key (the CLI's `--max-grid-bins` and the
    /// rest), in force while the profile is checked: a value the profile's own limits
    /// refuse (`statistics.score_grid.bins` above `max_grid_bins`) is judged by them.
    public var limitOverrides: [Limits.Name: Int] = [:]

    /// The defaults: no folder allowed besides the profile's own, 1 MiB, 64 levels,
    /// 100,000 values, 32 bases.
    public init() {}

    /// The limit's value.
    public func value(of limit: Limit) -> Int {
        switch limit {
        case .bytes: maximumBytes
        case .depth: maximumDepth
        case .nodes: maximumNodes
        case .bases: maximumBases
        }
    }

    /// "; raise it with --profile-max-nodes N" or the property to set.
    func raiseHint(_ limit: Limit) -> String {
        if let hint = raiseHints[limit] { return "; raise it with \(hint)" }
        let property = switch limit {
        case .bytes: "maximumBytes"
        case .depth: "maximumDepth"
        case .nodes: "maximumNodes"
        case .bases: "maximumBases"
        }
        return "; raise ProfileReading.\(property)"
    }
}
