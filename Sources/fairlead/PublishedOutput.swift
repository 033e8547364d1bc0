import Fairlead
import Foundation

/// `fairlead audit --publish`: the published view of a report, and for a differentially
/// private release its charge to the history's privacy ledger.
enum PublishedOutput {
    /// Refuses, before any data is read, a published view that could not be made whatever
    /// the data holds: the profile's preconditions (``AuditProfile/checkPublishing()``),
    /// a differentially private release without `--history` (`historyPath`) for its
    /// ledger, and a `--noise-seed` for a view that draws no noise (it would be ignored).
    static func checkBeforeReading(profile: AuditProfile, history historyPath: String?, noiseSeed: UInt64?) throws {
        try profile.checkPublishing()
        let isRelease = profile.privacy?.isDifferentiallyPrivate == true
        if isRelease, historyPath == nil { throw historyRequired }
        if noiseSeed != nil, !isRelease {
            throw FairleadError(.usage, "--noise-seed seeds the noise of a differentially private release (privacy.epsilon); "
                                + "this profile's published view suppresses small cells and draws no noise: leave --noise-seed out, or give privacy.epsilon")
        }
    }

    private static var historyRequired: FairleadError {
        FairleadError(.usage, "a differentially private release (privacy.epsilon) is charged to a privacy budget kept in the audit history: give --history")
    }

    /// The view of `report` under `profile`'s privacy policy. A release with ε names the
    /// profile's declared groups, is drawn from the system's cryptographic generator and
    /// charged to `history` first: refused past the budget (exit 2), and refused without
    /// a history to keep the ledger in.
    /// `noiseSeed` replaces the cryptographic generator by a seeded one, for walkthroughs
    /// and tests; the report then says that its noise is reproducible, hence not private.
    static func make(from report: AuditReport, profile: AuditProfile, history: HistoryStore?, noiseSeed: UInt64?) throws -> AuditReport {
        let policy = profile.privacy ?? PrivacyPolicy()
        guard policy.isDifferentiallyPrivate else {
            var unused = SystemRandomNumberGenerator()
            return try PublishedReport.make(from: report, policy: policy, declaredGroups: profile.declaredGroups, using: &unused)
        }
        guard let history else { throw historyRequired }
        var published: AuditReport
        if let noiseSeed {
            var seeded = SeededGenerator(seed: noiseSeed)
            published = try PublishedReport.make(from: report, policy: policy, declaredGroups: profile.declaredGroups, using: &seeded)
            published.privacy?.notes.append("the noise was drawn from a seeded generator (--noise-seed \(noiseSeed)): reproducible, so NOT differentially private; for demonstrations and tests only")
        } else {
            var random = SystemRandomNumberGenerator()
            published = try PublishedReport.make(from: report, policy: policy, declaredGroups: profile.declaredGroups, using: &random)
        }
        let charged = try history.chargePrivacyBudget(published, policy: policy)
        if let budget = policy.budget, let epsilon = policy.epsilon {
            published.privacy?.release?.ledger = .init(sha256: report.data.datasetSHA256, spentBefore: charged.spentBefore.value,
                                                       spentAfter: PrivacyBudgetAmount(nanos: charged.spentBefore.nanos + epsilon.nanos).value,
                                                       budget: budget.value)
            writeToStandardError("fairlead: privacy ledger row \(charged.row.id) of \(history.path): ε = \(epsilon) spent on this data, "
                                 + "\(PrivacyBudgetAmount(nanos: charged.spentBefore.nanos + epsilon.nanos)) of \(budget) in all")
        }
        return published
    }
}
