import Foundation
import Testing
@testable import Fairlead

/// A saved report is decoded whole: every reader of one — a report file, a drift baseline,
/// a history entry — plans its decoding within the memory budget first (``JSONMemoryPlan``).
@Suite struct ReportMemoryPlanTests {
    /// The leads sample's report, with `padding` zeros in a key no report has (the decoder
    /// maps them all, and keeps none).
    static func reportJSON(padding: Int) throws -> Data {
        let json = try HistoryFixtures.leadsReport.jsonData()
        guard padding > 0 else { return json }
        let zeros = Array(repeating: "0", count: padding).joined(separator: ",")
        return Data("{\"padding\": [\(zeros)],".utf8) + json.dropFirst()
    }

    static var budget: Limits {
        var limits = Limits()
        limits.memoryBudgetBytes = 8 << 20
        return limits
    }

    /// An ordinary report is planned far below the default budget, and within 8 MiB.
    @Test func anOrdinaryReportIsPlannedWellWithinTheBudget() throws {
        let json = try Self.reportJSON(padding: 0)
        let plan = JSONMemoryPlan(counting: json)
        #expect(plan.plannedBytes < Double(Limits().memoryBudgetBytes) / 200, "\(plan)")
        #expect(try AuditReport.decode(json: json, source: "rep.json", limits: Self.budget) == HistoryFixtures.leadsReport)
    }

    @Test func aReportPlannedAboveTheBudgetIsRefusedBeforeItIsDecoded() throws {
        let json = try Self.reportJSON(padding: 200_000)
        let error = #expect(throws: FairleadError.self) {
            try AuditReport.decode(json: json, source: "rep.json", limits: Self.budget)
        }
        #expect(error?.limit == .memoryBudgetBytes)
        #expect(error?.location == SourceLocation(file: "rep.json"))
        #expect(error?.message.hasPrefix("the report holds ") == true && error?.message.hasSuffix("above the memory budget of 8 MiB") == true,
                "\(String(describing: error?.message))")
        // Within the default budget the padding is read and ignored, as before.
        #expect(try AuditReport.decode(json: json) == HistoryFixtures.leadsReport)
    }

    @Test func aBaselineFileAndAHistoryEntryAreReadWithinTheirLimits() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("baseline.json").path
        try Self.reportJSON(padding: 200_000).write(to: URL(fileURLWithPath: file))
        let baseline = #expect(throws: FairleadError.self) { try DriftBaseline.file(file, limits: Self.budget) }
        #expect(baseline?.limit == .memoryBudgetBytes)
        #expect(baseline?.location == SourceLocation(file: file))

        let path = folder.appendingPathComponent("h.sqlite").path
        _ = try HistoryStore(path: path).append(HistoryFixtures.leadsReport)
        var tiny = Limits()
        tiny.memoryBudgetBytes = 64 << 10
        let entry = #expect(throws: FairleadError.self) { try HistoryStore.openForReading(path: path, limits: tiny).report(of: 1) }
        #expect(entry?.limit == .memoryBudgetBytes)
        #expect(entry?.location == SourceLocation(file: "\(path) entry 1"))
        #expect(try HistoryStore.openForReading(path: path, limits: Self.budget).report(of: 1) == HistoryFixtures.leadsReport)
        // Too large to read is no tampering: verify stops with the limit, and finds the entry intact within it.
        let verify = #expect(throws: FairleadError.self) { try HistoryStore.verify(path: path, limits: tiny) }
        #expect(verify?.limit == .memoryBudgetBytes)
        #expect(try HistoryStore.verify(path: path, limits: Self.budget).isIntact)
    }
}
