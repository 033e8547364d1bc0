/// The outcome of checking one fairness rule on one comparison.
public enum Verdict: Sendable, Hashable {
    /// The rule holds.
    case pass
    /// The rule is broken.
    case fail
    /// Too few rows to say either way (never reported as pass or fail).
    case insufficientEvidence(Evidence)
    /// The metric is undefined, e.g. the reference group selects no one.
    case undefined(UndefinedReason)
}
