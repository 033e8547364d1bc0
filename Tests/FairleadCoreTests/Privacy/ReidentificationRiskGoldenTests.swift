import Foundation
import Testing
@testable import FairleadCore
import FairleadTestSupport

/// k-anonymity, l-diversity and t-closeness against pycanon, and the unique share,
/// records below k and ARX's risks against their definitions computed in plain Python,
/// on the ANES 1996 subset statsmodels ships (fixtures/privacy/make_reidentification_goldens.py).
@Suite struct ReidentificationRiskGoldenTests {
    struct Goldens: Decodable {
        struct Case: Decodable {
            struct Pycanon: Decodable {
                var k_anonymity: Int
                var l_diversity: [String: Int]
                var entropy_l_diversity: [String: Int]
                var t_closeness: [String: Double]
                var numerical: [String: Bool]
            }
            struct Risk: Decodable {
                var highest: Double
                var average: Double
                var records_at_risk: Double
            }
            struct Plain: Decodable {
                var rows: Int
                var classes: Int
                var unique_records: Int
                var records_below_k: Int
                var classes_below_k: Int
                var class_sizes: [[Int]]
                var entropy_l: [String: Double]
                var prosecutor: Risk
                var journalist: Risk
                var marketer: Double
            }
            var quasi: [String]
            var sensitive: [String]
            var k: Int
            var pycanon: Pycanon
            var plain: Plain
        }
        var versions: [String: String]
        var cases: [Case]
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let goldens: Goldens = {
        let url = root.appendingPathComponent("fixtures/privacy/reidentification.json")
        do {
            return try JSONDecoder().decode(Goldens.self, from: Data(contentsOf: url))
        } catch {
            preconditionFailure("fixtures/privacy/reidentification.json: \(error)")
        }
    }()

    static func measure(_ golden: Goldens.Case) throws -> ReidentificationRisk {
        let path = root.appendingPathComponent("fixtures/privacy/anes96.csv").path
        let requests = golden.quasi.map { ColumnRequest($0, type: .categorical) } + golden.sensitive.map { ColumnRequest($0) }
        let table = try CSVReader.read(path: path, columns: requests)
        let classes = EquivalenceClasses(columns: golden.quasi.map { table[$0]!.categorical! })
        let sensitive = golden.sensitive.map { (name: $0, values: SensitiveValueCodes(column: table[$0]!)) }
        return ReidentificationRisk(classes: classes, riskThreshold: golden.k, sensitive: sensitive)
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-9
    }

    @Test func theGoldensNameTheirVersions() {
        #expect(Self.goldens.versions["pycanon"] == "1.3.6")
        #expect(Self.goldens.cases.count >= 6)
    }

    @Test(arguments: Self.goldens.cases.indices)
    func pycanonMeasuresMatch(_ index: Int) throws {
        let golden = Self.goldens.cases[index]
        let risk = try Self.measure(golden)
        #expect(risk.kAnonymity == golden.pycanon.k_anonymity)
        #expect(risk.sensitive.map(\.name) == golden.sensitive)
        for attribute in risk.sensitive {
            #expect(attribute.isNumerical == golden.pycanon.numerical[attribute.name], "\(attribute.name)")
            #expect(attribute.distinctL == golden.pycanon.l_diversity[attribute.name], "\(attribute.name)")
            // pycanon reports the integer part of exp(lowest entropy).
            #expect(Int(attribute.entropyL.rounded(.down)) == golden.pycanon.entropy_l_diversity[attribute.name], "\(attribute.name)")
            #expect(Self.close(attribute.entropyL, golden.plain.entropy_l[attribute.name] ?? .nan), "\(attribute.name)")
            #expect(Self.close(attribute.tCloseness, golden.pycanon.t_closeness[attribute.name] ?? .nan),
                    "\(golden.quasi) \(attribute.name): \(attribute.tCloseness)")
        }
    }

    @Test(arguments: Self.goldens.cases.indices)
    func countsAndARXRisksMatch(_ index: Int) throws {
        let golden = Self.goldens.cases[index]
        let risk = try Self.measure(golden)
        let plain = golden.plain
        #expect(risk.rows == plain.rows)
        #expect(risk.classCount == plain.classes)
        #expect(risk.uniqueRecords == plain.unique_records)
        #expect(Self.close(risk.uniqueShare, Double(plain.unique_records) / Double(plain.rows)))
        #expect(risk.recordsBelowThreshold == plain.records_below_k)
        #expect(risk.classesBelowThreshold == plain.classes_below_k)
        #expect(risk.classSizes.map { [$0.size, $0.classes] } == plain.class_sizes)
        for (ours, theirs) in [(risk.prosecutor, plain.prosecutor), (risk.journalist, plain.journalist)] {
            #expect(Self.close(ours.highest, theirs.highest))
            #expect(Self.close(ours.average, theirs.average))
            #expect(Self.close(ours.recordsAtRisk, theirs.records_at_risk))
        }
        #expect(Self.close(risk.marketer, plain.marketer))
    }

    /// The measures do not depend on the order of the rows.
    @Test func rowOrderDoesNotMatter() throws {
        let golden = Self.goldens.cases[0]
        let path = Self.root.appendingPathComponent("fixtures/privacy/anes96.csv").path
        let table = try CSVReader.read(path: path, columns: golden.quasi.map { ColumnRequest($0, type: .categorical) } + [ColumnRequest("self_lr")])
        var generator = SplitMix64(seed: 7)
        let order = Array(0..<table.rowCount).shuffled(using: &generator)
        let quasi = golden.quasi.map { table[$0]!.categorical!.codes }
        let values = SensitiveValueCodes(column: table["self_lr"]!)
        let forward = ReidentificationRisk(classes: EquivalenceClasses(codes: quasi), riskThreshold: 5,
                                           sensitive: [(name: "self_lr", values: values)])
        let shuffledValues = SensitiveValueCodes(codes: order.map { values.codes[$0] }, valueCount: values.valueCount, isNumerical: true)
        let shuffled = ReidentificationRisk(classes: EquivalenceClasses(codes: quasi.map { codes in order.map { codes[$0] } }), riskThreshold: 5,
                                            sensitive: [(name: "self_lr", values: shuffledValues)])
        #expect(forward.kAnonymity == shuffled.kAnonymity)
        #expect(forward.classSizes.map(\.size) == shuffled.classSizes.map(\.size))
        #expect(Self.close(forward.sensitive[0].tCloseness, shuffled.sensitive[0].tCloseness))
        #expect(Self.close(forward.sensitive[0].entropyL, shuffled.sensitive[0].entropyL))
    }
}
