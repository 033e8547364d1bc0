import FairleadCore
import Foundation
import Testing
@testable import Fairlead

/// The library side of `fairlead serve`'s deadlines: explanations of posted leads and of
/// leads read by id stop with `CancellationError` once their ``Cancellation`` is
/// cancelled or past its deadline, and give the same bytes as without one before that.
@Suite("Lead explanations: cancellation")
struct LeadExplanationsCancellationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let profilePath = root.appendingPathComponent("fixtures/profiles/leads-explanations.yaml").path
    static let dataPath = root.appendingPathComponent("fixtures/leads/leads-sample.csv").path

    static let explanations: LeadExplanations = {
        do {
            return try LeadExplanations(profile: AuditProfile.load(path: profilePath), threads: 1)
        } catch {
            fatalError("the bundled profile does not load: \(error)")
        }
    }()

    /// Row `id` of the data file as a record: numbers where a cell is one, else text.
    static func record(_ id: String) throws -> LeadRecord {
        let lines = try String(contentsOfFile: dataPath, encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let row = try #require(lines.first { $0.hasPrefix(id + ",") })
        let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var values: [String: LeadRecord.Value] = [:]
        for (name, cell) in zip(header, cells) { values[name] = Double(cell).map(LeadRecord.Value.number) ?? .text(cell) }
        return LeadRecord(values: values)
    }

    @Test func aCancelledExplanationThrowsCancellationError() throws {
        let records = Array(repeating: try Self.record("L0000042"), count: 3)
        let cancelled = Cancellation()
        cancelled.cancel()
        let past = Cancellation(deadline: .now - .milliseconds(1))
        for cancellation in [cancelled, past] {
            #expect(throws: CancellationError.self) { try Self.explanations.output(records: records, format: .json, cancellation: cancellation) }
            #expect(throws: CancellationError.self) { try Self.explanations.explain(records: records, cancellation: cancellation) }
            #expect(throws: CancellationError.self) { try Self.explanations.output(ids: ["L0000042"], format: .json, cancellation: cancellation) }
            #expect(throws: CancellationError.self) { try Self.explanations.explain(ids: ["L0000042"], cancellation: cancellation) }
        }
    }

    @Test func beforeItsDeadlineTheOutputIsTheSame() throws {
        let records = [try Self.record("L0000042"), try Self.record("L0000002")]
        let later = Cancellation(deadline: .now + .seconds(86_400))
        let watched = try Self.explanations.output(records: records, format: .json, cancellation: later)
        #expect(watched == (try Self.explanations.output(records: records, format: .json)))
        let byID = try Self.explanations.output(ids: ["L0000042"], format: .json, cancellation: later)
        #expect(byID == (try Self.explanations.output(ids: ["L0000042"], format: .json)))
        #expect(!later.isCancelled)
    }
}
