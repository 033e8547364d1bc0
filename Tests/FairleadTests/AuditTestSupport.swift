import Foundation
@testable import Fairlead

/// Paths and profiles shared by the audit tests.
enum AuditFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let leads = root.appendingPathComponent("fixtures/leads/leads-sample.csv").path
    static let goldens = root.appendingPathComponent("fixtures/metrics/leads-sample.json")

    /// The audit the metrics goldens were made for: threshold 0.3 on the leads sample.
    static func goldenProfile(bootstrap: Int = 0) -> AuditProfile {
        AuditProfile(
            name: "golden",
            data: .init(path: leads, id: "lead_id", score: "score", label: "converted", scoreRange: 0...1),
            decisions: [.init(name: "threshold_0.3", kind: .threshold(0.3))],
            sensitive: [.init(column: "gender"), .init(column: "age_band", reference: .group("25-34")),
                        .init(column: "ethnicity", reference: .group("white"))],
            intersections: [["gender", "age_band"], ["gender", "ethnicity"]],
            rules: [.init(metric: .disparateImpact, comparison: .atLeast, bound: 0.8, attributes: ["ethnicity"])],
            settings: .init(minimumGroupSize: 30, intervalLevel: 0.95, bootstrapReplicates: bootstrap, seed: 7))
    }

    /// A CSV file in a fresh temporary folder, removed by the caller.
    static func temporaryCSV(_ text: String, name: String = "data.csv") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let fixedClock: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_795_000_000) }
}
