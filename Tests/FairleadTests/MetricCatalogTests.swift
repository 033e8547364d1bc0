import Foundation
import Testing
@testable import Fairlead

/// The catalog is the one place a metric exists: the docs, rule parsing, report keys and
/// renderings agree with it.
@Suite struct MetricCatalogTests {
    @Test func everyMetricHasItsOwnPlainWords() {
        let words = Metric.allCases.map(\.definition.plainWords)
        #expect(words.allSatisfy { $0.count >= 20 && $0.hasSuffix(".") && !$0.contains("_") })
        #expect(Set(words).count == words.count, "two metrics explained alike")
        #expect(Metric.disparateImpact.definition.plainWords.contains("four-fifths"))
    }

    @Test func docsTableIsTheCatalog() throws {
        let docs = try String(contentsOf: AuditFixtures.root.appendingPathComponent("docs/metrics.md"), encoding: .utf8)
        let begin = try #require(docs.range(of: "<!-- catalog:begin -->\n"))
        let end = try #require(docs.range(of: "<!-- catalog:end -->"))
        let table = String(docs[begin.upperBound..<end.lowerBound])
        // Regenerate with: fairlead metrics --format markdown
        #expect(table == Metric.catalogMarkdown())
    }

    @Test func everyRuleableMetricParsesAndOthersAreRefused() throws {
        for metric in Metric.allCases {
            if metric.definition.isRuleable {
                #expect(try AuditProfile.rule("\(metric) >= 0.1", source: "t").metric == metric)
            } else {
                let error = #expect(throws: FairleadError.self) { try AuditProfile.rule("\(metric) >= 0.1", source: "t") }
                #expect(error?.message.contains("cannot be a rule") == true)
            }
        }
    }

    @Test func groupRatesAreTheCoreGroupMetrics() {
        #expect(Metric.family(.groupRate).map(\.rawValue) == GroupMetric.allCases.map(\.rawValue))
        #expect(GroupMetric.allCases.allSatisfy { Metric($0).definition.needs.contains(.labels) == $0.needsLabels })
    }

    @Test func tableColumnsComeFromTheCatalogAndRender() throws {
        // `precision` once never rendered: its report key is positive_predictive_value.
        #expect(ReportFormatting.groupColumns.map(\.metric).contains("positive_predictive_value"))
        let report = try Audit(profile: AuditFixtures.goldenProfile(), threads: 1, clock: AuditFixtures.fixedClock).run()
        let text = TerminalRendering.render(report)
        #expect(text.contains("  group         n   share   base    sel    TPR    FPR   prec  score\n"))
        #expect(text.contains("prec = precision"))
        #expect(text.contains("    average_odds_difference "))
        for metric in ReportFormatting.fairnessShown {
            #expect(report.decisions["threshold_0.3"]?.attributes["ethnicity"]?.fairness[metric.rawValue] != nil, "\(metric)")
        }
    }

    @Test func everyReportKeyIsACatalogName() throws {
        var profile = AuditFixtures.goldenProfile()
        profile.decisions.append(.init(name: "top_500", kind: .topCount(500)))
        let report = try Audit(profile: profile, threads: 1, clock: AuditFixtures.fixedClock).run()
        let names = Set(Metric.allCases.map(\.rawValue))
        for decision in report.decisions.values {
            for attribute in decision.attributes.values {
                for group in attribute.groups.values { #expect(Set(group.metrics.keys).isSubset(of: names)) }
                #expect(Set(attribute.fairness.keys).isSubset(of: names))
            }
        }
        for queue in report.queue?.values.map({ $0 }) ?? [] {
            #expect(Set(queue.fairness.keys).isSubset(of: names))
            for group in queue.groups.values { #expect(Set(group.keys).isSubset(of: names)) }
            for top in queue.topK.values {
                #expect(Set(top.metrics.keys).isSubset(of: names))
                for group in top.groups.values { #expect(Set(group.keys).isSubset(of: names)) }
            }
        }
    }

    @Test func misspeltMetricsAreRefusedWhereTheProfileIsRead() throws {
        let yaml = "name: x\ndata: {score: s}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\nrules: [equalised_odds_difference <= 0.1]\n"
        let error = #expect(throws: FairleadError.self) { try AuditProfile.parse(yaml, file: "p.yaml") }
        #expect(error?.description == "p.yaml:5:9 (rules[0]): unknown metric 'equalised_odds_difference' in rule 'equalised_odds_difference <= 0.1'; did you mean 'equalized_odds_difference'?")
        let metrics = "name: x\ndata: {score: s}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\nmetrics: [selection_rate, precision]\n"
        let listed = #expect(throws: FairleadError.self) { try AuditProfile.parse(metrics, file: "p.yaml") }
        #expect(listed?.message == "unknown metric 'precision' in 'metrics'; did you mean 'positive_predictive_value'?")
    }
}
