import Foundation
import Testing
@testable import Fairlead

@Suite("Profiles: the explanations section")
struct ExplanationsProfileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func readsEveryKey() throws {
        let profile = try AuditProfile.parse("""
            name: t
            data: {score: s}
            decisions: [{threshold: 0.5}]
            sensitive: [ethnicity]
            model: {path: model.json}
            explanations:
              top: 2
              proxies: [postal_area]
              allow_in_reasons: [region]
              proxy_thresholds: {cramers_v: 0.25, correlation_ratio: 0.4, auc: 0.65, mutual_information: 0.1, multivariate_auc: 0.9}
              multivariate: {folds: 4, l2: 0.5}
              reference: ref/leads.csv
              reference_rows: 5000
              templates:
                numeric: {raises: '{Label} at {value}', lowers: '{Label} only {value}'}
                categorical: {raises: '{Label}: {value}'}
                missing: '{Label} unknown'
                strongest_for: the top reason
                strongest_against: ''
              features:
                pricing_page_views:
                  label: pricing page views
                  raises: Viewed the pricing page {value} times
                lead_source:
                  values: {web_form: a web form}
            """, file: "profiles/p.yaml")
        let spec = try #require(profile.explanations)
        #expect(spec.top == 2)
        #expect(spec.proxies == ["postal_area"])
        #expect(spec.allowInReasons == ["region"])
        #expect(spec.thresholds == ProxyThresholds(cramersV: 0.25, correlationRatio: 0.4, auc: 0.65, mutualInformation: 0.1, multivariateAUC: 0.9))
        #expect(spec.folds == 4 && spec.l2 == 0.5)
        #expect(spec.reference == "profiles/ref/leads.csv")
        #expect(spec.referenceRows == 5000)
        #expect(spec.templates.numeric.raises.text == "{Label} at {value}")
        #expect(spec.templates.numeric.lowers.text == "{Label} only {value}")
        #expect(spec.templates.categorical.raises.text == "{Label}: {value}")
        #expect(spec.templates.categorical.lowers == ReasonTemplates.standard.categorical.lowers)
        #expect(spec.templates.missing.text == "{Label} unknown")
        #expect(spec.templates.strongestFor == "the top reason" && spec.templates.strongestAgainst == "")
        #expect(spec.templates.features["pricing_page_views"]?.label == "pricing page views")
        #expect(spec.templates.features["pricing_page_views"]?.raises?.text == "Viewed the pricing page {value} times")
        #expect(spec.templates.features["lead_source"]?.values == ["web_form": "a web form"])
        #expect(spec.names.map(\.path) == ["explanations.proxies[0]", "explanations.allow_in_reasons[0]",
                                           "explanations.features.pricing_page_views", "explanations.features.lead_source"])
    }

    @Test func defaultsWithoutTheSection() throws {
        let profile = try AuditProfile.load(path: Self.root.appendingPathComponent("fixtures/profiles/leads-predeployment.yaml").path)
        #expect(profile.explanations == nil)
        let spec = AuditProfile.ExplanationsSpec()
        #expect(spec.top == 3 && spec.thresholds == ProxyThresholds() && spec.referenceRows == 100_000)
        #expect(spec.thresholds.cramersV == 0.3 && spec.thresholds.auc == 0.7 && spec.thresholds.multivariateAUC == 0.8)
    }

    static func sources(_ featureNames: [String], header: [String]) throws -> FeatureSources {
        try FeatureSources(featureNames: featureNames, header: header)
    }

    @Test func namesAreCheckedAgainstTheModel() throws {
        let spec = try #require(try AuditProfile.parse("""
            name: t
            data: {score: s}
            decisions: [{threshold: 0.5}]
            sensitive: [ethnicity]
            explanations:
              allow_in_reasons: [ethnicity]
              features:
                web_vists: {label: visits}
            """, file: "p.yaml").explanations)
        #expect(throws: FairleadError(.invalidProfile, "'web_vists' is not a feature of the model; closest: web_visits",
                                      at: SourceLocation(file: "p.yaml", line: 8, column: 16, field: "explanations.features.web_vists"))) {
            _ = try spec.resolved(by: Self.sources(["web_visits", "industry"], header: ["web_visits", "industry"]), sensitive: ["ethnicity"])
        }
        // A sensitive column may be allowed even when the model does not read it.
        var allowedOnly = spec
        allowedOnly.names.removeLast()
        allowedOnly.templates.features = [:]
        let resolved = try allowedOnly.resolved(by: Self.sources(["web_visits"], header: ["web_visits"]), sensitive: ["ethnicity"])
        #expect(resolved.allowInReasons == ["ethnicity"])
    }

    @Test func namesInEveryOneHotSpellingMeanTheirSourceColumn() throws {
        let spec = try #require(try AuditProfile.parse("""
            name: t
            data: {score: s}
            decisions: [{threshold: 0.5}]
            sensitive: [sex]
            explanations:
              proxies: [occupation_Prof-specialty]
              allow_in_reasons: ["lead_source=referral"]
              features:
                sex.Female: {label: gender}
                occupation: {label: job}
                occupation:Sales: {label: sales job}
            """, file: "p.yaml").explanations)
        let sources = try Self.sources(["age", "occupation_Prof-specialty", "occupation_Sales", "lead_source_referral", "sex_Female"],
                                       header: ["age", "occupation", "lead_source", "sex_Female"])
        let resolved = try spec.resolved(by: FeatureSources(featureNames: sources.featureNames,
                                                            header: ["age", "occupation", "lead_source", "sex_Female"],
                                                            knownColumns: ["sex"] + spec.names.map(\.name)),
                                         sensitive: ["sex"])
        #expect(resolved.proxies == ["occupation"])
        #expect(resolved.allowInReasons == ["lead_source"])
        // Two keys for one source: the one spelt as the source wins.
        #expect(resolved.templates.features.keys.sorted() == ["occupation", "sex"])
        #expect(resolved.templates.features["occupation"]?.label == "job")
        #expect(resolved.templates.features["sex"]?.label == "gender")
    }

    @Test func aWithheldNameThatIsNoColumnSaysTheClosest() throws {
        let spec = try #require(try AuditProfile.parse("""
            name: t
            data: {score: s}
            decisions: [{threshold: 0.5}]
            sensitive: [sex]
            explanations:
              proxies: [ocupation]
            """, file: "p.yaml").explanations)
        let sources = try FeatureSources(featureNames: ["occupation_Sales", "sex_Female"], header: ["occupation", "sex_Female"],
                                         knownColumns: ["sex", "ocupation"])
        #expect(throws: FairleadError(.invalidProfile, "'ocupation' is not a feature of the model; closest: occupation",
                                      at: SourceLocation(file: "p.yaml", line: 6, column: 13, field: "explanations.proxies[0]"))) {
            _ = try spec.resolved(by: sources, sensitive: ["sex"])
        }
    }
}
