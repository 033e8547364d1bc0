/// The version of Fairlead, written into every report and printed by `fairlead --version`.
public enum FairleadVersion {
    public static let current = "0.1.0"
}
