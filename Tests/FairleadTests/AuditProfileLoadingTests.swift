import Foundation
import Testing
@testable import Fairlead

@Suite struct AuditProfileLoadingTests {
    static let profiles = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/profiles")

    @Test func bundledPreDeploymentProfileExtendsThePolicy() throws {
        let path = Self.profiles.appendingPathComponent("leads-predeployment.yaml").path
        let profile = try AuditProfile.load(path: path)
        #expect(profile.name == "leads-predeployment")
        #expect(profile.data.score == "score")
        #expect(profile.data.label == "converted")
        #expect(profile.data.id == "lead_id")
        #expect(profile.data.scoreRange == 0...1)
        #expect(profile.data.path == Self.profiles.deletingLastPathComponent().appendingPathComponent("leads/leads-sample.csv").path)
        #expect(profile.decisions.map(\.name) == ["threshold_0.3", "top_10pct"])
        #expect(profile.decisions.map(\.kind) == [.threshold(0.3), .topFraction(0.1)])
        // From the base policy:
        #expect(profile.sensitive.map(\.column) == ["ethnicity", "gender", "age_band"])
        #expect(profile.sensitive[0].reference == .group("white"))
        #expect(profile.sensitive[1].reference == .largest)
        #expect(profile.settings == AuditProfile.Settings(minimumGroupSize: 30, intervalLevel: 0.95,
                                                          bootstrapReplicates: 1000, seed: 20_261_129))
        // The profile's own rules replace the base's list.
        #expect(profile.rules.map(\.expression) == ["disparate_impact >= 0.8", "equal_opportunity_difference <= 0.1",
                                                    "equalized_odds_difference <= 0.15"])
        #expect(profile.rules[2].decisions == ["threshold_0.3"])
        #expect(profile.intersections == [["ethnicity", "gender"]])
        #expect(profile.sourceFiles.map { ($0 as NSString).lastPathComponent }
                == ["leads-predeployment.yaml", "organization-policy.yaml"])
    }

    @Test func reAuditProfileHasNoLabel() throws {
        let profile = try AuditProfile.load(path: Self.profiles.appendingPathComponent("leads-reaudit.yaml").path)
        #expect(profile.data.label == nil)
        #expect(profile.rules.map(\.expression) == ["disparate_impact >= 0.8"])
    }

    @Test func jsonProfilesReadLikeYAML() throws {
        let json = """
            {"name": "j", "data": {"score": "s", "label": "y"},
             "decisions": [{"top_k": 250}, {"prediction": "called", "name": "given"}],
             "sensitive": ["region", {"column": "gender", "missing": "exclude", "reference": {"group": "best"}}],
             "settings": {"bootstrap": 0}}
            """
        let profile = try AuditProfile.parse(json, file: "p.json")
        #expect(profile.decisions.map(\.kind) == [.topCount(250), .predictionColumn("called")])
        #expect(profile.decisions.map(\.name) == ["top_250", "given"])
        #expect(profile.sensitive[0] == AuditProfile.SensitiveSpec(column: "region", location: profile.sensitive[0].location))
        #expect(profile.sensitive[1].missing == .exclude)
        #expect(profile.sensitive[1].reference == .group("best"))
        #expect(profile.settings.bootstrapReplicates == 0)
        #expect(profile.metrics == nil)
    }

    @Test(arguments: [
        ("0.05", AuditProfile.DecisionSpec.Kind.topFraction(0.05)),
        ("5%", .topFraction(0.05)),
        ("100%", .topFraction(1)),
        ("1", .topCount(1)),
        ("5000", .topCount(5000)),
    ])
    func topKAcceptsCountsAndShares(written: String, expected: AuditProfile.DecisionSpec.Kind) throws {
        let profile = try AuditProfile.parse("""
            name: t
            data: {score: s}
            decisions: [{top_k: \(written)}]
            sensitive: [g]
            """)
        #expect(profile.decisions[0].kind == expected)
    }
}
