import FairleadCore
import Foundation

extension AuditProfile {
    /// The name of every profile made without a profile file (`fairlead audit --data … --score …`).
    public static let adHocName = "ad-hoc"

    /// The profile of an audit without a profile file, before its flags (sensitive columns,
    /// decisions, rules, …) are set on it: the defaults of every section.
    public static func adHoc(score: String) -> AuditProfile {
        AuditProfile(name: adHocName, data: DataSpec(score: score), decisions: [], sensitive: [])
    }

    /// The SHA-256 (hex) of ``summary``: what identifies a profile that has no file, such as
    /// an ad hoc one. The summary names everything an ad hoc audit's flags can set.
    public var summaryDigest: String {
        ContentDigest.sha256(Data(summary.utf8))
    }

    /// The ad hoc profile an audit without a profile file ran, rebuilt from its report, so
    /// that a history entry of such an audit can be completed with late labels.
    ///
    /// An ad hoc profile is what its flags make of ``adHoc(score:)``, and its report records
    /// each of them: the columns read (the score, then the label if any, then the sensitive
    /// columns, in order), each decision's kind and value, each attribute's reference group
    /// and how it was chosen, a declared score range, the rules and the settings. The rebuilt profile is
    /// accepted only when its ``summaryDigest`` is the SHA-256 the report recorded for its
    /// profile, so it is the profile that ran, not a guess. Decisions are listed in the
    /// report by name; each order of them is tried (at most ``maxRebuiltDecisions``).
    ///
    /// - Parameter entry: the history entry the report is from, for messages.
    /// - Throws: `FairleadError(.usage)` when the report is not of an ad hoc audit, or the
    ///   profile cannot be rebuilt from it (the message says why and what to do).
    public static func rebuiltAdHoc(from report: AuditReport, entry: Int64) throws -> AuditProfile {
        func refusal(_ why: String) -> FairleadError {
            FairleadError(.usage, "entry \(entry) was audited without a profile file, and its profile cannot be rebuilt "
                          + "from its report: \(why); it cannot be completed with late labels, since no profile file has the "
                          + "SHA-256 it recorded (\(report.profile.sha256.prefix(12))…): audit with a profile file (with data.id) "
                          + "to complete an audit later")
        }
        guard report.profile.files.isEmpty, report.profile.name == adHocName else {
            throw refusal("it names the profile '\(MessageQuote.clipped(report.profile.name))', not \(adHocName) "
                          + "(only the profile of `fairlead audit` without --profile is rebuilt)")
        }
        guard let rules = report.profile.rules else {
            throw refusal("its report (schema \(report.schemaVersion)) does not record the rules")
        }
        guard let anyDecision = report.decisions.values.first else { throw refusal("it records no decision") }
        guard report.decisions.count <= maxRebuiltDecisions else {
            throw refusal("it has \(report.decisions.count) decisions, more than the \(maxRebuiltDecisions) whose order can be tried")
        }
        let attributes = anyDecision.attributes.values.filter { $0.columns.count == 1 }
        let sensitiveColumns = report.data.columns.filter { column in attributes.contains { $0.columns == [column] } }
        let others = report.data.columns.filter { !sensitiveColumns.contains($0) }
        guard !sensitiveColumns.isEmpty, (1...2).contains(others.count) else {
            throw refusal("its columns (\(report.data.columns.joined(separator: ", "))) are not a score, perhaps a label, and sensitive columns")
        }
        var profile = adHoc(score: others[0])
        let settings = report.settings
        guard let verdict = VerdictMode(rawValue: settings.verdict ?? VerdictMode.point.rawValue) else {
            throw refusal("its settings.verdict is '\(MessageQuote.clipped(settings.verdict ?? ""))'")
        }
        profile.settings = Settings(minimumGroupSize: settings.minimumGroupSize, intervalLevel: settings.intervalLevel,
                                    bootstrapReplicates: settings.bootstrapReplicates, seed: settings.seed, verdict: verdict)
        profile.data.label = others.count == 2 ? others[1] : nil
        if let scale = report.data.scoreScale, scale.source == "declared", scale.range.count == 2 {
            profile.data.scoreRange = scale.range[0]...scale.range[1]
        }
        profile.sensitive = try sensitiveColumns.map { column in
            var spec = SensitiveSpec(column: column)
            guard let attribute = attributes.first(where: { $0.columns == [column] }) else { return spec }
            switch (attribute.referenceMethod, attribute.referenceGroup) {
            case ("named", let group?): spec.reference = .group(group)
            case ("largest", _): spec.reference = .largest
            case ("best", _): spec.reference = .best
            default: throw refusal("the attribute '\(MessageQuote.clipped(column))' has the reference method '\(MessageQuote.clipped(attribute.referenceMethod))'")
            }
            return spec
        }
        profile.rules = try rules.map { try Self.rule($0, source: "the report of entry \(entry)") }
        var decisions: [DecisionSpec] = []
        for (name, decision) in report.decisions.sorted(by: { $0.key < $1.key }) {
            switch (decision.kind, decision.threshold, decision.topCount, decision.topFraction) {
            case ("threshold", let threshold?, _, _): decisions.append(DecisionSpec(name: name, kind: .threshold(threshold)))
            case ("top_k", _, let count?, _): decisions.append(DecisionSpec(name: name, kind: .topCount(count)))
            case ("top_k", _, _, let fraction?): decisions.append(DecisionSpec(name: name, kind: .topFraction(fraction)))
            default: throw refusal("the decision '\(MessageQuote.clipped(name))' is a '\(MessageQuote.clipped(decision.kind))' decision, which no flag makes")
            }
        }
        for order in Self.orders(of: decisions) {
            profile.decisions = order
            if profile.summaryDigest == report.profile.sha256 { return profile }
        }
        throw refusal("no profile rebuilt from it has the SHA-256 it recorded (\(report.profile.sha256.prefix(12))…)")
    }

    /// The most decisions whose orders ``rebuiltAdHoc(from:entry:)`` tries (6! = 720 orders).
    public static let maxRebuiltDecisions = 6

    /// Every order of `items`, the given one first.
    private static func orders<Item>(of items: [Item]) -> [[Item]] {
        guard items.count > 1 else { return [items] }
        var result: [[Item]] = []
        for (index, first) in items.enumerated() {
            var rest = items
            rest.remove(at: index)
            result += orders(of: rest).map { [first] + $0 }
        }
        return result
    }
}
