import Testing
@testable import FairleadCore

/// `LeadReader` over `CSVReader.batches`: any batch size gives the same leads, and the
/// codes of categorical sources and extra columns stay valid from batch to batch.
@Suite struct LeadReaderBatchTests {
    static let attributes = ["ethnicity", "gender", "age_band"]

    static func batches(size: Int) throws -> [LeadBatch] {
        let model = try ExplanationFixtures.model()
        let reader = try LeadReader(path: ExplanationFixtures.leadsPath, featureNames: model.featureNames,
                                    idColumn: "lead_id", attributeColumns: attributes)
        var batches: [LeadBatch] = []
        while let batch = try reader.next(maxRows: size) { batches.append(batch) }
        return batches
    }

    @Test(arguments: [1, 7, 333, 4999])
    func joinedBatchesEqualOneBatch(size: Int) throws {
        let whole = try #require(try Self.batches(size: 1_000_000).first)
        let batches = try Self.batches(size: size)
        #expect(batches.count == (5000 + size - 1) / size)
        let joined = try #require(LeadBatch.joined(batches))
        #expect(joined.ids == whole.ids)
        // Missing values are NaN, so the matrices compare bit for bit.
        #expect(joined.features.values.map(\.bitPattern) == whole.features.values.map(\.bitPattern))
        #expect(whole.features.values.contains { $0.isNaN })
        #expect(joined.categories == whole.categories)
        #expect(joined.levels == whole.levels)
        #expect(joined.attributes == whole.attributes)
        #expect(joined.lines == whole.lines)
        #expect(whole.lines == Array(2...5001))
        // Every batch's codes index the levels it carries.
        for batch in batches {
            for (codes, levels) in zip(batch.categories, batch.levels) {
                #expect(codes.allSatisfy { $0 < levels.count })
            }
        }
    }

    @Test func theBatchesLevelsOnlyGrow() throws {
        let whole = try #require(try Self.batches(size: 1_000_000).first)
        let batches = try Self.batches(size: 1)
        let gender = try #require(batches.first?.attributes.firstIndex { $0.name == "gender" })
        for (earlier, later) in zip(batches, batches.dropFirst()) {
            let before = earlier.attributes[gender].levels
            #expect(Array(later.attributes[gender].levels.prefix(before.count)) == before)
        }
        #expect(batches.last?.attributes[gender].levels == whole.attributes[gender].levels)
        #expect(whole.attributes[gender].levels.count == 3)
    }

    @Test func aMissingIdIsEmptyAndAnIdColumnReadsAsText() throws {
        let path = try ExplanationFixtures.temporaryFile("id,x\n\"a,1\",1\n,2\nNA,3\nb,4\n")
        let reader = try LeadReader(path: path, featureNames: ["x"], idColumn: "id")
        var ids: [String] = []
        while let batch = try reader.next(maxRows: 3) { ids += batch.ids }
        #expect(ids == ["a,1", "", "", "b"])
    }

    @Test func aNumericFeatureThatIsAlsoAnExtraColumnIsAUsageError() throws {
        let path = try ExplanationFixtures.temporaryFile("id,age\na,31\n")
        #expect(throws: FairleadError(.usage, "column \"age\" is asked for twice")) {
            _ = try LeadReader(path: path, featureNames: ["age"], idColumn: "id", attributeColumns: ["age"])
        }
    }
}
