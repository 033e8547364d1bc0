import Testing
@testable import Fairlead
import FairleadCore

/// The profile's `privacy:` section: values checked, errors located.
@Suite struct PrivacyProfileTests {
    static func profile(_ privacy: String) throws -> AuditProfile {
        try AuditProfile.parse("name: p\ndata: {score: s}\nsensitive: [g]\ndecisions:\n  - threshold: 0.5\nprivacy:\n" + privacy,
                               file: "p.yaml")
    }

    @Test func keysAreRead() throws {
        let policy = try #require(try Self.profile("  min_cell: 20\n  epsilon: 0.5\n  budget: 2\n").privacy)
        #expect(policy.minimumCell == 20)
        #expect(policy.epsilon?.description == "0.5")
        #expect(policy.budget?.description == "2")
        #expect(try Self.profile("  min_cell: 5\n").privacy == PrivacyPolicy(minimumCell: 5))
        #expect(try AuditProfile.parse("name: p\ndata: {score: s}\nsensitive: [g]\ndecisions:\n  - threshold: 0.5\n", file: "p.yaml").privacy == nil)
    }

    @Test(arguments: [
        ("  min_cell: 1\n", "p.yaml:7:13", "privacy.min_cell", "expected a whole number ≥ 2"),
        ("  epsilon: -0.5\n  budget: 1\n", "p.yaml:7:12", "privacy.epsilon", "expected a positive decimal number"),
        ("  epsilon: 0.5\n", "p.yaml:7:12", "privacy.epsilon", "needs privacy.budget"),
        ("  epsilon: 2\n  budget: 1\n", "p.yaml:7:12", "privacy.epsilon", "exceeds privacy.budget"),
        ("  min_cel: 10\n", "p.yaml:7:3", "privacy.min_cel", "did you mean 'min_cell'?"),
        ("  budget: 1e9\n", "p.yaml:7:11", "privacy.budget", "at most nine decimals"),
    ])
    func badValuesAreLocated(privacy: String, location: String, key: String, message: String) {
        do {
            _ = try Self.profile(privacy)
            Issue.record("accepted \(privacy)")
        } catch let error as FairleadError {
            let text = "\(error)"
            #expect(text.contains(location), "\(text)")
            #expect(text.contains(key), "\(text)")
            #expect(text.contains(message), "\(text)")
        } catch {
            Issue.record("\(error)")
        }
    }
}
