import Foundation
@testable import Fairlead

/// Reports and temporary histories shared by the history tests.
enum HistoryFixtures {
    /// A fresh folder for a history file; the caller removes it.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The leads sample audited at threshold 0.3 without bootstrap: about 600 metric rows.
    static let leadsReport: AuditReport = {
        var profile = AuditFixtures.goldenProfile(bootstrap: 0)
        profile.intersections = []
        do {
            return try Audit(profile: profile, threads: 1, clock: AuditFixtures.fixedClock).run()
        } catch {
            preconditionFailure("the leads sample audits: \(error)")
        }
    }()

    /// The small hand-made data of AuditBehaviourTests, audited: a report with few rows.
    static func smallReport(name: String = "t", seconds: Double = 0) throws -> AuditReport {
        var profile = AuditBehaviourTests.profile()
        profile.name = name
        let path = try AuditFixtures.temporaryCSV(AuditBehaviourTests.csv)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        return try Audit(profile: profile, dataPath: path, threads: 1,
                         clock: { Date(timeIntervalSince1970: 1_795_000_000 + seconds) }).run()
    }
}
