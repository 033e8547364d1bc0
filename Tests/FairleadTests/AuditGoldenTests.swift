import Foundation
import Testing
@testable import Fairlead

/// The whole audit — CSV reading, grouping, report assembly — against the values
/// Fairlearn and AIF360 give on the same file (fixtures/metrics/leads-sample.json).
@Suite struct AuditGoldenTests {
    struct Golden: Decodable {
        struct FairlearnEntry: Decodable {
            var attributes: [String]
            var weighted: Bool
            var groups: [[String]]
            var by_group: [String: [Double?]]
            var overall: [String: Double?]
            var difference: [String: [String: Double?]]
            var ratio: [String: [String: Double?]]
            var named: [String: [String: Double?]]
        }
        struct AIF360Entry: Decodable {
            var attributes: [String]
            var group: [String]
            var reference: [String]
            var weighted: Bool
            var values: [String: Double?]
        }
        var fairlearn: [FairlearnEntry]
        var aif360: [AIF360Entry]
    }

    static let golden: Golden = {
        let data = (try? Data(contentsOf: AuditFixtures.goldens)) ?? Data()
        return (try? JSONDecoder().decode(Golden.self, from: data)) ?? Golden(fairlearn: [], aif360: [])
    }()

    static let report: AuditReport? = try? Audit(profile: AuditFixtures.goldenProfile(), threads: 2,
                                                 clock: AuditFixtures.fixedClock).run()

    func close(_ actual: Double?, _ expected: Double?, _ what: String) {
        guard let expected else {
            #expect(actual == nil, "\(what): expected undefined, found \(String(describing: actual))")
            return
        }
        guard let actual else {
            Issue.record("\(what): expected \(expected), found undefined")
            return
        }
        #expect(abs(actual - expected) <= 1e-9, "\(what): \(actual) vs \(expected)")
    }

    @Test func goldensAreLoaded() throws {
        #expect(Self.golden.fairlearn.filter { !$0.weighted }.count == 4)
        #expect(Self.golden.aif360.count == 4)
        #expect(Self.report != nil)
    }

    @Test func perGroupAndOverallMetricsEqualFairlearn() throws {
        let report = try #require(Self.report)
        let decision = try #require(report.decisions["threshold_0.3"])
        for entry in Self.golden.fairlearn where !entry.weighted {
            let name = entry.attributes.joined(separator: "*")
            let attribute = try #require(decision.attributes[name], "no attribute \(name)")
            #expect(attribute.groups.count == entry.groups.count)
            for (metric, values) in entry.by_group {
                for (index, group) in entry.groups.enumerated() {
                    let key = group.joined(separator: " & ")
                    let estimate = attribute.groups[key]?.metrics[metric]
                    close(estimate?.value, values[index], "\(name) \(key) \(metric)")
                }
                close(attribute.overall.metrics[metric]?.value, entry.overall[metric] ?? nil, "\(name) overall \(metric)")
            }
        }
    }

    @Test func disparitiesAndNamedMetricsEqualFairlearn() throws {
        let report = try #require(Self.report)
        let decision = try #require(report.decisions["threshold_0.3"])
        for entry in Self.golden.fairlearn where !entry.weighted {
            let name = entry.attributes.joined(separator: "*")
            let attribute = try #require(decision.attributes[name])
            for (metric, expected) in entry.difference["between_groups"] ?? [:] where metric != "count" {
                close(attribute.disparities[metric]?.differenceBetweenGroups.value, expected, "\(name) \(metric) difference")
                close(attribute.disparities[metric]?.differenceToOverall.value, entry.difference["to_overall"]?[metric] ?? nil,
                      "\(name) \(metric) difference to overall")
                close(attribute.disparities[metric]?.ratioBetweenGroups.value, entry.ratio["between_groups"]?[metric] ?? nil,
                      "\(name) \(metric) ratio")
                close(attribute.disparities[metric]?.ratioToOverall.value, entry.ratio["to_overall"]?[metric] ?? nil,
                      "\(name) \(metric) ratio to overall")
            }
            let named = entry.named["between_groups"] ?? [:]
            for metric in ["demographic_parity_difference", "demographic_parity_ratio",
                           "equal_opportunity_difference", "equal_opportunity_ratio"] {
                close(attribute.fairness[metric]?.value, named[metric] ?? nil, "\(name) \(metric)")
            }
            close(attribute.fairness["equalized_odds_difference"]?.value, named["equalized_odds_difference_worst_case"] ?? nil,
                  "\(name) equalized_odds_difference")
            close(attribute.fairness["equalized_odds_ratio"]?.value, named["equalized_odds_ratio_worst_case"] ?? nil,
                  "\(name) equalized_odds_ratio")
        }
    }

    @Test func versusReferenceEqualsAIF360() throws {
        let report = try #require(Self.report)
        let decision = try #require(report.decisions["threshold_0.3"])
        let entries = Self.golden.aif360.filter { !$0.weighted && ($0.reference == ["white"] || $0.reference == ["25-34"]) }
        #expect(entries.count == 2)
        for entry in entries {
            let attribute = try #require(decision.attributes[entry.attributes.joined(separator: "*")])
            let group = entry.group.joined(separator: " & ")
            #expect(attribute.referenceGroup == entry.reference.joined(separator: " & "))
            close(attribute.disparities["selection_rate"]?.ratioToReference[group]?.value,
                  entry.values["disparate_impact"] ?? nil, "\(group) disparate impact")
            close(attribute.disparities["selection_rate"]?.differenceToReference[group]?.value,
                  entry.values["statistical_parity_difference"] ?? nil, "\(group) statistical parity difference")
            close(attribute.disparities["true_positive_rate"]?.differenceToReference[group]?.value,
                  entry.values["equal_opportunity_difference"] ?? nil, "\(group) equal opportunity difference")
        }
    }

    @Test func plantedBiasFailsTheFourFifthsRule() throws {
        let report = try #require(Self.report)
        #expect(report.status == .fail)
        let failing = report.findings.filter { $0.verdict == .fail }
        #expect(failing.map(\.group) == ["black"])
        let black = try #require(failing.first)
        close(black.value, Self.golden.aif360.first { $0.group == ["black"] && !$0.weighted }?.values["disparate_impact"] ?? nil,
              "finding value")
        #expect(black.reason == "0.3802 is not >= 0.8")
        #expect(report.findings.count == 4)  // asian, black, hispanic, other against white
        #expect(report.findings.filter { $0.verdict == .pass }.compactMap(\.group).sorted() == ["asian", "hispanic", "other"])
    }
}
