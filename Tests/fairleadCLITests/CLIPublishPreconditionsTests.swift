import Foundation
import Testing

/// `fairlead audit --publish` refuses a view that no data could make before it reads
/// any: each refusal below is given a data path that does not exist, and says its own
/// reason, not the missing file's; nothing is written.
@Suite struct CLIPublishPreconditionsTests {
    /// A folder holding only a profile whose `data:` and `privacy:` sections are as given.
    static func setUp(data: String = "", metrics: String = "", privacy: String) throws -> (URL, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-preconditions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let profile = """
            name: preconditions
            data:
              path: leads.csv
              score: score
              label: converted
            \(data)
            decisions:
              - threshold: 0.5
            sensitive:
              - column: region
                values: [north, south]
                other: other
              - column: tier
                values: [gold, silver]
            intersections:
              - [region, tier]
            \(metrics)
            rules:
              - disparate_impact >= 0.8
            privacy:
            \(privacy)
            """
        let path = folder.appendingPathComponent("profile.yaml").path
        try profile.write(toFile: path, atomically: true, encoding: .utf8)
        return (folder, path)
    }

    static let release = "  epsilon: 1\n  budget: 2"

    /// Runs the published audit over a data file that does not exist, writing to `out.json`.
    static func publish(_ profile: String, in folder: URL, history: Bool, _ more: [String] = []) throws -> CLIProcess.Result {
        try CLIProcess.run(["audit", "--profile", profile, "--publish", "--threads", "2", "--format", "json"] + more + [
                            "--data", folder.appendingPathComponent("no-such-leads.csv").path,
                            "--out", folder.appendingPathComponent("out.json").path]
                           + (history ? ["--history", folder.appendingPathComponent("h.sqlite").path] : []))
    }

    /// The refusal is exit 2 with `expected` in its message, before the data, the output
    /// or the history is touched.
    static func expectRefusedBeforeReading(_ result: CLIProcess.Result, _ expected: String, in folder: URL) {
        let message = CLIProcess.unwrapped(result.standardError)
        #expect(result.exitCode == 2, "\(message)")
        #expect(message.contains(expected), "\(message)")
        #expect(!message.contains("no-such-leads"), "the data was looked for: \(message)")
        #expect(result.standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.json").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("h.sqlite").path))
    }

    @Test func aReleaseWithoutAHistoryIsRefusedFirst() throws {
        let (folder, profile) = try Self.setUp(privacy: Self.release)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.publish(profile, in: folder, history: false)
        Self.expectRefusedBeforeReading(result, "a differentially private release (privacy.epsilon) is charged to a privacy budget kept in the audit history: give --history", in: folder)
    }

    /// Weights declared by the profile: one row could move a count by any amount, whatever
    /// the weights the data holds.
    @Test func aWeightedReleaseIsRefusedFirst() throws {
        let (folder, profile) = try Self.setUp(data: "  weight: w", privacy: Self.release)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.publish(profile, in: folder, history: true)
        Self.expectRefusedBeforeReading(result, "a differentially private release needs an unweighted audit: with weights one row can change a count by any amount (the profile's data.weight, column 'w')", in: folder)
    }

    @Test func aReleaseOfUndeclaredGroupsIsRefusedFirst() throws {
        let (folder, profile) = try Self.setUp(privacy: Self.release)
        defer { try? FileManager.default.removeItem(at: folder) }
        let undeclared = try String(contentsOfFile: profile, encoding: .utf8).replacingOccurrences(of: "    values: [gold, silver]\n", with: "")
        try undeclared.write(toFile: profile, atomically: true, encoding: .utf8)
        let result = try Self.publish(profile, in: folder, history: true)
        Self.expectRefusedBeforeReading(result, "a differentially private release names only declared groups, and tier declares none", in: folder)
    }

    /// A seed for the noise of a view that draws none would be ignored: refused, while the
    /// same seed for a release is taken (it then fails only for want of the data).
    @Test func aNoiseSeedWithoutNoiseIsRefusedFirst() throws {
        let (folder, profile) = try Self.setUp(privacy: "  min_cell: 10")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.publish(profile, in: folder, history: true, ["--noise-seed", "7"])
        Self.expectRefusedBeforeReading(result, "--noise-seed seeds the noise of a differentially private release (privacy.epsilon); this profile's published view suppresses small cells and draws no noise", in: folder)

        let (releaseFolder, releaseProfile) = try Self.setUp(privacy: Self.release)
        defer { try? FileManager.default.removeItem(at: releaseFolder) }
        let seeded = try Self.publish(releaseProfile, in: releaseFolder, history: true, ["--noise-seed", "7"])
        #expect(seeded.exitCode == 2)
        #expect(CLIProcess.unwrapped(seeded.standardError).contains("no-such-leads"), "\(seeded.standardError)")
    }

    /// Either view reads each group's cells from the rates that carry them: a `metrics:`
    /// list that leaves them out is refused with the message the view gave after the audit.
    @Test(arguments: [("  min_cell: 10", false), (release, true)])
    func metricsWithoutTheCellsAreRefusedFirst(_ privacy: String, _ history: Bool) throws {
        let (folder, profile) = try Self.setUp(metrics: "metrics: [selection_rate, true_positive_rate]", privacy: privacy)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.publish(profile, in: folder, history: history)
        Self.expectRefusedBeforeReading(result, "a published view needs each group's confusion cells, which the report of 'region' under 'threshold_0.5' lacks: keep true_positive_rate and false_positive_rate (selection_rate without labels) in the profile's metrics", in: folder)
    }

    /// The rates the cells need, listed: the view is made (here over real data).
    @Test func metricsWithTheCellsArePublished() throws {
        let (folder, profile) = try Self.setUp(metrics: "metrics: [true_positive_rate, false_positive_rate, selection_rate]",
                                               privacy: "  min_cell: 10")
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines = ["lead_id,score,converted,region,tier"]
        for index in 0..<80 {
            lines.append("L\(index),\(Double((index * 37) % 100) / 100),\(index % 3 == 0 ? 1 : 0),\(index % 2 == 0 ? "north" : "south"),\(index % 4 < 2 ? "gold" : "silver")")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["audit", "--profile", profile, "--publish", "--threads", "2", "--format", "json"])
        #expect(result.exitCode == 0 || result.exitCode == 1, "\(result.standardError)")
        #expect(result.standardOutput.contains("\"method\" : \"suppression\"") || result.standardOutput.contains("\"method\":\"suppression\""),
                "\(result.standardOutput.prefix(400))")
    }
}
