import FairleadCore
import FairleadTestSupport
import Foundation
import Testing
@testable import Fairlead

/// A metric whose computation leaves a double's range — valid weights so small that
/// their products underflow to 0/0, or so far apart that a sum overflows — is undefined
/// (`not_finite`), never NaN or ∞ in a report: the JSON encoder refused those (exit 3),
/// and the text format printed `-nan`.
@Suite struct NonFiniteMetricTests {
    @Test func aNonFiniteValueIsUndefined() {
        for number in [Double.nan, .infinity, -.infinity] {
            let value = MetricValue.value(number)
            #expect(value.number == nil && !value.isDefined)
            #expect(value.undefinedReason == .notFinite)
            #expect(value.description == "undefined(not_finite)")
        }
        #expect(MetricValue.value(0.25).number == 0.25 && MetricValue.value(0.25).undefinedReason == nil)
    }

    @Test func subnormalWeightsGiveAReportOfDefinedValues() throws {
        var rows = ["score,converted,g,wt"]
        var random = SplitMix64(seed: 7)
        for index in 0..<40 {
            rows.append("\(Double(random.next() % 1000) / 1000),\(index % 3 == 0 ? 1 : 0),\(index % 2 == 0 ? "a" : "b"),5e-310")
        }
        let path = try AuditFixtures.temporaryCSV(rows.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let profilePath = (path as NSString).deletingLastPathComponent + "/profile.yaml"
        try """
            name: subnormal
            data: {path: \((path as NSString).lastPathComponent), score: score, label: converted, weight: wt, score_range: [0, 1]}
            decisions: [{threshold: 0.5}]
            sensitive: [g]
            settings: {bootstrap: 0}
            """.write(toFile: profilePath, atomically: true, encoding: .utf8)
        let profile = try AuditProfile.load(path: profilePath)
        let report = try Audit(profile: profile, clock: AuditFixtures.fixedClock).run()
        let json = try report.jsonData()
        let text = String(decoding: json, as: UTF8.self)
        #expect(!text.contains("nan") && !text.contains("inf\""))
        // The weights are scaled by a power of two first (their squares and products
        // would underflow): the AUC, a ratio of weight products, is defined.
        let auc = report.queue?["g"]?.groups["a"]?[Metric.auc.rawValue]
        #expect(auc?.value.map { $0 >= 0 && $0 <= 1 } == true, "\(String(describing: auc))")
        #expect(report.notes?.contains { $0.hasPrefix("the weights of wt reach at most 5e-310, so small") } == true)
        // The group rates are ratios of sums of the same weights: defined.
        let rate = report.decisions["threshold_0.5"]?.attributes["g"]?.groups["a"]?.metrics["selection_rate"]?.value
        #expect(rate != nil && rate!.isFinite)
    }
}
