import Foundation
import Testing
@testable import FairleadCore

@Suite("Explanation stream: formats, streaming, ids")
struct ExplanationStreamTests {
    static func stream(format: ExplanationFormat, batchSize: Int, withheld: [String: ReasonCodes.Withholding] = ["postal_area": .declaredProxy, "age_band": .sensitive]) throws -> (ExplanationStream, () throws -> LeadReader) {
        let model = try ExplanationFixtures.model()
        let open = { try LeadReader(path: ExplanationFixtures.leadsPath, featureNames: model.featureNames, idColumn: "lead_id") }
        let reference = try open()
        var typical = TypicalValues.Accumulator(sources: reference.sources)
        while let batch = try reference.next(maxRows: 4096) { typical.add(batch) }
        let codes = ReasonCodes(sources: reference.sources, typical: typical.result(), top: 3, withheld: withheld, link: model.link)
        let writer = ExplanationWriter(format: format, top: 3, baseValue: model.expectedMargin, link: model.link)
        return (ExplanationStream(explainer: try CachedTreeSHAP(model: model), reasons: codes, writer: writer, threads: 2,
                                  batchSize: batchSize), open)
    }

    static func run(_ format: ExplanationFormat, batchSize: Int = 65_536, ids: [String]? = nil) throws -> (String, ExplanationStream.Summary) {
        let (stream, open) = try Self.stream(format: format, batchSize: batchSize)
        var output = ""
        let append: ([UInt8]) -> Void = { output += String(decoding: $0, as: UTF8.self) }
        let summary = try ids.map { try stream.run(open(), ids: $0, write: append) } ?? stream.run(open(), write: append)
        return (output, summary)
    }

