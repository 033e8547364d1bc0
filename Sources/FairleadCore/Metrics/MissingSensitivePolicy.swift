/// What an audit does with a row whose sensitive value is missing.
public enum MissingSensitivePolicy: Sendable, Hashable {
    /// The missing value is a group of its own, labelled `unknown` (the default: such rows
    /// are often the ones an audit should look at). If the attribute already has a level
    /// named `unknown`, missing rows are counted in it.
    case ownGroup
    /// The row is left out of that grouping and counted in
    /// ``ExclusionCounts/missingSensitive``.
    case exclude

    /// The label of the group that holds missing values under ``ownGroup``.
    public static let unknownLabel = "unknown"
}
