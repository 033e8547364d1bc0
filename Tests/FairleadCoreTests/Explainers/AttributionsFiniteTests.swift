import Foundation
import Testing
@testable import FairleadCore

/// Margins, contributions and base values are finite before anything writes them, and a
/// JSON writer handed one that is not refuses it as a bug rather than write `inf`.
@Suite struct AttributionsFiniteTests {
    static func attributions(base: Double = 0, _ rows: [[Double]]) -> Attributions {
        Attributions(featureNames: ["a", "b"], baseValue: base, values: Matrix(rowArrays: rows))
    }

    @Test func finiteAttributionsPass() throws {
        #expect(Self.attributions([[1, -2], [1e300, 1e300]]).firstNonFiniteValue() == nil)
    }

    @Test func theFirstContributionThatIsNotFiniteIsNamed() {
        let found = Self.attributions([[1, 2], [3, .infinity], [.nan, 0]]).firstNonFiniteValue()
        #expect(found == .init(row: 1, feature: "b", isMargin: false, value: .infinity))
    }

    @Test func aMarginThatOverflowsNamesItsLargestContribution() {
        // Each contribution finite; their sum is not.
        let found = Self.attributions([[0, 0], [1e308, 1.5e308]]).firstNonFiniteValue()
        #expect(found == .init(row: 1, feature: "b", isMargin: true, value: .infinity))
    }

    @Test func aBaseValueThatIsNotFiniteComesFirst() {
        let found = Self.attributions(base: -.infinity, [[.nan, 0]]).firstNonFiniteValue()
        #expect(found == .init(row: nil, feature: nil, isMargin: false, value: -.infinity))
    }

    @Test func requireFiniteThrowsALocatedError() throws {
        let error = try #require(throws: FairleadError.self) {
            try Self.attributions([[0, 0], [-1e308, -1e308]]).requireFinite { row, feature in
                SourceLocation(file: "leads.csv", line: row + 2, field: feature)
            }
        }
        #expect(error.kind == .invalidData)
        #expect(error.description == "leads.csv:3 (a): the margin is -inf, not a finite number (the largest contribution is this feature's): "
                + "the row's values overflow the model's arithmetic")
    }

    @Test func theAttributionTableRefusesToWriteJSONThatIsNotJSON() throws {
        let table = AttributionTable(method: .linear, ids: ["1"], attributions: Self.attributions([[.infinity, 0]]))
        let error = try #require(throws: FairleadError.self) { try table.json() }
        #expect(error.kind == .internalFailure)
    }

    @Test func theExplanationWriterRefusesAnInfiniteBaseValueInJSON() throws {
        let writer = ExplanationWriter(format: .json, top: 1, baseValue: .infinity, link: .logit)
        let error = try #require(throws: FairleadError.self) { try writer.header() }
        #expect(error.kind == .internalFailure)
        // Text is for people: it says what it is.
        #expect(try ExplanationWriter(format: .text, top: 1, baseValue: 0, link: .logit).header().contains("0.500"))
    }

    @Test func theExplanationWriterRefusesAnInfiniteContributionInJSON() throws {
        let path = try ExplanationFixtures.temporaryFile("id,x,y\n1,2,3\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try LeadReader(path: path, featureNames: ["x", "y"], idColumn: "id")
        let batch = try #require(try reader.next(maxRows: 10))
        let codes = ReasonCodes(sources: reader.sources, typical: TypicalValues(values: [.number(0), .number(0)]), top: 1, link: .identity)
        let bad = Attributions(featureNames: ["x", "y"], baseValue: 0, values: Matrix(rowArrays: [[.infinity, 1]]))
        let writer = ExplanationWriter(format: .json, top: 1, baseValue: 0, link: .identity)
        let error = try #require(throws: FairleadError.self) {
            try writer.leads(batch, selection: codes.select(bad), reasons: codes, leadsBefore: 0)
        }
        #expect(error.kind == .internalFailure)
        #expect(error.message.contains("lead \"1\""))
        let good = Attributions(featureNames: ["x", "y"], baseValue: 0, values: Matrix(rowArrays: [[0.5, 1]]))
        let output = try writer.leads(batch, selection: codes.select(good), reasons: codes, leadsBefore: 0)
        #expect(try JSONSerialization.jsonObject(with: Data(("[" + String(decoding: output, as: UTF8.self) + "]").utf8)) is [Any])
    }
}
