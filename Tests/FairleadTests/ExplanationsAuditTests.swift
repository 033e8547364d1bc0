import Foundation
import Testing
@testable import Fairlead

@Suite("Audits with a model: the explanations section")
struct ExplanationsAuditTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let profilePath = root.appendingPathComponent("fixtures/profiles/leads-explanations.yaml").path

    static func audit(_ edit: (inout AuditProfile) -> Void = { _ in }) throws -> AuditReport {
        var profile = try AuditProfile.load(path: profilePath)
        profile.settings.bootstrapReplicates = 0
        edit(&profile)
        return try Audit(profile: profile, threads: 2, clock: { Date(timeIntervalSince1970: 0) }).run()
    }

    @Test func findsThePlantedProxyAndSplitsTheGap() throws {
        let report = try Self.audit()
        let explanations = try #require(report.explanations)
        #expect(explanations.rows == 5000)
        #expect(explanations.model.explainer == "tree" && explanations.model.kind == "xgboost")
        #expect(explanations.withheld == ["age_band": .init(reason: "sensitive"),
                                          "postal_area": .init(reason: "detected_proxy", attribute: "ethnicity")])
        let failing = explanations.findings.filter { $0.verdict == .fail }
        #expect(failing.map { "\($0.kind):\($0.feature ?? "-"):\($0.attribute)" }
                == ["proxy:postal_area:ethnicity", "sensitive_feature:age_band:age_band", "multivariate:-:ethnicity"])
        #expect(explanations.status == .fail)
        #expect(report.status == .fail)
        // The uniform region is no proxy of anything.
        for (_, measure) in try #require(explanations.proxies.measures["region"]) {
            #expect(measure.exceeded.isEmpty)
            #expect((measure.cramersVCorrected ?? 1) < 0.05)
        }
        let postal = try #require(explanations.proxies.measures["postal_area"]?["ethnicity"])
        #expect(postal.exceeded == ["cramers_v", "auc"])
        #expect(postal.bestGroup == "black")
        // The gap of black leads to white leads, split per feature, adds up; postal_area carries most of it.
        let ethnicity = try #require(explanations.decomposition["ethnicity"])
        #expect(ethnicity.referenceGroup == "white" && ethnicity.referenceMethod == "named")
        for (_, gap) in ethnicity.groups {
            #expect(abs(gap.contributions.values.reduce(0, +) - gap.gap) < 1e-9)
        }
        let black = try #require(ethnicity.groups["black"])
        #expect(black.gap < -0.4)
        #expect((black.contributions["postal_area"] ?? 0) / black.gap > 0.8)
        #expect(explanations.decomposition["gender"]?.referenceGroup == "male")
        #expect(explanations.importance.byAttribute["ethnicity"]?.keys.sorted() == ["asian", "black", "hispanic", "other", "white"])
        #expect(report.data.columns.contains("postal_area"))
    }

    @Test func importanceEqualsGlobalImportance() throws {
        let report = try Self.audit()
        let explanations = try #require(report.explanations)
        let model = try #require(try ModelLoader.load(contentsOf: explanations.model.path) as? TreeEnsemble)
        let reader = try LeadReader(path: Self.root.appendingPathComponent("fixtures/leads/leads-sample.csv").path,
                                    featureNames: model.featureNames, idColumn: nil, attributeColumns: ["ethnicity"])
        let batch = try #require(try reader.next(maxRows: 10_000))
        let grouped = try TreeSHAP(model: model).explain(batch.features).grouped(by: reader.sources.groups)
        let labels = batch.attributes[0].codes.map { batch.attributes[0].levels[Int($0)] }
        let global = GlobalImportance(grouped, groups: labels)
        for (index, feature) in global.featureNames.enumerated() {
            #expect(abs((explanations.importance.overall[feature]?.meanAbsolute ?? .nan) - global.overall.meanAbsolute[index]) < 1e-12)
            let black = try #require(global.summary(for: "black"))
            #expect(abs((explanations.importance.byAttribute["ethnicity"]?["black"]?[feature]?.mean ?? .nan) - black.mean[index]) < 1e-12)
        }
    }

    @Test func allowingTheProxyPassesItsFindingAndShowsItToReps() throws {
        let report = try Self.audit { profile in
            profile.explanations?.allowInReasons = ["postal_area"]
            profile.explanations?.thresholds.multivariateAUC = 0.99
            profile.sensitive.removeAll { $0.column == "age_band" }
            profile.intersections = []
            profile.rules = []
        }
        let explanations = try #require(report.explanations)
        // age_band, no longer declared, is still named like a sensitive attribute: withheld, and said why.
        #expect(explanations.withheld == ["age_band": .init(reason: "undeclared_sensitive")])
        #expect(TerminalRendering.render(report, verbose: true).contains("never given as reasons: age_band (named like a sensitive attribute, not declared)"))
        #expect(explanations.findings.filter { $0.kind == "proxy" }.map(\.verdict) == [.pass])
        #expect(explanations.status == .pass)
        #expect(report.status == .pass)
    }

    @Test func theReportRoundTripsAndOldReportsStillDecode() throws {
        let report = try Self.audit()
        let json = try report.jsonData()
        #expect(try AuditReport.decode(json: json) == report)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"cramers_v_corrected\""))
        #expect(text.contains("\"multivariate_auc\""))
        #expect(text.contains("\"by_attribute\""))
        // A report written before the section existed has no "explanations" key.
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["explanations"] = nil
        let old = try JSONSerialization.data(withJSONObject: object)
        #expect(try AuditReport.decode(json: old).explanations == nil)
    }

    @Test func renderingsShowTheSection() throws {
        let report = try Self.audit()
        let terminal = TerminalRendering.render(report)
        #expect(terminal.contains("\nFAIL  proxy checks: 3 of 5 failed\n  postal_area stands in for ethnicity: Cramér's V 0.804 (bias-corrected), AUC 0.962 for black; never\n"
                                  + "      shown to reps as a reason (cramers_v 0.804, "))
        #expect(terminal.contains("  never given as reasons: age_band (sensitive), postal_area (proxy of ethnicity)"))
        #expect(terminal.contains("    black     658  -0.509  postal_area -0.474"))
        let markdown = MarkdownRendering.render(report)
        #expect(markdown.contains("## Explanations — FAIL"))
        #expect(markdown.contains("### Score gap by ethnicity (mean margin against white)"))
        #expect(markdown.contains("| `postal_area` | ethnicity | V 0.804 |"))
        #expect(markdown.contains("### Feature importance (mean |attribution| over all rows)"))
        // The proxy table: the pair over a threshold first, then the strongest of the
        // rest, ten rows in all; the others are counted and left to the JSON report.
        let pairs = report.explanations?.proxies.measures.values.reduce(0) { $0 + $1.count } ?? 0
        let table = try #require(markdown.components(separatedBy: "### Proxy measures\n\n").last)
        let rows = table.split(separator: "\n").prefix { $0.hasPrefix("|") }.dropFirst(2)
        #expect(rows.count == 10)
        #expect(rows.first?.hasPrefix("| `postal_area` | ethnicity |") == true)
        #expect(pairs > 10)
        #expect(markdown.contains("\n\(pairs - 10) weaker feature–attribute pairs, under every threshold, are in the JSON report (`explanations.proxies.measures`).\n"))
    }

    @Test func theLibraryExplainsLeads() throws {
        let profile = try AuditProfile.load(path: Self.profilePath)
        let explanations = try LeadExplanations(profile: profile, threads: 2)
        let leads = try explanations.explain(ids: ["L0000042", "L0000002"])
        #expect(leads.map(\.id) == ["L0000042", "L0000002"])
        #expect(leads[0].raising.first?.text == "21 website visits, above the typical 5 — the strongest reason for this score")
        #expect(leads[1].withheld == ["postal_area", "age_band"])
        #expect(explanations.reference.rows == 5000)
        #expect(explanations.proxyMeasures.count == 32)
    }
}
