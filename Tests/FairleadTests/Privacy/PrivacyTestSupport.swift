import Foundation
@testable import Fairlead

/// Reports shared by the published-view tests.
enum PrivacyFixtures {
    /// The leads sample under a threshold and a top-k decision, with ethnicity × gender:
    /// intersection groups of 1 to 9 leads, and confusion cells as small.
    static let leadsReport: AuditReport = {
        var profile = AuditFixtures.goldenProfile(bootstrap: 0)
        profile.decisions = [.init(name: "threshold_0.3", kind: .threshold(0.3)), .init(name: "top_10pct", kind: .topFraction(0.1))]
        profile.intersections = [["ethnicity", "gender"]]
        do {
            return try Audit(profile: profile, threads: 1, clock: AuditFixtures.fixedClock).run()
        } catch {
            preconditionFailure("the leads sample audits: \(error)")
        }
    }()

    /// The groups of the leads sample, declared as a release needs them: the values of
    /// each column, and `unknown` for the rows missing them.
    static let leadsGroups: [String: DeclaredGroups] = [
        "age_band": DeclaredGroups(names: ["18-24", "25-34", "35-44", "45-54", "55+", "unknown"]),
        "ethnicity": DeclaredGroups(names: ["white", "black", "hispanic", "asian", "other", "unknown"]),
        "gender": DeclaredGroups(names: ["female", "male", "nonbinary", "unknown"]),
    ]

    /// The cells of a group as the disclosure model reads them.
    static let labeledCells = ["true_positives", "false_positives", "false_negatives", "true_negatives"]
}
