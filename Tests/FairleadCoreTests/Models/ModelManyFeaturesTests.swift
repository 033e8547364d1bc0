import Foundation
import Testing
@testable import FairleadCore

/// A model of many features is matched to a file's columns in time linear in their count:
/// a duplicate-request search made 20,000 features take 12 s before the missing column was
/// said, and 200,000 minutes. The answers are the same.
@Suite struct ModelManyFeaturesTests {
    static let names = (0..<20_000).map { "f\($0)" }

    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("many-features-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aFileWithoutTheModelsFeaturesNamesTheFirst() throws {
        let path = try Self.file("lead_id\nL1\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: FairleadError(.invalidData, "no column \"f0\"; closest: \"lead_id\"", at: SourceLocation(file: path, line: 1, field: "f0"))) {
            _ = try ModelInput(csvAt: path, featureNames: Self.names, idColumn: "lead_id")
        }
    }

    @Test func everyFeatureIsReadIntoItsColumn() throws {
        let header = "lead_id," + Self.names.reversed().joined(separator: ",")
        let row = "L1," + (0..<Self.names.count).reversed().map { String($0) }.joined(separator: ",")
        let path = try Self.file(header + "\n" + row + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var limits = Limits()
        limits.maxColumns = 30_000
        let input = try ModelInput(csvAt: path, featureNames: Self.names, idColumn: "lead_id", limits: limits)
        #expect(input.ids == ["L1"])
        #expect(input.features.values == (0..<Self.names.count).map(Double.init))
        let reader = try LeadReader(path: path, featureNames: Self.names, idColumn: "lead_id", limits: limits)
        let batch = try #require(try reader.next(maxRows: 10))
        #expect(batch.features.values == input.features.values)
    }
}
