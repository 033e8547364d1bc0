import Fairlead
import Foundation
import Testing

/// Every stored property of the report's sections is known to the published view's
/// renaming (``WithheldGroupNames/apply(to:)``): a field added to one of them fails here
/// until it is listed, as renamed or as holding no group name, and a field that holds
/// names is renamed there (and covered by `CLIPublishEverySectionTests`).
@Suite struct WithheldGroupNamesCoverageTests {
    /// Per type, its stored properties: those that hold a group's name (as a key, a value
    /// or in words), which the renaming rewrites or the suppressed view removes, and those
    /// that hold none.
    static let known: [String: (names: Set<String>, none: Set<String>)] = [
        "AuditReport": (["decisions", "findings", "scoreDistribution", "drift", "queue", "explanations",
                         "individualFairness", "mitigation", "privacy", "reidentification"],
                        ["schemaVersion", "tool", "generatedAt", "profile", "data", "rows", "settings", "status", "notes", "lateLabels"]),
        "DecisionReport": (["attributes"], ["rule", "kind", "threshold", "topCount", "topFraction", "predictionColumn", "selected", "rows", "tieAtCutoff"]),
        "AttributeReport": (["referenceGroup", "groups", "disparities", "toReference"],
                            ["columns", "referenceMethod", "excludedMissing", "overall", "fairness"]),
        "GroupReport": (["label"], ["count", "weight", "share", "sufficient", "effectiveCount", "metrics"]),
        "Disparity": (["differenceToReference", "ratioToReference"],
                      ["differenceBetweenGroups", "differenceToOverall", "ratioBetweenGroups", "ratioToOverall"]),
        "Finding": (["group", "reason", "namedGroups"], ["rule", "metric", "decision", "attribute", "value", "interval", "verdictInterval",
                                          "judgedValue", "tieRange", "verdict", "undecidedCause"]),
        "DriftReport": (["findings", "notes"], ["status", "baseline", "settings"]),
        "DriftFinding": (["group", "reason"], ["kind", "metric", "decision", "attribute", "baseline", "current", "change",
                                               "interval", "pValue", "baselineCount", "tolerance", "verdict"]),
        "QueueReport": (["referenceGroup", "groups", "calibrationBins", "topK"], ["fairness", "thresholdRanges"]),
        "TopKReport": (["groups"], ["k", "metrics", "tieAtCutoff"]),
        "Decomposition": (["referenceGroup", "groups"], ["referenceMethod"]),
        "ExplanationFinding": (["group", "reason"], ["kind", "feature", "attribute", "measure", "value", "threshold", "verdict"]),
        "SuppressedCell": (["group"], ["decision", "attribute", "cell", "reason"]),
    ]

    static func labels(_ value: Any) -> Set<String> {
        Set(Mirror(reflecting: value).children.compactMap(\.label))
    }

    /// One value of each listed type, from an audit and from their initializers.
    static func samples() throws -> [String: Any] {
        let path = try AuditFixtures.temporaryCSV(AuditBehaviourTests.csv)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let report = try Audit(profile: AuditBehaviourTests.profile(rules: [.init(metric: .disparateImpact, comparison: .atLeast, bound: 0.8, attributes: ["g"])]),
                               dataPath: path, threads: 1).run()
        let decision = try #require(report.decisions["t05"])
        let attribute = try #require(decision.attributes["g"])
        let estimate = AuditReport.Estimate(value: 0.5)
        let driftFinding = AuditReport.DriftFinding(kind: .share, metric: "share", attribute: "g", group: "a", baseline: 0.5,
                                                    current: 0.4, change: -0.1, tolerance: 0.05, verdict: .pass, reason: "")
        return [
            "AuditReport": report,
            "DecisionReport": decision,
            "AttributeReport": attribute,
            "GroupReport": attribute.overall,
            "Disparity": try #require(attribute.disparities.values.first),
            "Finding": try #require(report.findings.first),
            "DriftReport": AuditReport.DriftReport(status: .pass, baseline: nil,
                                                   settings: .init(tolerance: 0.05, psi: 0.25, shareShift: 0.05, bins: 10, confidence: 0.99,
                                                                   tests: 1, fairness: [], groupMetrics: []),
                                                   findings: [driftFinding], notes: []),
            "DriftFinding": driftFinding,
            "QueueReport": try #require(report.queue?["g"]),
            "TopKReport": AuditReport.TopKReport(k: 1, metrics: [:], groups: ["a": ["share_of_top_k": estimate]]),
            "Decomposition": AuditReport.Decomposition(referenceGroup: "a", referenceMethod: "largest", groups: [:]),
            "ExplanationFinding": AuditReport.ExplanationFinding(kind: "proxy", feature: "f", attribute: "g", group: "a", measure: "auc",
                                                                 value: 0.9, threshold: 0.8, verdict: .fail, reason: ""),
            "SuppressedCell": PrivacyReport.SuppressedCell(decision: "t05", attribute: "g", group: "a", cell: "count", reason: "below min_cell"),
        ]
    }

    @Test func everyStoredPropertyIsClassified() throws {
        let samples = try Self.samples()
        #expect(Set(samples.keys) == Set(Self.known.keys))
        for (type, sample) in samples {
            let known = try #require(Self.known[type])
            #expect(known.names.isDisjoint(with: known.none), "\(type) lists a property twice")
            let labels = Self.labels(sample)
            #expect(labels == known.names.union(known.none),
                    "\(type): new \(labels.subtracting(known.names.union(known.none)).sorted()), gone \(known.names.union(known.none).subtracting(labels).sorted()); a new field that holds group names needs WithheldGroupNames.apply")
        }
    }
}
