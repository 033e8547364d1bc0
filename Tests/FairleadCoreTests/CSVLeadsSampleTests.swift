import Foundation
import Testing
@testable import FairleadCore

/// The bundled synthetic leads: row count, types, missing counts and exact values
/// (checked against the file's text by pandas 3.1.1: `pd.read_csv(...).isna().sum()`).
@Suite struct CSVLeadsSampleTests {
    static let expectedMissing = ["web_visits": 94, "email_opens": 49, "gender": 134, "age_band": 77]

    @Test(arguments: [1, 2])
    func everyColumnOfTheSample(threads: Int) throws {
        var options = CSVOptions()
        options.threads = threads
        options.blockSize = 64 << 10
        let table = try CSVReader.read(path: CSVTestFiles.leadsSample, options: options)
        #expect(table.rowCount == 5000)
        #expect(table.columnNames.count == 16)
        for column in table.columns {
            #expect(column.missingCount == Self.expectedMissing[column.name] ?? 0, "\(column.name)")
        }
        #expect(table["lead_id"]?.type == .categorical)
        #expect(table["lead_id"]?.categorical?.levels.count == 5000)
        #expect(table["converted"]?.type == .boolean)
        for name in ["web_visits", "email_opens", "pricing_page_views", "days_since_first_touch", "score"] {
            #expect(table[name]?.type == .numeric, "\(name)")
        }
        // L0000001,web_form,logistics,11-50,south,PA11,8,3,1,48.3,vp,female,NA,white,0.261808,0
        #expect(table.strings("lead_id").first == "L0000001")
        #expect(table.strings("company_size").first == "11-50")
        #expect(table.numbers("web_visits").first == 8)
        #expect(table.numbers("days_since_first_touch").first == 48.3)
        #expect(table.strings("age_band").first == .some(nil))
        #expect(table.numbers("score").first == 0.261808)
        #expect(table.booleans("converted").first == false)
        #expect(table.strings("lead_id").last == "L0005000")
        #expect(table["ethnicity"]?.categorical?.levels.sorted() == ["asian", "black", "hispanic", "other", "white"])
    }

    @Test func twoColumnsOfTheSample() throws {
        let table = try CSVReader.read(path: CSVTestFiles.leadsSample,
                                       columns: [ColumnRequest("score", type: .numeric), ColumnRequest("gender")])
        #expect(table.columnNames == ["gender", "score"])
        #expect(table["gender"]?.missingCount == 134)
        let scores = table["score"]?.numeric?.values ?? []
        #expect(scores.count == 5000)
        #expect(scores.allSatisfy { $0 > 0 && $0 < 1 })
    }
}