    @Test func jsonIsOneDocumentWithEveryLead() throws {
        let (text, summary) = try Self.run(.json, batchSize: 1000)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["format"] as? String == "fairlead-explanations")
        #expect(document["top"] as? Int == 3)
        let leads = try #require(document["leads"] as? [[String: Any]])
        #expect(leads.count == 5000)
        #expect(summary.leads == 5000)
        let first = leads[0]
        #expect(first["id"] as? String == "L0000001")
        let raising = try #require(first["raising"] as? [[String: Any]])
        #expect(raising.count <= 3)
        #expect(Set(raising.flatMap { $0.keys }) == ["feature", "reason", "value", "typical", "contribution", "points"])
        // The planted proxy and the sensitive attribute are never given to reps, and the
        // document for reps does not say what was withheld from them ...
        for lead in leads {
            let reasons = (lead["raising"] as? [[String: Any]] ?? []) + (lead["lowering"] as? [[String: Any]] ?? [])
            #expect(!reasons.contains { ["postal_area", "age_band"].contains($0["feature"] as? String) })
            #expect(Set(lead.keys) == ["id", "score", "margin", "raising", "lowering"])
        }
        #expect(!text.contains("postal_area") && !text.contains("age_band"))
        // ... while the run counts the leads where they were among the top reasons.
        #expect(summary.leadsWithWithheldReasons > 1000)
    }

    @Test func csvHasOneRowPerLeadAndAFixedWidth() throws {
        let (text, _) = try Self.run(.csv, batchSize: 999)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 5001)
        #expect(lines[0].hasPrefix("id,score,margin,raising_1,raising_1_feature,raising_1_value,raising_1_typical,raising_1_contribution,raising_1_points,raising_2"))
        #expect(lines[0].hasSuffix("lowering_3_typical,lowering_3_contribution,lowering_3_points"))
        #expect(!text.contains("withheld") && !text.contains("postal_area") && !text.contains("age_band"))
        let rows = try CSVReader.read(path: try ExplanationFixtures.temporaryFile(text))
        #expect(rows.rowCount == 5000)
        #expect(rows.columns.count == 3 + 2 * 3 * 6)
    }

    @Test func streamingIdsAndBatchSizesGiveTheSameLeads() throws {
        let (whole, _) = try Self.run(.json, batchSize: 65_536)
        let (small, _) = try Self.run(.json, batchSize: 37)
        #expect(whole == small)
        let leads = try #require((try JSONSerialization.jsonObject(with: Data(whole.utf8)) as? [String: Any])?["leads"] as? [[String: Any]])
        let ids = ["L0004999", "L0000002", "L0000777"]
        let (picked, summary) = try Self.run(.json, batchSize: 500, ids: ids)
        #expect(summary.leads == 3)
        let pickedLeads = try #require((try JSONSerialization.jsonObject(with: Data(picked.utf8)) as? [String: Any])?["leads"] as? [[String: Any]])
        #expect(pickedLeads.map { $0["id"] as? String } == ids)
        for lead in pickedLeads {
            let original = try #require(leads.first { $0["id"] as? String == lead["id"] as? String })
            #expect(NSDictionary(dictionary: lead).isEqual(to: original))
        }
        // Text and CSV lines of one lead are the same too.
        let (oneText, _) = try Self.run(.text, ids: ["L0000777"])
        let (allText, _) = try Self.run(.text, batchSize: 100)
        let block = try #require(oneText.components(separatedBy: "\n\n").last)
        #expect(allText.contains(block))
    }

    @Test(arguments: [1, 2])
    func aBadRowStopsTheStreamAfterTheBatchesBeforeIt(threads: Int) throws {
        // Row 250 (line 251) has text in a numeric feature; batches of 100 leads.
        var lines = try String(contentsOfFile: ExplanationFixtures.leadsPath, encoding: .utf8)
            .split(separator: "\n").prefix(401).map(String.init)
        lines[251] = lines[251].split(separator: ",", omittingEmptySubsequences: false).enumerated().map { $0.offset == 6 ? "many" : String($0.element) }.joined(separator: ",")
        let path = try ExplanationFixtures.temporaryFile(lines.joined(separator: "\n") + "\n")
        var (stream, _) = try Self.stream(format: .csv, batchSize: 100)
        stream.threads = threads
        let model = try ExplanationFixtures.model()
        var output = ""
        #expect {
            _ = try stream.run(LeadReader(path: path, featureNames: model.featureNames, idColumn: "lead_id")) {
                output += String(decoding: $0, as: UTF8.self)
            }
        } throws: { error in
            let error = error as? FairleadError
            return error?.location?.line == 252 && error?.location?.field == "web_visits"
        }
        // The header and the two whole batches before the bad one, nothing after.
        let written = output.split(separator: "\n")
        #expect(written.count == 201)
        #expect(written.last?.hasPrefix("L0000200,") == true)
    }

    @Test func anUnknownIdNamesTheClosestIds() throws {
        #expect(throws: FairleadError(.invalidData, "no lead with id \"L00000777\" (ids are the column \"lead_id\") (closest: L0000077, L0000777, L0000007)",
                                      at: SourceLocation(file: ExplanationFixtures.leadsPath))) {
            _ = try Self.run(.csv, batchSize: 1000, ids: ["L0000001", "L00000777"])
        }
    }

    @Test func textNamesScoresAndReasonsInProbabilityPoints() throws {
        let (text, _) = try Self.run(.text, ids: ["L0000002"])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Up to 3 reasons raising and 3 lowering each lead's score; effects in probability points (pts). The typical lead scores 0.214.")
        #expect(lines.filter { $0.hasPrefix("    ") }.allSatisfy { $0.hasSuffix(" pts)") })
        #expect(lines[1].hasPrefix("Lead L0000002: score 0."))
        #expect(lines.contains("  Raising the score:") || lines.contains("  Raising the score: none"))
        #expect(lines.contains("  Lowering the score:"))
        #expect(lines.filter { $0.hasPrefix("    ") }.allSatisfy { $0.hasSuffix(")") })
    }
}
